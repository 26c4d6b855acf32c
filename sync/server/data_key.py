"""The server's data key (データ暗号鍵): what makes the database alone reveal nothing.

Every server column that holds personal data (a change's body, a user's display name, a
device's unlock secret) is sealed with AES-256-GCM (``cryptography``'s AESGCM) under one random
**data key** (DEK). The data key is stored in the database only *wrapped*: sealed under a
**key-encryption key** (KEK) that lives outside the database, in an owner-only key file
(``outreach-sync-server admin init`` creates it; by default ``<database name>.kek`` beside an
SQLite file: ``sync.db`` has ``sync.kek``) or in the environment variable ``OUTREACH_SYNC_KEK``
(a service credential). A copy of the database, a dump of it, or its WAL hold ciphertext and
the wrapped key, nothing else.

- A sealed value is ``b"\\x01" + nonce (12 random bytes) + ciphertext and tag``. Its associated
  data names the column and the row it belongs to (``changes.body|site|seq``), so a ciphertext
  moved to another row or column does not open.
- Ids, teams, sequence numbers and times stay in the clear: the team scoping works on them.
- Device tokens are kept as an HMAC-SHA-256 (under a key derived from the data key) of their
  SHA-256: the migration could re-key the hashes it found, and a stolen database gives nothing
  to test guesses against.
- ``rotate-key`` re-wraps the data key under a new KEK: the new key file is written beside the
  old one, the database gets the new wrapping next to the old one (one transaction), the key file
  is renamed over the old one, then the old wrapping is deleted. A crash at any step leaves a key
  file that opens the database. The data itself is never re-encrypted (the data key stays).

The key file is a text file of two lines: ``outreach-sync key-encryption key 1`` and the key in
URL-safe base64. A file that others may read is refused (``chmod 600``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from outreach_desk.atomic import OWNER_ONLY_FILE, fsync_dir, write_atomic

log = logging.getLogger(__name__)

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12
FORMAT = b"\x01"
SEALING = len(FORMAT) + NONCE_BYTES + 16  # what sealing adds to a value's length
FILE_HEADER = "outreach-sync key-encryption key 1"
ENV_KEK = "OUTREACH_SYNC_KEK"


class DataKeyError(Exception):
    """The key cannot be had: missing, damaged, wrong or readable by others. One line, for the
    administrator; the server does not start."""


def _kek_id(kek: bytes) -> str:
    """Which KEK wraps a row (a hash of a random 256-bit key tells nothing about it)."""
    return hashlib.sha256(b"outreach-sync kek id|" + kek).hexdigest()[:32]


def _wrap_aad(kek_id: str) -> bytes:
    return b"outreach-sync data key|" + kek_id.encode("ascii")


# -- the key-encryption key ---------------------------------------------------------------------


def encode_kek(kek: bytes) -> str:
    return base64.urlsafe_b64encode(kek).decode("ascii")


def decode_kek(text: str, where: str) -> bytes:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) == 2 and lines[0] == FILE_HEADER:
        lines = lines[1:]
    try:
        kek = base64.urlsafe_b64decode(lines[0].encode("ascii")) if len(lines) == 1 else b""
    except (binascii.Error, ValueError, UnicodeEncodeError):
        kek = b""
    if len(kek) != KEY_BYTES:
        raise DataKeyError(f"{where} is not an outreach-sync key-encryption key "
                           "(damaged, or another file)")
    return kek


def new_kek() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_file_text(kek: bytes) -> bytes:
    return f"{FILE_HEADER}\n{encode_kek(kek)}\n".encode("ascii")


@dataclass(frozen=True)
class KeySource:
    """Where the KEK comes from: a key file, or the environment (``file`` None)."""

    file: Path | None

    def describe(self) -> str:
        return f"key file {self.file}" if self.file else f"environment variable {ENV_KEK}"

    def exists(self) -> bool:
        return self.file is None or self.file.exists()

    def read(self) -> bytes:
        if self.file is None:
            return decode_kek(os.environ.get(ENV_KEK, ""), f"${ENV_KEK}")
        try:
            mode = self.file.stat().st_mode
            if os.name == "posix" and mode & 0o077:
                raise DataKeyError(f"key file {self.file} may be read by others "
                                   f"(mode {mode & 0o777:o}): chmod 600 {self.file}")
            text = self.file.read_text("ascii")
        except FileNotFoundError:
            raise DataKeyError(
                f"key file {self.file} is missing: the database cannot be opened without it "
                "(restore it from its backup, or give --key-file)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise DataKeyError(f"cannot read key file {self.file}: "
                               f"{getattr(exc, 'strerror', None) or exc}") from None
        return decode_kek(text, f"key file {self.file}")

    def create(self) -> bytes:
        """A new KEK in a new key file (never over an existing one)."""
        if self.file is None:
            raise DataKeyError(f"${ENV_KEK} is not set")
        kek = new_kek()
        self.file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.file.with_name(f".{self.file.name}.new")
        write_atomic(tmp, key_file_text(kek))
        try:
            os.link(tmp, self.file)  # fails if a key file appeared meanwhile
        except FileExistsError:
            raise DataKeyError(f"key file {self.file} exists already") from None
        finally:
            tmp.unlink(missing_ok=True)
        fsync_dir(self.file.parent)
        return kek


def key_source(db_url, key_file: str | Path | None) -> KeySource:
    """``--key-file`` if given, else ``$OUTREACH_SYNC_KEK`` if set, else ``<db name>.kek``
    beside an SQLite database (PostgreSQL has no such place: give one)."""
    if key_file:
        return KeySource(Path(key_file).expanduser().resolve())
    if os.environ.get(ENV_KEK):
        return KeySource(None)
    if db_url.get_backend_name() == "sqlite":  # not <file>.db…: a glob of the database's files
        path = Path(db_url.database)          # (-wal, -shm, a copy) leaves it alone
        return KeySource(path.with_name(path.stem + ".kek"))
    raise DataKeyError(f"a PostgreSQL database needs its key-encryption key: give --key-file "
                       f"FILE (or set {ENV_KEK})")


# -- the data key ---------------------------------------------------------------------------------


class DataKey:
    """Seals and opens column values; hashes device tokens."""

    def __init__(self, dek: bytes):
        if len(dek) != KEY_BYTES:
            raise ValueError("a data key is 32 bytes")
        self._aead = AESGCM(_derive(dek, b"outreach-sync column aes-256-gcm"))
        self._mac_key = _derive(dek, b"outreach-sync token hmac")

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return FORMAT + nonce + self._aead.encrypt(nonce, plaintext, aad)

    def open(self, sealed: bytes, aad: bytes) -> bytes:
        if sealed[:1] != FORMAT:
            raise DataKeyError("a stored value is not sealed (damaged database?)")
        try:
            return self._aead.decrypt(sealed[1:1 + NONCE_BYTES], sealed[1 + NONCE_BYTES:], aad)
        except InvalidTag:
            raise DataKeyError("a stored value does not open with this data key "
                               "(damaged, or moved from another row)") from None

    def seal_text(self, text: str, aad: bytes) -> bytes:
        return self.seal(text.encode("utf-8"), aad)

    def open_text(self, sealed: bytes, aad: bytes) -> str:
        return self.open(sealed, aad).decode("utf-8")

    def token_hash(self, token: str) -> str:
        return self.rekey_token_hash(hashlib.sha256(token.encode("utf-8")).hexdigest())

    def rekey_token_hash(self, sha256_hex: str) -> str:
        """The keyed hash of a token known only by its SHA-256 (what revision 0006 kept)."""
        return hmac.new(self._mac_key, sha256_hex.encode("ascii"), hashlib.sha256).hexdigest()


def _derive(dek: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(dek)


# The associated data of each sealed column: the column and the row's identity.
def change_aad(site: str, seq: int) -> bytes:
    return f"changes.body|{site}|{seq}".encode()


def user_name_aad(user_id: str) -> bytes:
    return f"users.name|{user_id}".encode()


def unlock_secret_aad(site: str) -> bytes:
    return f"unlock_secrets.secret|{site}".encode()


# -- stored wrappings -----------------------------------------------------------------------------


def data_keys_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "data_keys",
        metadata,
        sa.Column("kek_id", sa.String(32), primary_key=True),  # which KEK wraps it
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),  # the DEK, sealed under the KEK
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def _wrap(kek: bytes, dek: bytes) -> dict:
    kek_id = _kek_id(kek)
    nonce = os.urandom(NONCE_BYTES)
    return {"kek_id": kek_id,
            "wrapped": FORMAT + nonce + AESGCM(kek).encrypt(nonce, dek, _wrap_aad(kek_id)),
            "created_at": datetime.now(UTC)}


def _unwrap(kek: bytes, row) -> bytes:
    try:
        return AESGCM(kek).decrypt(row.wrapped[1:1 + NONCE_BYTES],
                                   row.wrapped[1 + NONCE_BYTES:], _wrap_aad(row.kek_id))
    except InvalidTag:
        raise DataKeyError("the database's data key is damaged") from None


def load_dek(conn, table: sa.Table, source: KeySource) -> bytes | None:
    """The data key, unwrapped with the KEK of ``source`` (None: the database has none yet)."""
    rows = conn.execute(sa.select(table)).all()
    if not rows:
        return None
    kek = source.read()
    kek_id = _kek_id(kek)
    for row in rows:
        if row.kek_id == kek_id:
            return _unwrap(kek, row)
    raise DataKeyError(f"the {source.describe()} is not the key of this database "
                       "(another server's key file, or an old one from before a rotate-key)")


def create_dek(conn, table: sa.Table, source: KeySource) -> tuple[bytes, bool]:
    """A new data key, wrapped and stored (inside the caller's transaction), and whether a new
    key file was made for it. An existing key file (or $OUTREACH_SYNC_KEK) is used as it is."""
    made = not source.exists()
    kek = source.create() if made else source.read()
    dek = secrets.token_bytes(KEY_BYTES)
    conn.execute(table.insert().values(**_wrap(kek, dek)))
    if made:
        log.warning("created the server's key-encryption key in %s: back it up apart from the "
                    "database (without it the data cannot be read)", source.file)
    return dek, made


def rotate(db, table: sa.Table, source: KeySource, new_file: Path | None) -> Path:
    """Re-wrap the data key under a new KEK written to ``new_file`` (default: the key file,
    replaced). Returns where the new key is."""
    target = new_file or source.file
    if target is None:
        raise DataKeyError(f"the key comes from ${ENV_KEK}: give --new-key-file FILE for the "
                           "new one (then put it in the environment)")
    target = Path(target).expanduser().resolve()
    with db.reading() as conn:
        dek = load_dek(conn, table, source)
    if dek is None:
        raise DataKeyError("the database has no data key yet (run admin init)")
    kek = new_kek()
    staged = target.with_name(f".{target.name}.rotating")
    write_atomic(staged, key_file_text(kek))  # 1. the new key, on disk, beside the target
    new_row = _wrap(kek, dek)
    with db.writing() as conn:  # 2. both wrappings in the database
        conn.execute(table.delete().where(table.c.kek_id == new_row["kek_id"]))
        conn.execute(table.insert().values(**new_row))
    os.replace(staged, target)  # 3. the new key file in place
    os.chmod(target, OWNER_ONLY_FILE)
    fsync_dir(target.parent)
    with db.writing() as conn:  # 4. the old wrapping goes: the old key opens nothing now
        conn.execute(table.delete().where(table.c.kek_id != new_row["kek_id"]))
    return target


__all__ = ["DataKey", "DataKeyError", "ENV_KEK", "KeySource", "change_aad", "create_dek",
           "data_keys_table", "key_source", "load_dek", "rotate", "unlock_secret_aad",
           "user_name_aad"]
