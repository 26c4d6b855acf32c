"""Offline access that expires: the pure decision with explicit times (a clock turned back
included), one-time unlock codes, and a real store against a real server and its admin command.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import PASSPHRASE
from sync_fixtures import sync_server  # noqa: F401 (fixture)

from outreach_desk import offline
from outreach_desk.hlc import COUNTER_BITS
from outreach_desk.offline import (
    DAY_MS,
    EXPIRED,
    NO_LIMIT,
    OK,
    WARNING,
    OfflinePolicy,
    check_code,
    make_code,
    status,
)
from sync.client import SyncClient

ROOT = Path(__file__).resolve().parent.parent
T0 = 1_780_000_000_000  # a moment in 2026, in ms


# -- the decision, pure ------------------------------------------------------------------------


def test_the_period_runs_from_the_last_sync_and_warns_in_its_last_week():
    policy = OfflinePolicy(30, last_sync_ms=T0)
    assert status(policy, system_ms=T0 + 1 * DAY_MS).state == OK
    assert status(policy, system_ms=T0 + 1 * DAY_MS).days_left == 29
    assert status(policy, system_ms=T0 + 22 * DAY_MS).state == OK
    warned = status(policy, system_ms=T0 + 23 * DAY_MS + 1)
    assert warned.state == WARNING and warned.days_left == 7
    last = status(policy, system_ms=T0 + 30 * DAY_MS - 1)
    assert last.state == WARNING and last.days_left == 1
    gone = status(policy, system_ms=T0 + 30 * DAY_MS)
    assert gone.state == EXPIRED and gone.expired and gone.days_left == 0
    assert status(OfflinePolicy(7, last_sync_ms=T0), system_ms=T0 + 8 * DAY_MS).expired


def test_turning_the_clock_back_gains_nothing():
    policy = OfflinePolicy(30, last_sync_ms=T0)
    # the laptop's clock says it is an hour after the sync; the store's own hybrid clock
    # (saved with the last change written, 31 days later) says otherwise
    back = status(policy, system_ms=T0 + 3_600_000, hlc_ms=T0 + 31 * DAY_MS)
    assert back.expired and back.now_ms == T0 + 31 * DAY_MS
    # a clock set before the last sync: the server's time is the floor
    assert status(policy, system_ms=T0 - 100 * DAY_MS).now_ms == T0
    assert offline.trusted_now(5, 7, 6) == 7 and offline.trusted_now(9, 0, None) == 9


def test_an_unlock_code_grants_one_more_full_period_and_no_limit_without_a_server():
    policy = OfflinePolicy(30, last_sync_ms=T0, unlocked_ms=T0 + 40 * DAY_MS)
    assert status(policy, system_ms=T0 + 41 * DAY_MS).state == OK
    assert status(policy, system_ms=T0 + 70 * DAY_MS).expired
    assert status(OfflinePolicy(None), system_ms=T0 + 999 * DAY_MS).state == NO_LIMIT


def test_unlock_codes_work_once_for_their_device_and_secret():
    secret = bytes(range(32))
    code = make_code(secret, "dev1", 3)
    assert len(code) == 11 and code[5] == "-"
    assert check_code(secret, "dev1", code, set()) == 3
    assert check_code(secret, "dev1", code.lower().replace("-", " "), set()) == 3
    assert check_code(secret, "dev1", code, {3}) is None  # used
    assert check_code(secret, "dev2", code, set()) is None  # another laptop's
    assert check_code(bytes(32), "dev1", code, set()) is None  # another secret
    flipped = code[:-1] + ("2" if code[-1] != "2" else "3")
    assert check_code(secret, "dev1", flipped, set()) is None
    assert check_code(secret, "dev1", "short", set()) is None
    assert check_code(secret, "dev1", "0O1I0-O1I0O", set()) is None  # not the alphabet
    with pytest.raises(ValueError):
        make_code(secret, "dev1", 0)


# -- a real store and a real server --------------------------------------------------------------


def admin(server, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "admin", "--db", server.db_url, *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60)


def set_last_sync(store, ms: int) -> None:
    with store.db.transaction():
        store.db.execute("UPDATE meta SET value = ? WHERE key = 'offline.last_sync_ms'",
                         (str(ms),))


def test_a_store_learns_the_policy_expires_and_is_lifted_by_a_code_or_a_sync(
        make_store, sync_server):  # noqa: F811
    store = make_store("a", worker_name="佐藤 花子")
    assert store.offline_status().state == NO_LIMIT  # not enrolled: no limit
    sync_server.enroll(store)
    policy = store.offline_policy()
    assert policy.max_days == 30 and policy.last_sync_ms is not None
    assert store.offline_status().state == OK

    now = store.offline_status().now_ms
    set_last_sync(store, now - 31 * DAY_MS)
    assert store.offline_status().expired
    # the system clock turned back to just after that sync changes nothing: the hybrid clock
    # carries the time of the store's last change
    assert store.offline_status(system_ms=now - 30 * DAY_MS - 3_600_000).expired
    assert store.engine.clock.last >> COUNTER_BITS >= now - 60_000

    result = admin(sync_server, "unlock-code", "--device", store.site)
    assert result.returncode == 0, result.stderr
    code = result.stdout.strip().rsplit(": ", 1)[1]
    assert not store.use_unlock_code("ABCDE-FGHJK")
    assert store.use_unlock_code(code)
    assert store.offline_status().state == OK
    set_last_sync(store, now - 62 * DAY_MS)
    with store.db.transaction():  # the code's own period has run out too
        store.db.execute("UPDATE meta SET value = ? WHERE key = 'offline.unlocked_ms'",
                         (str(now - 31 * DAY_MS),))
    assert store.offline_status().expired
    assert not store.use_unlock_code(code)  # the same code works once
    assert store.offline_status().expired

    # the administrator shortens the period; a sync both tells the laptop and lifts the limit
    assert admin(sync_server, "set-policy", "--max-offline-days", "14").returncode == 0
    SyncClient(store, sync_server.url).sync_once()
    assert store.offline_policy().max_days == 14
    fresh = store.offline_status()
    assert fresh.state == OK and fresh.days_left == 14


def test_the_command_line_shows_no_records_past_the_limit(make_store, sync_server):  # noqa: F811
    store = make_store("cli", worker_name="佐藤 花子")
    store.add_person("山田 太郎", "やまだ たろう", "野尻")
    sync_server.enroll(store)
    set_last_sync(store, store.offline_status().now_ms - 31 * DAY_MS)
    folder = store.data_dir
    store.close()

    def desk(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "outreach_desk.cli", *args, "--data-dir",
                               str(folder)], cwd=ROOT, input=PASSPHRASE + "\n",
                              capture_output=True, text=True, timeout=120)

    refused = desk("search", "山田")
    assert refused.returncode == 1 and "山田" not in refused.stdout
    assert "sync" in refused.stderr
    synced = desk("sync", "--server", sync_server.url)
    assert synced.returncode == 0, synced.stderr
    found = desk("search", "山田")
    assert found.returncode == 0 and "山田" in found.stdout


def test_admin_refuses_bad_policies_and_unknown_devices(sync_server):  # noqa: F811
    assert admin(sync_server, "set-policy", "--max-offline-days", "0").returncode == 1
    assert admin(sync_server, "unlock-code", "--device", "nosuchdevice").returncode == 1
    audit = admin(sync_server, "verify-audit")
    assert audit.returncode == 0
