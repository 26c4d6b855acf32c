"""Controlled vocabularies (選択肢) with their Japanese labels.

Stored values are stable English codes; ``LABELS_JA`` gives the label the worker sees (see the
glossary). The desktop client wraps these labels for translation; the core keeps the Japanese
defaults for the command line and printed material.
"""

from __future__ import annotations

from enum import StrEnum


class Vocab(StrEnum):
    """A closed choice stored by code; ``label`` is the Japanese text."""

    @property
    def label(self) -> str:
        return LABELS_JA[self]

    @classmethod
    def parse(cls, value: object) -> Vocab:
        """Accept the code or the Japanese label."""
        if isinstance(value, str):
            member = cls._value2member_map_.get(value) or _BY_LABEL.get((cls, value))
            if member is not None:
                return member  # type: ignore[return-value]
        raise ValueError(f"{value!r} is not one of {[m.value for m in cls]}")


class CaseStage(Vocab):
    """支援段階."""

    IDENTIFIED = "identified"
    RELATIONSHIP = "relationship"
    ASSESSMENT = "assessment"
    PLANNING = "planning"
    SUPPORT = "support"
    CLOSED = "closed"
    SUSPENDED = "suspended"


class ReferralSource(Vocab):
    """把握の経路（入口）."""

    MINSEI_IIN = "minsei_iin"
    COMMUNITY_CARE_CENTER = "community_care_center"
    NEIGHBOUR = "neighbour"
    LIFELINE = "lifeline"
    GATHERING_PLACE = "gathering_place"
    MEETING = "meeting"
    SNS = "sns"
    DOOR_TO_DOOR = "door_to_door"
    SELF_OR_FAMILY = "self_or_family"
    MEDICAL = "medical"
    SCHOOL = "school"
    GOVERNMENT_DESK = "government_desk"
    OTHER = "other"


class VisitKind(Vocab):
    """種別 of a visit or contact."""

    HOME_VISIT = "home_visit"
    ACCOMPANY = "accompany"
    PHONE = "phone"
    LETTER = "letter"
    OFFICE_VISIT = "office_visit"
    AGENCY_CONTACT = "agency_contact"


class MetWith(Vocab):
    """会えた人: a visit records a set of them. ``NOBODY`` (会えず, formerly 不在) is an attempt
    without contact and stands alone. Visits written before the set was introduced hold one code
    as text; :func:`met_with_set` reads both shapes."""

    PERSON = "person"
    FAMILY = "family"
    RELATIVE = "relative"
    NEIGHBOUR = "neighbour"
    AGENCY = "agency"
    NOBODY = "nobody"


def met_with_set(raw: object) -> tuple[MetWith, ...]:
    """The 会えた人 of a visit in vocabulary order, from any stored shape: a list of codes (today),
    one code (visits written before the set), or that list as JSON text (the visits table).
    Codes this version does not know are left out."""
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("["):
            import json

            try:
                raw = json.loads(text)
            except ValueError:
                return ()
        else:
            raw = [text]
    if not isinstance(raw, (list, tuple)):
        return ()
    found = set()
    for item in raw:
        try:
            found.add(MetWith.parse(item))
        except ValueError:
            continue
    return tuple(member for member in MetWith if member in found)


def contact_made(met: tuple[MetWith, ...]) -> bool:
    """True when the visit reached someone (anything but 会えず)."""
    return any(member is not MetWith.NOBODY for member in met)


class RelationshipStage(Vocab):
    """関係の段階, in increasing order of contact reached."""

    NO_CONTACT = "no_contact"
    FAMILY_CONTACT = "family_contact"
    MET_PERSON = "met_person"
    ONGOING = "ongoing"
    CONNECTED = "connected"

    @property
    def rank(self) -> int:
        return list(RelationshipStage).index(self)


class ConsentAction(Vocab):
    GRANT = "grant"
    WITHDRAW = "withdraw"


class ConsentMethod(Vocab):
    ORAL = "oral"
    WRITTEN = "written"


class ConsentStatus(Vocab):
    """同意状況 shown on the case banner."""

    GRANTED = "granted"
    NONE = "none"
    WITHDRAWN = "withdrawn"
    PARTIAL = "partial"


class MeetingKind(Vocab):
    MULTI_AGENCY = "multi_agency"
    SUPPORT_COUNCIL = "support_council"
    REGULAR = "regular"


