"""The server's side of offline access that expires (see ``outreach_desk.offline``).

- ``server_settings``: ``max_offline_days`` (default 30), set with ``outreach-sync-server admin
  set-policy --max-offline-days N``; told to every laptop at enrollment and at every sync.
- ``unlock_secrets``: per device, the secret its one-time unlock codes are made with (made at
  enrollment and sent once, in the enrollment answer; the laptop keeps it in its encrypted
  store) and the last counter used. ``admin unlock-code --device ID`` makes the next code.

The secret is sealed with the server's data key (``data_key.py``, bound to the device's id):
the database alone does not give it, so it cannot make unlock codes.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from outreach_desk.offline import DEFAULT_MAX_DAYS, MAX_COUNTER, SECRET_BYTES, make_code

from .data_key import unlock_secret_aad
from .db import Database, metadata

MAX_OFFLINE_DAYS = 365

server_settings = sa.Table(
    "server_settings",
    metadata,
    sa.Column("key", sa.String(80), primary_key=True),
    sa.Column("value", sa.Text(), nullable=False),
)

unlock_secrets = sa.Table(
    "unlock_secrets",
    metadata,
    sa.Column("site", sa.String(80), primary_key=True),
    sa.Column("secret", sa.LargeBinary(), nullable=False),  # sealed (unlock_secret_aad)
    sa.Column("last_counter", sa.Integer(), nullable=False),
)


def max_offline_days(db: Database) -> int:
    with db.reading() as conn:
        value = conn.scalar(sa.select(server_settings.c.value)
                            .where(server_settings.c.key == "max_offline_days"))
    return int(value) if value else DEFAULT_MAX_DAYS


def set_max_offline_days(db: Database, days: int) -> None:
    from .accounts import AccountError  # (accounts imports db, which imports this module)

    if not 1 <= days <= MAX_OFFLINE_DAYS:
        raise AccountError(f"the maximum offline period is 1 to {MAX_OFFLINE_DAYS} days")
    with db.writing() as conn:
        conn.execute(server_settings.delete().where(server_settings.c.key == "max_offline_days"))
        conn.execute(server_settings.insert().values(key="max_offline_days", value=str(days)))


def issue_secret(db: Database, site: str) -> str:
    """A new unlock secret for an enrolled device (hex), replacing any earlier one: codes made
    for the earlier one stop working."""
    secret = secrets.token_bytes(SECRET_BYTES)
    sealed = db.data_key.seal(secret, unlock_secret_aad(site))
    with db.writing() as conn:
        conn.execute(unlock_secrets.delete().where(unlock_secrets.c.site == site))
        conn.execute(unlock_secrets.insert().values(site=site, secret=sealed, last_counter=0))
    return secret.hex()


def unlock_code(db: Database, site: str) -> str:
    """The next one-time unlock code of a device (one more full offline period, once)."""
    from .accounts import AccountError, device_keys

    with db.writing() as conn:
        device = conn.execute(sa.select(device_keys.c.revoked_at)
                              .where(device_keys.c.site == site)).first()
        if device is None:
            raise AccountError(f"no such device: {site!r}")
        if device.revoked_at is not None:
            raise AccountError(f"device {site!r} is revoked: it gets no unlock code")
        row = conn.execute(sa.select(unlock_secrets)
                           .where(unlock_secrets.c.site == site)).first()
        if row is None:
            raise AccountError(f"device {site!r} was enrolled before unlock codes existed: "
                               "enroll it again")
        counter = row.last_counter + 1
        if counter > MAX_COUNTER:
            raise AccountError("this device has used all its unlock codes: enroll it again")
        conn.execute(unlock_secrets.update().where(unlock_secrets.c.site == site)
                     .values(last_counter=counter))
    return make_code(db.data_key.open(row.secret, unlock_secret_aad(site)), site, counter)


__all__ = ["issue_secret", "max_offline_days", "set_max_offline_days", "server_settings",
           "unlock_code", "unlock_secrets"]
