"""Numbered, forward-only schema migrations, tracked in ``PRAGMA user_version``.

Each migration runs inside one transaction together with the ``user_version`` bump, so a crash
leaves the database at the previous version, never half-way. The store backs the file up before
migrating and refuses a file written by a newer version. Never edit a released migration: add a
new one. ``tests/test_migrations.py`` builds a database at every earlier version, with data, and
upgrades it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- The change log: every change this replica knows, local or remote. Source of truth.
CREATE TABLE changes (
    site TEXT NOT NULL, seq INTEGER NOT NULL, hlc INTEGER NOT NULL,
    entity TEXT NOT NULL, entity_id TEXT NOT NULL, field TEXT NOT NULL,
    value TEXT NOT NULL, ctx TEXT NOT NULL, author TEXT NOT NULL, schema INTEGER NOT NULL,
    extra TEXT, received_at INTEGER NOT NULL,
    PRIMARY KEY (site, seq)
) WITHOUT ROWID;
CREATE INDEX changes_by_entity ON changes (entity, entity_id, field);

-- Local changes not yet acknowledged by the server.
CREATE TABLE outbox (
    site TEXT NOT NULL, seq INTEGER NOT NULL,
    PRIMARY KEY (site, seq),
    FOREIGN KEY (site, seq) REFERENCES changes (site, seq) ON DELETE RESTRICT
) WITHOUT ROWID;

-- Remote changes held aside (e.g. clock implausibly far ahead): not applied, not lost.
CREATE TABLE held_changes (
    site TEXT NOT NULL, seq INTEGER NOT NULL, wire TEXT NOT NULL,
    reason TEXT NOT NULL, held_at INTEGER NOT NULL,
    PRIMARY KEY (site, seq)
) WITHOUT ROWID;

CREATE TABLE open_conflicts (
    entity TEXT NOT NULL, entity_id TEXT NOT NULL, field TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
) WITHOUT ROWID;

-- Materialised current state of mutable entities (derived from the change log).
CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, updated_hlc INTEGER NOT NULL DEFAULT 0);
CREATE TABLE workers (id TEXT PRIMARY KEY, name TEXT, team_id TEXT, role TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, updated_hlc INTEGER NOT NULL DEFAULT 0);
CREATE TABLE agencies (id TEXT PRIMARY KEY, name TEXT, kind TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, updated_hlc INTEGER NOT NULL DEFAULT 0);
CREATE TABLE households (id TEXT PRIMARY KEY, name TEXT, district TEXT, address_note TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, updated_hlc INTEGER NOT NULL DEFAULT 0);
CREATE TABLE persons (id TEXT PRIMARY KEY, household_id TEXT, name TEXT, kana TEXT,
    birth_year INTEGER, district TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, updated_hlc INTEGER NOT NULL DEFAULT 0);
CREATE INDEX persons_by_household ON persons (household_id);
CREATE TABLE cases (id TEXT PRIMARY KEY, person_id TEXT, household_id TEXT, team_id TEXT,
    worker_id TEXT, referral_source TEXT, referral_note TEXT, district TEXT, stage TEXT,
    opened_on TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, updated_hlc INTEGER NOT NULL DEFAULT 0);
CREATE INDEX cases_by_person ON cases (person_id);
CREATE TABLE notes (id TEXT PRIMARY KEY, case_id TEXT, text TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, updated_hlc INTEGER NOT NULL DEFAULT 0);
CREATE INDEX notes_by_case ON notes (case_id);
CREATE TABLE plans (id TEXT PRIMARY KEY, case_id TEXT, goals TEXT, roles TEXT,
    monitoring_date TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, updated_hlc INTEGER NOT NULL DEFAULT 0);
CREATE INDEX plans_by_case ON plans (case_id);
CREATE TABLE meetings (id TEXT PRIMARY KEY, kind TEXT, held_on TEXT, attendees TEXT,
    case_ids TEXT, decisions TEXT, next_monitoring_date TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, updated_hlc INTEGER NOT NULL DEFAULT 0);

-- Immutable records, stored as first written (amendments never change these rows).
CREATE TABLE visits (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, occurred_at TEXT NOT NULL,
    kind TEXT NOT NULL, met_with TEXT NOT NULL, narrative TEXT, reaction TEXT,
    relationship_stage TEXT NOT NULL, next_action TEXT, next_action_due TEXT,
    author TEXT NOT NULL, hlc INTEGER NOT NULL, site TEXT NOT NULL);
CREATE INDEX visits_by_case ON visits (case_id, occurred_at);
CREATE TABLE visit_amendments (id TEXT PRIMARY KEY, visit_id TEXT NOT NULL,
    changes TEXT NOT NULL, reason TEXT NOT NULL, ctx TEXT NOT NULL,
    author TEXT NOT NULL, hlc INTEGER NOT NULL, site TEXT NOT NULL);
CREATE INDEX amendments_by_visit ON visit_amendments (visit_id);
CREATE TABLE consent_events (id TEXT PRIMARY KEY, person_id TEXT NOT NULL,
    action TEXT NOT NULL, agencies TEXT NOT NULL, method TEXT NOT NULL, given_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL, note TEXT, ctx TEXT NOT NULL,
    author TEXT NOT NULL, hlc INTEGER NOT NULL, site TEXT NOT NULL);
CREATE INDEX consent_by_person ON consent_events (person_id);
"""