class LegalBasis(Vocab):
    """提供の根拠: why case information may leave the app (recorded with every disclosure)."""

    CONSENT = "consent"  # 本人同意 covering every receiving agency
    SUPPORT_COUNCIL = "council_106_6"  # 支援会議 (社会福祉法第106条の6); a distinct code: the
    # labels are keyed by value, and MeetingKind.SUPPORT_COUNCIL is "support_council"
    EMERGENCY = "emergency"  # a supervisor's typed reason (生命・身体の保護のため緊急)


class Role(Vocab):
    WORKER = "worker"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"


# The districts of the service area (小林市: 野尻, 須木, 小林, 西部). Stored as written: place
# names are data, not interface text, so they are never translated.
DISTRICTS: tuple[str, ...] = ("野尻", "須木", "小林", "西部")

LABELS_JA: dict[Vocab, str] = {
    CaseStage.IDENTIFIED: "把握",
    CaseStage.RELATIONSHIP: "関係づくり",
    CaseStage.ASSESSMENT: "アセスメント",
    CaseStage.PLANNING: "プラン作成",
    CaseStage.SUPPORT: "支援実施・モニタリング",
    CaseStage.CLOSED: "終結",
    CaseStage.SUSPENDED: "中断",
    ReferralSource.MINSEI_IIN: "民生委員",
    ReferralSource.COMMUNITY_CARE_CENTER: "地域包括支援センター",
    ReferralSource.NEIGHBOUR: "近隣住民",
    ReferralSource.LIFELINE: "ライフライン事業者",
    ReferralSource.GATHERING_PLACE: "通いの場",
    ReferralSource.MEETING: "会議",
    ReferralSource.SNS: "SNS",
    ReferralSource.DOOR_TO_DOOR: "全戸訪問",
    ReferralSource.SELF_OR_FAMILY: "本人・家族",
    ReferralSource.MEDICAL: "医療機関",
    ReferralSource.SCHOOL: "学校",
    ReferralSource.GOVERNMENT_DESK: "行政の窓口",
    ReferralSource.OTHER: "その他",
    VisitKind.HOME_VISIT: "家庭訪問",
    VisitKind.ACCOMPANY: "同行支援",
    VisitKind.PHONE: "電話",
    VisitKind.LETTER: "手紙・置き手紙",
    VisitKind.OFFICE_VISIT: "来所",
    VisitKind.AGENCY_CONTACT: "関係機関との連絡",
    MetWith.PERSON: "本人",
    MetWith.FAMILY: "家族",
    MetWith.RELATIVE: "親族",
    MetWith.NEIGHBOUR: "近隣の人",
    MetWith.AGENCY: "関係機関",
    MetWith.NOBODY: "会えず",
    RelationshipStage.NO_CONTACT: "未接触",
    RelationshipStage.FAMILY_CONTACT: "家族と接触",
    RelationshipStage.MET_PERSON: "本人と対面",
    RelationshipStage.ONGOING: "継続的な関わり",
    RelationshipStage.CONNECTED: "支援につながった",
    ConsentAction.GRANT: "同意",
    ConsentAction.WITHDRAW: "撤回",
    ConsentMethod.ORAL: "口頭",
    ConsentMethod.WRITTEN: "書面",
    ConsentStatus.GRANTED: "同意あり",
    ConsentStatus.NONE: "同意なし",
    ConsentStatus.WITHDRAWN: "撤回",
    ConsentStatus.PARTIAL: "一部同意",
    MeetingKind.MULTI_AGENCY: "重層的支援会議",
    MeetingKind.SUPPORT_COUNCIL: "支援会議",
    MeetingKind.REGULAR: "定例会議",
    LegalBasis.CONSENT: "本人同意",
    LegalBasis.SUPPORT_COUNCIL: "支援会議（法106条の6）",
    LegalBasis.EMERGENCY: "緊急",
    Role.WORKER: "支援員",
    Role.SUPERVISOR: "スーパーバイザー",
    Role.ADMINISTRATOR: "管理者",
}

# (vocabulary, Japanese label) -> member, for ``Vocab.parse``
_BY_LABEL: dict[tuple[type, str], Vocab] = {
    (type(member), label): member for member, label in LABELS_JA.items()}
_BY_LABEL[(MetWith, "不在")] = MetWith.NOBODY  # the label 会えず had before the set
