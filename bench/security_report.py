#!/usr/bin/env python
"""Security report: figures from one actual run against a real sync server over TLS.

    .venv/bin/python bench/security_report.py                 # prints the report
    .venv/bin/python bench/security_report.py --wipes 10 --json report.json

Not a test: it prints what it measured (see bench/README.md, "Security report").

1. A real server (``python -m sync.server.cli``, SQLite in a temporary folder) serving HTTPS with
   a certificate from a throw-away certificate authority (``trustme``); the laptops trust that
   CA through the store's setting, as 設定 → サーバー証明書 does.
2. **Every endpoint × every bad caller**: the matrix of ``tests/access_matrix.py`` (the same
   code the test suite runs): every route of the app called without a credential, with a forged
   token, with malformed Authorization headers, from a revoked device, as a disabled user, as a
   worker of another team, and the enrollment route with expired, spent and forged codes. Each
   answer is checked for its status, for secrets in its bytes, and for anything stored.
3. **Revocation to wipe**: a laptop enrolled and synced; the administrator revokes it; its next
   sync round gets the wipe instruction and the store erases its database and key file. Wall
   time from the revocation being committed to the folder being empty, ``--wipes`` times.
4. **Audit trail tampering**: one entry edited, then (restored and) one entry deleted, each
   followed by ``outreach-sync-server admin verify-audit``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import sqlalchemy as sa  # noqa: E402
import trustme  # noqa: E402
from access_matrix import (  # noqa: E402
    ENROLL_CALLERS,
    OTHER_TEAM,
    REVOKED,
    ROUTES,
    TEAM_A,
    UNAUTHENTICATED,
    build_world,
    run_matrix,
)
from support import FAST_KDF, PASSPHRASE  # noqa: E402
from sync_fixtures import running_server, write_tls_files  # noqa: E402

from outreach_desk.store import Store  # noqa: E402
from sync.client import SyncClient, SyncError  # noqa: E402


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def authority(folder: Path) -> tuple[Path, Path, Path]:
    return write_tls_files(trustme.CA(), folder)


def store_maker(folder: Path):
    def make(name: str, **kwargs) -> Store:
        kwargs.setdefault("kdf", FAST_KDF)  # unlocking is not what is measured here
        return Store.create(folder / name, PASSPHRASE, **kwargs)
    return make


def matrix_figures(server, make_store) -> dict:
    world = build_world(server, make_store)
    outcomes = run_matrix(world)
    SyncClient(world.owner, server.url).sync_once()  # team A's laptop after the attempts
    reached = sum(1 for change in world.owner.changes() if change.site == world.intruder.site)
    world.owner.close()

    def count(selected) -> tuple[int, int]:
        chosen = list(selected)
        return len(chosen), sum(1 for o in chosen if o.refused)

    guarded = [o for o in outcomes if o.route in ROUTES and ROUTES[o.route][0] != "public"]
    other = [o for o in guarded if o.caller == OTHER_TEAM]
    pushed = next(o for o in other if o.route == ("POST", "/v1/push"))
    return {
        "routes": len({o.route for o in outcomes}),
        "guarded_routes": len({o.route for o in guarded}),
        "calls": len(outcomes),
        "calls_as_expected": sum(1 for o in outcomes if o.refused),
        "public_calls": count(o for o in outcomes if o not in guarded),
        "cross_team": count(other),
        "cross_team_changes": pushed.pushed_changes,
        "cross_team_changes_refused": pushed.refused_changes,
        "cross_team_changes_reaching_team_a": reached,
        "forged_credential": count(o for o in guarded if o.caller in UNAUTHENTICATED),
        "bad_enrollment_codes": count(o for o in guarded if o.caller in ENROLL_CALLERS),
        "revoked_or_disabled": count(o for o in guarded
                                     if o.caller in (REVOKED, "disabled user")),
        "secrets_searched": len(world.secrets),
        "leaks": sum(1 for o in outcomes for p in o.problems if "the answer holds" in p),
        "problems": [f"{o.route} as {o.caller}: {'; '.join(o.problems)}"
                     for o in outcomes if o.problems],
    }


def revocation_to_wipe(server, make_store, rounds: int) -> list[float]:
    """Seconds from the revocation committed to the store's folder being empty."""
    seconds = []
    ca_pem = server.ca_file.read_text()
    for index in range(rounds):
        store = make_store(f"lost-{index}", worker_name="佐藤 花子")
        store.set_server_ca(ca_pem)
        store.add_person("山田 太郎", "やまだ たろう", "野尻")
        server.enroll(store, login=f"lost-{index}", teams=(TEAM_A,))
        SyncClient(store, server.url).sync_once()
        folder = store.data_dir
        with server.accounts() as accounts:
            accounts.revoke_device(store.site)
            revoked_at = time.perf_counter()
        try:
            SyncClient(store, server.url).sync_once()
        except SyncError as exc:
            if exc.kind != "revoked":
                raise
            store.wipe()  # what the app and `outreach-desk sync` do on this answer
        else:
            raise AssertionError("a revoked laptop synced")
        if any(folder.iterdir()):
            raise AssertionError(f"left behind: {sorted(p.name for p in folder.iterdir())}")
        seconds.append(time.perf_counter() - revoked_at)
    return seconds


