"""The encrypted store as files on disk: what a thief, a crash or a damaged disk sees."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import FAST_KDF, PASSPHRASE

from outreach_desk.errors import (
    KeyFileDamaged,
    StoreCorrupt,
    StoreLocked,
    StoreTooNew,
    WrongPassphrase,
)
from outreach_desk.migrations import LATEST_VERSION
from outreach_desk.store import Store

SECRETS = [
    "佐々木 ミチ子", "ささき みちこ", "ゴミ屋敷の片付けを拒否", "長男は50代でひきこもり",
    "糖尿病の通院中断",
]


def _fill(store: Store) -> str:
    household = store.create_household("佐々木家", "須木", "ゴミ屋敷の片付けを拒否")
    person = store.add_person("佐々木 ミチ子", "ささき みちこ", "須木", household_id=household)
    case = store.open_case(opened_on="2025-01-06", person_id=person, referral_source="minsei_iin",
                           district="須木")
    store.add_note(case, "長男は50代でひきこもり。天気の話は大丈夫。")
    store.record_visit(case, occurred_at="2026-11-01T10:00+09:00", kind="home_visit",
                       met_with="family", relationship_stage="family_contact",
                       narrative="糖尿病の通院中断が続いている。", next_action="再訪問")
    return case


def _store_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file())


def test_raw_bytes_reveal_nothing_and_plain_sqlite_cannot_open(make_store, tmp_path):
    store = make_store()
    _fill(store)
    # keep the connection open so the WAL and shared-memory files are on disk too
    files = _store_files(store.data_dir)
    names = {p.name for p in files}
    assert "outreach-desk.db-wal" in names, names
    for path in files:
        data = path.read_bytes()
        for secret in SECRETS + ["佐々木", "ささき", "ひきこもり"]:
            assert secret.encode("utf-8") not in data, f"{secret} readable in {path.name}"
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(store.db_path).execute("SELECT * FROM sqlite_master").fetchall()


def test_files_and_folder_are_owner_only(make_store):
    store = make_store()
    _fill(store)
    assert stat.S_IMODE(store.data_dir.stat().st_mode) == 0o700
    for path in _store_files(store.data_dir):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_wrong_passphrase_is_clear_and_touches_no_file(make_store):
    store = make_store()
    _fill(store)
    store.close()
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in _store_files(store.data_dir)}
    with pytest.raises(WrongPassphrase, match="passphrase is not correct"):
        Store.open(store.data_dir, "not the passphrase at all")
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in _store_files(store.data_dir)}
    assert after == before


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) // 2], id="truncated-half"),
        pytest.param(lambda b: b[:4096], id="truncated-one-page"),
        pytest.param(lambda b: b[:100] + bytes([b[100] ^ 1]) + b[101:], id="first-page-flipped"),
        pytest.param(lambda b: b"", id="emptied"),
    ],
)
def test_damaged_database_gives_a_clear_error(make_store, damage):
    store = make_store()
    with store.batch():
        for i in range(200):
            store.add_person(f"山田 {i}", "やまだ", "野尻")
    store.close()
    data = store.db_path.read_bytes()
    store.db_path.write_bytes(damage(data))
    with pytest.raises(StoreCorrupt, match="damaged|empty") as caught:
        reopened = Store.open(store.data_dir, PASSPHRASE)
        reopened.integrity_check()
    assert "restore it from a backup" in str(caught.value)


def test_bit_flip_inside_a_page_is_found_by_the_check(make_store):
    store = make_store()
    with store.batch():
        for i in range(300):
            store.add_person(f"山田 {i}", "やまだ", "野尻")
    store.close()
    data = bytearray(store.db_path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    store.db_path.write_bytes(bytes(data))
    reopened = Store.open(store.data_dir, PASSPHRASE)
    with pytest.raises(StoreCorrupt, match="damaged"):
        reopened.integrity_check()
        reopened.list_entities("person")
    reopened.close()


def test_damaged_key_file_is_reported(make_store):
    store = make_store()
    store.close()
    store.key_path.write_text('{"format": "outreach-desk-keyfile", "version": 1, "kdf": ')
    with pytest.raises(KeyFileDamaged, match="damaged"):
        Store.open(store.data_dir, PASSPHRASE)


def test_missing_database_file_is_reported(make_store):
    store = make_store()
    store.close()
    store.db_path.unlink()
    with pytest.raises(StoreCorrupt, match="missing"):
        Store.open(store.data_dir, PASSPHRASE)


def test_file_from_a_newer_version_is_refused(make_store):
    store = make_store()
    store.db.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    store.close()
    with pytest.raises(StoreTooNew, match="newer Outreach Desk"):
        Store.open(store.data_dir, PASSPHRASE)


def test_pragmas(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_lock_closes_the_connection_and_keeps_no_key(store):
    case = _fill(store)
    store.lock()
    assert store.locked
    with pytest.raises(StoreLocked):
        store.visits(case)
    held = [v for v in vars(store).values() if isinstance(v, (bytes, bytearray))]
    assert held == []
    store.unlock(PASSPHRASE)
    assert len(store.visits(case)) == 1


WRITER = r"""
import sys
from outreach_desk.store import Store
store = Store.open(sys.argv[1], sys.argv[2])
case = sys.argv[3]
i = 0
while True:
    visit_id = store.record_visit(case, occurred_at="2026-11-01T10:00+09:00", kind="phone",
                                  met_with="nobody", relationship_stage="no_contact",
                                  narrative=f"電話に出ず {i}")
    print(visit_id, flush=True)
    i += 1
