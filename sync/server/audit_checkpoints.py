"""Signed checkpoints of the audit trail: the head's number and hash, signed by the server.

The hash chain (``audit.py``) shows an entry edited in place, but not a chain recomputed from
the edited entry on, nor entries cut off at the end. So the server signs its head (entry
number, hash, time) with an Ed25519 key kept in a file outside the database — every
``every`` entries or ``seconds`` seconds when entries were added, and once more at shutdown —
and stores the signed checkpoints in ``audit_checkpoints`` (migration 0009).
``audit.verify`` checks every checkpoint's signature against the public key and that the
chain passes through each signed head: a recomputed chain differs from a signed hash, and a
truncation past a checkpoint leaves a signed entry missing.

What a checkpoint cannot show: entries removed after the last checkpoint together with the
checkpoints naming them. That is what the head kept elsewhere is for (``admin audit-head``
prints it; ``admin verify-audit --expect HASH`` checks the chain still passes through it).

The key file is PEM (PKCS#8, unencrypted), owner-only (0600), created when the server starts
and none is there; a key file that others may read is refused. Whoever can write the key file
can sign; keep it on another disk or owned by the server's user only, and keep the public key
(printed when the key is made, and by ``audit-head``) with the head hash.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from outreach_desk.atomic import write_atomic

from .db import Database, metadata

log = logging.getLogger(__name__)

DEFAULT_KEY_FILE = "outreach-sync-audit.key"  # in the current folder (PostgreSQL)
KEY_SUFFIX = ".audit-key"  # next to an SQLite file: sync.db → sync.db.audit-key
DEFAULT_EVERY = 100  # entries
DEFAULT_SECONDS = 300.0

audit_checkpoints = sa.Table(
    "audit_checkpoints",
    metadata,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
              autoincrement=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("at", sa.String(40), nullable=False),  # ISO 8601 UTC, as signed
    sa.Column("key_id", sa.String(64), nullable=False),  # SHA-256 of the raw public key
    sa.Column("signature", sa.String(128), nullable=False),  # hex
)


class AuditKeyError(Exception):
    """The signing key file cannot be used (the message says why, without its content)."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    key_id: str
    signature: str


def default_key_path(db: Database) -> Path:
    """Next to an SQLite file; in the current folder for PostgreSQL."""
    if db.backend == "sqlite":
        database = Path(db.url.database)
        return database.with_name(database.name + KEY_SUFFIX)
    return Path(DEFAULT_KEY_FILE).resolve()


def load_key(path: Path) -> Ed25519PrivateKey:
    try:
        mode = path.stat().st_mode
        data = path.read_bytes()
    except OSError as exc:
        raise AuditKeyError(f"cannot read the audit signing key {path}: {exc.strerror}") from None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise AuditKeyError(f"the audit signing key {path} may be read by others "
                            f"(mode {stat.S_IMODE(mode):o}): chmod 600 it")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise AuditKeyError(f"{path} is not an audit signing key (PEM)") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditKeyError(f"{path} is not an Ed25519 key")
    return key


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The key in ``path``, made (0600, written atomically) when there is none."""
    if path.exists():
        return load_key(path)
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, key.private_bytes(serialization.Encoding.PEM,
                                         serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()))
    log.warning("audit signing key created in %s; its public key is %s (keep it with the "
                "audit head, outside this machine)", path, public_hex(key.public_key()))
    return key


def public_hex(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def public_from_hex(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text.strip()))
    except ValueError:
        raise AuditKeyError("not an Ed25519 public key (64 hex digits)") from None


def key_id(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(bytes.fromhex(public_hex(public))).hexdigest()


def signed_text(seq: int, head_hash: str, at: str) -> bytes:
    return f"outreach-sync audit checkpoint\n{seq}\n{head_hash}\n{at}".encode("ascii")


def signature_ok(public: Ed25519PublicKey, mark: Checkpoint) -> bool:
    if mark.key_id != key_id(public):
        return False
    try:
        public.verify(bytes.fromhex(mark.signature), signed_text(mark.seq, mark.hash, mark.at))
    except (InvalidSignature, ValueError):
        return False
    return True


def checkpoints(conn) -> list[Checkpoint]:
    return [Checkpoint(row.seq, row.hash, row.at, row.key_id, row.signature)
            for row in conn.execute(sa.select(audit_checkpoints)
                                    .order_by(audit_checkpoints.c.seq))]


def sign_head(db: Database, key: Ed25519PrivateKey) -> Checkpoint | None:
    """Sign the audit trail's head, unless it is signed already (None) or empty."""
    from .audit import audit_log

    with db.writing() as conn:  # the head cannot move meanwhile
        head = conn.execute(sa.select(audit_log.c.seq, audit_log.c.hash)
                            .order_by(audit_log.c.seq.desc()).limit(1)).first()
        signed = conn.scalar(sa.select(sa.func.max(audit_checkpoints.c.seq)))
        if head is None or (signed is not None and signed >= head.seq):
            return None
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        mark = Checkpoint(head.seq, head.hash, at, key_id(key.public_key()),
                          key.sign(signed_text(head.seq, head.hash, at)).hex())
        conn.execute(audit_checkpoints.insert().values(
            seq=mark.seq, hash=mark.hash, at=mark.at, key_id=mark.key_id,
            signature=mark.signature))
    return mark


class Checkpointer:
    """Signs the head in the background while the server runs: when ``every`` entries were
    added since the last checkpoint, or ``seconds`` passed and any were; and at ``stop``."""

    def __init__(self, db: Database, key: Ed25519PrivateKey, *, every: int = DEFAULT_EVERY,
                 seconds: float = DEFAULT_SECONDS, clock=time.monotonic) -> None:
        self.db, self.key, self.every, self.seconds, self.clock = db, key, every, seconds, clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="audit-checkpoints", daemon=True)
        self._last = clock()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread and sign the head once more (the shutdown checkpoint)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(30)
        self._sign("shutdown")

    def _run(self) -> None:
        poll = max(0.05, min(2.0, self.seconds / 2))
        while not self._stop.wait(poll):
            try:
                self.tick()
            except Exception:  # noqa: BLE001 (the database may be away; try again later)
                log.exception("audit checkpoint failed; trying again")

    def tick(self) -> None:
        from .audit import audit_log

        with self.db.reading() as conn:
            head = conn.scalar(sa.select(sa.func.max(audit_log.c.seq))) or 0
            signed = conn.scalar(sa.select(sa.func.max(audit_checkpoints.c.seq))) or 0
        due = head - signed >= self.every or (
            head > signed and self.clock() - self._last >= self.seconds)
        if due:
            self._sign("interval")

    def _sign(self, why: str) -> None:
        mark = sign_head(self.db, self.key)
        self._last = self.clock()
        if mark is not None:
            log.info("audit head signed at entry %d (%s)", mark.seq, why)


__all__ = ["AuditKeyError", "Checkpoint", "Checkpointer", "audit_checkpoints", "checkpoints",
           "default_key_path", "key_id", "load_key", "load_or_create_key", "public_from_hex",
           "public_hex", "sign_head", "signature_ok"]
