"""Case information leaving the app (提供), always with its legal basis (提供の根拠).

:func:`disclose_meeting_material` is the only way to meeting material. In **one transaction** it
re-reads every case's current consent (a withdrawal synced in since the meeting was planned
counts), refuses when the basis does not hold (:class:`DisclosureRefused`, nothing written),
selects the content the basis allows (:mod:`outreach_desk.material`), hands it to ``render``
(the desktop client's PDF writer) and writes an immutable ``disclosure`` record naming the
cases, the meeting kind and date, the basis, the emergency reason, the attending agencies, when
and by whom, and the SHA-256 of the output. If rendering fails, nothing is recorded and there is
no output; the caller writes the returned bytes to a file only after the commit. (A file that
then fails to be written leaves a disclosure recorded without a file: the safe side.)

Other exports: the monthly report (事業報告, CSV and PDF) holds only counts per team and month,
no case-level personal data, so it is not a disclosure and needs no basis.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from .material import MeetingMaterial, meeting_material
from .meetings import CaseCheck, MeetingPlan, Problem, basis_problem, check_meeting, record_problem
from .roles import acting_role
from .vocab import LegalBasis

log = logging.getLogger(__name__)

MEETING_PDF = "meeting_pdf"


class DisclosureRefused(Exception):
    """The material may not be produced (or the meeting not recorded): ``problem`` says why,
    ``checks`` per case."""

    def __init__(self, problem: Problem, checks: list[CaseCheck]):
        super().__init__(problem.message)
        self.problem = problem
        self.message = problem.message
        self.checks = checks


@dataclass(frozen=True)
class Disclosed:
    disclosure_id: str
    data: bytes
    material: MeetingMaterial


def disclose_meeting_material(
    store,
    plan: MeetingPlan,
    *,
    basis: LegalBasis | str | None,
    reason: str = "",
    render: Callable[[MeetingMaterial], bytes],
    output: str = MEETING_PDF,
    wareki: bool = False,
) -> Disclosed:
    """Produce the material of ``plan`` on ``basis`` and record the disclosure, or refuse.
    With ``wareki`` the material's dates are written 令和8年12月8日."""
    produced_at = datetime.now().astimezone()
    with store.batch():
        checks = check_meeting(store, plan)  # the consent as it stands now, inside the write
        problem = basis_problem(plan, checks, basis, reason,
                                role=acting_role(store).value)  # the server's, once enrolled
        if problem is not None:
            log.info("meeting material refused (%d cases)", len(plan.case_ids))
            raise DisclosureRefused(problem, checks)
        basis = LegalBasis(basis)
        material = meeting_material(store, plan, basis, reason, produced_at, wareki=wareki)
        data = render(material)
        disclosure_id = store.record_disclosure(
            case_ids=list(plan.case_ids), meeting_kind=plan.kind, meeting_date=plan.held_on,
            basis=basis, reason=reason.strip() or None, agencies=list(plan.agencies),
            output=output, produced_at=produced_at,
            digest=hashlib.sha256(data).hexdigest())
    log.info("meeting material produced for %d cases (basis %s)", len(plan.case_ids),
             basis.value)
    return Disclosed(disclosure_id, data, material)


__all__ = ["MEETING_PDF", "Disclosed", "DisclosureRefused", "disclose_meeting_material"]


def record_held_meeting(
    store,
    plan: MeetingPlan,
    *,
    decisions: str,
    next_monitoring_date: date | None = None,
    today: date | None = None,
) -> str:
    """Record a held meeting of ``plan``, or refuse (:class:`DisclosureRefused`, nothing
    written). Like the material, the consent rule is applied again inside the write, so a
    withdrawal that arrived while the screen was still checking is never missed."""
    with store.batch():
        checks = check_meeting(store, plan)
        problem = record_problem(plan, checks, decisions, today or date.today())
        if problem is not None:
            log.info("meeting record refused (%d cases)", len(plan.case_ids))
            raise DisclosureRefused(problem, checks)
        return store.record_meeting(
            kind=plan.kind, held_on=plan.held_on, attendees=list(plan.agencies),
            case_ids=list(plan.case_ids), decisions=decisions,
            next_monitoring_date=next_monitoring_date)