V2_SEARCH = """
-- Japanese full-text search: one document per record, text folded (see search.fold).
CREATE TABLE search_docs (
    id INTEGER PRIMARY KEY, entity TEXT NOT NULL, entity_id TEXT NOT NULL, folded TEXT NOT NULL,
    UNIQUE (entity, entity_id)
);
CREATE VIRTUAL TABLE search_fts USING fts5(
    folded, content='search_docs', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, folded) VALUES (new.id, new.folded);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, folded) VALUES ('delete', old.id, old.folded);
END;
CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, folded) VALUES ('delete', old.id, old.folded);
    INSERT INTO search_fts (rowid, folded) VALUES (new.id, new.folded);
END;
"""

V3_CASE_SUMMARY = """
-- What the caseload shows without reading every visit: the latest visit's effective values.
ALTER TABLE cases ADD COLUMN last_visit_at TEXT;
ALTER TABLE cases ADD COLUMN next_action TEXT;
ALTER TABLE cases ADD COLUMN next_action_due TEXT;
ALTER TABLE cases ADD COLUMN relationship_stage TEXT;
CREATE INDEX cases_by_due ON cases (next_action_due);
"""


V4_GUARDS = """
-- Official records and the change log are append-only, enforced by the database itself:
-- no cleanup, reset or re-sync path can edit or drop a visit, an amendment or a consent event
-- (a withdrawal of consent above all).
CREATE TRIGGER visits_are_never_changed BEFORE UPDATE ON visits BEGIN
    SELECT RAISE(ABORT, 'visits are official records: amend them instead');
END;
CREATE TRIGGER visits_are_never_deleted BEFORE DELETE ON visits BEGIN
    SELECT RAISE(ABORT, 'visits are official records and are never deleted');
END;
CREATE TRIGGER amendments_are_never_changed BEFORE UPDATE ON visit_amendments BEGIN
    SELECT RAISE(ABORT, 'amendments are never changed');
END;
CREATE TRIGGER amendments_are_never_deleted BEFORE DELETE ON visit_amendments BEGIN
    SELECT RAISE(ABORT, 'amendments are never deleted');
END;
CREATE TRIGGER consent_events_are_never_changed BEFORE UPDATE ON consent_events BEGIN
    SELECT RAISE(ABORT, 'consent events are never changed');
END;
CREATE TRIGGER consent_events_are_never_deleted BEFORE DELETE ON consent_events BEGIN
    SELECT RAISE(ABORT, 'consent events (withdrawals above all) are never deleted');
END;
CREATE TRIGGER changes_are_never_changed BEFORE UPDATE ON changes BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;
CREATE TRIGGER changes_are_never_deleted BEFORE DELETE ON changes BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;
"""

