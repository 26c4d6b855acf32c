"""Demo data (デモデータ) for trying the app, for screenshots and for the benchmark.

Everything written here is **fictional**: family names and given names are common Japanese names
combined at random, addresses are vague descriptions, and the narratives are assembled from phrase
lists. No record describes a real person.

``generate(store, cases=…)`` fills a store with households in the four districts (野尻, 須木, 小林,
西部): people living alone, 8050 households (a parent in their 80s with a child in their 50s),
ダブルケア households, and the cases, visits, relationship notes, consent events, support plans
and meetings that months of outreach would leave behind. The same ``seed`` always gives the same
names and texts (dates are relative to today, and ids are always new).

It writes through the ordinary :class:`~outreach_desk.store.Store` API, a few hundred cases per
transaction. The store's ``batch()`` does not see rows written earlier in the same batch (rows are
materialised just before COMMIT), so each group of cases is written in phases: households, then
persons, then cases, then everything that refers to a case.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable

from .errors import NotFound
from .vocab import (
    CaseStage,
    ConsentMethod,
    MeetingKind,
    MetWith,
    ReferralSource,
    RelationshipStage,
    Role,
    VisitKind,
)

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    JST = ZoneInfo("Asia/Tokyo")
except (ImportError, ZoneInfoNotFoundError):  # e.g. Windows without the tzdata package
    JST = timezone(timedelta(hours=9), "JST")  # Japan has no daylight saving time

BATCH_CASES = 200  # cases written per group of transactions

DISTRICTS = ("野尻", "須木", "小林", "西部")
TEAMS = {district: f"{district}担当" for district in DISTRICTS}

# Kobayashi's agencies (DOMAIN.md), with a kind for grouping.
AGENCIES: tuple[tuple[str, str], ...] = (
    ("小林市地域包括支援センター", "地域包括支援センター"),
    ("小林市西部地域包括支援センター", "地域包括支援センター"),
    ("のじり地域包括支援センター", "地域包括支援センター"),
    ("にしもろ基幹相談支援センター", "基幹相談支援センター"),
    ("こども家庭センター", "こども家庭センター"),
    ("小林市生活自立相談支援センター", "自立相談支援機関"),
    ("小林市社会福祉協議会", "社会福祉協議会"),
    ("福祉課", "市役所"),
    ("長寿介護課", "市役所"),
    ("こども課", "市役所"),
    ("健康推進課", "市役所"),
)
SHAKYO = "小林市社会福祉協議会"
FUKUSHI = "福祉課"
HOKATSU = {
    "野尻": "のじり地域包括支援センター",
    "須木": "小林市地域包括支援センター",
    "小林": "小林市地域包括支援センター",
    "西部": "小林市西部地域包括支援センター",
}

# ~40 common family names (some typical of Miyazaki) with their readings. 小林 is left out so a
# search for the district never turns into a search for a family.
SURNAMES: tuple[tuple[str, str], ...] = (
    ("押川", "おしかわ"), ("黒木", "くろき"), ("甲斐", "かい"), ("日高", "ひだか"),
    ("河野", "かわの"), ("長友", "ながとも"), ("永野", "ながの"), ("岩切", "いわきり"),
    ("図師", "ずし"), ("外山", "とやま"), ("児玉", "こだま"), ("蛯原", "えびはら"),
    ("田中", "たなか"), ("佐藤", "さとう"), ("鈴木", "すずき"), ("高橋", "たかはし"),
    ("伊藤", "いとう"), ("渡辺", "わたなべ"), ("山本", "やまもと"), ("中村", "なかむら"),
    ("加藤", "かとう"), ("吉田", "よしだ"), ("山田", "やまだ"), ("佐々木", "ささき"),
    ("山口", "やまぐち"), ("松本", "まつもと"), ("井上", "いのうえ"), ("木村", "きむら"),
    ("斎藤", "さいとう"), ("清水", "しみず"), ("山崎", "やまざき"), ("池田", "いけだ"),
    ("橋本", "はしもと"), ("阿部", "あべ"), ("石川", "いしかわ"), ("山下", "やました"),
    ("前田", "まえだ"), ("藤田", "ふじた"), ("後藤", "ごとう"), ("岡田", "おかだ"),
    ("長谷川", "はせがわ"), ("坂本", "さかもと"), ("福田", "ふくだ"),
)

# Given names with readings, by generation and sex.
GIVEN_NAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "elder_m": (("正雄", "まさお"), ("清", "きよし"), ("勇", "いさむ"), ("茂", "しげる"),
                ("実", "みのる"), ("義男", "よしお"), ("武", "たけし"), ("昭", "あきら"),
                ("弘", "ひろし"), ("幸雄", "ゆきお")),
    "elder_f": (("幸子", "さちこ"), ("和子", "かずこ"), ("節子", "せつこ"), ("久子", "ひさこ"),
                ("君子", "きみこ"), ("文子", "ふみこ"), ("静子", "しずこ"), ("美代子", "みよこ"),
                ("千代", "ちよ"), ("ハル", "はる")),
    "mid_m": (("浩二", "こうじ"), ("誠", "まこと"), ("健一", "けんいち"), ("隆", "たかし"),
              ("直樹", "なおき"), ("秀樹", "ひでき"), ("剛", "つよし"), ("哲也", "てつや"),
              ("和彦", "かずひこ"), ("伸一", "しんいち")),
    "mid_f": (("裕子", "ゆうこ"), ("真由美", "まゆみ"), ("恵子", "けいこ"), ("明美", "あけみ"),
              ("由美子", "ゆみこ"), ("久美子", "くみこ"), ("純子", "じゅんこ"), ("直美", "なおみ"),
              ("智子", "ともこ"), ("美穂", "みほ")),
    "young_m": (("大輔", "だいすけ"), ("翔", "しょう"), ("拓也", "たくや"), ("健太", "けんた"),
                ("亮", "りょう"), ("達也", "たつや")),
    "young_f": (("彩", "あや"), ("愛", "あい"), ("麻衣", "まい"), ("沙織", "さおり"),
                ("瞳", "ひとみ"), ("舞", "まい")),
    "child_m": (("翔太", "しょうた"), ("大翔", "ひろと"), ("蓮", "れん"), ("悠真", "ゆうま"),
                ("颯太", "そうた")),
    "child_f": (("陽菜", "ひな"), ("結衣", "ゆい"), ("美咲", "みさき"), ("芽依", "めい"),
                ("葵", "あおい")),
}

# Strings every demo with at least one case writes (the first household is always 押川, its first
# visit always leaves a letter): a test can look for them in the raw database bytes.
SAMPLE_TEXTS: tuple[str, ...] = (
    "押川",
    "おしかわ",
    "初回訪問",
    "置き手紙を郵便受けに入れた",
)
FIRST_SURNAME = SURNAMES[0]

ADDRESS_PLACES = (
    "県道から少し入った坂の上の平屋", "田んぼの中の一軒家。犬がいるので注意", "公営住宅の2階",
    "集落のはずれ。車は公民館に停める", "商店跡の二階建て", "山あいの集落、舗装の切れた先",
    "バス停の裏手、トタン屋根の家", "神社の向かいの古い家", "川沿いの借家", "団地の端の棟",
)
TOWN_OF = {"野尻": "野尻町", "須木": "須木", "小林": "小林市街地", "西部": "西部地区"}

HOBBIES = (
    ("釣り", "川での釣り"), ("将棋", "詰将棋"), ("プロ野球", "春季キャンプ"), ("盆栽", "庭の盆栽"),
    ("昔の映画", "時代劇"), ("猫", "飼っている猫"), ("園芸", "庭の花"),
    ("テレビゲーム", "昔のゲーム"),
    ("鉄道", "吉都線の列車"), ("演歌", "カラオケ"), ("漬物づくり", "大根の漬物"),
    ("車いじり", "古い軽トラックの手入れ"), ("写真", "霧島連山の写真"), ("囲碁", "囲碁の本"),
    ("プラモデル", "戦艦のプラモデル"), ("ラジオ", "深夜ラジオ"),
)
AVOID_TOPICS = (
    "前の職場の話", "亡くなった父親の話", "学校時代の話", "近所づきあいの話", "お金の話",
    "将来の話", "病院の話", "兄弟との関係", "結婚の話",
)
PLACES = (
    "市役所の福祉課窓口", "市役所の長寿介護課", "ハローワーク", "小林市生活自立相談支援センター",
    "市内のクリニック", "就労継続支援B型事業所の見学", "銀行", "年金事務所の出張相談",
    "こども家庭センター", "地域の通いの場",
)

# Household types: (code, weight). Each demo case is one household.
HOUSEHOLD_TYPES = (
    ("hikikomori", 30),    # a person in their 30s–50s living alone, long-term ひきこもり
    ("elder_alone", 15),   # an older person alone (ごみ屋敷, refusing care)
    ("8050", 25),          # parent in their 80s, child in their 50s
    ("double_care", 12),   # ダブルケア: caregiver with an older parent and a young child
    ("elder_couple", 8),
    ("single_parent", 10), # parent with a child who does not go to school
)

REFERRALS = {
    ReferralSource.MINSEI_IIN: (
        "民生委員より、最近{who}の姿を見かけないと相談。",
        "民生委員の見守り訪問で、{who}の生活の様子が気になるとの連絡。",
    ),
    ReferralSource.COMMUNITY_CARE_CENTER: (
        "地域包括支援センターより、介護保険の申請の際に同居家族のことが気になると連絡。",
        "地域包括支援センターの訪問時に、{who}の困りごとを把握。",
    ),
    ReferralSource.NEIGHBOUR: (
        "近隣住民から、庭に物が積み上がり臭いがすると相談。",
        "近所の方から、夜間に大きな声が聞こえると相談。",
    ),
    ReferralSource.LIFELINE: (
        "新聞配達員から、新聞がたまっていると連絡。",
        "ガス事業者から、料金の滞納が続いていると情報提供。",
        "水道の検針員から、使用量が急に減ったと連絡。",
    ),
    ReferralSource.GATHERING_PLACE: (
        "通いの場の参加者から、{who}の様子を心配する声。",
    ),
    ReferralSource.MEETING: (
        "重層的支援会議で、複数の機関が関わる世帯として共有された。",
        "定例会議で、地区担当から相談のあった世帯。",
    ),
    ReferralSource.SNS: (
        "SNSの相談窓口に本人から短いメッセージ。その後返信なし。",
    ),
    ReferralSource.DOOR_TO_DOOR: (
        "全戸訪問の際に家族から相談あり。",
    ),
    ReferralSource.OTHER: (
        "学校から、子どもの欠席が続いていると情報提供。",
        "医療機関のソーシャルワーカーから連絡。",
    ),
}
REFERRAL_WEIGHTS = {
    ReferralSource.MINSEI_IIN: 25, ReferralSource.COMMUNITY_CARE_CENTER: 20,
    ReferralSource.NEIGHBOUR: 12, ReferralSource.LIFELINE: 10,
    ReferralSource.GATHERING_PLACE: 6, ReferralSource.MEETING: 8, ReferralSource.SNS: 4,
    ReferralSource.DOOR_TO_DOOR: 8, ReferralSource.OTHER: 7,
}

# Final stage of a case: (stage, weight, minimum and maximum age of the case in days).
FINAL_STAGES = (
    (CaseStage.IDENTIFIED, 8, 5, 60),
    (CaseStage.RELATIONSHIP, 37, 30, 540),
    (CaseStage.ASSESSMENT, 12, 90, 540),
    (CaseStage.PLANNING, 8, 120, 540),
    (CaseStage.SUPPORT, 20, 150, 540),
    (CaseStage.CLOSED, 8, 200, 540),
    (CaseStage.SUSPENDED, 7, 90, 540),
)
STAGE_REASONS = {
    CaseStage.RELATIONSHIP: ("初回訪問を実施し、関係づくりを開始。",
        "家族と接触でき、継続訪問とする。"),
    CaseStage.ASSESSMENT: ("本人と対面でき、生活状況の聞き取りを開始。",
                           "本人が困りごとを話し始めたため。"),
    CaseStage.PLANNING: ("本人同意のもとプラン作成に着手。",
        "アセスメントを終え、支援方針を検討。"),
    CaseStage.SUPPORT: ("プランに基づく支援を開始。",
        "会議でプランを確認し、役割分担に沿って開始。"),
    CaseStage.CLOSED: (
        "就労継続支援B型事業所への通所が定着したため終結。",
        "介護サービスの利用が安定したため終結。",
        "転居により市外の相談機関へ引き継いだため終結。",
        "本人が自ら相談窓口を利用できるようになったため終結。",
    ),
    CaseStage.SUSPENDED: (
        "転居先が不明となり、連絡が途絶えた。",
        "本人・家族ともに連絡がとれなくなった。",
        "家族から訪問を断られ、接触が完全に途絶えた。",
    ),
}
# Relationship stage range (lowest, highest rank) allowed while the case is at a stage.
STAGE_RANKS = {
    CaseStage.IDENTIFIED: (0, 1),
    CaseStage.RELATIONSHIP: (0, 3),
    CaseStage.ASSESSMENT: (2, 3),
    CaseStage.PLANNING: (2, 4),
    CaseStage.SUPPORT: (3, 4),
    CaseStage.CLOSED: (3, 4),
    CaseStage.SUSPENDED: (0, 2),
}
RANKS = list(RelationshipStage)

GOALS = {
    "hikikomori": ("週に一度、外出する機会をつくる", "生活のリズムを整える",
                   "就労準備支援について知る", "困ったときに相談できる人を持つ"),
    "elder_alone": ("介護保険サービスの利用につなぐ", "自宅の片付けを少しずつ進める",
                    "通院を再開する", "見守りの体制をつくる"),
    "8050": ("親の介護サービスの利用を安定させる", "子の生活費の見通しを立てる",
             "子が相談先とつながる", "親亡き後の生活について話し合う"),
    "double_care": ("介護と育児の負担を減らす", "子どもの預け先を確保する",
                    "家族が休める時間をつくる"),
    "elder_couple": ("夫婦の介護負担を軽くする", "地域の見守りにつなぐ",
        "通院の付き添いを確保する"),
    "single_parent": ("子どもの登校について学校と話し合う", "家計の見通しを立てる",
                      "親が休める時間をつくる"),
}
ROLES = {
    "地域包括支援センター": ("介護保険の申請と介護サービスの調整", "高齢者の見守り"),
    "基幹相談支援センター": ("障害福祉サービスの相談と調整", "受診・手帳申請の支援"),
    "こども家庭センター": ("子どもと家庭の相談", "子育て支援サービスの調整"),
    "自立相談支援機関": ("家計改善と就労準備の支援", "生活費の相談"),
    "社会福祉協議会": ("継続訪問と関係づくり（アウトリーチ）", "地域の居場所へのつなぎ"),
    "市役所": ("制度の申請手続き", "庁内の関係課との調整"),
}


# --- what a case will look like (planned before anything is written) -----------------------


@dataclass
class _Member:
    name: str
    kana: str
    birth_year: int
    relation: str  # how the worker refers to them in a narrative (本人, 母親, 息子…)
    id: str | None = None


@dataclass
class _Case:
    index: int
    district: str
    kind: str
    surname: str
    members: list[_Member]
    target: int | None  # index of the person the case is about; None = the household
    contact: int  # member whose consent is recorded
    family: str  # the family member the worker talks to
    hobby: tuple[str, str]
    avoid: str
    referral: ReferralSource
    referral_note: str
    address_note: str
    opened: date
    stages: list[tuple[CaseStage, date, str]]
    end: date
    visits: int = 0
    worker: str | None = None
    team: str | None = None
    household_id: str | None = None
    case_id: str | None = None
    granted: frozenset[str] = frozenset()  # agency names with consent in force
    granted_on: date | None = None
    events: list[tuple[MeetingKind, date, str]] = field(default_factory=list)

    @property
    def final(self) -> CaseStage:
        return self.stages[-1][0]

    def stage_on(self, day: date) -> CaseStage:
        current = self.stages[0][0]
        for stage, since, _ in self.stages:
            if since <= day:
                current = stage
        return current

    def stage_date(self, stage: CaseStage) -> date | None:
        return next((since for s, since, _ in self.stages if s == stage), None)

    @property
    def household_name(self) -> str:
        return f"{self.surname}家"


def _katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def _person(rng: random.Random, surname: tuple[str, str], group: str, age: tuple[int, int],
            relation: str, year: int) -> _Member:
    given, given_kana = rng.choice(GIVEN_NAMES[group])
    kana = f"{surname[1]} {given_kana}"
    if rng.random() < 0.15 and surname != FIRST_SURNAME:
        kana = _katakana(kana)  # some readings are written in katakana
    return _Member(f"{surname[0]} {given}", kana, year - rng.randint(*age), relation)


def _members(rng: random.Random, kind: str, surname: tuple[str, str], year: int):
    """The household's members, the index of the case's target (None: household) and contact."""
    sex = rng.choice("mf")
    if kind == "hikikomori":
        group = rng.choice(("mid_", "young_")) + sex
        age = (40, 59) if group.startswith("mid") else (30, 44)
        people = [_person(rng, surname, group, age, "本人", year)]
        return people, 0, 0, rng.choice(("近くに住む妹", "市外に住む兄", "近所の親戚"))
    if kind == "elder_alone":
        people = [_person(rng, surname, "elder_" + sex, (75, 92), "本人", year)]
        return people, 0, 0, rng.choice(("市外に住む娘", "近所に住む弟", "県外の息子"))
    if kind == "8050":
        parent_sex = rng.choice("mf")
        parent = _person(rng, surname, "elder_" + parent_sex, (80, 89),
                         "母親" if parent_sex == "f" else "父親", year)
        child = _person(rng, surname, "mid_" + sex, (50, 59), "本人", year)
        target = None if rng.random() < 0.3 else 1
        return [parent, child], target, 1, parent.relation
    if kind == "double_care":
        carer = _person(rng, surname, "mid_f" if rng.random() < 0.7 else "mid_m", (40, 52),
                        "本人", year)
        elder = _person(rng, surname, "elder_" + rng.choice("mf"), (75, 90), "親", year)
        elder.relation = "母親" if elder.name.split()[1] in _FEMALE_ELDERS else "父親"
        child = _person(rng, surname, "child_" + rng.choice("mf"), (5, 14), "子ども", year)
        target = None if rng.random() < 0.6 else 0
        return [carer, elder, child], target, 0, elder.relation
    if kind == "elder_couple":
        husband = _person(rng, surname, "elder_m", (76, 91), "夫", year)
        wife = _person(rng, surname, "elder_f", (74, 89), "妻", year)
        target = None if rng.random() < 0.5 else rng.randint(0, 1)
        contact = 1 if target is None else target
        return [husband, wife], target, contact, "妻" if contact == 0 else "夫"
    # single_parent
    parent = _person(rng, surname, rng.choice(("mid_", "young_")) + "f", (32, 48), "本人", year)
    child = _person(rng, surname, "child_" + sex, (10, 16), "子ども", year)
    return [parent, child], 0, 0, "子ども"


_FEMALE_ELDERS = {name for name, _ in GIVEN_NAMES["elder_f"]}


def _days(rng: random.Random, start: date, end: date, fraction: tuple[float, float]) -> date:
    span = max((end - start).days, 0)
    return start + timedelta(days=int(span * rng.uniform(*fraction)))


def _plan_case(rng: random.Random, index: int, today: date) -> _Case:
    district = rng.choice(DISTRICTS)
    kind = rng.choices([k for k, _ in HOUSEHOLD_TYPES], [w for _, w in HOUSEHOLD_TYPES])[0]
    surname = FIRST_SURNAME if index == 0 else rng.choice(SURNAMES)
    members, target, contact, family = _members(rng, kind, surname, today.year)
    final, _, low, high = rng.choices(FINAL_STAGES, [w for _, w, _, _ in FINAL_STAGES])[0]
    age = rng.randint(low, high)
    opened = today - timedelta(days=age)
    referral = rng.choices(list(REFERRAL_WEIGHTS), list(REFERRAL_WEIGHTS.values()))[0]
    who = "本人" if target is not None else "家族"
    referral_note = rng.choice(REFERRALS[referral]).format(who=who)
    address = f"{TOWN_OF[district]}、{rng.choice(ADDRESS_PLACES)}"

    # stage path and dates: proportions of the case's life so far
    end = today
    path = [CaseStage.IDENTIFIED]
    order = [CaseStage.RELATIONSHIP, CaseStage.ASSESSMENT, CaseStage.PLANNING, CaseStage.SUPPORT]
    if final == CaseStage.SUSPENDED:
        path += [CaseStage.RELATIONSHIP] + ([CaseStage.ASSESSMENT] if rng.random() < 0.3 else [])
    elif final == CaseStage.CLOSED:
        path += order
    elif final != CaseStage.IDENTIFIED:
        path += order[: order.index(final) + 1]
    fractions = {
        CaseStage.RELATIONSHIP: (0.02, 0.12), CaseStage.ASSESSMENT: (0.35, 0.55),
        CaseStage.PLANNING: (0.56, 0.66), CaseStage.SUPPORT: (0.67, 0.75),
    }
    stages = [(CaseStage.IDENTIFIED, opened, "")]
    for stage in path[1:]:
        stages.append((stage, _days(rng, opened, today, fractions[stage]),
                       rng.choice(STAGE_REASONS[stage])))
    if final in (CaseStage.CLOSED, CaseStage.SUSPENDED):
        end = _days(rng, opened, today, (0.8, 0.97))
        stages.append((final, end, rng.choice(STAGE_REASONS[final])))
    return _Case(
        index=index, district=district, kind=kind, surname=surname[0], members=members,
        target=target, contact=contact, family=family, hobby=rng.choice(HOBBIES),
        avoid=rng.choice(AVOID_TOPICS), referral=referral, referral_note=referral_note,
        address_note=address, opened=opened, stages=stages, end=end,
    )


def _allocate(rng: random.Random, cases: list[_Case], total: int) -> None:
    """Share ``total`` visits among ``cases``: longer-running cases get more."""
    weights = [((c.end - c.opened).days + 20) * rng.uniform(0.5, 1.5) for c in cases]
    base = 1 if total >= len(cases) else 0  # every case visited at least once when possible
    scale = (total - base * len(cases)) / sum(weights) if weights else 0
    shares = [base + w * scale for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(cases)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    for case, count in zip(cases, counts):
        case.visits = count


# --- narratives ------------------------------------------------------------------------------

HOME_NOBODY_OPEN = (
    "{tp}に訪問。インターホンを押したが応答なし。", "{tp}に訪問したが不在。",
    "訪問。玄関で呼びかけたが返事はなかった。", "{tp}に訪問。玄関は施錠されており応答なし。",
)
HOME_NOBODY_SEEN = (
    "雨戸は閉まったまま。", "車はあったが応答なし。",
    "洗濯物が干してあり、生活の様子はうかがえる。",
    "前回の置き手紙はなくなっていた。", "前回の置き手紙が郵便受けに残ったままだった。",
    "玄関前に新聞が数日分たまっていた。", "庭の草が伸びている。",
    "家の中からテレビの音が聞こえた。",
    "二階の部屋に明かりがついていた。",
)
HOME_NOBODY_DID = (
    "置き手紙を郵便受けに入れた。", "置き手紙（社協の連絡先入り）を玄関に挟んだ。",
    "{hobby}の話題に触れた置き手紙を残した。", "名刺と置き手紙を残した。",
    "隣家の方に様子を伺った。",
)
FAMILY_OPEN = (
    "{tp}に訪問。{fam}が玄関先で対応。", "家族と玄関先で話した。",
    "{fam}と玄関先で15分ほど話した。",
    "訪問すると{fam}が出てきた。",
)
FAMILY_BODY = (
    "本人は奥の部屋にいるとのこと。", "本人は寝ているとのことで会えず。",
    "{fam}によると、最近は夜中に起きて昼間は寝ているらしい。",
    "{fam}自身の通院の負担が大きい様子。",
    "{fam}は本人のことを近所に知られたくないと話す。",
    "食事は{fam}が部屋の前に置いているとのこと。",
    "{fam}から、本人が{hobby}の番組をよく見ていると聞いた。",
    "{fam}の介護サービスの利用について話題になった。",
    "{fam}に本人宛ての手紙を託した。", "家の中の片付けに困っているとのこと。",
)
PERSON_OPEN = (
    "本人と短時間対面。", "{tp}に訪問。本人が玄関まで出てきた。", "本人と玄関先で5分ほど話した。",
    "本人がドア越しに応答し、少し話ができた。", "居間で本人と30分ほど話した。",
)
PERSON_BODY = (
    "{hobby}の話題には表情がやわらいだ。", "睡眠や食事の様子を聞き取った。",
    "体調は変わりないとのこと。",
    "しばらく通院していないとのこと。", "家の片付けについて少し話ができた。",
    "お金の心配があると話した。",
    "仕事のことは話したがらない様子。", "次回の訪問日を本人と約束した。",
    "{place}に行ってみてもよいと話した。",
)
SETBACK = (
    "『もう来なくていい』と言われた。", "途中で部屋に戻ってしまった。", "前回より表情が硬かった。",
    "約束の時間に出てこなかった。",
)
ACCOMPANY_OPEN = (
    "本人と{place}へ同行支援。", "約束の時間に本人が出てきた。車で{place}へ同行。",
    "同行支援で{place}へ。",
)
ACCOMPANY_BODY = (
    "窓口で手続きを行った。", "書類は本人が自分で記入できた。", "待ち時間に{hobby}の話をした。",
    "帰りの車内で、次にやってみたいことを話した。", "緊張していたが最後まで同席できた。",
)
PHONE_NOBODY = (
    "本人に電話したが出なかった。", "{fam}の携帯に電話したがつながらず。",
    "電話したが留守番電話だった。伝言を残した。",
)
PHONE_FAMILY = ("{fam}と電話で話した。", "{fam}から電話があった。")
PHONE_PERSON = ("本人と電話で話した。", "本人から電話があった。")
PHONE_PERSON_BODY = (
    "短い会話だったが声は落ち着いていた。", "次回の訪問日を確認した。",
    "{place}の予約日を確認した。",
)
LETTER_OPEN = ("手紙を投函した。", "季節の便りとして手紙を送った。", "置き手紙を郵便受けに入れた。")
LETTER_BODY = (
    "{hobby}の話題を添えた。", "返事はいらないこと、困ったら連絡してよいことを書いた。",
    "社協の連絡先と担当者の名前を書いた。", "次回の訪問予定を書いた。",
)
OFFICE_OPEN = ("本人が社協の窓口に来所。", "本人が{fam}と一緒に来所した。")
AGENCY_OPEN = (
    "{agency}と電話で情報共有した。", "{agency}の担当者と打ち合わせ。",
    "民生委員から近況を聞き取った。",
    "{agency}から連絡があった。",
)
AGENCY_BODY = (
    "世帯の近況と今後の関わり方を確認した。", "{fam}の介護保険の申請状況を確認した。",
    "訪問の役割分担を確認した。", "次回の会議で取り上げることにした。",
)
REACTION_PERSON = (
    "表情は硬いが、話は最後まで聞いてくれた。", "笑顔が見られた。",
    "『また来てもいい』との言葉があった。",
    "自分から質問してきた。", "{hobby}の話では口数が増えた。", "視線を合わせて話せた。",
)
REACTION_NEGATIVE = (
    "『もう来なくていい』と強い口調。", "途中で会話を切り上げられた。",
    "ほとんど話さず、うなずくだけだった。",
)
REACTION_FAMILY = (
    "{fam}は支援に前向き。", "{fam}は疲れた様子で、話を聞いてほしい様子だった。",
    "{fam}は本人への関わりに遠慮がある。", "{fam}から感謝の言葉があった。",
    "{fam}は支援を受けることに迷いがある。",
)
REACTION_NOBODY = ("", "", "反応なし。", "反応は確認できず。")
NEXT_NOBODY = ("{later}再訪し、置き手紙の反応を確認する", "民生委員に近況を確認する",
    "本人に手紙を書く",
               "時間帯を変えて再訪する")
NEXT_FAMILY = ("{fam}に電話で様子を聞く", "{later}再訪する", "{agency}と情報共有する",
               "{fam}に介護サービスの案内を届ける")
NEXT_PERSON = ("次回、{hobby}の話題を持っていく", "{place}への同行の日程を調整する",
               "約束した日に再訪する", "{agency}と情報共有する", "支援会議で共有する")

NOTE_TEMPLATES = (
    "趣味：{hobby}。{hobby_detail}の話を振ると表情がやわらぐ。",
    "避ける話題：{avoid}。前回、話が及んだ際に黙り込んでしまった。",
    "約束：次回、{hobby_detail}の話を持っていくと約束した。約束は必ず守ること。",
    "家族関係：{fam}は本人のことを近所に知られたくない気持ちが強い。車は家から離れた場所に停める。",
    "訪問の工夫：平日の午前中は応答がない。午後2時以降が話しやすい。",
    "{fam}との関係：本人は{fam}の言うことなら聞く。{fam}を通じて手紙を渡すとよい。",
)
NOTE_ADDENDA = (
    "（追記）最近は{hobby}の話から体調の話にも広げられるようになった。",
    "（追記）{avoid}は本人から話し始めたときだけ聞く。",
    "（追記）担当交代の際は、必ず前任者と一緒に訪問すること。",
)
DECISIONS = {
    "plan": "{hh}：支援プラン案を確認し、役割分担を決定。3か月後にモニタリング。",
    "closed": "{hh}：終結を確認。今後は民生委員の見守りに引き継ぐ。",
    "suspended": "{hh}：中断を確認。再接触の手がかり（手紙・民生委員）を残す。",
    "council": "{hh}：本人同意がないため支援会議で共有。関係機関の見守りの分担を確認。",
    "regular": "{hh}：訪問状況を共有。次回の訪問方針を確認。",
}


def _later(days: int) -> str:
    return {7: "1週間後に", 14: "2週間後に", 21: "3週間後に",
        28: "4週間後に"}.get(days, f"{days}日後に")


class _Writer:
    """Writes planned cases through the store, phase by phase."""

    def __init__(self, store, rng: random.Random, now: datetime):
        self.store = store
        self.rng = rng
        self.now = now
        self.today = now.date()
        self.counts: dict[str, int] = {
            key: 0 for key in ("households", "persons", "cases", "stage_changes", "visits",
                               "notes", "note_revisions", "consent_events", "withdrawals",
                               "plans", "plan_revisions", "meetings")
        }
        self.agencies: dict[str, str] = {}
        self.teams: dict[str, str] = {}
        self.workers: dict[str, list[str]] = {}

    # -- reference data -----------------------------------------------------------------------

    def reference_data(self) -> None:
        store = self.store
        existing_agencies = {e["name"]: e.id for e in store.list_entities("agency")}
        existing_teams = {e["name"]: e.id for e in store.list_entities("team")}
        existing_workers = store.list_entities("worker")
        names = random.Random(f"workers:{self.rng.random()}")
        with store.batch():
            for name, kind in AGENCIES:
                self.agencies[name] = existing_agencies.get(name) or store.add_agency(name, kind)
            for district in DISTRICTS:
                self.teams[district] = existing_teams.get(TEAMS[district]) or store.add_team(
                    TEAMS[district])
        with store.batch():
            for district in DISTRICTS:
                team_id = self.teams[district]
                have = [w.id for w in existing_workers if w["team_id"] == team_id]
                while len(have) < 3:
                    surname = names.choice(SURNAMES)[0]
                    given = names.choice(GIVEN_NAMES[names.choice(("mid_f", "young_f", "young_m",
                                                                   "mid_m"))])[0]
                    have.append(store.add_worker(f"{surname} {given}", team_id=team_id))
                self.workers[district] = have
            if not any(w["role"] == Role.SUPERVISOR.value for w in existing_workers):
                surname = names.choice(SURNAMES)[0]
                given = names.choice(GIVEN_NAMES["mid_m"])[0]
                store.add_worker(f"{surname} {given}", role=Role.SUPERVISOR)

    # -- one group of cases ---------------------------------------------------------------------

    def write(self, cases: list[_Case]) -> None:
        store = self.store
        with store.batch():
            for case in cases:
                case.household_id = store.create_household(
                    case.household_name, case.district, case.address_note)
                self.counts["households"] += 1
        with store.batch():
            for case in cases:
                for member in case.members:
                    member.id = store.add_person(
                        member.name, member.kana, case.district,
                        household_id=case.household_id, birth_year=member.birth_year)
                    self.counts["persons"] += 1
        with store.batch():
            for case in cases:
                case.team = self.teams[case.district]
                case.worker = self.rng.choice(self.workers[case.district])
                store.set_author(case.worker)
                target = case.members[case.target].id if case.target is not None else None
                case.case_id = store.open_case(
                    referral_source=case.referral, district=case.district, person_id=target,
                    household_id=case.household_id, opened_on=case.opened,
                    referral_note=case.referral_note, team_id=case.team, worker_id=case.worker)
                self.counts["cases"] += 1
        later: list[tuple[_Case, str, str]] = []  # (case, kind, id) revised in a later batch
        with store.batch():
            for case in cases:
                store.set_author(case.worker)
                for stage, since, reason in case.stages[1:]:
                    store.change_case_stage(case.case_id, stage, on=since, reason=reason)
                    self.counts["stage_changes"] += 1
                self._visits(case)
                later += self._notes(case)
                self._consent(case)
                later += self._plan(case)
        with store.batch():
            for case, kind, entity_id in later:
                store.set_author(case.worker)
                if kind == "note":
                    text = store.get("note", entity_id)["text"]
                    store.revise_note(entity_id, text + self._fill(
                        self.rng.choice(NOTE_ADDENDA), case))
                    self.counts["note_revisions"] += 1
                else:
                    planned = case.stage_date(CaseStage.PLANNING) or case.opened
                    on = planned + timedelta(days=self.rng.randint(90, 150))
                    on = min(on, self.today)
                    goals = self.rng.sample(GOALS[case.kind], 2)
                    store.save_plan(case.case_id, goals=goals, roles=self._roles(case),
                                    monitoring_date=on + timedelta(days=90), plan_id=entity_id)
                    case.events.append((self._plan_meeting_kind(case, on), on, "plan"))
                    self.counts["plan_revisions"] += 1

    # -- pieces of a case -----------------------------------------------------------------------

    def _fill(self, template: str, case: _Case, **extra: str) -> str:
        values = {
            "hobby": case.hobby[0], "hobby_detail": case.hobby[1], "avoid": case.avoid,
            "fam": case.family, "place": self.rng.choice(PLACES),
            "agency": self.rng.choice((HOKATSU[case.district], "民生委員", SHAKYO,
                                       "小林市生活自立相談支援センター",
                                       "にしもろ基幹相談支援センター")),
            "tp": "", "later": "",
        }
        values.update(extra)
        return template.format(**values)

    def _when(self, day: date) -> datetime:
        hour = self.rng.randint(9, 17)
        minute = self.rng.randrange(0, 60, 5)
        back = self.rng.randint(10, 120)  # drawn every time, so the texts never depend on the clock
        moment = datetime.combine(day, time(hour, minute), tzinfo=JST)
        if moment > self.now:
            moment = (self.now - timedelta(minutes=back)).replace(second=0, microsecond=0)
        return moment

    def _visit_days(self, case: _Case) -> list[date]:
        if case.visits == 0:
            return []
        span = max((case.end - case.opened).days, 0)
        first = case.opened + timedelta(days=self.rng.randint(0, min(7, span)))
        days = [first] + [
            case.opened + timedelta(days=self.rng.randint(0, span)) for _ in range(case.visits - 1)
        ]
        return sorted(days)

    def _visits(self, case: _Case) -> None:
        rng = self.rng
        rank = 0
        kinds = [k for k in VisitKind]
        for number, day in enumerate(self._visit_days(case)):
            stage = case.stage_on(day)
            low, high = STAGE_RANKS[stage]
            rank = min(max(rank, low), high)
            if number == 0:
                kind = VisitKind.HOME_VISIT
            elif rank <= 1:
                kind = rng.choices(kinds, (60, 0, 10, 20, 0, 10))[0]
            elif rank == 2:
                kind = rng.choices(kinds, (60, 5, 15, 10, 0, 10))[0]
            else:
                kind = rng.choices(kinds, (45, 15, 15, 5, 10, 10))[0]
            met = self._met_with(kind, rank, high, first=number == 0, forced=case.index == 0)
            setback = False
            if met == MetWith.PERSON:
                rank = max(rank, 2)
                if rng.random() < 0.08 and rank > low:
                    rank -= 1
                    setback = True
                elif rng.random() < 0.3:
                    rank += 1
            elif met == MetWith.FAMILY:
                rank = max(rank, 1)
            elif met == MetWith.NOBODY and kind == VisitKind.HOME_VISIT and rank >= 2:
                if rng.random() < 0.06:
                    rank -= 1
                    setback = True
            rank = min(max(rank, 0), high)
            moment = self._when(day)
            narrative = self._narrative(case, kind, met, setback, moment.hour, number == 0)
            reaction = self._reaction(case, kind, met, setback)
            next_action, due = self._next(case, met, day)
            self.store.record_visit(
                case.case_id, occurred_at=moment, kind=kind, met_with=met,
                narrative=narrative, reaction=reaction or None,
                relationship_stage=RANKS[rank], next_action=next_action, next_action_due=due)
            self.counts["visits"] += 1

    def _met_with(self, kind: VisitKind, rank: int, high: int, *, first: bool,
                  forced: bool) -> MetWith:
        rng = self.rng
        roll = rng.random()
        if first:
            return MetWith.NOBODY if forced or roll < 0.7 else MetWith.FAMILY
        if kind in (VisitKind.LETTER, VisitKind.AGENCY_CONTACT):
            return MetWith.NOBODY
        if kind in (VisitKind.ACCOMPANY, VisitKind.OFFICE_VISIT):
            return MetWith.PERSON
        person_ok = high >= 2
        if kind == VisitKind.PHONE:
            if rank >= 2 and person_ok:
                return MetWith.PERSON if roll < 0.6 else MetWith.NOBODY
            return MetWith.FAMILY if roll < (0.6 if rank == 1 else 0.3) else MetWith.NOBODY
        table = {0: (0.0, 0.25), 1: (0.05, 0.6), 2: (0.5, 0.8)}.get(rank, (0.7, 0.85))
        if roll < table[0] and person_ok:
            return MetWith.PERSON
        if roll < table[1]:
            return MetWith.FAMILY
        return MetWith.NOBODY

    def _narrative(self, case: _Case, kind: VisitKind, met: MetWith, setback: bool, hour: int,
                   first: bool) -> str:
        rng = self.rng
        tp = "午前中" if hour < 12 else "昼過ぎ" if hour < 15 else "夕方"
        parts: list[str] = []
        if kind == VisitKind.HOME_VISIT and met == MetWith.NOBODY:
            parts = [rng.choice(HOME_NOBODY_OPEN), rng.choice(HOME_NOBODY_SEEN),
                     HOME_NOBODY_DID[0] if first and case.index == 0
                     else rng.choice(HOME_NOBODY_DID)]
        elif kind == VisitKind.HOME_VISIT and met == MetWith.FAMILY:
            parts = [rng.choice(FAMILY_OPEN), *rng.sample(FAMILY_BODY, 2)]
        elif kind == VisitKind.HOME_VISIT:
            parts = [rng.choice(PERSON_OPEN), *rng.sample(PERSON_BODY, 2)]
        elif kind == VisitKind.ACCOMPANY:
            parts = [rng.choice(ACCOMPANY_OPEN), *rng.sample(ACCOMPANY_BODY, 2)]
        elif kind == VisitKind.PHONE:
            if met == MetWith.NOBODY:
                parts = [rng.choice(PHONE_NOBODY)]
            elif met == MetWith.FAMILY:
                parts = [rng.choice(PHONE_FAMILY), rng.choice(FAMILY_BODY)]
            else:
                parts = [rng.choice(PHONE_PERSON), rng.choice(PHONE_PERSON_BODY)]
        elif kind == VisitKind.LETTER:
            parts = [rng.choice(LETTER_OPEN), rng.choice(LETTER_BODY)]
        elif kind == VisitKind.OFFICE_VISIT:
            parts = [rng.choice(OFFICE_OPEN), *rng.sample(PERSON_BODY, 2)]
        else:
            parts = [rng.choice(AGENCY_OPEN), rng.choice(AGENCY_BODY)]
        if setback:
            parts.append(rng.choice(SETBACK) if met == MetWith.PERSON else
                         "この1か月、訪問しても応答のない状態が続いている。")
        if first:
            parts.insert(0, "初回訪問。")
        return self._fill("".join(parts), case, tp=tp)

    def _reaction(self, case: _Case, kind: VisitKind, met: MetWith, setback: bool) -> str:
        rng = self.rng
        if met == MetWith.PERSON:
            pool = REACTION_NEGATIVE if setback else REACTION_PERSON
        elif met == MetWith.FAMILY:
            pool = REACTION_FAMILY
        else:
            pool = REACTION_NOBODY
        return self._fill(rng.choice(pool), case)

    def _next(self, case: _Case, met: MetWith, day: date) -> tuple[str | None, date | None]:
        rng = self.rng
        roll = rng.random()
        days = rng.choice((3, 7, 7, 10, 14, 14, 21, 28))
        pool = {MetWith.NOBODY: NEXT_NOBODY, MetWith.FAMILY: NEXT_FAMILY}.get(met, NEXT_PERSON)
        action = self._fill(rng.choice(pool), case, later=_later(days))
        if roll < 0.2:
            return None, None
        if roll < 0.3:
            return action, None
        return action, day + timedelta(days=days)

    def _notes(self, case: _Case) -> list[tuple[_Case, str, str]]:
        rng = self.rng
        count = rng.randint(0, 1) if case.final == CaseStage.IDENTIFIED else rng.randint(1, 3)
        revised = []
        for template in rng.sample(NOTE_TEMPLATES, count):
            note_id = self.store.add_note(case.case_id, self._fill(template, case))
            self.counts["notes"] += 1
            if rng.random() < 0.15:
                revised.append((case, "note", note_id))
        return revised

    def _consent_agencies(self, case: _Case) -> list[str]:
        names = {SHAKYO, FUKUSHI, HOKATSU[case.district]}
        extra = {
            "hikikomori": ("小林市生活自立相談支援センター", "にしもろ基幹相談支援センター",
                "健康推進課"),
            "elder_alone": ("長寿介護課", "健康推進課"),
            "8050": ("長寿介護課", "小林市生活自立相談支援センター",
                "にしもろ基幹相談支援センター"),
            "double_care": ("こども家庭センター", "こども課", "長寿介護課"),
            "elder_couple": ("長寿介護課",),
            "single_parent": ("こども家庭センター", "こども課", "小林市生活自立相談支援センター"),
        }[case.kind]
        names.update(self.rng.sample(extra, self.rng.randint(1, len(extra))))
        return [name for name, _ in AGENCIES if name in names]  # stable order

    def _consent(self, case: _Case) -> None:
        rng = self.rng
        store = self.store
        person = case.members[case.contact].id
        assessed = case.stage_date(CaseStage.ASSESSMENT)
        roll = rng.random()
        if assessed is not None and roll < 0.9:
            on = assessed
        elif case.final == CaseStage.RELATIONSHIP and roll < 0.25:
            on = _days(rng, case.opened, case.end, (0.5, 1.0))
        else:
            return
        names = self._consent_agencies(case)
        method = ConsentMethod.WRITTEN if rng.random() < 0.4 else ConsentMethod.ORAL
        store.record_consent(person, agencies=[self.agencies[n] for n in names], method=method,
                             given_on=on, recorded_by=case.worker,
                             note="重要事項を説明し、情報共有先を確認した。")
        self.counts["consent_events"] += 1
        case.granted, case.granted_on = frozenset(names), on
        if rng.random() < 0.06:  # a few withdraw later: all agencies, or one
            later = min(on + timedelta(days=rng.randint(10, 120)), self.today)
            if rng.random() < 0.5:
                agencies: list[str] = []
                case.granted = frozenset()
                note = "本人から、すべての機関への情報共有をやめてほしいと申し出。"
            else:
                name = rng.choice(sorted(set(names) - {SHAKYO, FUKUSHI}) or names)
                agencies = [self.agencies[name]]
                case.granted = case.granted - {name}
                note = f"本人から、{name}への情報提供は控えてほしいと申し出。"
            store.record_withdrawal(person, agencies=agencies, method=ConsentMethod.ORAL,
                                    given_on=later, recorded_by=case.worker, note=note)
            self.counts["consent_events"] += 1
            self.counts["withdrawals"] += 1

    def _roles(self, case: _Case) -> list[dict[str, str]]:
        names = sorted(case.granted or {SHAKYO, HOKATSU[case.district]},
                       key=[n for n, _ in AGENCIES].index)
        kinds = dict(AGENCIES)
        return [{"agency_id": self.agencies[n], "role": self.rng.choice(ROLES[kinds[n]])}
                for n in names[:4]]

    def _plan_meeting_kind(self, case: _Case, on: date) -> MeetingKind:
        consented = case.granted_on is not None and case.granted_on <= on and case.granted
        return MeetingKind.MULTI_AGENCY if consented else MeetingKind.SUPPORT_COUNCIL

    def _plan(self, case: _Case) -> list[tuple[_Case, str, str]]:
        rng = self.rng
        planned = case.stage_date(CaseStage.PLANNING)
        for stage in (CaseStage.CLOSED, CaseStage.SUSPENDED):
            ended = case.stage_date(stage)
            if ended:
                kind = (MeetingKind.SUPPORT_COUNCIL if stage == CaseStage.SUSPENDED
                        else self._plan_meeting_kind(case, ended))
                case.events.append((kind, ended, stage.value))
        if planned is None:
            if case.final == CaseStage.RELATIONSHIP and rng.random() < 0.1:
                case.events.append((MeetingKind.SUPPORT_COUNCIL,
                                    _days(rng, case.opened, case.end, (0.3, 1.0)), "council"))
            return []
        goals = rng.sample(GOALS[case.kind], rng.randint(2, min(3, len(GOALS[case.kind]))))
        plan_id = self.store.save_plan(case.case_id, goals=goals, roles=self._roles(case),
                                       monitoring_date=planned + timedelta(days=90))
        self.counts["plans"] += 1
        case.events.append((self._plan_meeting_kind(case, planned), planned, "plan"))
        if case.final == CaseStage.SUPPORT and rng.random() < 0.3:
            return [(case, "plan", plan_id)]
        return []

    # -- meetings, once every case exists -------------------------------------------------------

    def meetings(self, cases: list[_Case]) -> None:
        rng = self.rng
        groups: dict[tuple[MeetingKind, int, int], list[tuple[date, _Case, str]]] = {}
        for case in cases:
            for kind, on, reason in case.events:
                groups.setdefault((kind, on.year, on.month), []).append((on, case, reason))
        meetings = []
        for (kind, _, _), items in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][2],
                                                                          kv[0][0].value)):
            items.sort(key=lambda item: (item[0], item[1].index))
            for start in range(0, len(items), 8):
                part = items[start : start + 8]
                chosen = {}
                for on, case, reason in part:
                    chosen.setdefault(case.case_id, (case, reason))
                if kind == MeetingKind.MULTI_AGENCY:
                    common = frozenset.intersection(*(c.granted for c, _ in chosen.values()))
                    names = set(common) | {SHAKYO, FUKUSHI}
                else:
                    names = {SHAKYO, FUKUSHI, "小林市生活自立相談支援センター"} | {
                        HOKATSU[c.district] for c, _ in chosen.values()}
                meetings.append((kind, part[0][0], names, chosen))
        for district in DISTRICTS:  # 定例会議: each team, monthly, a few open cases
            team_cases = [c for c in cases if c.district == district]
            if not team_cases:
                continue
            first = max(min(c.opened for c in team_cases), self.today - timedelta(days=365))
            month = first.replace(day=10)
            while month <= self.today:
                open_cases = [c for c in team_cases if c.opened <= month <= c.end]
                if open_cases:
                    picked = rng.sample(open_cases, min(6, len(open_cases)))
                    chosen = {c.case_id: (c, "regular") for c in picked}
                    meetings.append((MeetingKind.REGULAR, month,
                                     {SHAKYO, FUKUSHI, HOKATSU[district]}, chosen))
                month = (month + timedelta(days=31)).replace(day=10)
        with self.store.batch():
            for kind, held_on, names, chosen in meetings:
                decisions = "\n".join(
                    DECISIONS[reason].format(hh=case.household_name)
                    for case, reason in chosen.values())
                next_date = held_on + timedelta(days=90) if kind != MeetingKind.REGULAR else None
                self.store.record_meeting(
                    kind=kind, held_on=held_on,
                    attendees=[self.agencies[n] for n, _ in AGENCIES if n in names],
                    case_ids=list(chosen), decisions=decisions, next_monitoring_date=next_date)
                self.counts["meetings"] += 1


def generate(
    store,
    *,
    cases: int,
    visits_per_case: float = 20,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
) -> dict[str, int]:
    """Fill ``store`` with ``cases`` fictional cases and about ``visits_per_case`` visits each.

    Writes ``BATCH_CASES`` cases per group of transactions and calls ``progress(done, total)``
    after each group. Returns how many records of each kind were written. ``now`` (aware;
    default: the current time in Japan) is the moment the demo's months of work lead up to.
    """
    if cases < 0 or visits_per_case < 0:
        raise ValueError("cases and visits_per_case must not be negative")
    now = (now or datetime.now(JST)).astimezone(JST)
    rng = random.Random(seed)
    writer = _Writer(store, rng, now)
    original_author = store.author
    writer.reference_data()
    planned: list[_Case] = []
    try:
        for start in range(0, cases, BATCH_CASES):
            stop = min(start + BATCH_CASES, cases)
            group = [_plan_case(rng, index, writer.today) for index in range(start, stop)]
            total = round(visits_per_case * stop) - round(visits_per_case * start)
            _allocate(rng, group, total)
            writer.write(group)
            for case in group:  # keep only what the meetings need
                case.members = []
            planned += group
            if progress:
                progress(stop, cases)
        writer.meetings(planned)
    finally:
        _restore_author(store, original_author)
    result = dict(writer.counts)
    result.update(agencies=len(writer.agencies), teams=len(writer.teams),
                  workers=sum(len(w) for w in writer.workers.values()))
    return result


def _restore_author(store, author: str) -> None:
    """Put back whose name goes on new changes (the demo writes as each case's worker)."""
    if store.author == author:
        return
    try:
        store.set_author(author)
    except NotFound:  # the store had no worker as author (its site id): clear the setting
        with store.db.transaction():
            store.db.execute("DELETE FROM meta WHERE key = 'author'")
        store.engine.author = author


__all__ = ["AGENCIES", "DISTRICTS", "GIVEN_NAMES", "SAMPLE_TEXTS", "SURNAMES", "TEAMS", "generate"]
