"""Data at rest: the server's data key, and every column with personal data sealed under it
(``sync/server/data_key.py``). ``changes.body``, ``users.name`` and ``unlock_secrets.secret``
become AES-256-GCM ciphertext bound to their row; device token hashes become keyed (HMAC of the
SHA-256 kept so far); ``changes`` gets the ids of the record each change is about
(``entity``, ``entity_id``), which a case move looks up instead of searching bodies.

On SQLite the three tables are rebuilt (a column's type changes), with foreign keys off for
the migration's transaction and checked before it commits (``Database.writing(rebuilding=True)``).

The data key is made here when the database has none (with its key file, unless one exists):
``Database.migrate`` passes ``config.attributes["data_key"]``, a function giving it.

After upgrading an existing database the plaintext it held may survive outside the live rows:
SQLite's freed pages are zeroed (``secure_delete``), but PostgreSQL keeps dead row versions until
``VACUUM FULL``, and old backups and WAL archives keep what they had (see the server README).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from sync.server.data_key import change_aad, unlock_secret_aad, user_name_aad

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CHUNK = 2000


def upgrade() -> None:
    op.create_table(
        "data_keys",
        sa.Column("kek_id", sa.String(32), primary_key=True),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    key = op.get_context().config.attributes["data_key"]()
    sealed = sa.LargeBinary()
    with op.batch_alter_table("changes") as batch:
        batch.alter_column("body", type_=sealed, existing_nullable=False,
                           postgresql_using="convert_to(body, 'UTF8')")
        batch.add_column(sa.Column("entity", sa.String(64), nullable=True))
        batch.add_column(sa.Column("entity_id", sa.String(80), nullable=True))
    op.create_index("ix_changes_entity", "changes", ["entity", "entity_id"])
    with op.batch_alter_table("users") as batch:
        batch.alter_column("name", type_=sealed, existing_nullable=False,
                           postgresql_using="convert_to(name, 'UTF8')")
    with op.batch_alter_table("unlock_secrets") as batch:
        batch.alter_column("secret", type_=sealed, existing_nullable=False,
                           postgresql_using="convert_to(secret, 'UTF8')")
    conn = op.get_bind()
    seal_changes(conn, key)
    users = conn.execute(sa.text("SELECT id, name FROM users")).all()
    if users:
        conn.execute(sa.text("UPDATE users SET name = :name WHERE id = :id").bindparams(
            sa.bindparam("name", type_=sealed)),
            [{"id": user_id, "name": key.seal(_bytes(name), user_name_aad(user_id))}
             for user_id, name in users])
    secrets = conn.execute(sa.text("SELECT site, secret FROM unlock_secrets")).all()
    if secrets:  # kept as hex text so far
        conn.execute(sa.text("UPDATE unlock_secrets SET secret = :secret WHERE site = :site")
                     .bindparams(sa.bindparam("secret", type_=sealed)),
                     [{"site": site, "secret": key.seal(bytes.fromhex(_bytes(secret).decode()),
                                                        unlock_secret_aad(site))}
                      for site, secret in secrets])
    tokens = conn.execute(sa.text("SELECT site, token_hash FROM device_keys")).all()
    if tokens:
        conn.execute(sa.text("UPDATE device_keys SET token_hash = :hash WHERE site = :site"),
                     [{"site": site, "hash": key.rekey_token_hash(old)} for site, old in tokens])


def _bytes(value) -> bytes:
    """A column's old text as bytes (SQLite may hand it back as text or, cast, as bytes)."""
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def seal_changes(conn, key) -> None:
    after = 0
    update = sa.text("UPDATE changes SET body = :body, entity = :entity, entity_id = :entity_id "
                     "WHERE server_seq = :s").bindparams(sa.bindparam("body",
                                                                      type_=sa.LargeBinary()))
    while True:
        rows = conn.execute(sa.text(
            "SELECT server_seq, site, seq, body FROM changes WHERE server_seq > :after "
            "ORDER BY server_seq LIMIT :n"), {"after": after, "n": CHUNK}).all()
        if not rows:
            return
        after = rows[-1][0]
        updates = []
        for server_seq, site, seq, body in rows:
            text = _bytes(body)
            change = json.loads(text)
            entity, entity_id = change.get("entity"), change.get("entity_id")
            updates.append({
                "s": server_seq, "body": key.seal(text, change_aad(site, seq)),
                "entity": entity if isinstance(entity, str) and len(entity) <= 64 else None,
                "entity_id": entity_id if isinstance(entity_id, str) and len(entity_id) <= 80
                else None})
        conn.execute(update, updates)


def downgrade() -> None:
    raise NotImplementedError(
        "revision 0007 (data sealed at rest, device token hashes keyed) cannot be undone: "
        "restore a backup taken before the upgrade")