def admin(server, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "admin", "--db", server.db_url, *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120)


def audit_tampering(server) -> dict:
    intact = admin(server, "verify-audit")
    if intact.returncode != 0:
        raise AssertionError(f"the audit trail was broken before tampering: {intact.stderr}")
    with server.accounts() as accounts, accounts.db.writing() as conn:
        entries = conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar()
        edited_seq = entries // 2
        original = conn.execute(sa.text("SELECT login FROM audit_log WHERE seq = :s"),
                                {"s": edited_seq}).scalar()
        conn.execute(sa.text("UPDATE audit_log SET login = 'someone-else' WHERE seq = :s"),
                     {"s": edited_seq})
    edited = admin(server, "verify-audit")
    with server.accounts() as accounts, accounts.db.writing() as conn:
        conn.execute(sa.text("UPDATE audit_log SET login = :l WHERE seq = :s"),
                     {"l": original, "s": edited_seq})
        deleted_seq = entries // 3
        conn.execute(sa.text("DELETE FROM audit_log WHERE seq = :s"), {"s": deleted_seq})
    deleted = admin(server, "verify-audit")
    return {
        "entries": entries,
        "edited": (edited_seq, edited.returncode == 1
                   and f"BROKEN at entry {edited_seq}" in edited.stderr, edited.stderr.strip()),
        "deleted": (deleted_seq, deleted.returncode == 1
                    and f"BROKEN at entry {deleted_seq}" in deleted.stderr,
                    deleted.stderr.strip()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wipes", type=int, default=5, help="revocations to time (default 5)")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    os.environ.pop("OUTREACH_DESK_DEV", None)  # HTTPS only, as in the field
    work = Path(tempfile.mkdtemp(prefix="outreach-security-"))
    try:
        cert, key, ca_file = authority(work)
        make_store = store_maker(work / "laptops")
        with running_server(f"sqlite:///{work / 'server.db'}", work, "--tls-cert", str(cert),
                            "--tls-key", str(key), "--log-level", "warning",
                            ca_file=ca_file) as server:
            log("matrix: every route × every bad caller …")
            matrix = matrix_figures(server, make_store)
            log("revocation to wipe …")
            wipes = revocation_to_wipe(server, make_store, args.wipes)
            log("audit trail tampering …")
            audit = audit_tampering(server)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    m = matrix
    print("Security report (one run; real server over TLS 1.2/1.3 on 127.0.0.1, trustme CA)")
    print(f"endpoint × caller matrix: {m['routes']} routes ({m['guarded_routes']} need a "
          f"credential or a code), {m['calls']} calls, {m['calls_as_expected']} answered as "
          "required")
    tried = m["cross_team"][0] + m["cross_team_changes"]
    refused = m["cross_team"][1] + m["cross_team_changes_refused"]
    print(f"cross-team attempts (another team's worker): {tried} tried, {refused} refused — "
          f"{m['cross_team'][0]} requests (push, pull, team A's device state: "
          f"{m['cross_team'][1]} refused or served nothing of team A) and "
          f"{m['cross_team_changes']} changes in the push to team A's case, visit, note, person "
          f"and a case claiming team A ({m['cross_team_changes_refused']} stored as refused, "
          f"{m['cross_team_changes_reaching_team_a']} reached team A's laptop)")
    print(f"forged-credential attempts (none, forged, malformed): {m['forged_credential'][0]} "
          f"tried, {m['forged_credential'][1]} refused (401)")
    print(f"revoked device / disabled user: {m['revoked_or_disabled'][0]} tried, "
          f"{m['revoked_or_disabled'][1]} refused (403)")
    print(f"bad enrollment codes (expired, reused, forged, disabled user's, revoked device's): "
          f"{m['bad_enrollment_codes'][0]} tried, {m['bad_enrollment_codes'][1]} refused (403)")
    print(f"public routes (health, OpenAPI document) called by the same callers: "
          f"{m['public_calls'][0]}, answered without data: {m['public_calls'][1]}")
    print(f"secrets searched in every answer: {m['secrets_searched']}; leaks found: {m['leaks']}")
    for problem in m["problems"]:
        print(f"  PROBLEM {problem}")
    print(f"revocation to wipe ({len(wipes)} laptops): median {statistics.median(wipes):.3f} s, "
          f"max {max(wipes):.3f} s (admin revokes → next sync refused with the wipe "
          "instruction → database and key file gone)")
    a = audit
    for what in ("edited", "deleted"):
        seq, detected, said = a[what]
        print(f"audit trail, one entry {what} (entry {seq} of {a['entries']}): "
              f"{'detected' if detected else 'NOT DETECTED'} by verify-audit: {said}")
    if args.json:
        args.json.write_text(json.dumps({"matrix": m, "wipes_s": wipes, "audit": a},
                                        ensure_ascii=False, indent=2))
    ok = (not m["problems"] and a["edited"][1] and a["deleted"][1])
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUTF8", "1")
    sys.exit(main())
