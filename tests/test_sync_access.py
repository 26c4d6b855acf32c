"""Who may use the sync server: enrollment codes, per-device credentials, revocation with a wipe,
disabled users, the admin command line, rate limits. Real server processes on 127.0.0.1, real
stores on disk, the real ``outreach-desk`` and ``outreach-sync-server`` commands.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from support import PASSPHRASE
from sync_fixtures import DEFAULT_TEAM, running_server, sync_server  # noqa: F401 (fixture)

from sync.client import SyncClient, SyncError, enroll
from sync.protocol import auth_headers, version_headers, versions
from sync.server.accounts import CODE_MAX_FAILURES, normalize_code
from sync.server.app import RateLimiter

ROOT = Path(__file__).resolve().parent.parent
HEADERS = version_headers()


def admin(server, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "admin", "--db", server.db_url, *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60)


def desk(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "outreach_desk.cli", *args], cwd=ROOT,
                          input=stdin, capture_output=True, text=True, timeout=120)


def code_from(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().rsplit(": ", 1)[1]


def test_the_admin_command_enrolls_a_laptop_that_then_syncs(make_store, sync_server):  # noqa: F811
    assert admin(sync_server, "add-team", "小林担当").returncode == 0
    added = admin(sync_server, "add-user", "kobayashi", "--name", "小林 一郎", "--role",
                  "worker", "--team", "小林担当")
    assert added.returncode == 0, added.stderr
    listed = admin(sync_server, "users")
    assert "kobayashi\t小林 一郎\tworker\t小林担当" in listed.stdout
    code = code_from(admin(sync_server, "enroll-code", "kobayashi", "--minutes", "10"))
    assert len(normalize_code(code)) == 16

    store = make_store("a", worker_name="小林 一郎")
    store.add_person("山田 太郎", "やまだ たろう", "北区")
    with pytest.raises(SyncError) as caught:  # not enrolled yet: no request is even sent
        SyncClient(store, sync_server.url).sync_once()
    assert caught.value.kind == "unenrolled"
    store.close()

    enrolled = desk("enroll", "--data-dir", str(store.data_dir), "--server", sync_server.url,
                    "--code", code.lower().replace("-", " "), stdin=PASSPHRASE + "\n")
    assert enrolled.returncode == 0, enrolled.stderr
    assert enrolled.stdout.strip() == "enrolled as kobayashi (worker; teams: 小林担当)"
    synced = desk("sync", "--data-dir", str(store.data_dir), "--server", sync_server.url,
                  stdin=PASSPHRASE + "\n")
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.startswith("sent ")

    devices = admin(sync_server, "devices").stdout.splitlines()
    assert len(devices) == 1 and "\tkobayashi\t" in devices[0] and "REVOKED" not in devices[0]
    assert "last seen" in devices[0]
    again = desk("enroll", "--data-dir", str(store.data_dir), "--server", sync_server.url,
                 "--code", code, stdin=PASSPHRASE + "\n")  # a code works once
    assert again.returncode == 1
    assert "登録コードが正しくないか、期限切れか、使用済みです" in again.stderr


def test_the_credential_lives_only_inside_the_encrypted_store(make_store, sync_server):  # noqa: F811
    store = make_store("a")
    answer = sync_server.enroll(store)
    assert store.enrollment()["token"] == answer.token
    for path in store.data_dir.iterdir():
        assert answer.token.encode() not in path.read_bytes(), path.name
    with sync_server.accounts() as accounts:
        rows = accounts.db.engine.connect().execute(sa.text("SELECT * FROM device_keys")).all()
    assert rows and all(answer.token not in str(row) for row in rows)  # only its SHA-256


def test_codes_expire_burn_after_wrong_guesses_and_name_a_user(make_store, sync_server):  # noqa: F811
    store = make_store("a")
    code = sync_server.issue_code("sato")
    wrong = code[:-1] + ("2" if code[-1] != "2" else "3")
    for _ in range(CODE_MAX_FAILURES):
        with pytest.raises(SyncError) as caught:
            enroll(store, sync_server.url, wrong)
        assert caught.value.kind == "denied"
    with pytest.raises(SyncError):  # the right code, too late: burnt by the guesses
        enroll(store, sync_server.url, code)

    expired = sync_server.issue_code("sato")
    with sync_server.accounts() as accounts, accounts.db.writing() as conn:
        conn.execute(sa.text("UPDATE enrollment_codes SET expires_at = :t"),
                     {"t": datetime.now(UTC) - timedelta(seconds=1)})
    with pytest.raises(SyncError):
        enroll(store, sync_server.url, expired)
    assert store.enrollment() is None

    fresh = sync_server.issue_code("sato")
    assert admin(sync_server, "set-user", "sato", "--disable").returncode == 0
    with pytest.raises(SyncError):  # a disabled user's code is refused too
        enroll(store, sync_server.url, fresh)
    assert admin(sync_server, "enroll-code", "sato").returncode == 1  # and none is issued
    assert store.enrollment() is None


def test_forged_missing_and_other_devices_credentials_are_refused(
        make_store, sync_server):  # noqa: F811
    a, b = make_store("a"), make_store("b")
    sync_server.enroll(a)
    sync_server.enroll(b)
    token_a = a.enrollment()["token"]
    attempts = {
        "no credential": {},
        "forged": auth_headers("x" * 43),
        "empty": {"Authorization": "Bearer"},
        "not bearer": {"Authorization": f"Basic {token_a}"},
    }
    push_as_b = {**versions(), "device": b.site, "changes": []}
    refused = 0
    for name, headers in attempts.items():
        for method, path, body in (("GET", "/v1/changes", None),
                                   ("GET", f"/v1/devices/{a.site}", None),
                                   ("POST", "/v1/push", push_as_b)):
            response = httpx.request(method, f"{sync_server.url}{path}", json=body,
                                     headers={**HEADERS, **headers}, timeout=10)
            assert response.status_code == 401, (name, path, response.text)
            assert response.json()["code"] == "unauthenticated"
            assert token_a not in response.text and b.site not in response.text
            refused += 1
    assert refused == 12
    # a's credential cannot push b's changes nor read b's state
    with_a = {**HEADERS, **auth_headers(token_a)}
    pushed = httpx.post(f"{sync_server.url}/v1/push", json=push_as_b, headers=with_a)
    assert pushed.status_code == 403 and pushed.json()["code"] == "forbidden"
    state = httpx.get(f"{sync_server.url}/v1/devices/{b.site}", headers=with_a)
    assert state.status_code == 403


def test_a_revoked_laptop_is_refused_at_once_and_wipes_itself(make_store, sync_server):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    a.add_person("山田 太郎", "やまだ たろう", "北区")
    sync_server.enroll(a, login="sato")
    SyncClient(a, sync_server.url).sync_once()
    folder, site, token = a.data_dir, a.site, a.enrollment()["token"]
    a.add_person("田中 次郎", "たなか じろう", "南区")  # made after the last sync: lost by design
    a.close()

    revoked = admin(sync_server, "revoke-device", site)
    assert revoked.returncode == 0, revoked.stderr
    assert "REVOKED" in admin(sync_server, "devices").stdout
    answer = httpx.get(f"{sync_server.url}/v1/changes",
                       headers={**HEADERS, **auth_headers(token)})
    assert answer.status_code == 403 and answer.json()["wipe"] is True
    assert "田中" not in answer.text and "山田" not in answer.text

    result = desk("sync", "--data-dir", str(folder), "--server", sync_server.url,
                  stdin=PASSPHRASE + "\n")
    assert result.returncode == 1
    assert "取り消されました" in result.stderr and "erased" in result.stderr
    assert list(folder.iterdir()) == []  # database, WAL and key file are gone

    # a revoked device never comes back, not even with a fresh code for its user
    from sync.server.accounts import AuthError

    code = sync_server.issue_code("sato")
    with sync_server.accounts() as accounts, pytest.raises(AuthError):
        accounts.enroll(code, site)
    assert httpx.get(f"{sync_server.url}/v1/changes",
                     headers={**HEADERS, **auth_headers(token)}).status_code == 403


def test_a_disabled_user_loses_access_on_every_endpoint_at_once(make_store, sync_server):  # noqa: F811
    a = make_store("a")
    sync_server.enroll(a, login="suzuki")
    token = a.enrollment()["token"]
    headers = {**HEADERS, **auth_headers(token)}
    assert httpx.get(f"{sync_server.url}/v1/changes", headers=headers).status_code == 200
    assert admin(sync_server, "set-user", "suzuki", "--disable").returncode == 0
    for response in (
        httpx.get(f"{sync_server.url}/v1/changes", headers=headers),
        httpx.get(f"{sync_server.url}/v1/devices/{a.site}", headers=headers),
        httpx.post(f"{sync_server.url}/v1/push", headers=headers,
                   json={**versions(), "device": a.site, "changes": []}),
    ):
        assert response.status_code == 403 and response.json() == {
            "code": "disabled", "message": response.json()["message"], "wipe": False,
            "invalid": []}  # invalid: the changes of a push the server cannot take (none here)
    with pytest.raises(SyncError) as caught:
        SyncClient(a, sync_server.url).sync_once()
    assert caught.value.kind == "denied"
    assert a.enrollment() is not None  # a disabled user's laptop is not wiped
    assert admin(sync_server, "set-user", "suzuki", "--enable").returncode == 0
    SyncClient(a, sync_server.url).sync_once()


def test_enrollment_attempts_are_limited_per_source(make_store, tmp_path):
    with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path) as server:
        store = make_store("a")
        statuses = []
        for _ in range(12):
            response = httpx.post(f"{server.url}/v1/enroll", headers=HEADERS,
                                  json={"code": "AAAA-BBBB-CCCC-DDDD", "device": store.site})
            statuses.append(response.status_code)
        assert statuses[:10] == [403] * 10 and statuses[10:] == [429, 429]
        assert int(response.headers["Retry-After"]) > 0
        good = server.issue_code("sato")  # even a good code waits: the address is blocked
        with pytest.raises(SyncError) as caught:
            enroll(store, server.url, good)
        assert caught.value.kind == "offline" and "多すぎます" in caught.value.message


def test_rate_limiter_counts_in_a_sliding_window():
    now = [100.0]
    limiter = RateLimiter(3, 10.0, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.allow("a") == pytest.approx(10.0)
    assert limiter.allow("b") == 0.0  # per key
    now[0] += 9.5
    assert limiter.allow("a") == pytest.approx(0.5)
    now[0] += 0.6
    assert limiter.allow("a") == 0.0


def test_admin_refuses_what_it_cannot_do(sync_server):  # noqa: F811
    assert admin(sync_server, "add-team", DEFAULT_TEAM).returncode == 0
    twice = admin(sync_server, "add-team", DEFAULT_TEAM)
    assert twice.returncode == 1 and "exists already" in twice.stderr
    no_team = admin(sync_server, "add-user", "x", "--name", "X", "--role", "worker",
                    "--team", "無い担当")
    assert no_team.returncode == 1 and "no such team" in no_team.stderr
    assert admin(sync_server, "revoke-device", "nothing").returncode == 1
    bad_role = admin(sync_server, "add-user", "x", "--name", "X", "--role", "boss")
    assert bad_role.returncode == 2 and "Traceback" not in bad_role.stderr


# -- the audit trail ----------------------------------------------------------------------------


def test_the_audit_trail_records_who_moved_which_cases_and_detects_tampering(
        make_store, sync_server, tmp_path):  # noqa: F811
    a, b = make_store("a", worker_name="佐藤 花子"), make_store("b", worker_name="鈴木 一郎")
    sync_server.enroll(a, login="sato")
    sync_server.enroll(b, login="suzuki")
    person = a.add_person("山田 太郎", "やまだ たろう", "北区")
    case = a.open_case(opened_on="2025-01-06", referral_source="sns", district="北区",
                       person_id=person)
    a.record_visit(case, occurred_at="2025-06-01T10:00+09:00", kind="phone",
                   met_with="person", relationship_stage="met_person", narrative="電話で話せた")
    SyncClient(a, sync_server.url).sync_once()
    SyncClient(b, sync_server.url).sync_once()
    assert admin(sync_server, "revoke-device", b.site).returncode == 0

    exported = tmp_path / "audit.csv"
    assert admin(sync_server, "export-audit", "--to", str(exported)).returncode == 0
    raw = exported.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    actions = [(row["login"], row["action"]) for row in rows]
    assert ("sato", "push") in actions and ("suzuki", "pull") in actions
    assert ("(admin command line)", "admin:revoke-device") in actions
    assert [row["action"] for row in rows].count("enroll") == 2
    pushed = next(row for row in rows if row["action"] == "push")
    pulled = next(row for row in rows if row["login"] == "suzuki" and row["action"] == "pull")
    assert case in pushed["case_ids"].split() and case in pulled["case_ids"].split()
    assert pushed["device"] == a.site and pulled["device"] == b.site
    text = raw.decode("utf-8-sig")
    assert "山田" not in text and "電話で話せた" not in text  # identifiers only, no record text

    intact = admin(sync_server, "verify-audit")
    assert intact.returncode == 0 and f"{len(rows)} entries" in intact.stdout

    with sync_server.accounts() as accounts, accounts.db.writing() as conn:  # edit one entry
        conn.execute(sa.text("UPDATE audit_log SET login = 'nobody' WHERE seq = 3"))
    edited = admin(sync_server, "verify-audit")
    assert edited.returncode == 1 and "BROKEN at entry 3" in edited.stderr
    with sync_server.accounts() as accounts, accounts.db.writing() as conn:  # put it back,
        conn.execute(sa.text("UPDATE audit_log SET login = :l WHERE seq = 3"),
                     {"l": rows[2]["login"]})
        conn.execute(sa.text("DELETE FROM audit_log WHERE seq = 2"))  # then remove another
    removed = admin(sync_server, "verify-audit")
    assert removed.returncode == 1 and "BROKEN at entry 2" in removed.stderr


# -- team scoping -------------------------------------------------------------------------------


def _team_case(store, name: str, kana: str) -> tuple[str, str]:
    person = store.add_person(name, kana, "野尻")
    case = store.open_case(opened_on="2025-01-06", referral_source="sns", district="野尻",
                           person_id=person)
    store.record_visit(case, occurred_at="2025-06-01T10:00+09:00", kind="phone",
                       met_with="person", relationship_stage="met_person",
                       narrative=f"{name}さんと電話で話せた")
    return person, case


def test_each_team_pulls_only_its_own_cases_and_supervisors_their_teams(
        make_store, sync_server):  # noqa: F811
    nojiri = make_store("nojiri", worker_name="佐藤 花子")
    kobayashi = make_store("kobayashi", worker_name="小林 一郎")
    supervisor = make_store("supervisor", worker_name="田中 課長")
    sync_server.enroll(nojiri, login="sato", teams=("野尻担当",))
    sync_server.enroll(kobayashi, login="kobayashi", teams=("小林担当",))
    sync_server.enroll(supervisor, login="tanaka", role="supervisor",
                       teams=("野尻担当", "小林担当"))
    _, n_case = _team_case(nojiri, "山田 太郎", "やまだ たろう")
    _, k_case = _team_case(kobayashi, "鈴木 次郎", "すずき じろう")
    for store in (nojiri, kobayashi, supervisor, nojiri, kobayashi):
        SyncClient(store, sync_server.url).sync_once()

    def cases(store) -> set[str]:
        return {row.id for row in store.list_entities("case")}

    assert cases(nojiri) == {n_case} and cases(kobayashi) == {k_case}
    assert cases(supervisor) == {n_case, k_case}
    assert not kobayashi.search("山田") and nojiri.search("山田")
    # shared reference data (the workers themselves) reaches everyone
    assert {w["name"] for w in kobayashi.list_entities("worker")} >= {"佐藤 花子", "小林 一郎"}


def test_a_change_to_another_teams_case_is_refused_recorded_and_never_served(
        make_store, sync_server):  # noqa: F811
    nojiri = make_store("nojiri", worker_name="佐藤 花子")
    kobayashi = make_store("kobayashi", worker_name="小林 一郎")
    sync_server.enroll(nojiri, login="sato", teams=("野尻担当",))
    sync_server.enroll(kobayashi, login="kobayashi", teams=("小林担当",))
    _, case = _team_case(nojiri, "山田 太郎", "やまだ たろう")
    SyncClient(nojiri, sync_server.url).sync_once()

    # kobayashi's laptop learns the case id some other way and writes to it
    kobayashi.apply_remote([c for c in nojiri.changes() if c.entity == "case"])
    kobayashi.update("case", case, {"referral_note": "小林担当から書き換え"})
    kobayashi.record_visit(case, occurred_at="2025-06-02T10:00+09:00", kind="phone",
                           met_with="nobody", relationship_stage="met_person")
    before = kobayashi.pending_count()
    report = SyncClient(kobayashi, sync_server.url).sync_once()
    assert report.pending == 0 and len(report.refused) >= 3  # acknowledged, stored as refused
    assert all("担当チームの外" in why for _, why in report.refused)
    assert report.pushed == before  # the sequence stays contiguous

    SyncClient(nojiri, sync_server.url).sync_once()
    assert nojiri.get("case", case)["referral_note"] != "小林担当から書き換え"
    assert len(nojiri.visits(case)) == 1
    with sync_server.accounts() as accounts, accounts.db.reading() as conn:
        refused = conn.execute(sa.text(
            "SELECT count(*) FROM changes WHERE refused IS NOT NULL")).scalar()
    assert refused == len(report.refused)


def test_only_a_supervisor_moves_a_case_to_another_team(make_store, sync_server):  # noqa: F811
    worker = make_store("worker", worker_name="佐藤 花子")
    boss = make_store("boss", worker_name="田中 課長")
    other = make_store("other", worker_name="小林 一郎")
    sync_server.enroll(worker, login="sato", teams=("野尻担当",))
    sync_server.enroll(boss, login="tanaka", role="supervisor", teams=("野尻担当", "小林担当"))
    sync_server.enroll(other, login="kobayashi", teams=("小林担当",))
    with sync_server.accounts() as accounts:
        kobayashi_team = accounts.db.engine.connect().execute(sa.text(
            "SELECT id FROM teams WHERE name = '小林担当'")).scalar()
    # the server's teams as team records (what the reassignment screen will do)
    boss_teams = boss.enrollment()
    boss.adopt_teams(list(zip(boss_teams["team_ids"], boss_teams["teams"], strict=True)))
    SyncClient(boss, sync_server.url).sync_once()  # team records are shared data
    _, case = _team_case(worker, "山田 太郎", "やまだ たろう")
    SyncClient(worker, sync_server.url).sync_once()
    assert other.list_entities("case") == []

    worker.update("case", case, {"team_id": kobayashi_team})  # a worker cannot move it
    report = SyncClient(worker, sync_server.url).sync_once()
    assert any("スーパーバイザー" in why for _, why in report.refused)

    SyncClient(boss, sync_server.url).sync_once()
    assert not boss.adopt_teams(list(zip(boss_teams["team_ids"], boss_teams["teams"],
                                         strict=True)))  # nothing left to write
    boss.update("case", case, {"team_id": kobayashi_team})
    assert SyncClient(boss, sync_server.url).sync_once().refused == []
    # the new team's laptop gets the case's changes from now on
    boss.update("case", case, {"referral_note": "小林担当へ引き継ぎ"})
    SyncClient(boss, sync_server.url).sync_once()
    SyncClient(other, sync_server.url).sync_once()
    assert other.get("case", case)["referral_note"] == "小林担当へ引き継ぎ"
