"""Encrypted backup and restore: real stores, a real writer in another process, the real CLI.

A backup is taken while another process keeps writing visits to the same store; restoring it
into a new folder gives a sound store holding every record the backup saw.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from support import FAST_KDF, PASSPHRASE, visit_fields
from test_cli import one_line_error, run

from outreach_desk import demo
from outreach_desk.backup import BackupInvalid, create_backup, read_manifest, restore_backup
from outreach_desk.errors import StoreExists, WrongPassphrase
from outreach_desk.paths import DB_FILE, KEY_FILE
from outreach_desk.store import Store

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import sys, time
sys.path.insert(0, "tests")
from support import PASSPHRASE, visit_fields
from outreach_desk.store import Store
store = Store.open(sys.argv[1], PASSPHRASE)
case_id = sys.argv[2]
print("ready", flush=True)
i = 0
while True:
    store.record_visit(case_id, **visit_fields(narrative=f"連続書き込み {i}"))
    i += 1
"""


def _written(store: Store) -> int:
    return store.db.execute(
        "SELECT count(*) FROM visits WHERE narrative LIKE '連続書き込み %'").fetchone()[0]


def _schema(store: Store) -> set[tuple[str, str]]:
    return set(store.db.execute("SELECT type, name FROM sqlite_master").fetchall())


@pytest.fixture
def demo_store(make_store):
    store = make_store(worker_name="佐藤 花子")
    demo.generate(store, cases=8, visits_per_case=5, seed=3)
    return store


def test_restored_backup_holds_every_record(demo_store, tmp_path):
    target = tmp_path / "backups" / "today.odbackup"
    manifest = create_backup(demo_store, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert manifest["schema_version"] == read_manifest(target)["schema_version"]
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == sorted([DB_FILE, KEY_FILE, "manifest.json"])
        assert not archive.read(DB_FILE).startswith(b"SQLite format 3")  # still encrypted
    report = restore_backup(target, tmp_path / "restored", PASSPHRASE)
    assert report.replaced is None
    assert report.counts == demo_store.counts()
    with Store.open(tmp_path / "restored", PASSPHRASE) as restored:
        assert restored.integrity_check() == ["ok"]
        assert _schema(restored) == _schema(demo_store)  # FTS tables and triggers too
        for entity in ("person", "case", "visit", "note", "consent_event"):
            table = {"case": "cases", "person": "persons", "visit": "visits",
                     "note": "notes", "consent_event": "consent_events"}[entity]
            ids = f"SELECT id FROM {table} ORDER BY id"
            assert restored.db.execute(ids).fetchall() == demo_store.db.execute(ids).fetchall()
        name = demo_store.caseload()[0].name
        assert [h.entity_id for h in restored.search(name)] == \
            [h.entity_id for h in demo_store.search(name)]
        assert restored.site == demo_store.site
        restored.record_visit(demo_store.caseload()[0].case_id, **visit_fields())  # writable


def test_backup_is_consistent_while_another_process_writes(make_store, tmp_path):
    # big enough that one export takes long enough for the writer to commit during it
    demo_store = make_store(worker_name="佐藤 花子")
    demo.generate(demo_store, cases=60, visits_per_case=20, seed=4)
    case_id = demo_store.caseload()[0].case_id
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(demo_store.data_dir), case_id],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert writer.stdout.readline().strip() == b"ready", writer.stderr.read()
        backups = []
        written = 0
        for n in range(3):
            deadline = time.monotonic() + 60
            while _written(demo_store) <= written:  # the writer commits between backups
                assert time.monotonic() < deadline and writer.poll() is None
                time.sleep(0.05)
            written = _written(demo_store)
            backups.append(tmp_path / f"live-{n}.odbackup")
            create_backup(demo_store, backups[-1])
        assert writer.poll() is None, writer.stderr.read()  # it kept writing all along
    finally:
        writer.kill()
        writer.wait()
    seen = []
    for n, backup in enumerate(backups):
        report = restore_backup(backup, tmp_path / f"restored-{n}", PASSPHRASE)
        with Store.open(tmp_path / f"restored-{n}", PASSPHRASE) as restored:
            assert restored.integrity_check() == ["ok"]
            written = [row[0] for row in restored.db.execute(
                "SELECT narrative FROM visits WHERE narrative LIKE '連続書き込み %'")]
            numbers = sorted(int(text.split()[1]) for text in written)
            assert numbers == list(range(len(numbers)))  # no visit missing in between
            # each visit arrived with its change-log rows and its outbox entries, or not at all
            assert report.counts["changes"] == report.counts["outbox"]
            logged = restored.db.execute(
                "SELECT count(DISTINCT entity_id) FROM changes WHERE entity = 'visit'").fetchone()
            assert logged[0] == report.counts["visit"]
            last_seq = restored.db.execute("SELECT max(seq) FROM changes WHERE site = ?",
                                           (restored.site,)).fetchone()[0]
            assert restored.engine.next_seq == last_seq + 1
            assert len(restored.search(f"連続書き込み {numbers[-1]}")) >= 1 if numbers else True
            seen.append(len(numbers))
    assert seen == sorted(seen) and seen[-1] > 0


