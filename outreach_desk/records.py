"""Reading the immutable records back: visits with their amendments, and consent events."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from .merge import ConsentOp, Op, consent_state, effective_visit
from .model import ConsentState, Visit
from .vocab import ConsentAction

VISIT_COLUMNS = (
    "case_id",
    "occurred_at",
    "kind",
    "met_with",
    "narrative",
    "reaction",
    "relationship_stage",
    "next_action",
    "next_action_due",
)
_SELECT_VISITS = f"SELECT id, author, hlc, {', '.join(VISIT_COLUMNS)} FROM visits"


def _amendments_by_visit(db, visit_ids: list[str]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {visit_id: [] for visit_id in visit_ids}
    for start in range(0, len(visit_ids), 500):
        chunk = visit_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
            "SELECT id, visit_id, changes, reason, ctx, author, hlc, site "
            f"FROM visit_amendments WHERE visit_id IN ({marks}) ORDER BY hlc, site",
            chunk,
        ):
            found[row[1]].append(
                {
                    "id": row[0],
                    "changes": json.loads(row[2]),
                    "reason": row[3],
                    "ctx": json.loads(row[4]),
                    "author": row[5],
                    "hlc": row[6],
                    "site": row[7],
                }
            )
    return found


def _visit(row, amendments: list[dict]) -> Visit:
    visit_id, author, hlc, *values = row
    original = dict(zip(VISIT_COLUMNS, values, strict=True))
    ops = [
        Op(a["id"], frozenset(a["ctx"]), a["hlc"], a["site"], a["changes"], a["author"])
        for a in amendments
    ]
    effective, conflicts = effective_visit(original, ops)
    return Visit(visit_id, original, effective, author, hlc, tuple(amendments), conflicts)


def sort_key(visit: Visit) -> tuple[datetime, int, str]:
    # the id breaks ties between sites, so every replica orders visits the same way
    return datetime.fromisoformat(visit.effective["occurred_at"]), visit.recorded_hlc, visit.id


def load_visits(db, *, case_id: str | None = None, visit_id: str | None = None) -> list[Visit]:
    """Visits of a case (or one visit), newest first by effective date and time."""
    if visit_id is not None:
        rows = db.execute(f"{_SELECT_VISITS} WHERE id = ?", (visit_id,)).fetchall()
    else:
        rows = db.execute(f"{_SELECT_VISITS} WHERE case_id = ?", (case_id,)).fetchall()
    amendments = _amendments_by_visit(db, [row[0] for row in rows])
    visits = [_visit(row, amendments[row[0]]) for row in rows]
    return sorted(visits, key=sort_key, reverse=True)


def load_consent_ops(db, person_id: str) -> list[ConsentOp]:
    return [
        ConsentOp(row[0], ConsentAction(row[1]), frozenset(json.loads(row[2])),
                  frozenset(json.loads(row[3])))
        for row in db.execute(
            "SELECT id, action, agencies, ctx FROM consent_events WHERE person_id = ?",
            (person_id,),
        )
    ]


def index_visit_order(db, visit: Visit) -> None:
    """Record where ``visit`` sorts among its case's visits (see ``sort_key``)."""
    at = datetime.fromisoformat(visit.effective["occurred_at"]).astimezone(UTC)
    db.execute(
        "INSERT INTO visit_order (visit_id, case_id, at_utc, hlc) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (visit_id) DO UPDATE SET case_id = excluded.case_id, "
        "at_utc = excluded.at_utc, hlc = excluded.hlc",
        (visit.id, visit.effective["case_id"], at.strftime("%Y-%m-%dT%H:%M:%S.%f"),
         visit.recorded_hlc),
    )


def latest_visits(db, case_id: str, n: int) -> list[Visit]:
    """The ``n`` newest visits of a case, newest first, reading only those."""
    ids = [row[0] for row in db.execute(
        "SELECT visit_id FROM visit_order WHERE case_id = ? "
        "ORDER BY at_utc DESC, hlc DESC, visit_id DESC LIMIT ?", (case_id, n))]
    found = [visit for visit_id in ids for visit in load_visits(db, visit_id=visit_id)]
    return sorted(found, key=sort_key, reverse=True)


def refresh_case_summary(db, case_id: str, *, visits: list[Visit] | None = None) -> None:
    """Copy the latest visit's effective values onto the case row (for the caseload).

    ``visits`` (newest first) may be given by a migration that runs before ``visit_order``
    exists; otherwise only the two newest visits are read.
    """
    if visits is None:
        visits = latest_visits(db, case_id, 2)
    latest = visits[0].effective if visits else {}
    previous = visits[1].effective if len(visits) > 1 else {}
    db.execute(
        "UPDATE cases SET last_visit_at = ?, next_action = ?, next_action_due = ?, "
        "relationship_stage = ?, relationship_prev = ? WHERE id = ?",
        (
            latest.get("occurred_at"),
            latest.get("next_action"),
            latest.get("next_action_due"),
            latest.get("relationship_stage"),
            previous.get("relationship_stage"),
            case_id,
        ),
    )


def refresh_consent_summary(db, person_id: str) -> ConsentState:
    """Recompute a person's consent state from the event log and store its summary."""
    state = consent_state(load_consent_ops(db, person_id))
    db.execute(
        "INSERT INTO consent_summary (person_id, status, granted, flagged) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (person_id) DO UPDATE SET status = excluded.status, "
        "granted = excluded.granted, flagged = excluded.flagged",
        (person_id, state.status.value, json.dumps(sorted(state.granted)), len(state.flagged)),
    )
    return state
