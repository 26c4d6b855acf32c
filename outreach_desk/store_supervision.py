"""The supervision part of the store's public API (mixed into the ``Store``): comments
(スーパービジョン), plan approval (決裁) and field safety (外出・帰所予定). The rules live in
:mod:`~outreach_desk.comments`, :mod:`~outreach_desk.approvals` and
:mod:`~outreach_desk.field_safety`; these methods are the one way the UI reaches them.
"""

from __future__ import annotations

from datetime import date, datetime

from . import approvals, field_safety, roles
from . import comments as comment_rules
from .vocab import Role


class SupervisionAPI:
    def now(self) -> datetime:
        """This laptop's time (the store's wall clock), with its zone."""
        return datetime.fromtimestamp(self._wall() / 1000).astimezone()

    def acting_role(self) -> Role:
        return roles.acting_role(self)

    def may_supervise(self) -> bool:
        return roles.may_supervise(self)

    # -- comments -----------------------------------------------------------------------------

    def add_comment(self, target_kind: str, target_id: str, text: str) -> str:
        """スーパービジョン: a supervisor's comment on a visit, note or plan."""
        return comment_rules.add_comment(self, target_kind, target_id, text)

    def mark_comment_read(self, comment_id: str) -> bool:
        return comment_rules.mark_read(self, comment_id)

    def comments(self, case_id: str) -> list[comment_rules.Comment]:
        return comment_rules.comments_of_case(self.db, case_id)

    def unread_comments(self, worker_id: str | None = None) -> list[comment_rules.Comment]:
        """Unread comments on the cases of ``worker_id`` (this replica's worker by default)."""
        return comment_rules.unread_comments(self.db, worker_id or self.author)

    # -- plan approval ------------------------------------------------------------------------

    def approve_plan(self, plan_id: str, note: str | None = None) -> str:
        return approvals.approve_plan(self, plan_id, note=note)

    def plan_status(self, plan_id: str) -> approvals.PlanStatus:
        return approvals.plan_status(self, plan_id)

    def current_plan(self, case_id: str) -> approvals.CurrentPlan | None:
        """The case's current plan: the newest approved version (None: none approved)."""
        return approvals.current_plan(self, case_id)

    # -- field safety -------------------------------------------------------------------------

    def plan_outing(self, case_ids: list[str], expected_return: datetime) -> str:
        return field_safety.plan_outing(self, case_ids, expected_return)

    def check_in(self) -> str | None:
        return field_safety.check_in(self)

    def field_checkin(self, day: date | None = None) -> field_safety.FieldCheckin | None:
        """This worker's check-in for ``day`` (today by default)."""
        return field_safety.checkin_of(self.db, self.author, day or self.now().date())

    def overdue_returns(self, now: datetime | None = None,
                        team_id: str | None = None) -> list[field_safety.FieldAlert]:
        return field_safety.overdue_returns(self.db, now or self.now(), team_id)


__all__ = ["SupervisionAPI"]