V5_CLIENT = """
-- Local only, never synced: what a worker typed into a form that was not saved yet (a visit
-- being written when the store locked or the app crashed). Encrypted like everything else.
CREATE TABLE drafts (key TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL,
    updated_at INTEGER NOT NULL);

-- 名寄せ keys of each person (see matching.py), to find a person before entering them twice.
CREATE TABLE person_keys (person_id TEXT PRIMARY KEY, kana_key TEXT NOT NULL,
    family_key TEXT NOT NULL, name_key TEXT NOT NULL);
CREATE INDEX person_keys_by_kana ON person_keys (kana_key);
CREATE INDEX person_keys_by_family ON person_keys (family_key);
CREATE INDEX person_keys_by_name ON person_keys (name_key);

-- Derived consent status per person, so the caseload shows its badge without replaying logs.
CREATE TABLE consent_summary (person_id TEXT PRIMARY KEY, status TEXT NOT NULL,
    granted TEXT NOT NULL, flagged INTEGER NOT NULL);

-- The relationship stage of the visit before the latest one: the caseload's trend arrow.
ALTER TABLE cases ADD COLUMN relationship_prev TEXT;
CREATE INDEX cases_by_last_visit ON cases (last_visit_at);
"""

V6_SEARCH_GRAMS = """
-- One- and two-character search (trigrams cannot index them; 2-kanji family names are the most
-- common query): per search document (rowid = search_docs.id), the distinct characters and
-- character pairs of its folded text as ASCII words, e.g. '3042 3042x3044' (search.grams).
-- Contentless, so the text is not stored a second time; kept in step by search.index_document.
CREATE VIRTUAL TABLE search_grams USING fts5(
    grams, content='', contentless_delete=1, detail=none, tokenize='ascii'
);
"""

V7_ORDER_AND_LINKS = """
-- Each visit's effective time in UTC (an amendment may move it) in the order every replica shows
-- visits (records.sort_key), so the latest visits of a case are found without reading them all.
CREATE TABLE visit_order (visit_id TEXT PRIMARY KEY, case_id TEXT NOT NULL,
    at_utc TEXT NOT NULL, hlc INTEGER NOT NULL);
CREATE INDEX visit_order_by_case ON visit_order (case_id, at_utc, hlc, visit_id);

-- Which meetings discuss which case (meetings.case_ids as rows), kept by the engine.
CREATE TABLE meeting_cases (case_id TEXT NOT NULL, meeting_id TEXT NOT NULL,
    PRIMARY KEY (case_id, meeting_id)) WITHOUT ROWID;
CREATE INDEX meeting_cases_by_meeting ON meeting_cases (meeting_id);
"""

V9_SUPERVISION = """
-- Supervision comments (スーパービジョン) and field safety (外出・帰所予定): mutable entities.
CREATE TABLE comments (id TEXT PRIMARY KEY, case_id TEXT, target_kind TEXT, target_id TEXT,
    text TEXT, written_by TEXT, written_at TEXT, read_at TEXT, read_by TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, updated_hlc INTEGER NOT NULL DEFAULT 0);
CREATE INDEX comments_by_case ON comments (case_id);
CREATE INDEX comments_by_target ON comments (target_kind, target_id);
CREATE TABLE field_checkins (id TEXT PRIMARY KEY, worker_id TEXT, date TEXT, case_ids TEXT,
    expected_return TEXT, returned_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, updated_hlc INTEGER NOT NULL DEFAULT 0);
CREATE INDEX field_checkins_by_worker ON field_checkins (worker_id, date);

-- 決裁: approvals of support-plan versions, immutable like consent events. ``ctx`` holds the op
-- ids of every change of the plan the approver had seen (a later edit is not covered).
CREATE TABLE plan_approvals (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, plan_id TEXT NOT NULL,
    version TEXT NOT NULL, approved_by TEXT NOT NULL, approved_at TEXT NOT NULL, note TEXT,
    ctx TEXT NOT NULL, author TEXT NOT NULL, hlc INTEGER NOT NULL, site TEXT NOT NULL);
CREATE INDEX plan_approvals_by_plan ON plan_approvals (plan_id);
CREATE TRIGGER plan_approvals_are_never_changed BEFORE UPDATE ON plan_approvals BEGIN
    SELECT RAISE(ABORT, 'plan approvals are never changed');
END;
CREATE TRIGGER plan_approvals_are_never_deleted BEFORE DELETE ON plan_approvals BEGIN
    SELECT RAISE(ABORT, 'plan approvals are never deleted');
END;

-- A worker's latest change (the field-safety sign of life) without scanning the log.
CREATE INDEX changes_by_author ON changes (author, hlc);
"""


