"""A real sync server process on 127.0.0.1 for the tests (no in-process fakes).

``running_server(db_url)`` starts ``python -m sync.server.cli --db URL --host 127.0.0.1 --port P``
on a free port, waits for ``GET /v1/health``, yields a ``ServerProcess`` (``url``, ``kill()``,
``restart()``) and stops it afterwards. Fixtures: ``sync_server`` (SQLite file in the test's
folder), ``postgres_url`` (a fresh database on a real PostgreSQL, see ``postgres_cluster``).
Import what a module needs: ``from sync_fixtures import sync_server``.

Every sync request needs an enrolled device: ``server.enroll(store)`` does what an administrator
and a worker do (a team and a user through the admin code on the server's database, a one-time
code, then the real ``/v1/enroll`` from the client); ``ensure_enrolled(store, url)`` does it once
for the server behind ``url`` (a proxy's URL maps to the server behind it, see ``in_front_of``).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from sync.protocol import version_headers

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEAM = "野尻担当"


def write_tls_files(ca, folder: Path) -> tuple[Path, Path, Path]:
    """A certificate ``ca`` (a ``trustme.CA``) issues for 127.0.0.1, written as the server's
    certificate chain and key, and the CA's own certificate: (cert, key, CA file)."""
    issued = ca.issue_cert("127.0.0.1", "localhost")
    cert, key, ca_file = folder / "server.pem", folder / "server.key", folder / "ca.pem"
    issued.cert_chain_pems[0].write_to_path(cert)
    for extra in issued.cert_chain_pems[1:]:
        extra.write_to_path(cert, append=True)
    issued.private_key_pem.write_to_path(key)
    ca.cert_pem.write_to_path(ca_file)
    return cert, key, ca_file


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServerProcess:
    db_url: str
    port: int
    log_path: Path
    proc: subprocess.Popen | None = None
    extra_args: list[str] = field(default_factory=list)
    ca_file: Path | None = None  # HTTPS (--tls-cert in extra_args): the CA that signed it

    @property
    def url(self) -> str:
        return f"{'https' if self.ca_file else 'http'}://127.0.0.1:{self.port}"

    @property
    def verify(self) -> ssl.SSLContext | bool:
        return ssl.create_default_context(cafile=str(self.ca_file)) if self.ca_file else True

    def start(self, timeout: float = 30.0) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 (closed with the process)
        audit_key = ([] if self.db_url.startswith("sqlite") or "--audit-key" in self.extra_args
                     else ["--audit-key", str(self.log_path.parent / "audit.key")])  # not in ROOT
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sync.server.cli", "--db", self.db_url, "--host",
             "127.0.0.1", "--port", str(self.port), *self.extra_args, *audit_key],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sync server exited: {self.log_path.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/v1/health", timeout=1.0,
                             verify=self.verify).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"sync server did not start: {self.log_path.read_text()}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs (a crash or a power cut)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> None:
        self.stop()
        self.start()

    @contextlib.contextmanager
    def accounts(self) -> Iterator:
        """The administration of this server's database (what ``admin`` commands use)."""
        from sync.server.accounts import Accounts
        from sync.server.db import Database

        db = Database(self.db_url)
        try:
            yield Accounts(db)
        finally:
            db.close()

    def issue_code(self, login: str, *, role: str = "worker",
                   teams: tuple[str, ...] = (DEFAULT_TEAM,)) -> str:
        """A one-time enrollment code for ``login`` (user and teams made when missing)."""
        with self.accounts() as accounts:
            known = set(accounts.list_teams())
            for team in teams:
                if team not in known:
                    accounts.add_team(team)
            if login not in {user["login"] for user in accounts.list_users()}:
                accounts.add_user(login, f"{login} さん", role, list(teams))
            return accounts.issue_code(login)

    def enroll(self, store, *, login: str | None = None, role: str = "worker",
               teams: tuple[str, ...] = (DEFAULT_TEAM,)):
        from sync.client import enroll

        code = self.issue_code(login or f"user-{store.site}", role=role, teams=teams)
        return enroll(store, self.url, code)

    def token(self, device: str, *, login: str = "tester") -> str:
        """A credential for a device id (no store: for tests that speak the protocol by hand)."""
        code = self.issue_code(login)
        response = httpx.post(f"{self.url}/v1/enroll", json={"code": code, "device": device},
                              headers=version_headers(), timeout=30, verify=self.verify)
        assert response.status_code == 200, response.text
        return response.json()["token"]


_SERVERS: dict[str, ServerProcess] = {}  # url (of the server or a proxy) -> the server


def in_front_of(url: str, server: ServerProcess) -> None:
    """``url`` (a proxy) leads to ``server``."""
    _SERVERS[url] = server


def ensure_enrolled(store, url: str) -> None:
    if store.enrollment() is None:
        _SERVERS[url].enroll(store)


@contextlib.contextmanager
def running_server(db_url: str, folder: Path, *extra_args: str,
                   ca_file: Path | None = None) -> Iterator[ServerProcess]:
    server = ServerProcess(db_url, free_port(), folder / "server.log", extra_args=list(extra_args),
                           ca_file=ca_file)
    server.start()
    in_front_of(server.url, server)
    try:
        yield server
    finally:
        server.stop()
        for url in [url for url, known in _SERVERS.items() if known is server]:
            del _SERVERS[url]


@pytest.fixture
def sync_server(tmp_path) -> Iterator[ServerProcess]:
    """A server process over a fresh SQLite file."""
    with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path) as server:
        yield server


