"""Who may use the sync server: teams, users with a role, enrolled devices, enrollment codes.

- A **user** has a role (``worker``, ``supervisor``, ``administrator``) and belongs to teams
  (a worker: the teams they work in; a supervisor: the teams they supervise). Users are managed
  only from the server's command line (``outreach-sync-server admin …``); the network API has no
  administrative action.
- A **device** (a laptop's store, named by its site id) is enrolled for one user with a one-time
  **enrollment code** the administrator issues: short-lived (30 minutes by default), single-use,
  and burnt after a few wrong guesses. Enrolling gives the device its own credential, a random
  256-bit token; the server keeps only a keyed hash of it (HMAC-SHA-256 under a key derived from
  the server's data key, ``data_key.py``: a token that random needs no slow hash) and the laptop
  keeps it inside its encrypted store. Every request names its device by that token.
- **Revoking** a device refuses its next request with a wipe instruction; **disabling** a user
  refuses every device of theirs at once. Either takes effect on the very next request: the
  credential is looked up on every request, nothing is cached.

Enrollment code secrets are hashed with Argon2id (``cryptography``), like a password would be:
they are short enough to be guessed offline from a stolen database otherwise. A user's display
name is sealed with the data key (the login, an account identifier, stays in the clear).
"""

from __future__ import annotations

import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from .data_key import user_name_aad
from .db import Database, metadata

ROLES = ("worker", "supervisor", "administrator")
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over a phone
CODE_ID_CHARS = 4
CODE_SECRET_CHARS = 12  # 60 bits
CODE_MAX_FAILURES = 5
DEFAULT_CODE_MINUTES = 30
TOKEN_BYTES = 32
# Argon2id for enrollment code secrets: RFC 9106's low-memory setting is plenty for a
# 60-bit, 30-minute, five-guess secret; one check costs ~20 ms.
CODE_KDF = {"length": 32, "iterations": 2, "lanes": 1, "memory_cost": 19 * 1024}