V8_DISCLOSURES = """
-- 提供の記録: every time case information left the app (meeting material), with its legal basis.
-- An official record like a visit: append-only, enforced by the database.
CREATE TABLE disclosures (id TEXT PRIMARY KEY, case_ids TEXT NOT NULL, meeting_kind TEXT NOT NULL,
    meeting_date TEXT NOT NULL, basis TEXT NOT NULL, reason TEXT, agencies TEXT NOT NULL,
    output TEXT NOT NULL, produced_at TEXT NOT NULL, produced_by TEXT NOT NULL, digest TEXT,
    author TEXT NOT NULL, hlc INTEGER NOT NULL, site TEXT NOT NULL);
CREATE INDEX disclosures_by_time ON disclosures (produced_at);
CREATE TRIGGER disclosures_are_never_changed BEFORE UPDATE ON disclosures BEGIN
    SELECT RAISE(ABORT, 'disclosures are official records and are never changed');
END;
CREATE TRIGGER disclosures_are_never_deleted BEFORE DELETE ON disclosures BEGIN
    SELECT RAISE(ABORT, 'disclosures are official records and are never deleted');
END;
"""


V10_REFUSED_AND_ACCESS = """
-- Local only, never synced: this device's changes the server stored as refused (outside the
-- worker's teams), kept with what they said so the worker can copy the text elsewhere.
-- ``dealt_at`` (ms): the worker marked it 確認済み.
CREATE TABLE refused_changes (site TEXT NOT NULL, seq INTEGER NOT NULL,
    entity TEXT NOT NULL, entity_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
    reason TEXT NOT NULL, refused_at INTEGER NOT NULL, dealt_at INTEGER,
    PRIMARY KEY (site, seq)) WITHOUT ROWID;

-- アクセス記録: a supervisor opened a case. Immutable records, like visits.
CREATE TABLE access_events (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, action TEXT NOT NULL,
    at TEXT NOT NULL, by_worker TEXT NOT NULL, author TEXT NOT NULL, hlc INTEGER NOT NULL,
    site TEXT NOT NULL);
CREATE INDEX access_events_by_case ON access_events (case_id);
CREATE TRIGGER access_events_are_never_changed BEFORE UPDATE ON access_events BEGIN
    SELECT RAISE(ABORT, 'access events are never changed');
END;
CREATE TRIGGER access_events_are_never_deleted BEFORE DELETE ON access_events BEGIN
    SELECT RAISE(ABORT, 'access events are never deleted');
END;
"""


def _v1(conn) -> None:
    conn.executescript_in_tx(V1_SCHEMA)


