"""The server's data at rest (issue 13, point 5): what laptops sync is sealed in the server's
database under a data key wrapped by a key-encryption key kept outside it.

Real laptops' stores sync records carrying unique strings through a real server process on
loopback; then the server's files are searched for those strings (UTF-8, UTF-16 LE and BE):
SQLite's database, -wal and -shm files, and PostgreSQL's whole data directory after a
CHECKPOINT. Every column of every table is read back too. The record ids, which stay in the
clear, are found in the same files: the search reads the right bytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import time
import uuid
from io import BytesIO
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sync_fixtures import (  # noqa: F401 (fixtures)
    ROOT,
    ServerProcess,
    free_port,
    postgres_cluster,
    postgres_url,
    running_server,
)

from sync.client import SyncClient
from sync.enrollment import enroll
from sync.server.data_key import ENV_KEK, encode_kek, key_file_text, new_kek

TEAM = "野尻担当"


def _cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sync.server.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def _one_line_refusal(run: subprocess.CompletedProcess, *words: str) -> None:
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr, run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    for word in words:
        assert word in lines[0], lines[0]


def _words() -> dict[str, str]:
    tag = uuid.uuid4().hex[:10]
    return {"worker": f"佐藤 秘{tag}", "user": f"利用者{tag}表示名", "household": f"世帯{tag}",
            "address": f"野尻町{tag}の奥の家", "person": f"山田{tag}太郎",
            "narrative": f"玄関先で{tag}について話せた", "note": f"昼夜逆転{tag}メモ",
            "ascii": f"zq{tag}plain"}


def _needles(texts) -> list[tuple[str, str, bytes]]:
    return [(text, codec, text.encode(codec)) for text in texts
            for codec in ("utf-8", "utf-16-le", "utf-16-be")]


def _hits(files: list[Path], needles) -> list[str]:
    found = []
    for path in files:
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, PermissionError):
            continue
        found += [f"{path.name}: {text!r} ({codec})" for text, codec, needle in needles
                  if needle in data]
    return found


def _record(server, make_store, words: dict[str, str]):
    """A laptop with the user's unique display name records a household, a person, a case, a
    visit and a note carrying the unique strings, and syncs them."""
    laptop = make_store("laptop-a", worker_name=words["worker"])
    with server.accounts() as accounts:
        accounts.add_team(TEAM)
        accounts.add_user("sato", words["user"], "worker", [TEAM])
        code = accounts.issue_code("sato")
    enroll(laptop, server.url, code)
    household = laptop.create_household(words["household"], "野尻",
                                        address_note=words["address"])
    person = laptop.add_person(words["person"], "やまだ たろう", "野尻", household_id=household)
    case = laptop.open_case(referral_source="sns", opened_on="2025-05-01", district="野尻", person_id=person,
                            household_id=household)
    laptop.record_visit(case, occurred_at="2025-06-01T10:00+09:00", kind="home_visit",
                        met_with="person", relationship_stage="met_person",
                        narrative=words["narrative"])
    laptop.add_note(case, f"{words['note']} {words['ascii']}")
    SyncClient(laptop, server.url).sync_once()
    return laptop, case


def _check_served(server, make_store, words: dict[str, str], case: str, name: str) -> None:
    """Another laptop of the team receives every record as it was written."""
    reader = make_store(name, worker_name="田中 読者")
    server.enroll(reader, login=f"reader-{name}", teams=(TEAM,))
    SyncClient(reader, server.url).sync_once()
    assert [p.values["name"] for p in reader.list_entities("person")] == [words["person"]]
    household = reader.list_entities("household")[0].values
    assert (household["name"], household["address_note"]) == (words["household"],
                                                               words["address"])
    assert [v["narrative"] for v in reader.visits(case)] == [words["narrative"]]
    assert f"{words['note']} {words['ascii']}" in [
        n.values["text"] for n in reader.list_entities("note")]


def _secrets_of(laptop) -> list[str]:
    """The laptop's unlock secret (hex) and its token's plain SHA-256 (what the server kept
    before): neither may be in the server's database."""
    token = laptop.enrollment()["token"]
    secret = laptop._meta("offline.secret")["offline.secret"]
    assert len(secret) >= 32
    return [secret, hashlib.sha256(token.encode()).hexdigest()]


