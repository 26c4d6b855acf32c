"""Reading the immutable records back: visits with their amendments, and consent events."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from .database import chunks, marks
from .merge import ConsentOp, Op, case_follow_up, consent_state, effective_visit
from .model import ConsentState, Visit
from .vocab import ConsentAction, met_with_set

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
    "companion_workers",
    "companion_agencies",
    "place",
    "duration_minutes",
    "late_entry_confirmed",
)
LIST_COLUMNS = ("companion_workers", "companion_agencies")  # JSON text in the visits table
V1_VISIT_COLUMNS = VISIT_COLUMNS[:9]  # what the visits table held before migration 11


def _select_visits(columns: Sequence[str]) -> str:
    return f"SELECT id, author, hlc, {', '.join(columns)} FROM visits"


def _amendments_by_visit(db, visit_ids: list[str]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {visit_id: [] for visit_id in visit_ids}
    for chunk in chunks(visit_ids):
        for row in db.execute(
            "SELECT id, visit_id, changes, reason, ctx, author, hlc, site "
            f"FROM visit_amendments WHERE visit_id IN ({marks(chunk)}) ORDER BY hlc, site",
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


def visit_values(values: dict) -> dict:
    """A visit's values in today's shape, whatever shape it was written in: 会えた人 as a list of
    codes (a visit written before the set holds one code), lists decoded, the flag a bool."""
    values = dict(values)
    if "met_with" in values:
        values["met_with"] = [member.value for member in met_with_set(values["met_with"])]
    for name in LIST_COLUMNS:
        if isinstance(values.get(name), str):
            values[name] = json.loads(values[name])
    if values.get("late_entry_confirmed") is not None:  # NULL: not said (most visits)
        values["late_entry_confirmed"] = bool(values["late_entry_confirmed"])
    return values


def _visit(row, amendments: list[dict], columns: Sequence[str] = VISIT_COLUMNS) -> Visit:
    visit_id, author, hlc, *values = row
    original = visit_values(dict(zip(columns, values, strict=True)))
    ops = [
        Op(a["id"], frozenset(a["ctx"]), a["hlc"], a["site"], a["changes"], a["author"])
        for a in amendments
    ]
    effective, conflicts = effective_visit(original, ops)
    return Visit(visit_id, original, visit_values(effective), author, hlc, tuple(amendments),
                 conflicts)


def sort_key(visit: Visit) -> tuple[datetime, int, str]:
    # the id breaks ties between sites, so every replica orders visits the same way
    return datetime.fromisoformat(visit.effective["occurred_at"]), visit.recorded_hlc, visit.id


def load_visits(db, *, case_id: str | None = None, visit_id: str | None = None,
                visit_ids: Sequence[str] | None = None,
                columns: Sequence[str] = VISIT_COLUMNS) -> list[Visit]:
    """Visits of a case (or one visit, or the visits of ``visit_ids`` that exist), newest first
    by effective date and time. A migration that runs before the later columns exist names
    the ``columns`` of its version (``V1_VISIT_COLUMNS``)."""
    _SELECT_VISITS = _select_visits(columns)
    if visit_ids is not None:
        rows = [row for chunk in chunks(visit_ids)
                for row in db.execute(f"{_SELECT_VISITS} WHERE id IN ({marks(chunk)})", chunk)]
    elif visit_id is not None:
        rows = db.execute(f"{_SELECT_VISITS} WHERE id = ?", (visit_id,)).fetchall()
    else:
        rows = db.execute(f"{_SELECT_VISITS} WHERE case_id = ?", (case_id,)).fetchall()
    amendments = _amendments_by_visit(db, [row[0] for row in rows])
    visits = [_visit(row, amendments[row[0]], columns) for row in rows]
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


def index_visit_order(db, *visits: Visit) -> None:
    """Record where each visit sorts among its case's visits (see ``sort_key``)."""
    rows = []
    for visit in visits:
        at = datetime.fromisoformat(visit.effective["occurred_at"]).astimezone(UTC)
        rows.append((visit.id, visit.effective["case_id"], at.strftime("%Y-%m-%dT%H:%M:%S.%f"),
                     visit.recorded_hlc))
    db.executemany(
        "INSERT INTO visit_order (visit_id, case_id, at_utc, hlc) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (visit_id) DO UPDATE SET case_id = excluded.case_id, "
        "at_utc = excluded.at_utc, hlc = excluded.hlc",
        rows,
    )


def _summary_row(case_id: str, visits: list[Visit]) -> tuple:
    latest = visits[0].effective if visits else {}
    previous = visits[1].effective if len(visits) > 1 else {}
    return (latest.get("occurred_at"), latest.get("next_action"), latest.get("next_action_due"),
            latest.get("relationship_stage"), previous.get("relationship_stage"), case_id)


