"""The consent rule for meetings, the legal basis of every disclosure, and a withdrawal that
arrives by sync after the meeting was planned (real stores, real server process).

The expected verdicts are computed here from the consent events the test writes (which agencies
were granted, which withdrawn), never by calling the rule under test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from itertools import combinations
from pathlib import Path

import pytest
from support import visit_fields
from sync_fixtures import sync_server  # noqa: F401 (fixture)

from outreach_desk.disclosure import (
    DisclosureRefused,
    disclose_meeting_material,
    record_held_meeting,
)
from outreach_desk.errors import ValidationError
from outreach_desk.meetings import MeetingPlan, Problem, Verdict, basis_problem, check_meeting
from outreach_desk.vocab import LegalBasis, MeetingKind, Role
from sync.client import SyncClient

ROOT = Path(__file__).resolve().parent.parent
AGENCIES = ("福祉課", "こども家庭センター", "のじり地域包括支援センター")
# consent scope -> (events as (action, agency indexes), agencies granted in the end)
SCOPES = {
    "none": ([], set()),
    "one": ([("grant", {0})], {0}),
    "two": ([("grant", {0, 1})], {0, 1}),
    "all": ([("grant", {0, 1, 2})], {0, 1, 2}),
    "partial_withdrawal": ([("grant", {0, 1, 2}), ("withdraw", {1})], {0, 2}),
    "withdrawn_all": ([("grant", {0, 1}), ("withdraw", set())], set()),
    "regranted": ([("grant", {0}), ("withdraw", set()), ("grant", {1})], {1}),
    # withdrawals of what was never consented: 同意なし, not 撤回
    "withdrawn_unconsented": ([("withdraw", {1})], set()),
    "withdrawn_all_unconsented": ([("withdraw", set())], set()),
    "granted_and_other_withdrawn": ([("grant", {0}), ("withdraw", {1})], {0}),
    "household": (None, set()),  # a household case: nobody to consent
}
ATTENDING = [set(c) for n in (1, 2, 3) for c in combinations(range(3), n)]


@pytest.fixture(scope="module")
def scoped(tmp_path_factory):
    """One store with one case per consent scope."""
    from support import FAST_KDF, PASSPHRASE

    from outreach_desk.store import Store

    store = Store.create(tmp_path_factory.mktemp("rule") / "s", PASSPHRASE, kdf=FAST_KDF,
                         worker_name="佐藤 花子")
    agencies = [store.add_agency(name) for name in AGENCIES]
    cases = {}
    for scope, (events, _) in SCOPES.items():
        if events is None:
            household = store.create_household("古川家", "西部")
            cases[scope] = store.open_case(referral_source="neighbour", district="西部",
                                           household_id=household)
            continue
        person = store.add_person(f"対象 {scope}", "たいしょう", "野尻")
        cases[scope] = store.open_case(referral_source="sns", district="野尻", person_id=person)
        for action, named in events:
            ids = [agencies[i] for i in sorted(named)]
            if action == "grant":
                store.record_consent(person, agencies=ids, method="written")
            else:
                store.record_withdrawal(person, agencies=ids, method="oral")
    yield store, agencies, cases
    store.close()


@pytest.mark.parametrize("kind", list(MeetingKind))
@pytest.mark.parametrize("attending", ATTENDING, ids=lambda s: "+".join(map(str, sorted(s))))
@pytest.mark.parametrize("scope", list(SCOPES))
def test_every_consent_scope_against_every_attendance(scoped, scope, attending, kind):
    store, agencies, cases = scoped
    events, granted = SCOPES[scope]
    plan = MeetingPlan(kind, date(2026, 12, 1), tuple(agencies[i] for i in sorted(attending)),
                       (cases[scope],))
    [check] = check_meeting(store, plan)
    missing = {agencies[i] for i in attending - granted}
    if kind is MeetingKind.SUPPORT_COUNCIL:
        assert check.allowed and check.verdict is Verdict.ALLOWED_COUNCIL
        assert basis_problem(plan, [check], LegalBasis.SUPPORT_COUNCIL) is None
        return
    # 重層的支援会議 and 定例会議: consent must cover every attending agency
    assert check.allowed == (events is not None and not missing)
    assert set(check.missing) == (missing if events is not None else
                                  {agencies[i] for i in attending})
    if check.allowed:
        assert check.verdict is Verdict.ALLOWED_CONSENT
        assert basis_problem(plan, [check], LegalBasis.CONSENT) is None
        return
    assert check.suggests_support_council
    # 撤回 only when a missing agency was consented once; any other is 同意なし
    ever_granted = set().union(*(named for action, named in events or [] if action == "grant"))
    withdrawn_ever = events is not None and bool((attending - granted) & ever_granted)
    expected = (Verdict.NO_PERSON if events is None else
                Verdict.WITHDRAWN if withdrawn_ever else
                Verdict.NO_CONSENT if not granted else Verdict.NOT_COVERED)
    assert check.verdict is expected
    problem = basis_problem(plan, [check], LegalBasis.CONSENT)
    assert problem is Problem.NOT_ALLOWED and "支援会議に切り替える" in problem.message
    # switching the meeting to a 支援会議 makes the same case allowed
    [switched] = check_meeting(store, plan.with_kind(MeetingKind.SUPPORT_COUNCIL))
    assert switched.allowed


def _case(store, agencies, *, consent: list[str] | None):
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻", birth_year=1972)
    case = store.open_case(referral_source="minsei_iin", district="野尻", person_id=person)
    store.record_visit(case, **visit_fields())
    if consent:
        store.record_consent(person, agencies=consent, method="written")
    return person, case


def test_only_an_agency_consented_and_withdrawn_since_is_named_withdrawn(store):
    a, b, c = (store.add_agency(name) for name in ("福祉課", "保健センター", "社協"))
    person, case = _case(store, [a, b, c], consent=[a, b])
    store.record_withdrawal(person, agencies=[a], method="oral")
    store.record_withdrawal(person, agencies=[c], method="oral")  # c was never consented

    [check] = check_meeting(store, MeetingPlan(MeetingKind.MULTI_AGENCY, date(2026, 12, 1),
                                               (a, b, c), (case,)))
    assert check.verdict is Verdict.WITHDRAWN
    assert check.missing == (a, c) and check.withdrawn == (a,) and check.never_consented == (c,)
    [only_c] = check_meeting(store, MeetingPlan(MeetingKind.MULTI_AGENCY, date(2026, 12, 1),
                                                (c,), (case,)))
    assert only_c.verdict is Verdict.NOT_COVERED and only_c.withdrawn == ()

    # a withdrawal from every agency by someone who never consented: 同意なし everywhere
    other, other_case = _case(store, [a], consent=None)
    store.record_withdrawal(other, agencies=[], method="oral")
    plan = MeetingPlan(MeetingKind.MULTI_AGENCY, date(2026, 12, 1), (a,), (other_case,))
    [never] = check_meeting(store, plan)
    assert never.verdict is Verdict.NO_CONSENT and never.withdrawn == ()
    disclosed = disclose_meeting_material(store, plan.with_kind(MeetingKind.SUPPORT_COUNCIL),
                                          basis=LegalBasis.SUPPORT_COUNCIL, render=_pdf)
    assert disclosed.material.sheets[0].consent == "同意なし"


def _pdf(material) -> bytes:
    return json.dumps([sheet.case_id for sheet in material.sheets]).encode()


def test_no_basis_no_material_and_nothing_recorded(store):
    agency = store.add_agency("福祉課")
    _, case = _case(store, [agency], consent=None)
    plan = MeetingPlan(MeetingKind.SUPPORT_COUNCIL, date(2026, 12, 1), (agency,), (case,))
    rendered = []
    for basis, reason in ((None, ""), ("", ""), (LegalBasis.EMERGENCY, "  "),
                          (LegalBasis.CONSENT, ""), ("forged", "")):
        with pytest.raises(DisclosureRefused) as refused:
            disclose_meeting_material(store, plan, basis=basis, reason=reason,
                                      render=lambda m: rendered.append(m) or b"")
        assert refused.value.message
    assert rendered == [] and store.disclosures() == []
    # 法106条の6 is the basis of a 支援会議 only
    with pytest.raises(DisclosureRefused, match="支援会議だけ"):
        disclose_meeting_material(store, plan.with_kind(MeetingKind.MULTI_AGENCY),
                                  basis=LegalBasis.SUPPORT_COUNCIL, render=_pdf)
    # and a disclosure record cannot be written without a basis or with an unreasoned 緊急
    for basis in (None, LegalBasis.EMERGENCY):
        with pytest.raises(ValidationError):
            store.record_disclosure(case_ids=[case], meeting_kind="support_council",
                                    meeting_date="2026-12-01", basis=basis, output="meeting_pdf")
    assert store.disclosures() == []


def test_a_failed_rendering_records_nothing(store):
    agency = store.add_agency("福祉課")
    _, case = _case(store, [agency], consent=None)
    plan = MeetingPlan(MeetingKind.SUPPORT_COUNCIL, date(2026, 12, 1), (agency,), (case,))

    def broken(_material):
        raise OSError("disk full")

    with pytest.raises(OSError):
        disclose_meeting_material(store, plan, basis=LegalBasis.SUPPORT_COUNCIL, render=broken)
    assert store.disclosures() == [] and store.pending_count() == len(store.outbox())
    assert not any(c.entity == "disclosure" for c in store.outbox())


def test_disclosure_is_recorded_immutable_with_its_basis(store):
    a, b = store.add_agency("福祉課"), store.add_agency("こども家庭センター")
    _, case = _case(store, [a], consent=[a])
    plan = MeetingPlan(MeetingKind.MULTI_AGENCY, date(2026, 12, 1), (a,), (case,))
    done = disclose_meeting_material(store, plan, basis=LegalBasis.CONSENT, render=_pdf)
    [record] = store.disclosures(case)
    assert record["id"] == done.disclosure_id and record["case_ids"] == [case]
    assert (record["basis"], record["meeting_kind"], record["meeting_date"]) == (
        "consent", "multi_agency", "2026-12-01")
    assert record["agencies"] == [a] and record["produced_by"] == store.author
    assert record["output"] == "meeting_pdf" and len(record["digest"]) == 64
    for sql in ("UPDATE disclosures SET basis = 'consent'", "DELETE FROM disclosures"):
        with pytest.raises(Exception, match="never"):
            store.db.execute(sql)
    # consent that does not cover an attending agency: refused, naming nothing written
    wider = MeetingPlan(MeetingKind.MULTI_AGENCY, date(2026, 12, 1), (a, b), (case,))
    with pytest.raises(DisclosureRefused) as refused:
        disclose_meeting_material(store, wider, basis=LegalBasis.CONSENT, render=_pdf)
    assert [c.missing for c in refused.value.checks] == [(b,)]
    assert len(store.disclosures()) == 1


def test_emergency_needs_a_supervisor_and_a_reason(store):
    agency = store.add_agency("福祉課")
    _, case = _case(store, [agency], consent=None)
    plan = MeetingPlan(MeetingKind.MULTI_AGENCY, date(2026, 12, 1), (agency,), (case,))
    with pytest.raises(DisclosureRefused, match="スーパーバイザー"):
        disclose_meeting_material(store, plan, basis=LegalBasis.EMERGENCY,
                                  reason="本人が倒れている可能性", render=_pdf)
    store.update("worker", store.author, {"role": Role.SUPERVISOR})
    done = disclose_meeting_material(store, plan, basis=LegalBasis.EMERGENCY,
                                     reason="本人が倒れている可能性", render=_pdf)
    assert store.disclosures()[0]["reason"] == "本人が倒れている可能性"
    assert done.material.basis is LegalBasis.EMERGENCY


def _admin(server, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "admin", "--db", server.db_url, *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_a_withdrawal_synced_after_planning_refuses_the_material_and_disclosures_are_audited(
        make_store, sync_server, tmp_path):  # noqa: F811
    office = make_store("office", worker_name="田中 推進員")
    laptop = make_store("laptop", worker_name="佐藤 花子")
    sync_server.enroll(office, login="tanaka", role="supervisor")
    sync_server.enroll(laptop, login="sato")
    a, b = office.add_agency("福祉課"), office.add_agency("こども家庭センター")
    person, case = _case(office, [a, b], consent=[a, b])
    SyncClient(office, sync_server.url).sync_once()
    SyncClient(laptop, sync_server.url).sync_once()

    plan = MeetingPlan(MeetingKind.MULTI_AGENCY, date(2026, 12, 1), (a, b), (case,))
    assert all(c.allowed for c in check_meeting(office, plan))  # planned: consent covers both

    laptop.record_withdrawal(person, agencies=[b], method="oral")  # at the door, offline
    SyncClient(laptop, sync_server.url).sync_once()
    SyncClient(office, sync_server.url).sync_once()

    with pytest.raises(DisclosureRefused) as refused:
        disclose_meeting_material(office, plan, basis=LegalBasis.CONSENT, render=_pdf)
    [check] = refused.value.checks
    assert check.verdict is Verdict.WITHDRAWN and check.missing == (b,)
    assert office.disclosures() == []
    # nor can the meeting be recorded as held under consent (nothing written)
    pending = office.pending_count()
    with pytest.raises(DisclosureRefused) as refused:
        record_held_meeting(office, plan, decisions="見守りを続ける", today=date(2026, 12, 1))
    assert refused.value.problem is Problem.NOT_ALLOWED
    assert office.case_history(case).meetings == [] and office.pending_count() == pending

    council = plan.with_kind(MeetingKind.SUPPORT_COUNCIL)
    done = disclose_meeting_material(office, council, basis=LegalBasis.SUPPORT_COUNCIL,
                                     render=_pdf)
    held = record_held_meeting(office, council, decisions="見守りを続ける",
                               today=date(2026, 12, 1))
    assert [m.id for m in office.case_history(case).meetings] == [held]
    SyncClient(office, sync_server.url).sync_once()
    SyncClient(laptop, sync_server.url).sync_once()
    assert [d["id"] for d in laptop.disclosures(case)] == [done.disclosure_id]

    exported = tmp_path / "audit.csv"
    assert _admin(sync_server, "export-audit", "--to", str(exported)).returncode == 0
    text = exported.read_text(encoding="utf-8-sig")
    rows = [line for line in text.splitlines() if ",disclosure," in line]
    assert len(rows) == 1
    assert "tanaka" in rows[0] and office.site in rows[0] and case in rows[0]
    assert "council_106_6" in rows[0] and "support_council" in rows[0]
    assert done.disclosure_id in rows[0]
    assert "山田" not in text
    verified = _admin(sync_server, "verify-audit")
    assert verified.returncode == 0, verified.stderr
