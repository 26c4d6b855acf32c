"""The audit trail's signed checkpoints and the head kept elsewhere, with a real server process
(SQLite file and real PostgreSQL), its real Ed25519 key file and the real admin command line:
an untouched trail verifies; a truncation past a checkpoint, and an entry edited with the chain
recomputed after it, are both detected; a disclosure's free text never reaches the trail."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sync_fixtures import (  # noqa: F401 (fixtures)
    ROOT,
    free_port,
    postgres_cluster,
    postgres_url,
    running_server,
)

from outreach_desk.changes import RECORD, Change
from sync.protocol import auth_headers, version_headers, versions
from sync.server import audit
from sync.server import audit_checkpoints as checkpoints
from sync.server.db import Database

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    return request.getfixturevalue("postgres_url")


def admin(db_url: str, key: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "admin", "--db", db_url, "--audit-key",
         str(key), *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def change(site: str, seq: int, entity: str = "person", field: str = "name",
           value=None, entity_id: str | None = None) -> dict:
    return Change(site=site, seq=seq, hlc=(1_790_000_000_000 << 16) + seq, entity=entity,
                  entity_id=entity_id or f"p-{site}-{seq}", field=field,
                  value="山田 太郎" if value is None else value, ctx=(), author="佐藤 花子",
                  ).to_wire()


def push(server, token: str, device: str, changes: list[dict]) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/push", json={**versions(), "device": device,
                                                      "changes": changes},
                      headers={**version_headers(), **auth_headers(token)}, timeout=30)


def activity(server, devices: range) -> None:
    """Two audit entries per device: its enrollment and one push."""
    for number in devices:
        device = f"dev-{number}"
        token = server.token(device)
        assert push(server, token, device, [change(device, 1)]).status_code == 200


def signed(db_url: str) -> list[checkpoints.Checkpoint]:
    db = Database(db_url)
    try:
        with db.reading() as conn:
            return checkpoints.checkpoints(conn)
    finally:
        db.close()


def wait_for_checkpoints(db_url: str, count: int) -> None:
    deadline = time.monotonic() + 60
    while len(signed(db_url)) < count:
        assert time.monotonic() < deadline, "the server signed no checkpoint"
        time.sleep(0.1)


def served_trail(db_url: str, tmp_path: Path) -> Path:
    """9 entries from a server that signs every 3 entries, stopped (the shutdown checkpoint
    signs the last one)."""
    key = tmp_path / "audit.key"
    with running_server(db_url, tmp_path, "--no-access-log", "--audit-key", str(key),
                        "--audit-checkpoint-entries", "3",
                        "--audit-checkpoint-seconds", "600") as server:
        assert stat.S_IMODE(key.stat().st_mode) == 0o600  # made at start, owner-only
        activity(server, range(2))
        wait_for_checkpoints(db_url, 1)
        activity(server, range(2, 4))
        wait_for_checkpoints(db_url, 2)
        server.token("dev-last")  # one more entry: not due, signed at shutdown
    return key


def kept_head(db_url: str, key: Path) -> tuple[str, str]:
    """What ``audit-head`` says to keep elsewhere: ENTRY:HASH, and the public key."""
    shown = admin(db_url, key, "audit-head")
    assert shown.returncode == 0, shown.stderr
    return (re.search(r"audit head: (\d+:[0-9a-f]{64})", shown.stdout).group(1),
            re.search(r"signing key \(public\): ([0-9a-f]{64})", shown.stdout).group(1))


def rewrite(db_url: str, sql: str, **params) -> None:
    db = Database(db_url)
    try:
        with db.writing() as conn:
            conn.execute(sa.text(sql), params)
    finally:
        db.close()


def recompute_chain(db_url: str, start: int) -> None:
    """What someone with write access to the database does after editing entry ``start``."""
    db = Database(db_url)
    try:
        with db.writing() as conn:
            rows = [row._asdict() for row in conn.execute(
                sa.select(audit.audit_log).order_by(audit.audit_log.c.seq))]
            prev = audit.GENESIS
            for row in rows:
                if row["seq"] >= start:
                    new = audit.entry_hash(prev, row)
                    conn.execute(audit.audit_log.update()
                                 .where(audit.audit_log.c.seq == row["seq"])
                                 .values(prev_hash=prev, hash=new))
                    row["hash"] = new
                prev = row["hash"]
    finally:
        db.close()


def test_an_untouched_trail_verifies_with_its_checkpoints_and_the_kept_head(db_url, tmp_path):
    key = served_trail(db_url, tmp_path)
    marks = signed(db_url)
    head, public = kept_head(db_url, key)
    seq, head_hash = head.split(":")
    assert int(seq) == 9 and marks[-1].seq == 9 and marks[-1].hash == head_hash  # at shutdown
    assert len(marks) == 3 and marks[0].seq >= 3  # 2 while serving, 1 at shutdown

    verified = admin(db_url, key, "verify-audit", "--expect", head)
    assert verified.returncode == 0, verified.stderr
    assert f"{len(marks)} signed checkpoints, the latest at entry 9" in verified.stdout
    db = Database(db_url)
    try:  # the hash alone, without its entry number, is found as well
        assert audit.verify(db, public_key=checkpoints.public_from_hex(public),
                            expect=head_hash).ok
    finally:
        db.close()
    # the public key kept elsewhere does the same without the key file
    assert public == checkpoints.public_hex(checkpoints.load_key(key).public_key())
    elsewhere = admin(db_url, tmp_path / "no-such.key", "verify-audit", "--public-key", public)
    assert elsewhere.returncode == 0, elsewhere.stderr
    # … and another key is not this server's
    other = checkpoints.public_hex(Ed25519PrivateKey.generate().public_key())
    forged = admin(db_url, key, "verify-audit", "--public-key", other)
    assert forged.returncode == 1 and "not signed by this server's key" in forged.stderr
    assert admin(db_url, tmp_path / "no-such.key", "verify-audit").returncode == 1


def test_a_truncation_past_a_checkpoint_is_detected(db_url, tmp_path):
    key = served_trail(db_url, tmp_path)
    head, _ = kept_head(db_url, key)
    last = int(head.split(":")[0])
    rewrite(db_url, "DELETE FROM audit_log WHERE seq > :keep", keep=last - 2)

    cut = admin(db_url, key, "verify-audit")
    assert cut.returncode == 1, cut.stdout
    assert f"entries after {last - 2} are missing: the server signed entry {last}" in cut.stderr

    # removing the checkpoints that name the cut entries too leaves a trail that verifies on
    # its own: only the head kept elsewhere shows the cut
    rewrite(db_url, "DELETE FROM audit_checkpoints WHERE seq > :keep", keep=last - 2)
    assert admin(db_url, key, "verify-audit").returncode == 0
    expected = admin(db_url, key, "verify-audit", "--expect", head)
    assert expected.returncode == 1 and "the expected head is not entry" in expected.stderr


def test_an_edited_entry_with_the_chain_recomputed_is_detected(db_url, tmp_path):
    key = served_trail(db_url, tmp_path)
    head, _ = kept_head(db_url, key)
    marks = signed(db_url)
    edited = marks[0].seq - 1  # an entry before the first checkpoint
    rewrite(db_url, "UPDATE audit_log SET login = 'nobody' WHERE seq = :seq", seq=edited)
    recompute_chain(db_url, edited)

    rewritten = admin(db_url, key, "verify-audit")
    assert rewritten.returncode == 1, rewritten.stdout
    assert (f"BROKEN at entry {marks[0].seq}: entry {marks[0].seq} is not the one the server "
            "signed") in rewritten.stderr

    # the checkpoints cannot be made to match without the key
    rewrite(db_url, "UPDATE audit_checkpoints SET hash = (SELECT hash FROM audit_log "
                    "WHERE audit_log.seq = audit_checkpoints.seq)")
    resigned = admin(db_url, key, "verify-audit")
    assert resigned.returncode == 1 and "not signed by this server's key" in resigned.stderr

    # the recomputed chain itself is consistent: without checkpoints only the kept head tells
    rewrite(db_url, "DELETE FROM audit_checkpoints")
    assert admin(db_url, key, "verify-audit").returncode == 0
    expected = admin(db_url, key, "verify-audit", "--expect", head)
    assert expected.returncode == 1 and "the expected head is not entry" in expected.stderr


def test_a_signing_key_others_may_read_is_refused(tmp_path):
    key = tmp_path / "audit.key"
    checkpoints.load_or_create_key(key)
    os.chmod(key, 0o644)
    started = subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "--db", f"sqlite:///{tmp_path / 's.db'}",
         "--port", str(free_port()), "--audit-key", str(key)],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert started.returncode == 2 and "chmod 600" in started.stderr
    assert "Traceback" not in started.stderr


def test_a_disclosures_free_text_never_reaches_the_audit_trail(tmp_path):
    url = f"sqlite:///{tmp_path / 'server.db'}"
    reason = "本人の生命に関わるため緊急に提供した理由"
    with running_server(url, tmp_path, "--no-access-log") as server:
        server.issue_code("boss", role="supervisor")  # a 緊急 disclosure needs the role
        token = server.token("dev-d", login="boss")
        record = {"case_ids": ["c-1"], "meeting_kind": "support_council",
                  "meeting_date": "2026-12-01", "agencies": ["ag-1", "田中さんの家"],
                  "output": "pdf", "produced_at": "2026-12-01T10:00:00+09:00",
                  "produced_by": "w-1"}
        sent = push(server, token, "dev-d", [
            change("dev-d", 1, "disclosure", RECORD, {**record, "basis": "emergency",
                                                      "reason": reason}, "d-1"),
            change("dev-d", 2, "disclosure", RECORD, {**record, "basis": "山田太郎さんの件",
                                                      "meeting_kind": "山田さん宅にて"}, "d-2")])
        assert sent.status_code == 200, sent.text
        too_long = push(server, token, "dev-d", [change(
            "dev-d", 3, "disclosure", RECORD, {**record, "basis": "緊急" * 30}, "d-3")])
        assert too_long.status_code == 422
    db = Database(url)
    try:
        with db.reading() as conn:
            rows = conn.execute(sa.select(audit.audit_log)
                                .where(audit.audit_log.c.action == "disclosure")
                                .order_by(audit.audit_log.c.seq)).all()
            everything = json.dumps([list(row) for row in conn.execute(
                sa.select(audit.audit_log))], ensure_ascii=False)
    finally:
        db.close()
    details = [json.loads(row.detail) for row in rows]
    assert [(d["disclosure"], d["basis"], d["meeting_kind"]) for d in details] == [
        ("d-1", "emergency", "support_council"), ("d-2", "other", "other")]
    assert details[0]["agencies"] == ["ag-1"] and details[0]["meeting_date"] == "2026-12-01"
    for text in (reason, "山田", "田中"):
        assert text not in everything