_UPDATE_SUMMARY = (
    "UPDATE cases SET last_visit_at = ?, next_action = ?, next_action_due = ?, "
    "relationship_stage = ?, relationship_prev = ? WHERE id = ?"
)


def refresh_case_summary(db, case_id: str, *, visits: list[Visit] | None = None) -> None:
    """Copy the latest visit's effective values onto the case row (for the caseload).

    ``visits`` (newest first) may be given by a migration that runs before ``visit_order``
    exists; otherwise only the two newest visits are read.
    """
    if visits is None:
        refresh_case_summaries(db, [case_id])
        return
    db.execute(_UPDATE_SUMMARY, _summary_row(case_id, visits))


def refresh_case_summaries(db, case_ids: Sequence[str]) -> None:
    """:func:`refresh_case_summary` for many cases at once: one read of the two newest visits
    per case (``visit_order``, newest first), of the case's next-action register and of its
    newest visit of the old shape (:func:`~outreach_desk.merge.case_follow_up`), one read of
    those visits, one batched update."""
    newest: dict[str, list[str]] = {}
    registers: dict[str, tuple[dict | None, int | None, str | None]] = {}
    for chunk in chunks(case_ids):
        for case_id, ids, follow_up, register_hlc, legacy_id in db.execute(
            "SELECT j.value, (SELECT json_group_array(visit_id) FROM (SELECT visit_id "
            "FROM visit_order WHERE case_id = j.value "
            "ORDER BY at_utc DESC, hlc DESC, visit_id DESC LIMIT 2)), "
            "(SELECT follow_up FROM cases WHERE id = j.value), "
            "(SELECT MAX(hlc) FROM changes WHERE entity = 'case' AND entity_id = j.value "
            " AND field = 'follow_up'), "
            "(SELECT o.visit_id FROM visit_order o JOIN visits v ON v.id = o.visit_id "
            " WHERE o.case_id = j.value AND v.met_with NOT LIKE '[%' "
            " ORDER BY o.at_utc DESC, o.hlc DESC, o.visit_id DESC LIMIT 1) "
            "FROM json_each(?) AS j", (json.dumps(list(chunk)),)
        ):
            newest[case_id] = json.loads(ids)
            registers[case_id] = (json.loads(follow_up) if follow_up else None, register_hlc,
                                  legacy_id)
    wanted = {visit_id for ids in newest.values() for visit_id in ids}
    wanted.update(legacy for _, _, legacy in registers.values() if legacy)
    found = {visit.id: visit for visit in load_visits(db, visit_ids=sorted(wanted))}
    rows = []
    for case_id, ids in newest.items():
        visits = sorted((found[i] for i in ids if i in found), key=sort_key, reverse=True)
        register, register_hlc, legacy_id = registers[case_id]
        legacy = found.get(legacy_id) if legacy_id else None
        action, due = case_follow_up(
            register if isinstance(register, dict) else None, register_hlc,
            legacy.effective if legacy else None, legacy.recorded_hlc if legacy else None)
        row = _summary_row(case_id, visits)
        rows.append((row[0], action, due, *row[3:]))
    db.executemany(_UPDATE_SUMMARY, rows)


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


DISCLOSURE_COLUMNS = ("id", "case_ids", "meeting_kind", "meeting_date", "basis", "reason",
                      "agencies", "output", "produced_at", "produced_by", "digest", "author",
                      "hlc", "site")


def disclosure_row(record_id: str, value: dict, author: str, hlc: int, site: str) -> tuple:
    """A disclosure record as a row of ``disclosures`` (columns ``DISCLOSURE_COLUMNS``)."""
    dump = lambda v: json.dumps(v or [], ensure_ascii=False)  # noqa: E731
    return (record_id, dump(value.get("case_ids")), value["meeting_kind"],
            value["meeting_date"], value["basis"], value.get("reason"),
            dump(value.get("agencies")), value["output"], value["produced_at"],
            value["produced_by"], value.get("digest"), author, hlc, site)


def load_disclosures(db, case_id: str | None = None) -> list[dict]:
    """Disclosure records, newest first (only those naming ``case_id`` when given)."""
    rows = db.execute(f"SELECT {', '.join(DISCLOSURE_COLUMNS)} FROM disclosures "
                      "ORDER BY produced_at DESC, hlc DESC").fetchall()
    found = []
    for row in rows:
        record = dict(zip(DISCLOSURE_COLUMNS, row, strict=True))
        record["case_ids"] = json.loads(record["case_ids"])
        record["agencies"] = json.loads(record["agencies"])
        if case_id is None or case_id in record["case_ids"]:
            found.append(record)
    return found