def _v2(conn) -> None:
    from .search import document_text, fold

    conn.executescript_in_tx(V2_SEARCH)
    for entity, table, columns in (
        ("household", "households", ("name", "address_note")),
        ("person", "persons", ("name", "kana")),
        ("case", "cases", ("referral_note",)),
        ("note", "notes", ("text",)),
        ("meeting", "meetings", ("decisions",)),
        ("visit", "visits", ("narrative", "reaction", "next_action")),
    ):
        extra = "" if entity == "visit" else " WHERE deleted = 0"
        rows = conn.execute(f"SELECT id, {', '.join(columns)} FROM {table}{extra}").fetchall()
        for row in rows:
            text = fold(document_text(row[1:]))
            if text:
                conn.execute(
                    "INSERT INTO search_docs (entity, entity_id, folded) VALUES (?, ?, ?)",
                    (entity, row[0], text),
                )


def _v3(conn) -> None:
    # Fills only the columns this version adds (today's refresh_case_summary writes later ones).
    from .records import V1_VISIT_COLUMNS, load_visits

    conn.executescript_in_tx(V3_CASE_SUMMARY)
    for (case_id,) in conn.execute("SELECT DISTINCT case_id FROM visits").fetchall():
        latest = load_visits(conn, case_id=case_id, columns=V1_VISIT_COLUMNS)[0].effective
        conn.execute(
            "UPDATE cases SET last_visit_at = ?, next_action = ?, next_action_due = ?, "
            "relationship_stage = ? WHERE id = ?",
            (latest.get("occurred_at"), latest.get("next_action"),
             latest.get("next_action_due"), latest.get("relationship_stage"), case_id),
        )


def _v4(conn) -> None:
    conn.executescript_in_tx(V4_GUARDS)


def _v5(conn) -> None:
    from .matching import index_person
    from .records import (
        V1_VISIT_COLUMNS,
        load_visits,
        refresh_case_summary,
        refresh_consent_summary,
    )

    conn.executescript_in_tx(V5_CLIENT)
    for pid, name, kana in conn.execute(
        "SELECT id, name, kana FROM persons WHERE deleted = 0"
    ).fetchall():
        index_person(conn, pid, {"name": name, "kana": kana})
    for (person_id,) in conn.execute("SELECT DISTINCT person_id FROM consent_events").fetchall():
        refresh_consent_summary(conn, person_id)
    for (case_id,) in conn.execute("SELECT DISTINCT case_id FROM visits").fetchall():
        refresh_case_summary(conn, case_id, visits=load_visits(
            conn, case_id=case_id, columns=V1_VISIT_COLUMNS))


def _v6(conn) -> None:
    from .search import rebuild_grams

    conn.executescript_in_tx(V6_SEARCH_GRAMS)
    rebuild_grams(conn)


def _v7(conn) -> None:
    import json

    from .records import V1_VISIT_COLUMNS, index_visit_order, load_visits

    conn.executescript_in_tx(V7_ORDER_AND_LINKS)
    for (case_id,) in conn.execute("SELECT DISTINCT case_id FROM visits").fetchall():
        for visit in load_visits(conn, case_id=case_id, columns=V1_VISIT_COLUMNS):
            index_visit_order(conn, visit)
    for meeting_id, case_ids in conn.execute(
        "SELECT id, case_ids FROM meetings WHERE deleted = 0"
    ).fetchall():
        conn.executemany(
            "INSERT OR IGNORE INTO meeting_cases (case_id, meeting_id) VALUES (?, ?)",
            [(case_id, meeting_id) for case_id in json.loads(case_ids or "[]")],
        )


def _v8(conn) -> None:
    import json

    from .records import disclosure_row

    conn.executescript_in_tx(V8_DISCLOSURES)
    # a disclosure pulled from a newer laptop before this version was kept in the log only
    rows = conn.execute(
        "SELECT entity_id, value, author, hlc, site FROM changes "
        "WHERE entity = 'disclosure' AND field = '*'").fetchall()
    conn.executemany(
        "INSERT OR IGNORE INTO disclosures (id, case_ids, meeting_kind, meeting_date, basis, "
        "reason, agencies, output, produced_at, produced_by, digest, author, hlc, site) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [disclosure_row(entity_id, json.loads(value), author, hlc, site)
         for entity_id, value, author, hlc, site in rows])


