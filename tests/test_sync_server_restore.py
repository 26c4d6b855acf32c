"""A server restored from a backup: ``admin backup`` / ``admin restore`` and what the laptops
do after it, with real server processes on loopback (SQLite and PostgreSQL), real encrypted
stores and the real client.

The drill (the case that used to lose a change for good): with a backup taken, laptop C records
d1, laptop B records a1, laptop A (which only pulls) pulls both; the server is restored from
the backup; laptop D records e1 and B re-sends a1, which lands on its old numbers behind e1
instead of d1. A must still receive e1 (the server's history digests tell it the numbers below
its cursor changed meaning), and in the end every laptop holds every change.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from sync_fixtures import (  # noqa: F401 (fixtures)
    ROOT,
    postgres_cluster,
    postgres_url,
    running_server,
)

from outreach_desk.changes import canonical
from outreach_desk.store import Store
from outreach_desk.store_sync import thin_checkpoints
from sync.client import SyncClient, SyncReport


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def pg_bin(db_url, request) -> list[str]:
    """``--pg-bin DIR`` for the PostgreSQL the tests run (its own pg_dump and pg_restore)."""
    if not db_url.startswith("postgresql"):
        return []
    bindir = request.getfixturevalue("postgres_cluster").bindir
    return ["--pg-bin", str(bindir)] if bindir else []


def admin(db_url: str, *args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "admin", "--db", db_url, *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)


def sync(store: Store, server) -> SyncReport:
    report = SyncClient(store, server.url, timeout=30.0).sync_once()
    assert report.pending == 0  # every round reports nothing left to send
    return report


def numbers_of(db_url: str, site: str) -> list[tuple[int, int]]:
    """(seq, server_seq) of a device's changes on the server."""
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(
                "SELECT seq, server_seq FROM changes WHERE site = :site ORDER BY seq"),
                {"site": site})]
    finally:
        engine.dispose()


def stored_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT c.server_seq, c.site, c.seq, c.body, h.digest FROM changes c "
                            "JOIN history h USING (server_seq) ORDER BY server_seq").fetchall()


def held(store: Store) -> list[str]:
    return sorted(canonical(change.to_wire()) for change in store.changes())


def test_a_laptop_that_only_pulls_gets_every_change_after_a_restore(
        db_url, pg_bin, tmp_path, make_store):
    backup_file = tmp_path / "backup.bin"
    with running_server(db_url, tmp_path, "--no-access-log") as server:
        a, b, c, d = (make_store(name, worker_name=f"{name} さん") for name in "abcd")
        for store in (a, b, c, d):  # (enrollments made after the backup are lost with it)
            server.enroll(store, login=f"user-{store.site[:6]}")
        b.add_person("佐々木 一", "ささき はじめ", "野尻")  # history before the backup
        for store in (b, c, d, a):
            sync(store, server)  # a last: it has pulled through the backup's end

        done = admin(db_url, "backup", "--to", backup_file, *pg_bin)  # the server is running
        assert done.returncode == 0, done.stderr
        assert "written to" in done.stdout and backup_file.stat().st_size > 0

        d1 = c.add_person("田中 一郎", "たなか いちろう", "須木")
        sync(c, server)
        b_before = b.sync_state()["last_seq"]
        a1 = b.add_person("鈴木 二郎", "すずき じろう", "小林")
        sync(b, server)
        a1_numbers = numbers_of(db_url, b.site)
        sync(a, server)
        assert a.get("person", d1)["name"] == "田中 一郎"
        assert a.get("person", a1)["name"] == "鈴木 二郎"

        server.stop()
        restored = admin(db_url, "restore", "--from", backup_file, *pg_bin)
        assert restored.returncode == 0, restored.stderr
        server.start()

        e1 = d.add_person("山本 三郎", "やまもと さぶろう", "西部")
        sync(d, server)
        report_b = sync(b, server)
        assert report_b.resent == b.sync_state()["last_seq"] - b_before > 0  # a1, all of it
        assert numbers_of(db_url, b.site) == a1_numbers  # a1 on its old numbers, behind e1

        report_a = sync(a, server)
        assert a.get("person", e1)["name"] == "山本 三郎"  # not skipped
        assert report_a.repulled
        # pulled again only what differs: from the backup's end (a1 comes back as duplicates),
        # not the whole history from the start
        assert report_a.duplicates == report_b.resent

        sync(c, server)  # c re-sends d1, which the restore lost
        for store in (a, b, d, c, a):
            sync(store, server)
        assert held(a) == held(b) == held(c) == held(d)
        assert a.get("person", d1)["name"] == "田中 一郎"
        quiet = sync(a, server)  # nothing differs any more: no pulling again
        assert not quiet.repulled and quiet.pulled == 0