def _column_hits(db_url: str, needles) -> tuple[list[str], int]:
    """Every value of every column of every table, searched; and how many values were read."""
    from sync.server.db import Database

    db = Database(db_url)
    found, values = [], 0
    try:
        with db.reading() as conn:
            for table in sa.inspect(conn).get_table_names():
                for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')).mappings():
                    for column, value in row.items():
                        values += 1
                        data = (value if isinstance(value, bytes)
                                else str(value).encode("utf-8"))
                        found += [f"{table}.{column}: {text!r} ({codec})"
                                  for text, codec, needle in needles if needle in data]
    finally:
        db.close()
    return found, values


def _sqlite_files(db_file: Path) -> list[Path]:
    return [db_file, db_file.with_name(db_file.name + "-wal"),
            db_file.with_name(db_file.name + "-shm")]


def _pg_data_files(postgres_cluster) -> list[Path]:  # noqa: F811
    import psycopg

    with psycopg.connect(host=postgres_cluster.host, port=postgres_cluster.port,
                         user=postgres_cluster.user, password=postgres_cluster.password,
                         dbname="postgres", autocommit=True) as conn:
        conn.execute("CHECKPOINT")
        folder = Path(conn.execute("SHOW data_directory").fetchone()[0])
    files = [Path(root) / name for root, _, names in os.walk(folder, followlinks=True)
             for name in names if (Path(root) / name).is_file()]  # not its socket
    assert any(path.parent.name == "pg_wal" for path in files), folder
    return files


# -- nothing readable --------------------------------------------------------------------------


def test_an_sqlite_servers_files_hold_no_synced_text(make_store, tmp_path):
    words = _words()
    db_file = tmp_path / "server.db"
    with running_server(f"sqlite:///{db_file}", tmp_path) as server:
        laptop, case = _record(server, make_store, words)
        _check_served(server, make_store, words, case, "reader")
        needles = _needles([*words.values(), *_secrets_of(laptop)])
        assert Path(str(db_file) + "-wal").stat().st_size > 0  # the WAL is searched with data
        running = _hits(_sqlite_files(db_file), needles)
        ids = _hits(_sqlite_files(db_file), _needles([case]))
    assert running == []
    assert ids, "the case id (kept in the clear) should be found: the search reads the files"
    assert _hits(_sqlite_files(db_file), needles) == []  # stopped: checkpointed into the file
    found, values = _column_hits(f"sqlite:///{db_file}", needles)
    assert found == [] and values > 50
    key = db_file.with_name("server.kek")
    assert key.stat().st_mode & 0o777 == 0o600


def test_a_postgresql_servers_data_directory_holds_no_synced_text(
        make_store, tmp_path, postgres_url, postgres_cluster):  # noqa: F811
    words = _words()
    with running_server(postgres_url, tmp_path) as server:
        laptop, case = _record(server, make_store, words)
        _check_served(server, make_store, words, case, "reader")
        needles = _needles([*words.values(), *_secrets_of(laptop)])
        files = _pg_data_files(postgres_cluster)
        assert _hits(files, needles) == []
        assert _hits(files, _needles([case])), "the case id should be in the data files"
        found, values = _column_hits(postgres_url, needles)
        assert found == [] and values > 50


# -- the key --------------------------------------------------------------------------------------


def test_without_its_key_the_server_does_not_start(make_store, tmp_path):
    """Missing, wrong, damaged or others-readable key file: one line, exit 2, no traceback;
    the right key back in place and the same changes are served."""
    words = _words()
    db_file = tmp_path / "server.db"
    url = f"sqlite:///{db_file}"
    with running_server(url, tmp_path) as server:
        _, case = _record(server, make_store, words)
    key = tmp_path / "server.kek"
    kept = tmp_path / "kept.key"
    shutil.move(key, kept)
    port = str(free_port())
    _one_line_refusal(_cli("--db", url, "--port", port), "missing", str(key))
    _one_line_refusal(_cli("admin", "--db", url, "users"), "missing")
    key.write_bytes(key_file_text(new_kek()))
    key.chmod(0o600)
    _one_line_refusal(_cli("--db", url, "--port", port), "not the key of this database")
    key.write_text("outreach-sync key-encryption key 1\nnot base64 at all!\n")
    _one_line_refusal(_cli("--db", url, "--port", port), "not an outreach-sync key")
    shutil.copy(kept, key)
    key.chmod(0o644)
    _one_line_refusal(_cli("--db", url, "--port", port), "chmod 600")
    key.chmod(0o600)
    with running_server(url, tmp_path) as server:
        _check_served(server, make_store, words, case, "after")


