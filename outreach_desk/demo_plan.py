"""Demo data (デモデータ): planning each fictional case before anything is written.

A case is planned in full from the seeded random generator (household, members, referral, stage
path with dates, how many visits it gets); :mod:`outreach_desk.demo` then writes the plan through
the store. The names and phrases come from :mod:`outreach_desk.demo_text`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from .demo_text import (
    ADDRESS_PLACES,
    AVOID_TOPICS,
    DISTRICTS,
    FIRST_SURNAME,
    GIVEN_NAMES,
    HOBBIES,
    REFERRALS,
    STAGE_REASONS,
    SURNAMES,
    TOWN_OF,
)
from .vocab import CaseStage, MeetingKind, ReferralSource

# Household types: (code, weight). Each demo case is one household.
HOUSEHOLD_TYPES = (
    ("hikikomori", 30),    # a person in their 30s–50s living alone, long-term ひきこもり
    ("elder_alone", 15),   # an older person alone (ごみ屋敷, refusing care)
    ("8050", 25),          # parent in their 80s, child in their 50s
    ("double_care", 12),   # ダブルケア: caregiver with an older parent and a young child
    ("elder_couple", 8),
    ("single_parent", 10), # parent with a child who does not go to school
)

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


# --- what a case will look like (planned before anything is written) -----------------------


@dataclass
class Member:
    name: str
    kana: str
    birth_year: int
    relation: str  # how the worker refers to them in a narrative (本人, 母親, 息子…)
    id: str | None = None


@dataclass
class Case:
    """One planned case (one household); the writer fills in the ids as it writes."""

    index: int
    district: str
    kind: str
    surname: str
    members: list[Member]
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


def katakana(text: str) -> str:
    """The reading with its hiragana turned into katakana."""
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def _person(rng: random.Random, surname: tuple[str, str], group: str, age: tuple[int, int],
            relation: str, year: int) -> Member:
    given, given_kana = rng.choice(GIVEN_NAMES[group])
    kana = f"{surname[1]} {given_kana}"
    if rng.random() < 0.15 and surname != FIRST_SURNAME:
        kana = katakana(kana)  # some readings are written in katakana
    return Member(f"{surname[0]} {given}", kana, year - rng.randint(*age), relation)


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


def day_between(rng: random.Random, start: date, end: date,
                fraction: tuple[float, float]) -> date:
    """A random day the given fraction (low, high) of the way from ``start`` to ``end``."""
    span = max((end - start).days, 0)
    return start + timedelta(days=int(span * rng.uniform(*fraction)))


def plan_case(rng: random.Random, index: int, today: date) -> Case:
    """Everything about case number ``index`` except its visits, as of ``today``."""
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
        stages.append((stage, day_between(rng, opened, today, fractions[stage]),
                       rng.choice(STAGE_REASONS[stage])))
    if final in (CaseStage.CLOSED, CaseStage.SUSPENDED):
        end = day_between(rng, opened, today, (0.8, 0.97))
        stages.append((final, end, rng.choice(STAGE_REASONS[final])))
    return Case(
        index=index, district=district, kind=kind, surname=surname[0], members=members,
        target=target, contact=contact, family=family, hobby=rng.choice(HOBBIES),
        avoid=rng.choice(AVOID_TOPICS), referral=referral, referral_note=referral_note,
        address_note=address, opened=opened, stages=stages, end=end,
    )


def allocate(rng: random.Random, cases: list[Case], total: int) -> None:
    """Share ``total`` visits among ``cases``: longer-running cases get more."""
    weights = [((c.end - c.opened).days + 20) * rng.uniform(0.5, 1.5) for c in cases]
    base = 1 if total >= len(cases) else 0  # every case visited at least once when possible
    scale = (total - base * len(cases)) / sum(weights) if weights else 0
    shares = [base + w * scale for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(cases)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    for case, count in zip(cases, counts, strict=True):
        case.visits = count


__all__ = [
    "FINAL_STAGES",
    "HOUSEHOLD_TYPES",
    "REFERRAL_WEIGHTS",
    "STAGE_RANKS",
    "Case",
    "Member",
    "allocate",
    "day_between",
    "katakana",
    "plan_case",
]