def test_backup_while_pushes_run_is_a_consistent_copy_and_restore_checks_the_file(
        tmp_path, make_store):
    live = tmp_path / "server.db"
    url = f"sqlite:///{live}"
    with running_server(url, tmp_path, "--no-access-log") as server:
        laptop = make_store("a", worker_name="佐藤 花子")
        server.enroll(laptop, login="sato")
        person = laptop.add_person("山田 太郎", "やまだ たろう", "野尻")
        case = laptop.open_case(referral_source="sns", opened_on="2025-05-01", district="野尻", person_id=person)
        sync(laptop, server)
        errors: list[BaseException] = []

        def keep_writing() -> None:
            try:
                for round_ in range(6):
                    with laptop.batch():
                        for i in range(40):
                            laptop.record_visit(case, occurred_at="2025-06-01T10:00+09:00",
                                                kind="phone", met_with="person",
                                                relationship_stage="met_person",
                                                narrative=f"電話 {round_}-{i}")
                    SyncClient(laptop, server.url, timeout=30.0).sync_once()
            except BaseException as exc:  # noqa: BLE001 (reported below)
                errors.append(exc)

        writer = threading.Thread(target=keep_writing)
        writer.start()
        copies = []
        for n in range(3):
            target = tmp_path / f"copy-{n}.db"
            done = admin(url, "backup", "--to", target)
            assert done.returncode == 0, done.stderr
            copies.append(target)
        writer.join()
        assert not errors, errors

        for copy in copies:
            assert copy.stat().st_mode & 0o777 == 0o600
            assert not Path(f"{copy}-wal").exists()  # one self-contained file
            with sqlite3.connect(copy) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
                acked = conn.execute("SELECT acked_through FROM devices WHERE site = ?",
                                     (laptop.site,)).fetchone()[0]
                seqs = [row[0] for row in conn.execute(
                    "SELECT seq FROM changes WHERE site = ? ORDER BY seq", (laptop.site,))]
                numbers = [row[0] for row in conn.execute(
                    "SELECT server_seq FROM changes ORDER BY server_seq")]
                digests = conn.execute("SELECT count(*) FROM history").fetchone()[0]
            assert seqs == list(range(1, acked + 1))  # whole pushes, nothing half
            assert numbers == list(range(1, len(numbers) + 1)) and digests == len(numbers)

        server.stop()
        garbage = tmp_path / "not-a-backup.db"
        garbage.write_bytes(b"not a database" * 100)
        before = stored_rows(live)
        refused = admin(url, "restore", "--from", garbage)
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
        assert stored_rows(live) == before  # left untouched

        restored = admin(url, "restore", "--from", copies[0])
        assert restored.returncode == 0, restored.stderr
        with sqlite3.connect(copies[0]) as conn:
            expected = conn.execute("SELECT count(*) FROM changes").fetchone()[0]
        assert f"{expected} changes" in restored.stdout
        server.start()
        report = sync(laptop, server)  # the laptop re-sends what the copy lacks
        assert report.resent > 0 or expected == len(laptop.changes())
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                count = conn.scalar(sa.text("SELECT count(*) FROM changes WHERE site = :s"),
                                    {"s": laptop.site})
        finally:
            engine.dispose()
        assert count == laptop.sync_state()["last_seq"]


def test_checkpoints_stay_few_and_close_to_the_cursor():
    points: list[tuple[int, str]] = []
    for cursor in range(1, 5001, 7):
        points = thin_checkpoints([*points, (cursor, f"d{cursor}")], 32)
        assert len(points) <= 32 and points[-1][0] == cursor and points[0][0] == 1
    newest = points[-1][0]
    gaps = [newest - seq for seq, _ in points]
    assert sum(1 for gap in gaps if gap <= 100) >= 4  # dense just below the cursor
    assert sum(1 for gap in gaps if gap >= 1000) >= 4  # and reaching far back


def test_the_migration_gives_the_numbers_an_older_server_gave_their_digests(tmp_path):
    """Revision 0008: a database at 0006 gets a digest for every number when migrated, and the
    digests go on from there without a seam."""
    from alembic import command

    from sync.server import history
    from sync.server.db import Database, alembic_config

    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        with db.writing() as conn:
            command.upgrade(alembic_config(conn), "0006")
            conn.execute(sa.text(
                "INSERT INTO changes (server_seq, site, seq, body, received_at, team_id) "
                "VALUES (:n, 's', :n, '{}', '2026-11-23 00:00:00', 't')"),
                [{"n": n} for n in range(1, 6)])
        db.migrate()
        with db.reading() as conn:
            first = history.digests_at(conn, range(0, 8))
        assert sorted(first) == [0, 1, 2, 3, 4, 5] and len(set(first.values())) == 6
        with db.writing() as conn:
            conn.execute(sa.text(
                "INSERT INTO changes (server_seq, site, seq, body, received_at, team_id) "
                "VALUES (6, 's', 6, '{}', '2026-11-23 00:00:00', 't')"))
            assert history.extend(conn) == 1
        with db.reading() as conn:
            again = history.digests_at(conn, range(0, 8))
        assert {seq: again[seq] for seq in first} == first and 6 in again
    finally:
        db.close()

    other = Database(f"sqlite:///{tmp_path / 'other.db'}")  # the same numbers, other changes
    try:
        other.migrate()
        with other.writing() as conn:
            conn.execute(sa.text(
                "INSERT INTO changes (server_seq, site, seq, body, received_at, team_id) "
                "VALUES (:n, :site, :n, '{}', '2026-11-23 00:00:00', 't')"),
                [{"n": n, "site": "s" if n < 4 else "x"} for n in range(1, 6)])
            history.extend(conn)
        with other.reading() as conn:
            theirs = history.digests_at(conn, range(0, 6))
        assert [theirs[n] == first[n] for n in range(0, 6)] == [True] * 4 + [False] * 2
    finally:
        other.close()
