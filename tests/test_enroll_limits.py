"""Limits on enrollment attempts, with a real server process on 127.0.0.1: a rotated
X-Forwarded-For gets nothing past the per-address limit unless the administrator named the
proxy; the per-code and global ceilings hold even then; the limiter's memory is bounded; and an
unknown code id costs the same Argon2id derivation as a live one."""

from __future__ import annotations

import httpx
import pytest
from sync_fixtures import running_server

from sync.protocol import version_headers
from sync.server import accounts as accounts_module
from sync.server.accounts import Accounts, AuthError
from sync.server.callers import (
    ENROLL_FAILURES_PER_SOURCE,
    ENROLL_GLOBAL,
    ENROLL_PER_CODE,
    RateLimiter,
)
from sync.server.db import Database

HEADERS = version_headers()


def attempt(server, code: str, forwarded_for: str, device: str = "dev-x") -> httpx.Response:
    return httpx.post(f"{server.url}/v1/enroll", json={"code": code, "device": device},
                      headers={**HEADERS, "X-Forwarded-For": forwarded_for}, timeout=30)


def address(number: int) -> str:
    return f"203.0.{number >> 8 & 255}.{number & 255}"


def test_a_rotated_forwarded_for_does_not_get_past_the_limit(tmp_path):
    failures = ENROLL_FAILURES_PER_SOURCE[0]
    with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path) as server:
        statuses = [attempt(server, f"AAA{n % 10}-BBBB-CCCC-DDDD", address(n)).status_code
                    for n in range(failures + 5)]
    assert statuses == [403] * failures + [429] * 5  # all counted for 127.0.0.1


def test_a_named_proxy_is_believed_and_the_per_code_and_global_ceilings_hold(tmp_path):
    per_code, in_all = ENROLL_PER_CODE[0], 30  # per minute; the default is ENROLL_GLOBAL
    assert in_all < ENROLL_GLOBAL[0]
    with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path,
                        "--trusted-proxy", "127.0.0.1", "--no-access-log",
                        "--enroll-ceiling", str(in_all)) as server:
        # one code id, guessed from ever new addresses: the per-code ceiling
        same_code = [attempt(server, "AAAA-BBBB-CCCC-DDDD", address(n)).status_code
                     for n in range(per_code + 2)]
        assert same_code == [403] * per_code + [429, 429]
        # other ids are not blocked by it (each address is new, so no per-address limit binds)
        counted = per_code
        statuses = []
        for n in range(in_all + 5):
            code_id = "".join("23456789ABCDEFGH"[(n >> shift) & 15] for shift in (12, 8, 4, 0))
            statuses.append(attempt(server, f"{code_id}-BBBB-CCCC-DDDD",
                                    address(1000 + n)).status_code)
        assert statuses == [403] * (in_all - counted) + [429] * (5 + counted)
        # … and at the global ceiling even a good code from a fresh address waits
        good = server.issue_code("sato")
        refused = attempt(server, good, address(5000), device="dev-good")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_the_limiter_forgets_idle_keys_and_holds_a_bounded_number():
    now = [0.0]
    limiter = RateLimiter(2, 10.0, clock=lambda: now[0], max_keys=100)
    for n in range(1000):
        assert limiter.allow(f"k{n}") == 0.0
    assert len(limiter) == 100  # the longest idle beyond the bound are forgotten
    assert limiter.allow("k999") == 0.0 and limiter.allow("k999") == pytest.approx(10.0)
    now[0] += 10.5
    assert limiter.allow("new") == 0.0
    assert len(limiter) == 1  # keys out of the window are gone
    limiter.add("new")
    assert limiter.blocked("new") == pytest.approx(10.0)
    assert limiter.blocked("never seen") == 0.0 and len(limiter) == 1


def test_unknown_spent_and_live_code_ids_do_the_same_work(tmp_path, monkeypatch):
    db = Database(f"sqlite:///{tmp_path / 'server.db'}")
    try:
        db.migrate()
        accounts = Accounts(db)
        accounts.add_team("野尻担当")
        accounts.add_user("sato", "佐藤 花子", "worker", ["野尻担当"])
        live = accounts.issue_code("sato")
        spent = accounts.issue_code("sato")
        accounts.enroll(spent, "dev-spent")
        derived: list[bytes] = []
        real = accounts_module._code_hash

        def counting(secret: str, salt: bytes) -> str:
            derived.append(salt)
            return real(secret, salt)

        monkeypatch.setattr(accounts_module, "_code_hash", counting)
        unknown = "ZZZZ" + live[4:] if not live.startswith("ZZZZ") else "YYYY" + live[4:]
        wrong_secret = live[:-1] + ("2" if live[-1] != "2" else "3")
        for code in (wrong_secret, unknown, spent, "ZZZZ-SHORT", "QQQQ-あいうえおかきくけこさし"):
            before = len(derived)
            with pytest.raises(AuthError):
                accounts.enroll(code, "dev-a")
            assert len(derived) == before + 1, code  # one Argon2id derivation each
        assert derived[0] != accounts_module.DUMMY_SALT  # the live code's own salt
        assert derived[1:] == [accounts_module.DUMMY_SALT] * 4
        assert accounts.enroll(live, "dev-a").principal.login == "sato"  # still works
    finally:
        db.close()
