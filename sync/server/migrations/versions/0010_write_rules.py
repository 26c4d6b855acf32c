"""Who may write what: the authors of each user (``authors``) and the device that created each
team, worker and agency record (``scopes.site``), filled in from the changes already stored
(the first accepted change signed by an author binds it to its device's user; the first device
that wrote a shared record created it).

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-08
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from sync.server.data_key import change_aad

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

CHUNK = 2000
SHARED = ("team", "worker", "agency")


def upgrade() -> None:
    with op.batch_alter_table("scopes") as batch:
        batch.add_column(sa.Column("site", sa.String(80), nullable=True))
    op.create_table(
        "authors",
        sa.Column("author", sa.String(80), primary_key=True),
        sa.Column("user_id", sa.String(40), sa.ForeignKey("users.id"), nullable=False),
    )
    fill(op.get_bind(), op.get_context().config.attributes["data_key"]())


def fill(conn, key) -> None:
    """Bind authors and creators from what is stored (bodies sealed since 0007: ``key`` opens
    them)."""
    users = dict(conn.execute(sa.text("SELECT site, user_id FROM device_keys")).all())
    authors: dict[str, str] = {}
    creators: dict[tuple[str, str], str] = {}
    after = 0
    while True:
        rows = conn.execute(sa.text(
            "SELECT server_seq, site, seq, body FROM changes WHERE server_seq > :after "
            "AND refused IS NULL ORDER BY server_seq LIMIT :n"),
            {"after": after, "n": CHUNK}).all()
        if not rows:
            break
        after = rows[-1][0]
        for _, site, seq, body in rows:
            change = json.loads(key.open(body, change_aad(site, seq)))
            author, entity, entity_id = (change.get("author"), change.get("entity"),
                                         change.get("entity_id"))
            if isinstance(author, str) and site in users:
                authors.setdefault(author, users[site])
            if entity in SHARED and isinstance(entity_id, str):
                creators.setdefault((entity, entity_id), site)
    if authors:
        conn.execute(sa.text("INSERT INTO authors (author, user_id) VALUES (:a, :u)"),
                     [{"a": a, "u": u} for a, u in authors.items()])
    if creators:
        conn.execute(sa.text(
            "INSERT INTO scopes (entity, entity_id, team_id, case_id, site) "
            "VALUES (:e, :i, NULL, NULL, :s)"),
            [{"e": e, "i": i, "s": s} for (e, i), s in creators.items()])


def downgrade() -> None:
    op.drop_table("authors")
    op.execute("DELETE FROM scopes WHERE entity IN ('team', 'worker', 'agency')")
    with op.batch_alter_table("scopes") as batch:
        batch.drop_column("site")
