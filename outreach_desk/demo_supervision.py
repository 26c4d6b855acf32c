"""Supervision in the demo data: the demo's supervisor (スーパーバイザー) has approved (決裁) some
of the support plans and left comments on the latest visits of the demo user's cases (the first
worker by name, as ``demo.work_as_first_worker`` chooses), so the コメント list, the 決裁 states
and the current plan have something to show. All fictional, like the rest of the demo.
"""

from __future__ import annotations

import random

from .vocab import Role

COMMENTS = (
    "本人の言葉をそのまま記録できていて、とても良いです。",
    "次回は家族の体調についても、さりげなく聞いてみてください。",
    "置き手紙の文面を、次の定例会議で一度見せてください。",
    "関係の段階をよく見極めています。焦らず今のペースで。",
)
APPROVED_SHARE = 0.6


def supervise(store, seed: int) -> dict[str, int]:
    """Approve about 60 % of the plans and comment on a few visits, as the demo's supervisor.
    Returns how many approvals and comments were written."""
    rng = random.Random(f"supervision:{seed}")
    workers = sorted(store.list_entities("worker"), key=lambda w: w["name"] or "")
    supervisor = next((w for w in workers if w["role"] == Role.SUPERVISOR.value), None)
    if supervisor is None or not workers:
        return {"approvals": 0, "comments": 0}
    store.set_author(supervisor.id)
    approvals = comments = 0
    with store.batch():
        for plan in store.list_entities("plan"):
            if rng.random() < APPROVED_SHARE:
                store.approve_plan(plan.id)
                approvals += 1
        user = workers[0].id
        rows = sorted((row for row in store.caseload() if row.worker_id == user
                       and row.last_visit_at), key=lambda row: row.last_visit_at)[-3:]
        visits = [visit for row in rows for visit in store.visits(row.case_id)[:3]]
        visits.sort(key=lambda visit: visit.effective["occurred_at"], reverse=True)
        for visit, text in zip(visits, COMMENTS[:3], strict=False):  # the latest three
            store.add_comment("visit", visit.id, text)
            comments += 1
    return {"approvals": approvals, "comments": comments}


__all__ = ["supervise"]