# -- PostgreSQL ---------------------------------------------------------------------------------
#
# One PostgreSQL cluster per test session, one fresh database per test. Where it comes from, in
# this order:
#   1. OUTREACH_TEST_POSTGRES_URL: an existing server (a CI service container); the URL names a
#      role that may CREATE DATABASE, e.g. postgresql://postgres:pw@localhost:5432/postgres.
#   2. the `pgserver` package (a test dependency; its wheel bundles PostgreSQL 16). As root it
#      runs the server as a system user `pgserver`, which it creates with `useradd`, and makes
#      the folders above its data folder and its binaries (in .venv) readable by others.
#   3. initdb/pg_ctl of a system PostgreSQL (PATH, /usr/lib/postgresql/*/bin), run as the current
#      user or, as root, as `postgres` or `nobody`.
# When none of them works the PostgreSQL tests *fail* (with what each attempt said) rather than
# skip; OUTREACH_SKIP_POSTGRES=1 turns that into an explicit skip.


@dataclass
class PostgresCluster:
    """A running PostgreSQL reachable as superuser ``user`` at ``host`` (a socket folder or a
    host name) and ``port``."""

    host: str
    port: int
    user: str = "postgres"
    password: str | None = None
    how: str = ""
    stop: Callable[[], None] = lambda: None
    bindir: Path | None = None  # its client programs (pg_dump, pg_restore); None: the PATH

    def url(self, database: str) -> str:
        """An SQLAlchemy URL (psycopg 3) for one of its databases."""
        from sqlalchemy.engine import URL

        if self.host.startswith("/"):
            url = URL.create("postgresql+psycopg", username=self.user, password=self.password,
                             database=database, query={"host": self.host, "port": str(self.port)})
        else:
            url = URL.create("postgresql+psycopg", username=self.user, password=self.password,
                             host=self.host, port=self.port, database=database)
        return url.render_as_string(hide_password=False)

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host=self.host, port=self.port, user=self.user,
                             password=self.password, dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self) -> str:
        name = f"outreach_test_{uuid.uuid4().hex[:12]}"
        self.admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _external_postgres(url: str) -> PostgresCluster:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    cluster = PostgresCluster(
        host=parsed.host or parsed.query.get("host") or "localhost",
        port=parsed.port or int(parsed.query.get("port", 5432)),
        user=parsed.username or "postgres", password=parsed.password,
        how="OUTREACH_TEST_POSTGRES_URL")
    cluster.admin("SELECT 1")
    return cluster


def _pgserver_postgres() -> PostgresCluster:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR not set
        import pgserver

    folder = Path(tempfile.mkdtemp(prefix="outreach-pg-"))
    server = pgserver.get_server(folder, cleanup_mode="delete")
    info = server.get_postmaster_info()
    return PostgresCluster(host=str(info.socket_dir), port=info.port or 5432,
                           how=f"pgserver ({folder})", stop=server.cleanup,
                           bindir=Path(pgserver.__file__).parent / "pginstall" / "bin")


def _system_postgres() -> PostgresCluster:
    candidates = [os.path.dirname(p) for p in (shutil.which("pg_ctl"),) if p]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    bindir = next((Path(d) for d in candidates if (Path(d) / "initdb").exists()), None)
    if bindir is None:
        raise RuntimeError("no initdb/pg_ctl found")
    folder = Path(tempfile.mkdtemp(prefix="outreach-pgsys-"))
    data, sockets = folder / "data", folder / "run"
    sockets.mkdir()
    run_as: dict = {}
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # PostgreSQL refuses to run as root
        import pwd

        account = next(name for name in ("postgres", "nobody") if _user_exists(name))
        entry = pwd.getpwnam(account)
        folder.chmod(0o755)
        for path in (folder, sockets):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        run_as = {"user": entry.pw_uid, "group": entry.pw_gid}
    port = free_port()

    def pg(*args: str) -> None:
        subprocess.run([str(bindir / args[0]), *args[1:]], check=True, capture_output=True,
                       timeout=60, cwd=folder, **run_as)

    pg("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    pg("pg_ctl", "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
       f"-k {sockets} -h '' -p {port}", "start")

    def stop() -> None:
        with contextlib.suppress(Exception):
            pg("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)

    return PostgresCluster(host=str(sockets), port=port, how=f"system PostgreSQL ({bindir})",
                           stop=stop, bindir=bindir)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    if os.environ.get("OUTREACH_SKIP_POSTGRES") == "1":
        pytest.skip("OUTREACH_SKIP_POSTGRES=1: PostgreSQL tests skipped on request")
    attempts = []
    external = os.environ.get("OUTREACH_TEST_POSTGRES_URL")
    starters = [("OUTREACH_TEST_POSTGRES_URL", lambda: _external_postgres(external))] \
        if external else [("pgserver", _pgserver_postgres), ("system", _system_postgres)]
    for name, start in starters:
        try:
            cluster = start()
            break
        except Exception as exc:  # noqa: BLE001 (each failure is reported below)
            attempts.append(f"{name}: {type(exc).__name__}: {exc}")
    else:
        raise RuntimeError("could not start PostgreSQL for the tests (set OUTREACH_SKIP_POSTGRES=1 "
                           "to skip them explicitly):\n" + "\n".join(attempts))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster, monkeypatch) -> Iterator[str]:
    """An SQLAlchemy URL of a fresh, empty database (dropped after the test). Its server's
    key-encryption key is in ``$OUTREACH_SYNC_KEK`` for the test (servers, command lines and
    ``Database`` objects of the test all find it there: a PostgreSQL database has no default
    key file)."""
    from sync.server.data_key import ENV_KEK, encode_kek, new_kek

    monkeypatch.setenv(ENV_KEK, encode_kek(new_kek()))
    name = postgres_cluster.create_database()
    try:
        yield postgres_cluster.url(name)
    finally:
        postgres_cluster.drop_database(name)


__all__ = ["PostgresCluster", "ServerProcess", "free_port", "postgres_cluster", "postgres_url",
           "running_server", "sync_server"]