def test_admin_init_makes_the_key_file_and_refuses_twice(tmp_path):
    url = f"sqlite:///{tmp_path / 'server.db'}"
    key = tmp_path / "elsewhere" / "sync.kek"
    made = _cli("admin", "--db", url, "--key-file", str(key), "init")
    assert made.returncode == 0, made.stderr
    assert str(key) in made.stdout and "Back that key up" in made.stdout
    assert key.stat().st_mode & 0o777 == 0o600
    first = key.read_text()
    assert first.startswith("outreach-sync key-encryption key 1\n")
    again = _cli("admin", "--db", url, "--key-file", str(key), "init")
    assert again.returncode == 1 and "has its data key already" in again.stderr
    assert key.read_text() == first
    # the default place (beside the database) holds no key: refused, not made there
    _one_line_refusal(_cli("migrate", "--db", url), "missing")
    assert not (tmp_path / "server.kek").exists()
    assert _cli("migrate", "--db", url, "--key-file", str(key)).returncode == 0
    # the key can come from the environment instead (a service credential)
    env_url = f"sqlite:///{tmp_path / 'env.db'}"
    kek = encode_kek(new_kek())
    assert _cli("admin", "--db", env_url, "init", env={ENV_KEK: kek}).returncode == 0
    assert not (tmp_path / "env.kek").exists()
    _one_line_refusal(_cli("migrate", "--db", env_url,
                           env={ENV_KEK: encode_kek(new_kek())}), "not the key")
    assert _cli("migrate", "--db", env_url, env={ENV_KEK: kek}).returncode == 0


def test_a_postgresql_database_needs_a_key_given(postgres_url, monkeypatch):  # noqa: F811
    monkeypatch.delenv(ENV_KEK)
    _one_line_refusal(_cli("migrate", "--db", postgres_url), "--key-file")


def test_rotate_key_rewraps_the_data_key_and_the_old_key_opens_nothing(make_store, tmp_path):
    words = _words()
    db_file = tmp_path / "server.db"
    url = f"sqlite:///{db_file}"
    with running_server(url, tmp_path) as server:
        laptop, case = _record(server, make_store, words)
    key = tmp_path / "server.kek"
    old = key.read_bytes()
    (tmp_path / "old.key").write_bytes(old)
    (tmp_path / "old.key").chmod(0o600)
    rotated = _cli("admin", "--db", url, "rotate-key")
    assert rotated.returncode == 0, rotated.stderr
    assert key.read_bytes() != old and key.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob(".*rotating"))
    _one_line_refusal(_cli("migrate", "--db", url, "--key-file", str(tmp_path / "old.key")),
                      "not the key of this database")
    # to another file (the key was in the environment, say): the old one stops opening too
    moved = tmp_path / "moved.key"
    assert _cli("admin", "--db", url, "rotate-key", "--new-key-file",
                str(moved)).returncode == 0
    _one_line_refusal(_cli("migrate", "--db", url), "not the key of this database")
    shutil.copy(moved, key)
    with running_server(url, tmp_path) as server:
        _check_served(server, make_store, words, case, "after")
        laptop.add_note(case, "ローテーション後のメモ")
        report = SyncClient(laptop, server.url).sync_once()  # its token still works
        assert report.pushed >= 1 and report.pending == 0
    audit = _cli("admin", "--db", url, "export-audit", "--to", str(tmp_path / "a.csv"))
    assert audit.returncode == 0
    assert (tmp_path / "a.csv").read_text("utf-8-sig").count("admin:rotate-key") == 2


# -- upgrading a plaintext database ---------------------------------------------------------------


