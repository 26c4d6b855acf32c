"""The store's domain writes: teams, workers, agencies, households and people, cases and their
stages, notes, plans, meetings, and the records (visits and their amendments, consent,
disclosures).

A mixin of :class:`~outreach_desk.store.Store`, kept apart so the store stays readable; each
method validates its input and writes through the store's generic entity and record writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from .errors import ValidationError
from .ids import new_id
from .model import clean_amendment, clean_fields
from .records import load_consent_ops, load_disclosures, load_visits
from .visit_dates import visit_date_problem
from .vocab import CaseStage, ConsentAction, Role


class DomainWritesMixin:
    """The writes of each kind of record (see the module's note)."""

    def add_team(self, name: str) -> str:
        return self.create_entity("team", {"name": name})

    def add_worker(self, name: str, *, team_id: str | None = None, role: Role = Role.WORKER) -> str:
        return self.create_entity("worker", {"name": name, "team_id": team_id, "role": role})

    def add_agency(self, name: str, kind: str | None = None) -> str:
        return self.create_entity("agency", {"name": name, "kind": kind})

    def create_household(self, name: str, district: str, address_note: str | None = None) -> str:
        return self.create_entity(
            "household", {"name": name, "district": district, "address_note": address_note}
        )

    def add_person(
        self,
        name: str,
        kana: str,
        district: str,
        *,
        household_id: str | None = None,
        birth_year: int | None = None,
    ) -> str:
        return self.create_entity(
            "person",
            {"name": name, "kana": kana, "district": district,
             "household_id": household_id, "birth_year": birth_year},
        )

    def open_case(
        self,
        *,
        referral_source: Any,
        district: str,
        person_id: str | None = None,
        household_id: str | None = None,
        opened_on: date | str | None = None,
        referral_note: str | None = None,
        team_id: str | None = None,
        worker_id: str | None = None,
    ) -> str:
        """Open a case at 把握 (identified), dated ``opened_on`` (today by default)."""
        opened_on = opened_on or date.today()
        return self.create_entity(
            "case",
            {
                "person_id": person_id, "household_id": household_id, "team_id": team_id,
                "worker_id": worker_id, "referral_source": referral_source,
                "referral_note": referral_note, "district": district, "opened_on": opened_on,
                "stage": {"stage": CaseStage.IDENTIFIED, "date": opened_on, "reason": ""},
            },
        )

    def change_case_stage(
        self, case_id: str, stage: Any, *, on: date | str | None = None, reason: str = ""
    ) -> None:
        value = {"stage": stage, "date": on or date.today(), "reason": reason}
        self.update("case", case_id, {"stage": value})

    def add_note(self, case_id: str, text: str) -> str:
        """A new 関係づくりメモ on a case."""
        return self.create_entity("note", {"case_id": case_id, "text": text})

    def revise_note(self, note_id: str, text: str) -> None:
        """A new revision that supersedes the revisions this replica sees."""
        self.update("note", note_id, {"text": text})

    def save_plan(
        self,
        case_id: str,
        *,
        goals: list[str],
        monitoring_date: date | str,
        roles: list[dict[str, str]] | None = None,
        plan_id: str | None = None,
    ) -> str:
        values = {"case_id": case_id, "goals": goals, "roles": roles or [],
                  "monitoring_date": monitoring_date}
        if plan_id is None:
            return self.create_entity("plan", values)
        self.update("plan", plan_id, values)
        return plan_id

    def record_meeting(
        self,
        *,
        kind: Any,
        held_on: date | str,
        attendees: list[str],
        case_ids: list[str],
        decisions: str = "",
        next_monitoring_date: date | str | None = None,
    ) -> str:
        return self.create_entity(
            "meeting",
            {"kind": kind, "held_on": held_on, "attendees": attendees, "case_ids": case_ids,
             "decisions": decisions, "next_monitoring_date": next_monitoring_date},
        )

    def record_visit(self, case_id: str, **fields: Any) -> str:
        """Write a 訪問・連絡記録. It can never be edited or deleted afterwards, only amended."""
        cleaned = clean_fields("visit", {"case_id": case_id, **fields}, complete=True)
        self._check_refs("visit", cleaned)
        problem = visit_date_problem(self.db, cleaned)
        if problem is not None:
            raise problem
        visit_id = new_id()

        def write() -> None:
            self.engine.write_record("visit", visit_id, cleaned)
            if cleaned.get("next_action"):  # the case's next action, replaced; else kept
                self.engine.write_fields("case", case_id, {"follow_up": {
                    "action": cleaned["next_action"], "due": cleaned.get("next_action_due"),
                    "done_on": None}}, new=False)

        self._write(write)
        return visit_id

    def set_follow_up(self, case_id: str, action: str, due: date | str | None = None) -> None:
        """Replace the case's next action (次回の予定) and its due date."""
        self.update("case", case_id, {"follow_up": {"action": action, "due": due}})

    def complete_follow_up(self, case_id: str, *, on: date | str | None = None) -> None:
        """完了: the case's next action was done; the case has no next action until one is set."""
        self._require("case", case_id)
        action, due = self.db.execute(
            "SELECT next_action, next_action_due FROM cases WHERE id = ?", (case_id,)).fetchone()
        if not action:
            raise ValidationError("follow_up", "required", "the case has no next action to mark")
        self.update("case", case_id, {"follow_up": {
            "action": action, "due": due, "done_on": on or date.today()}})

    def clear_follow_up(self, case_id: str) -> None:
        """Clear the case's next action on purpose (no next action planned)."""
        self.update("case", case_id, {"follow_up": {"action": None, "due": None}})

    def amend_visit(self, visit_id: str, changes: dict[str, Any], reason: str) -> str:
        """A correction (訂正) that keeps the original visit as written."""
        self._require("visit", visit_id)
        cleaned = clean_fields(
            "visit_amendment",
            {"visit_id": visit_id, "changes": clean_amendment(changes), "reason": reason},
            complete=True,
        )
        changed = cleaned["changes"]
        effective = load_visits(self.db, visit_id=visit_id)[0].effective
        if {"occurred_at", "late_entry_confirmed"} & set(changed):
            problem = visit_date_problem(self.db, {**effective, **changed})
            if problem is not None:
                raise problem
        follow_up = None
        if {"next_action", "next_action_due"} & set(changed):
            # correcting the visit that set the case's next action corrects the case's too
            shown = self.db.execute("SELECT next_action, next_action_due FROM cases WHERE id = ?",
                                    (effective["case_id"],)).fetchone()
            corrected = {**effective, **changed}
            if shown == (effective.get("next_action"), effective.get("next_action_due")) \
                    and corrected.get("next_action"):
                follow_up = {"action": corrected["next_action"],
                             "due": corrected.get("next_action_due"), "done_on": None}
        seen = [row[0] for row in self.db.execute(
            "SELECT id FROM visit_amendments WHERE visit_id = ?", (visit_id,))]
        amendment_id = new_id()

        def write() -> None:
            self.engine.write_record("visit_amendment", amendment_id, cleaned, seen)
            if follow_up is not None:
                self.engine.write_fields("case", effective["case_id"], {"follow_up": follow_up},
                                         new=False)

        self._write(write)
        return amendment_id

    def record_consent(self, person_id: str, *, agencies: Iterable[str], **fields: Any) -> str:
        """同意: the person agreed their information may go to ``agencies``."""
        return self._consent(person_id, ConsentAction.GRANT, list(agencies), fields)

    def record_withdrawal(
        self, person_id: str, *, agencies: Iterable[str] = (), **fields: Any
    ) -> str:
        """撤回: withdraw consent for ``agencies`` (none named = every agency)."""
        return self._consent(person_id, ConsentAction.WITHDRAW, list(agencies), fields)

    def _consent(self, person_id: str, action: ConsentAction, agencies: list[str], fields) -> str:
        fields.setdefault("given_on", date.today())
        fields.setdefault("recorded_by", self.author)
        cleaned = clean_fields(
            "consent_event",
            {"person_id": person_id, "action": action, "agencies": agencies, **fields},
            complete=True,
        )
        self._check_refs("consent_event", {k: v for k, v in cleaned.items() if k != "recorded_by"})
        ops = load_consent_ops(self.db, person_id)
        seen = {op.id for op in ops}.union(*(op.ctx for op in ops))
        event_id = new_id()
        self._write(lambda: self.engine.write_record("consent_event", event_id, cleaned, seen))
        return event_id

    def record_disclosure(self, **fields: Any) -> str:
        """提供の記録: case information left the app, on a legal basis. Immutable. Called by
        :func:`outreach_desk.disclosure.disclose_meeting_material` inside the transaction that
        decides the output; ``produced_at``/``produced_by`` default to now and this worker."""
        fields.setdefault("produced_at", datetime.now().astimezone())
        fields.setdefault("produced_by", self.author)
        cleaned = clean_fields("disclosure", fields, complete=True)
        self._check_refs("disclosure", cleaned)
        record_id = new_id()
        self._write(lambda: self.engine.write_record("disclosure", record_id, cleaned))
        return record_id

    def disclosures(self, case_id: str | None = None) -> list[dict[str, Any]]:
        """Disclosure records, newest first (those naming ``case_id`` when given)."""
        return load_disclosures(self.db, case_id)