def test_restore_refuses_an_existing_store_unless_told(demo_store, tmp_path, make_store):
    target = tmp_path / "b.odbackup"
    create_backup(demo_store, target)
    other = make_store("other", worker_name="鈴木")
    other_counts = other.counts()
    other.close()
    with pytest.raises(StoreExists):
        restore_backup(target, tmp_path / "other", PASSPHRASE)
    with Store.open(tmp_path / "other", PASSPHRASE) as untouched:
        assert untouched.counts() == other_counts
    report = restore_backup(target, tmp_path / "other", PASSPHRASE, overwrite=True)
    assert report.counts == demo_store.counts()
    assert (report.replaced / KEY_FILE).exists() and (report.replaced / DB_FILE).exists()
    assert not list((tmp_path / "other").glob(".restore-*"))


def test_restore_checks_the_passphrase_and_the_file(demo_store, tmp_path):
    target = tmp_path / "b.odbackup"
    create_backup(demo_store, target)
    with pytest.raises(WrongPassphrase):
        restore_backup(target, tmp_path / "r1", "まちがった あいことば 99")
    assert not (tmp_path / "r1" / KEY_FILE).exists()
    damaged = tmp_path / "damaged.odbackup"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte inside the database member
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupInvalid):
        restore_backup(damaged, tmp_path / "r2", PASSPHRASE)
    assert not (tmp_path / "r2" / DB_FILE).exists()
    with pytest.raises(BackupInvalid):
        read_manifest(tmp_path / "no-such.odbackup")


def test_backup_and_restore_from_the_command_line(tmp_path):
    data_dir = tmp_path / "store"
    with Store.create(data_dir, PASSPHRASE, kdf=FAST_KDF, worker_name="佐藤") as store:
        demo.generate(store, cases=3, visits_per_case=2, seed=5)
        counts = store.counts()
    backup = tmp_path / "out" / "b.odbackup"
    result = run("backup", "--data-dir", data_dir, "--to", backup, stdin=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    assert "backup written" in result.stdout
    result = run("restore", "--data-dir", data_dir, "--from", backup, stdin=PASSPHRASE + "\n")
    assert "already exists" in one_line_error(result)
    restored = tmp_path / "restored"
    result = run("restore", "--data-dir", restored, "--from", backup, stdin=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    assert f"{counts['case']} cases, {counts['visit']} visits" in result.stdout
    result = run("check", "--data-dir", restored, stdin=PASSPHRASE + "\n")
    assert json.loads(result.stdout)["counts"] == counts
    if os.name == "posix":
        assert stat.S_IMODE(restored.stat().st_mode) == 0o700
        assert stat.S_IMODE((restored / DB_FILE).stat().st_mode) == 0o600
    result = run("restore", "--data-dir", tmp_path / "x", "--from", tmp_path / "nothing",
                 stdin=PASSPHRASE + "\n")
    assert "no backup file" in one_line_error(result)


def test_the_store_keeps_working_while_a_backup_is_being_written(demo_store, tmp_path):
    """The copy is made on a second connection: the store saves a visit while it is paused."""
    paused, resume = threading.Event(), threading.Event()

    def pause_once() -> int:
        if not paused.is_set():
            paused.set()
            resume.wait(60)
        return 0

    demo_store.db._export_conn.set_progress_handler(pause_once, 1000)
    before = demo_store.counts()["visit"]
    backup = threading.Thread(target=create_backup,
                              args=(demo_store, tmp_path / "during.odbackup"))
    backup.start()
    try:
        assert paused.wait(60)  # the export is under way, and stopped in the middle
        case_id = demo_store.caseload()[0].case_id
        demo_store.record_visit(case_id, **visit_fields(narrative="バックアップ中の訪問"))
        assert backup.is_alive()  # the save did not wait for the backup to finish
    finally:
        resume.set()
        backup.join(60)
    report = restore_backup(tmp_path / "during.odbackup", tmp_path / "restored", PASSPHRASE)
    assert report.counts["visit"] in (before, before + 1)
    assert demo_store.counts()["visit"] == before + 1