teams = sa.Table(
    "teams",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("name", sa.String(80), nullable=False, unique=True),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("login", sa.String(80), nullable=False, unique=True),
    sa.Column("name", sa.LargeBinary(), nullable=False),  # sealed (data_key.user_name_aad)
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("disabled", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

memberships = sa.Table(
    "memberships",
    metadata,
    sa.Column("user_id", sa.String(40), sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("team_id", sa.String(40), sa.ForeignKey("teams.id"), primary_key=True),
)

device_keys = sa.Table(
    "device_keys",
    metadata,
    sa.Column("site", sa.String(80), primary_key=True),
    sa.Column("user_id", sa.String(40), sa.ForeignKey("users.id"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
)

enrollment_codes = sa.Table(
    "enrollment_codes",
    metadata,
    sa.Column("id", sa.String(8), primary_key=True),
    sa.Column("user_id", sa.String(40), sa.ForeignKey("users.id"), nullable=False),
    sa.Column("salt", sa.String(32), nullable=False),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("failures", sa.Integer(), nullable=False),
)


class AccountError(Exception):
    """An administrative command that cannot be carried out (the message says why)."""


class AuthError(Exception):
    """A request or an enrollment refused. ``code`` goes into the error body; the message never
    says more than the caller may know (e.g. never whether a code exists)."""

    def __init__(self, status: int, code: str, message: str, *, wipe: bool = False):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.wipe = wipe


UNAUTHENTICATED = ("このパソコンはサーバーに登録されていません / "
                   "this device is not enrolled (missing or unknown credential)")
BAD_CODE = ("登録コードが正しくないか、期限切れか、使用済みです / "
            "the enrollment code is wrong, expired or already used")


@dataclass(frozen=True)
class Principal:
    """The caller of a request, from its credential."""

    site: str
    user_id: str
    login: str
    role: str
    team_ids: frozenset[str]


@dataclass(frozen=True)
class Enrolled:
    token: str
    principal: Principal
    team_names: tuple[str, ...]
    team_ids: tuple[str, ...] = ()  # in the order of team_names


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored in UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _code_hash(secret: str, salt: bytes) -> str:
    return Argon2id(salt=salt, **CODE_KDF).derive(secret.encode("utf-8")).hex()


# An unknown, spent, expired or burnt code is hashed with this salt all the same, so that the
# answer takes as long as for a live code (its time tells nothing about which ids exist).
DUMMY_SALT = bytes(16)


def normalize_code(text: str) -> str:
    """What the worker typed, as the code's characters: case, spaces and dashes do not matter."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


class Accounts:
    """Administration and authentication over the server's :class:`Database`."""

    def __init__(self, db: Database):
        self.db = db
        self._seen: dict[str, datetime] = {}

    # -- administration (command line only) -----------------------------------------------

    def add_team(self, name: str) -> str:
        name = name.strip()
        if not name:
            raise AccountError("a team needs a name")
        with self.db.writing() as conn:
            if conn.scalar(sa.select(teams.c.id).where(teams.c.name == name)):
                raise AccountError(f"team {name!r} exists already")
            team_id = uuid.uuid4().hex
            conn.execute(teams.insert().values(id=team_id, name=name))
        return team_id

    def _team_ids(self, conn, names: list[str]) -> list[str]:
        found = dict(conn.execute(sa.select(teams.c.name, teams.c.id)
                                  .where(teams.c.name.in_(names))).all())
        missing = [name for name in names if name not in found]
        if missing:
            raise AccountError(f"no such team: {', '.join(missing)} (add it with add-team)")
        return [found[name] for name in names]

    def _user(self, conn, login: str):
        row = conn.execute(sa.select(users).where(users.c.login == login)).first()
        if row is None:
            raise AccountError(f"no such user: {login!r}")
        return row

    def add_user(self, login: str, name: str, role: str, team_names: list[str]) -> str:
        login = login.strip()
        if not login or not name.strip():
            raise AccountError("a user needs a login and a name")
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        with self.db.writing() as conn:
            if conn.scalar(sa.select(users.c.id).where(users.c.login == login)):
                raise AccountError(f"user {login!r} exists already")
            team_ids = self._team_ids(conn, team_names)
            user_id = uuid.uuid4().hex
            sealed = self.db.data_key.seal_text(name.strip(), user_name_aad(user_id))
            conn.execute(users.insert().values(id=user_id, login=login, name=sealed,
                                               role=role, disabled=False, created_at=_now()))
            if team_ids:
                conn.execute(memberships.insert(),
                             [{"user_id": user_id, "team_id": t} for t in team_ids])
        return user_id

    def set_user(self, login: str, *, role: str | None = None,
                 team_names: list[str] | None = None, disabled: bool | None = None) -> None:
        if role is not None and role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        with self.db.writing() as conn:
            user = self._user(conn, login)
            values = {}
            if role is not None:
                values["role"] = role
            if disabled is not None:
                values["disabled"] = disabled
            if values:
                conn.execute(users.update().where(users.c.id == user.id).values(**values))
            if team_names is not None:
                team_ids = self._team_ids(conn, team_names)
                conn.execute(memberships.delete().where(memberships.c.user_id == user.id))
                if team_ids:
                    conn.execute(memberships.insert(),
                                 [{"user_id": user.id, "team_id": t} for t in team_ids])

    def list_users(self) -> list[dict]:
        with self.db.reading() as conn:
            names = dict(conn.execute(sa.select(teams.c.id, teams.c.name)).all())
            member = {}
            for user_id, team_id in conn.execute(sa.select(memberships)):
                member.setdefault(user_id, []).append(names[team_id])
            key = self.db.data_key
            return [{"login": row.login, "role": row.role,
                     "name": key.open_text(row.name, user_name_aad(row.id)),
                     "disabled": bool(row.disabled), "teams": sorted(member.get(row.id, []))}
                    for row in conn.execute(sa.select(users).order_by(users.c.login))]

    def list_teams(self) -> list[str]:
        with self.db.reading() as conn:
            return list(conn.scalars(sa.select(teams.c.name).order_by(teams.c.name)))

    def issue_code(self, login: str, minutes: int = DEFAULT_CODE_MINUTES) -> str:
        """A one-time enrollment code for ``login``, shown once (only its hash is kept)."""
        if not 1 <= minutes <= 7 * 24 * 60:
            raise AccountError("a code is valid for 1 minute to 7 days")
        with self.db.writing() as conn:
            user = self._user(conn, login)
            if user.disabled:
                raise AccountError(f"user {login!r} is disabled")
            while True:
                code_id = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_ID_CHARS))
                if not conn.scalar(sa.select(enrollment_codes.c.id)
                                   .where(enrollment_codes.c.id == code_id)):
                    break
            secret = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_SECRET_CHARS))
            salt = secrets.token_bytes(16)
            now = _now()
            conn.execute(enrollment_codes.insert().values(
                id=code_id, user_id=user.id, salt=salt.hex(), secret_hash=_code_hash(secret, salt),
                created_at=now, expires_at=now + timedelta(minutes=minutes), used_at=None,
                failures=0))
        return format_code(code_id + secret)

    def list_devices(self) -> list[dict]:
        with self.db.reading() as conn:
            rows = conn.execute(
                sa.select(device_keys, users.c.login)
                .join(users, users.c.id == device_keys.c.user_id)
                .order_by(device_keys.c.enrolled_at))
            return [{"site": row.site, "login": row.login, "enrolled_at": _aware(row.enrolled_at),
                     "revoked_at": row.revoked_at and _aware(row.revoked_at),
                     "last_seen_at": row.last_seen_at and _aware(row.last_seen_at)}
                    for row in rows]

    def revoke_device(self, site: str) -> None:
        with self.db.writing() as conn:
            done = conn.execute(device_keys.update()
                                .where(device_keys.c.site == site,
                                       device_keys.c.revoked_at.is_(None))
                                .values(revoked_at=_now()))
            if done.rowcount == 0:
                known = conn.scalar(sa.select(device_keys.c.site)
                                    .where(device_keys.c.site == site))
                raise AccountError(f"device {site!r} is revoked already" if known
                                   else f"no such device: {site!r}")

    # -- the network side ---------------------------------------------------------------------

    def enroll(self, code_text: str, site: str) -> Enrolled:
        """Spend an enrollment code on device ``site``: its credential, shown once."""
        code = normalize_code(code_text)
        code_id, secret = code[:CODE_ID_CHARS], code[CODE_ID_CHARS:]
        now = _now()
        wrong = False
        with self.db.writing() as conn:
            row = conn.execute(sa.select(enrollment_codes)
                               .where(enrollment_codes.c.id == code_id)).first()
            live = (row is not None and row.used_at is None and _aware(row.expires_at) > now
                    and row.failures < CODE_MAX_FAILURES)
            # one Argon2id derivation whatever the code: a dummy one for a code that is not live
            given = _code_hash(secret[:CODE_SECRET_CHARS * 2],
                               bytes.fromhex(row.salt) if live else DUMMY_SALT)
            if not live or len(secret) != CODE_SECRET_CHARS:
                raise AuthError(403, "enrollment_refused", BAD_CODE)
            wrong = not hmac.compare_digest(row.secret_hash, given)
            if wrong:  # counted (and committed): the fifth wrong guess burns the code
                conn.execute(enrollment_codes.update().where(enrollment_codes.c.id == code_id)
                             .values(failures=row.failures + 1))
            else:
                enrolled = self._spend(conn, code_id, row.user_id, site, now)
        if wrong:
            raise AuthError(403, "enrollment_refused", BAD_CODE)
        return enrolled

    def _spend(self, conn, code_id: str, user_id: str, site: str, now: datetime) -> Enrolled:
        user = conn.execute(sa.select(users).where(users.c.id == user_id)).first()
        if user.disabled:
            raise AuthError(403, "enrollment_refused", BAD_CODE)
        existing = conn.execute(sa.select(device_keys)
                                .where(device_keys.c.site == site)).first()
        if existing is not None and (existing.revoked_at is not None
                                     or existing.user_id != user.id):
            # a revoked laptop's store can never come back, nor one enrolled for another
            raise AuthError(403, "enrollment_refused",
                            "この端末は登録できません / this device cannot be enrolled")
        token = secrets.token_urlsafe(TOKEN_BYTES)
        hashed = self.db.data_key.token_hash(token)
        conn.execute(enrollment_codes.update().where(enrollment_codes.c.id == code_id)
                     .values(used_at=now))
        if existing is None:
            conn.execute(device_keys.insert().values(
                site=site, user_id=user.id, token_hash=hashed, enrolled_at=now,
                revoked_at=None, last_seen_at=None))
        else:  # the same laptop enrolled again (e.g. its store was restored): a new token
            conn.execute(device_keys.update().where(device_keys.c.site == site)
                         .values(token_hash=hashed, enrolled_at=now))
        team_rows = conn.execute(
            sa.select(teams.c.id, teams.c.name)
            .join(memberships, memberships.c.team_id == teams.c.id)
            .where(memberships.c.user_id == user.id).order_by(teams.c.name)).all()
        principal = Principal(site, user.id, user.login, user.role,
                              frozenset(t.id for t in team_rows))
        return Enrolled(token, principal, tuple(t.name for t in team_rows),
                        tuple(t.id for t in team_rows))

    def authenticate(self, token: str | None) -> Principal:
        """The caller of a request, or :class:`AuthError` (401 unknown, 403 revoked with a wipe
        instruction, 403 disabled user)."""
        if not token:
            raise AuthError(401, "unauthenticated", UNAUTHENTICATED)
        hashed = self.db.data_key.token_hash(token)
        with self.db.reading() as conn:
            row = conn.execute(
                sa.select(device_keys.c.site, device_keys.c.revoked_at, users.c.id,
                          users.c.login, users.c.role, users.c.disabled)
                .join(users, users.c.id == device_keys.c.user_id)
                .where(device_keys.c.token_hash == hashed)).first()
            if row is None:
                raise AuthError(401, "unauthenticated", UNAUTHENTICATED)
            if row.revoked_at is not None:
                raise AuthError(403, "revoked",
                                "この端末の登録は取り消されました。端末内のデータは消去されます / "
                                "this device was revoked: its local data is to be wiped",
                                wipe=True)
            if row.disabled:
                raise AuthError(403, "disabled",
                                "この利用者は無効にされています / this user is disabled")
            team_ids = frozenset(conn.scalars(sa.select(memberships.c.team_id)
                                              .where(memberships.c.user_id == row.id)))
        return Principal(row.site, row.id, row.login, row.role, team_ids)

    def seen(self, site: str) -> None:
        """Note when a device was last heard from (at most once a minute per device)."""
        now = _now()
        if (last := self._seen.get(site)) and now - last < timedelta(minutes=1):
            return
        self._seen[site] = now
        with self.db.writing() as conn:
            conn.execute(device_keys.update().where(device_keys.c.site == site)
                         .values(last_seen_at=now))


__all__ = ["AccountError", "Accounts", "AuthError", "Enrolled", "Principal", "ROLES",
           "device_keys", "enrollment_codes", "format_code", "memberships", "normalize_code",
           "teams", "users"]
