"""The meeting material PDF: what the legal basis allows is in it, and nothing else.

The PDF is made by the real renderer (Qt's PDF writer) through the one API that records the
disclosure; its text is read back with pypdf.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pypdf
import pytest
from support import visit_fields

from outreach_desk.disclosure import disclose_meeting_material
from outreach_desk.material import TAX_OMITTED, without_tax
from outreach_desk.meetings import MeetingPlan
from outreach_desk.vocab import LegalBasis, MeetingKind

NARRATIVE = "台所で長く話し込んだ。母親との口論が続いている様子"
REACTION = "涙ぐんでいた"
NOTE = "猫の話題だと打ち解ける"
TAX = "固定資産税の滞納が三年分ある"
REFERRAL = f"民生委員から、外に出ていないと連絡があった。{TAX}。"
GOAL = "週一回、通いの場に顔を出す"
ADDRESS = "野尻町東麓の坂の上"


def text_of(data: bytes) -> str:
    """The PDF's text, NFKC-folded (the CJK font shares glyphs with Kangxi radicals) and with
    the line breaks the extractor inserts between text runs removed. Two shared glyphs NFKC
    does not fold come back by hand: ‧ (for ・) and ⺠ (a radical-supplement form of 民)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    raw = "".join(page.extract_text() for page in reader.pages)
    folded = unicodedata.normalize("NFKC", raw).replace("\u2027", "・").replace("\u2ea0", "民")
    return "".join(folded.split())


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture
def casework(store):
    names = ("福祉課", "こども家庭センター", "小林市生活自立相談支援センター")
    welfare, children, living = (store.add_agency(name) for name in names)
    household = store.create_household("山田家", "野尻", address_note=ADDRESS)
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻", household_id=household,
                              birth_year=1972)
    store.add_person("山田 ハル", "やまだ はる", "野尻", household_id=household, birth_year=1941)
    case = store.open_case(referral_source="minsei_iin", district="野尻", person_id=person,
                           referral_note=REFERRAL)
    store.record_visit(case, **visit_fields(narrative=NARRATIVE, reaction=REACTION,
                                            next_action="重層的支援会議で役割分担を決める"))
    store.add_note(case, NOTE)
    store.save_plan(case, goals=[GOAL, f"{TAX}ので相談する"], monitoring_date="2027-01-15",
                    roles=[{"agency_id": welfare, "role": "見守りと家計の相談"},
                           {"agency_id": children, "role": "孫の通学の相談"},
                           {"agency_id": living, "role": "就労の準備"}])
    return store, person, case, (welfare, children, living)


def produce(store, kind, agencies, case, basis, qapp):
    from ui.meeting_pdf import material_pdf

    plan = MeetingPlan(kind, date(2026, 12, 3), tuple(agencies), (case,))
    done = disclose_meeting_material(store, plan, basis=basis, render=material_pdf)
    return text_of(done.data)


NEVER = (NARRATIVE, REACTION, NOTE, TAX, "固定資産税", "三年分", ADDRESS)


def _common(text: str) -> None:
    for expected in ("取扱注意", "Confidential", "山田太郎", "民生委員", "把握", "家庭訪問",
                     "本人と対面", GOAL, "見守りと家計の相談", "重層的支援会議で役割分担を決める",
                     fold(TAX_OMITTED)):
        assert fold(expected) in text, expected
    for absent in NEVER:
        assert fold(absent) not in text, absent


def test_no_consent_prepared_for_a_support_council(casework, qapp):
    store, _person, case, (welfare, children, living) = casework
    text = produce(store, MeetingKind.SUPPORT_COUNCIL, (welfare, living), case,
                   LegalBasis.SUPPORT_COUNCIL, qapp)
    _common(text)
    for expected in ("支援会議", "2026年12月3日", "支援会議(法106条の6)", "同意なし",
                     "山田ハル", "1941年生", "こども家庭センター", "孫の通学の相談", "就労の準備"):
        assert fold(expected) in text, expected
    assert "重層的支援会議資料" not in text
    [record] = store.disclosures(case)
    assert record["basis"] == "council_106_6" and record["agencies"] == [welfare, living]


def test_partial_consent_names_only_covered_agencies(casework, qapp):
    store, person, case, (welfare, children, living) = casework
    store.record_consent(person, agencies=[welfare, children, living], method="written")
    store.record_withdrawal(person, agencies=[children], method="oral")
    assert store.consent(person).status.value == "partial"
    text = produce(store, MeetingKind.MULTI_AGENCY, (welfare,), case, LegalBasis.CONSENT, qapp)
    _common(text)
    for expected in ("重層的支援会議", "本人同意", "一部同意", "福祉課", "就労の準備",
                     "1941年生", "本人同意の範囲外の機関の役割1件"):
        assert fold(expected) in text, expected
    # the agency the consent no longer covers, its role, and other members' names stay out
    for absent in ("こども家庭センター", "孫の通学の相談", "山田ハル"):
        assert fold(absent) not in text, absent
    assert store.disclosures(case)[0]["basis"] == "consent"


def test_full_consent(casework, qapp):
    store, person, case, agencies = casework
    store.record_consent(person, agencies=list(agencies), method="written")
    text = produce(store, MeetingKind.MULTI_AGENCY, agencies[:2], case, LegalBasis.CONSENT,
                   qapp)
    _common(text)
    for expected in ("同意あり", "こども家庭センター", "孫の通学の相談", "就労の準備",
                     "小林市生活自立相談支援センター"):
        assert fold(expected) in text, expected
    assert fold("山田ハル") not in text  # another member's name needs their own consent
    assert "範囲外の機関の役割" not in text


def test_tax_sentences_are_left_out_of_every_text():
    assert without_tax("外に出ていない。住民税の滞納がある。母と二人暮らし") == (
        f"外に出ていない。{TAX_OMITTED}母と二人暮らし")
    assert without_tax("確定申告を手伝う\n所得の話\n通院の同行") == f"{TAX_OMITTED}通院の同行"
    assert without_tax(None) == "" and without_tax("通院の同行") == "通院の同行"
    # arrears of a utility bill are not tax information
    assert without_tax("ガス料金の滞納が続いている。") == "ガス料金の滞納が続いている。"


def test_the_material_shows_the_approved_plan_not_a_draft_awaiting_approval(casework, qapp):
    store, _person, case, agencies = casework
    council = (MeetingKind.SUPPORT_COUNCIL, agencies, case, LegalBasis.SUPPORT_COUNCIL)
    text = produce(store, *council, qapp)
    assert fold("案（決裁待ち）") in text and fold(GOAL) in text  # never approved: the draft
    plan_id = store.case_history(case).plans[0].id
    store.update("worker", store.author, {"role": "supervisor"})
    store.approve_plan(plan_id)
    draft_goal = "来月から週二回に増やす"
    store.save_plan(case, goals=[draft_goal], monitoring_date="2027-02-01", plan_id=plan_id)
    text = produce(store, *council, qapp)
    assert fold("決裁済み（変更案が決裁待ち）") in text
    assert fold(GOAL) in text and fold(draft_goal) not in text