"""


def test_sigkill_mid_write_loses_no_returned_visit(make_store):
    """A writer is killed with SIGKILL again and again; every visit whose save returned is
    still there and the file passes PRAGMA integrity_check."""
    store = make_store()
    case = _fill(store)
    store.close()
    root = Path(__file__).resolve().parents[1]
    returned: set[str] = set()
    for round_ in range(12):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(store.data_dir), PASSPHRASE, case],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root,
        )
        # wait until the writer is in its loop, then kill it at a varying moment
        first = child.stdout.readline()
        assert first, child.stderr.read()
        returned.add(first.strip())
        time.sleep(0.01 * (round_ % 5))
        os.kill(child.pid, signal.SIGKILL)
        rest, _ = child.communicate()
        returned.update(line.strip() for line in rest.splitlines() if line.strip())
        reopened = Store.open(store.data_dir, PASSPHRASE)
        try:
            assert reopened.integrity_check() == ["ok"]
            stored = {visit.id for visit in reopened.visits(case)}
            assert returned <= stored, f"round {round_}: lost {len(returned - stored)} visits"
        finally:
            reopened.close()
    assert len(returned) > 12


def test_migration_backup_is_made_before_upgrading(tmp_path):
    from outreach_desk import keystore
    from outreach_desk.database import Database
    from outreach_desk.migrations import migrate

    folder = tmp_path / "old"
    folder.mkdir(mode=0o700)
    key = keystore.create_key_file(folder / "outreach-desk.key", PASSPHRASE, FAST_KDF)
    (folder / "outreach-desk.db").touch(mode=0o600)
    db = Database(folder / "outreach-desk.db", key)
    migrate(db, target=1)
    with db.transaction():
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)", [("site", "abc"), ("next_seq", "1"), ("hlc", "0")]
        )
    db.close()
    Store.open(folder, PASSPHRASE).close()
    backup = folder / f"outreach-desk.db.before-v{LATEST_VERSION}"
    assert backup.exists()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    shutil.rmtree(folder)


def test_demo_data_is_not_readable_in_any_file(make_store):
    """The raw bytes of the database, its WAL and shared memory hold none of the demo's names,
    readings or notes, while the store is open and after it is closed."""
    from outreach_desk.demo import SAMPLE_TEXTS, generate

    store = make_store()
    generate(store, cases=15, visits_per_case=6, seed=7)
    persons = store.list_entities("person")
    notes = [n["text"] for n in store.list_entities("note")]
    secrets = set(SAMPLE_TEXTS)
    secrets |= {p["name"] for p in persons} | {p["kana"] for p in persons}
    secrets |= {text[:12] for text in notes}
    assert len(secrets) > 20
    for moment in ("open", "closed"):
        files = _store_files(store.data_dir)
        assert any(p.name.endswith("-wal") for p in files) or moment == "closed"
        for path in files:
            data = path.read_bytes()
            leaked = [s for s in secrets if s.encode("utf-8") in data]
            assert leaked == [], f"{moment}: {path.name} reveals {leaked[:3]}"
        store.close()