def _v9(conn) -> None:
    # changes of these kinds may already be in the log (from a newer laptop): derive them
    from .supervision_records import rebuild

    conn.executescript_in_tx(V9_SUPERVISION)
    rebuild(conn)


def _v10(conn) -> None:
    import json

    conn.executescript_in_tx(V10_REFUSED_AND_ACCESS)
    # access events a newer laptop wrote were kept in the log only: give them their rows
    rows = []
    for entity_id, value, author, hlc, site in conn.execute(
        "SELECT entity_id, value, author, hlc, site FROM changes "
        "WHERE entity = 'access_event' AND field = '*'"
    ).fetchall():
        event = json.loads(value)
        if isinstance(event, dict) and all(
                isinstance(event.get(k), str) for k in ("case_id", "action", "at", "by_worker")):
            rows.append((entity_id, event["case_id"], event["action"], event["at"],
                         event["by_worker"], author, hlc, site))
    conn.executemany("INSERT OR IGNORE INTO access_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


V11_VISIT_SHAPE = """
-- What a visit records beyond the first version: 同行者 (colleagues, agencies: JSON lists of
-- ids), 場所, 所要時間 (minutes), and the worker's confirmation that a date before the case was
-- opened is a late entry of an old record. 会えた人 is now a set, written as a JSON list in
-- ``met_with``; visits written before keep their one code there (records.visit_values reads
-- both). The visits table stays append-only: columns are added, no row is changed.
ALTER TABLE visits ADD COLUMN companion_workers TEXT;
ALTER TABLE visits ADD COLUMN companion_agencies TEXT;
ALTER TABLE visits ADD COLUMN place TEXT;
ALTER TABLE visits ADD COLUMN duration_minutes INTEGER;
ALTER TABLE visits ADD COLUMN late_entry_confirmed INTEGER;

-- A case's next action is its own register (次回の予定: it stays until replaced, marked 完了 or
-- cleared), materialised here as JSON; cases.next_action/next_action_due stay the summary shown.
ALTER TABLE cases ADD COLUMN follow_up TEXT;
"""


def _v11(conn) -> None:
    # No next-action register was written before this version, so every case keeps the next
    # action it shows: merge.case_follow_up lets the newest visit of the old shape decide, and
    # the refresh below re-derives exactly today's values. (Visits of the new shape a newer
    # laptop sent were held aside as invalid; the next sync applies them.)
    from .records import refresh_case_summaries

    conn.executescript_in_tx(V11_VISIT_SHAPE)
    refresh_case_summaries(conn, [case_id for (case_id,) in conn.execute(
        "SELECT DISTINCT case_id FROM visit_order")])


Migration = tuple[int, str, Callable]
MIGRATIONS: list[Migration] = [
    (1, "change log, materialised entities, records", _v1),
    (2, "Japanese full-text search index", _v2),
    (3, "case summary columns for the caseload", _v3),
    (4, "append-only guards on records and the change log", _v4),
    (5, "drafts, 名寄せ keys, consent summary, relationship trend", _v5),
    (6, "one- and two-character search index", _v6),
    (7, "visit order and meeting-case links", _v7),
    (8, "disclosure records (提供の記録)", _v8),
    (9, "supervision comments, plan approvals, field check-ins", _v9),
    (10, "refused changes kept for the worker, supervisors' access events", _v10),
    (11, "visit 会えた人 as a set, 同行者, 場所, 所要時間; the case's own next action", _v11),
]
LATEST_VERSION = MIGRATIONS[-1][0]


def migrate(conn, *, target: int = LATEST_VERSION) -> list[int]:
    """Run every migration above the file's version up to ``target``; return those run."""
    done = []
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    for version, description, step in MIGRATIONS:
        if version <= current or version > target:
            continue
        log.info("migrating store to version %d (%s)", version, description)
        with conn.transaction():
            step(conn)
            conn.execute(f"PRAGMA user_version = {int(version)}")
        done.append(version)
    return done


