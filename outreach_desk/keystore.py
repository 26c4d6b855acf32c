"""Envelope encryption for the local store (鍵ファイル).

A random 256-bit *data key* opens the SQLCipher database as a raw key. The data key is kept on
disk only wrapped with AES-256-GCM under a *key-encryption key* derived from the worker's
passphrase with Argon2id. The key file is JSON; its format version, KDF parameters, salt and
cipher name are bound to the ciphertext as associated data, so tampering with any of them makes
unwrapping fail instead of silently weakening the key.

AES-GCM cannot tell a wrong key from a damaged blob, so the file also carries a ``checksum``: the
SHA-256 of everything else in it (nothing secret: salt, nonce and wrapped key are public). A file
that is truncated, unparseable, of the wrong shape or fails its checksum is reported as damaged
(:class:`KeyFileDamaged`) before any Argon2id runs; only a sound file whose key does not unwrap
means a wrong passphrase. (Someone who edits the file *and* recomputes the checksum still gets
"wrong passphrase": the header is authenticated, so no edit yields the key.) Files written
before the checksum existed are read as before. The Argon2id cost in a file is checked against
:data:`KDF_LIMITS` first, so an edited file cannot make the app allocate gigabytes or spin for
hours (:class:`KdfCostRefused`).

Argon2id cost (``DEFAULT_KDF``): 128 MiB of memory, 3 passes, 4 lanes. On the 2-core build
machine one derivation takes about 0.45 s (the ``cryptography`` implementation runs the lanes on
one thread), so a modest laptop unlocks in roughly 0.5–1 s. That is above RFC 9106's second
recommended setting (64 MiB, 3 passes) while staying inside the 0.3–1 s budget; the memory cost is
what makes offline guessing on GPUs expensive, so we spend the budget there rather than on passes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from . import passphrase_rule
from .atomic import write_atomic
from .errors import KdfCostRefused, KeyFileDamaged, WrongPassphrase

FORMAT = "outreach-desk-keyfile"
FORMAT_VERSION = 1
CIPHER = "AES-256-GCM"
DATA_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
MIN_PASSPHRASE_LENGTH = passphrase_rule.MIN_LENGTH
_FIELDS = {"format", "version", "kdf", "cipher", "nonce", "wrapped_key", "checksum"}
_KDF_FIELDS = {"name", "memory_kib", "iterations", "lanes", "salt"}


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters, stored in the key file beside the salt."""

    memory_kib: int = 131072
    iterations: int = 3
    lanes: int = 4


DEFAULT_KDF = KdfParams()


@dataclass(frozen=True)
class KdfLimits:
    """The Argon2id costs a key file may ask for. The ceiling is 8× the default memory (1 GiB,
    within a 4 GiB laptop) and about 3× its passes: a few seconds at most on a slow laptop.
    Below the floor Argon2id itself refuses (memory must be at least 8 KiB per lane)."""

    max_memory_kib: int = 1 << 20
    max_iterations: int = 10
    max_lanes: int = 16

    def check(self, params: KdfParams, name: str) -> None:
        problems = []
        if not 1 <= params.lanes <= self.max_lanes:
            problems.append(f"lanes {params.lanes} (allowed 1–{self.max_lanes})")
        if not 1 <= params.iterations <= self.max_iterations:
            problems.append(f"passes {params.iterations} (allowed 1–{self.max_iterations})")
        if not 8 * max(1, params.lanes) <= params.memory_kib <= self.max_memory_kib:
            problems.append(f"memory {params.memory_kib} KiB "
                            f"(allowed {8 * max(1, params.lanes)}–{self.max_memory_kib})")
        if problems:
            raise KdfCostRefused(
                f"{name} asks for an Argon2id cost this app refuses to run: "
                f"{'; '.join(problems)}; the file was edited or is damaged")


KDF_LIMITS = KdfLimits()


def check_passphrase(passphrase: str, user_inputs=()) -> None:
    """Refuse passphrases that are short or guessable (:mod:`passphrase_rule`); ``user_inputs``
    are the worker's name and team, which count as easy to guess."""
    passphrase_rule.check(passphrase, user_inputs)


def _passphrase_bytes(passphrase: str) -> bytes:
    # IMEs may produce composed or decomposed kana; NFC makes both type the same passphrase.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(_passphrase_bytes(passphrase))


def _header(params: KdfParams, salt: bytes) -> dict:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "kdf": {"name": "argon2id", **asdict(params), "salt": _b64(salt)},
        "cipher": CIPHER,
    }