def _previous_server(folder: Path) -> Path:
    """The server as it was before its data was sealed (the commit before ``data_key.py``)."""
    added = subprocess.run(["git", "log", "--format=%H", "--diff-filter=A", "--",
                            "sync/server/data_key.py"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    assert added, "git history with the commit that added sync/server/data_key.py"
    archive = subprocess.run(["git", "archive", f"{added[-1]}^", "sync", "outreach_desk"],
                             cwd=ROOT, capture_output=True, check=True).stdout
    tree = folder / "previous"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    assert not (tree / "sync/server/data_key.py").exists()
    return tree


def _start_previous(tree: Path, url: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "sync.server.cli", "--db", url, "--host",
                                 "127.0.0.1", "--port", str(port)], cwd=tree, stdout=out,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_plaintext_database_is_sealed_by_the_upgrade_and_serves_the_same(
        make_store, tmp_path, backend, request):
    words = _words()
    db_file = tmp_path / "server.db"
    url = f"sqlite:///{db_file}" if backend == "sqlite" else request.getfixturevalue(
        "postgres_url")
    tree = _previous_server(tmp_path)

    def previous_admin(*args: str) -> str:
        run = _cli("admin", "--db", url, *args, cwd=tree)
        assert run.returncode == 0, run.stderr
        return run.stdout

    previous_admin("add-team", TEAM)
    previous_admin("add-user", "sato", "--name", words["user"], "--role", "worker",
                   "--team", TEAM)
    proc, base = _start_previous(tree, url, tmp_path / "previous.log")
    try:
        laptop = make_store("laptop-a", worker_name=words["worker"])
        enroll(laptop, base, previous_admin("enroll-code", "sato").split()[-1])
        household = laptop.create_household(words["household"], "野尻",
                                            address_note=words["address"])
        person = laptop.add_person(words["person"], "やまだ たろう", "野尻",
                                   household_id=household)
        case = laptop.open_case(referral_source="sns", opened_on="2025-05-01", district="野尻", person_id=person,
                                household_id=household)
        laptop.record_visit(case, occurred_at="2025-06-01T10:00+09:00", kind="home_visit",
                            met_with="person", relationship_stage="met_person",
                            narrative=words["narrative"])
        laptop.add_note(case, f"{words['note']} {words['ascii']}")
        SyncClient(laptop, base).sync_once()
    finally:
        proc.terminate()
        proc.wait(10)
    needles = _needles([*words.values(), *_secrets_of(laptop)])
    before, _ = _column_hits(url, needles)  # the previous server kept it all in the clear
    assert {hit.split(":")[0] for hit in before} >= {
        "changes.body", "users.name", "unlock_secrets.secret", "device_keys.token_hash"}
    if backend == "sqlite":
        assert _hits(_sqlite_files(db_file), _needles([words["narrative"]]))
    server = ServerProcess(url, int(base.rsplit(":", 1)[1]), tmp_path / "server.log")
    server.start()  # the same address the laptop enrolled with; migrates 0006 -> sealed
    try:
        _check_served(server, make_store, words, case, "reader")
        laptop.add_note(case, "移行後のメモ")
        report = SyncClient(laptop, server.url).sync_once()  # its token still works
        assert report.pushed >= 1 and report.pending == 0
        code = _cli("admin", "--db", url, "unlock-code", "--device", laptop.site)
        assert code.returncode == 0, code.stderr
        assert laptop.use_unlock_code(code.stdout.split()[-1])  # its unlock secret still works
    finally:
        server.stop()
    found, values = _column_hits(url, needles)
    assert found == [] and values > 50
    if backend == "sqlite":  # the plaintext it replaced is zeroed in the file, not only unlinked
        assert _hits(_sqlite_files(db_file), needles) == []


def test_a_sealed_value_moved_to_another_row_does_not_open(tmp_path):
    """The associated data binds each ciphertext to its row: swapping two changes' bodies (or
    a body into a user's name) in the database gives an error, never the other row's text."""
    from sync.server.accounts import Accounts
    from sync.server.db import Database, DataKeyError, Incoming

    db = Database(f"sqlite:///{tmp_path / 'server.db'}")
    try:
        db.migrate()
        first, second = ('{"entity":"note","text":"一件目"}', '{"entity":"note","text":"二件目"}')
        db.push("laptop", [Incoming(1, first, False), Incoming(2, second, False)])
        Accounts(db).add_user("sato", "佐藤 花子", "worker", [])
        assert db.change_body("laptop", 2) == second
        with db.writing() as conn:
            conn.execute(sa.text("UPDATE changes SET body = (SELECT body FROM changes "
                                 "WHERE seq = 1) WHERE seq = 2"))
            conn.execute(sa.text("UPDATE users SET name = (SELECT body FROM changes "
                                 "WHERE seq = 1)"))
        assert db.change_body("laptop", 1) == first
        with pytest.raises(DataKeyError, match="does not open"):
            db.change_body("laptop", 2)
        with pytest.raises(DataKeyError, match="does not open"):
            db.pull(0, 10, 1 << 20)
        with pytest.raises(DataKeyError, match="does not open"):
            Accounts(db).list_users()
    finally:
        db.close()