def _aad(header: dict) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _checksum(document: dict) -> str:
    body = {key: value for key, value in document.items() if key != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _seal(data_key: bytes | bytearray, passphrase: str, params: KdfParams) -> bytes:
    KDF_LIMITS.check(params, "the new key file")
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    header = _header(params, salt)
    kek = _derive(passphrase, salt, params)
    wrapped = AESGCM(kek).encrypt(nonce, bytes(data_key), _aad(header))
    document = {**header, "nonce": _b64(nonce), "wrapped_key": _b64(wrapped)}
    document["checksum"] = _checksum(document)
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def _decoded(text: object, size: int, what: str) -> bytes:
    if not isinstance(text, str):
        raise TypeError(what)
    value = base64.b64decode(text, validate=True)
    if len(value) != size:
        raise ValueError(f"{what} has {len(value)} bytes, not {size}")
    return value


def _whole_number(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(what)
    return value


def _parse(path: Path) -> tuple[dict, KdfParams, bytes, bytes, bytes]:
    """Read and check the key file's structure, checksum and KDF cost; nothing slow runs."""
    name = path.name
    try:
        document = json.loads(path.read_bytes())
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise KeyFileDamaged(f"{name} is not an Outreach Desk key file, or it is damaged")
        if document.get("version") != FORMAT_VERSION:
            raise KeyFileDamaged(
                f"{name} has key-file version {document.get('version')!r}; "
                f"this build reads version {FORMAT_VERSION}"
            )
        if "checksum" in document and document["checksum"] != _checksum(document):
            raise KeyFileDamaged(f"{name} is damaged or was edited (its checksum does not match)")
        kdf = document["kdf"]
        if set(document) - _FIELDS or not isinstance(kdf, dict) or set(kdf) != _KDF_FIELDS:
            raise KeyFileDamaged(f"{name} is damaged (unexpected fields)")
        if kdf["name"] != "argon2id" or document["cipher"] != CIPHER:
            raise KeyFileDamaged(f"{name} names an unsupported KDF or cipher")
        params = KdfParams(_whole_number(kdf["memory_kib"], "memory_kib"),
                           _whole_number(kdf["iterations"], "iterations"),
                           _whole_number(kdf["lanes"], "lanes"))
        salt = _decoded(kdf["salt"], SALT_BYTES, "salt")
        nonce = _decoded(document["nonce"], NONCE_BYTES, "nonce")
        wrapped = _decoded(document["wrapped_key"], DATA_KEY_BYTES + 16, "wrapped key")
    except KeyFileDamaged:
        raise
    except (ValueError, KeyError, TypeError) as exc:  # UnicodeDecodeError is a ValueError
        raise KeyFileDamaged(
            f"{name} is damaged or truncated and cannot be read ({type(exc).__name__})"
        ) from None
    KDF_LIMITS.check(params, name)
    return _header(params, salt), params, salt, nonce, wrapped


def create_key_file(path: Path, passphrase: str, params: KdfParams = DEFAULT_KDF) -> bytearray:
    """Make a new random data key, write it wrapped to ``path``, and return it. The passphrase
    rule is the caller's to apply with the user's words (``Store.create`` does); here it is
    applied without them."""
    check_passphrase(passphrase)
    data_key = bytearray(secrets.token_bytes(DATA_KEY_BYTES))
    write_atomic(path, _seal(data_key, passphrase, params))
    return data_key


def unwrap_data_key(path: Path, passphrase: str) -> bytearray:
    """Return the data key; :class:`WrongPassphrase` if the passphrase does not open it."""
    header, params, salt, nonce, wrapped = _parse(path)
    kek = _derive(passphrase, salt, params)
    try:
        return bytearray(AESGCM(kek).decrypt(nonce, wrapped, _aad(header)))
    except InvalidTag:
        raise WrongPassphrase("the passphrase is not correct") from None


def kdf_params(path: Path) -> KdfParams:
    """The Argon2id parameters the key file was written with."""
    return _parse(path)[1]


def change_passphrase(
    path: Path, old: str, new: str, params: KdfParams | None = None, *, user_inputs=()
) -> None:
    """Re-wrap the same data key under ``new``; the database itself is not touched.

    The new key file is written beside the old one, fsynced and renamed over it, so a crash at
    any point leaves exactly one of the two passphrases working.
    """
    check_passphrase(new, user_inputs)
    data_key = unwrap_data_key(path, old)
    try:
        write_atomic(path, _seal(data_key, new, params or kdf_params(path)))
    finally:
        wipe(data_key)


def wipe(secret: bytearray) -> None:
    """Overwrite a key buffer in place (as far as Python lets us clear memory)."""
    for i in range(len(secret)):
        secret[i] = 0


def raw_key_pragma(data_key: bytearray) -> str:
    """The SQLCipher ``PRAGMA key`` statement for a raw 256-bit key (no PBKDF2 at open)."""
    return "PRAGMA key = \"x'" + data_key.hex() + "'\""


__all__ = [
    "DEFAULT_KDF",
    "KDF_LIMITS",
    "KdfLimits",
    "KdfParams",
    "MIN_PASSPHRASE_LENGTH",
    "change_passphrase",
    "check_passphrase",
    "create_key_file",
    "kdf_params",
    "raw_key_pragma",
    "unwrap_data_key",
    "wipe",
]
