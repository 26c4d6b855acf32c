"""Each change's case (``changes.case_id``, filled in for the changes already stored), and the
redeliveries of a moved case's history to its new team.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SERVER_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
CHUNK = 2000


def upgrade() -> None:
    with op.batch_alter_table("changes") as batch:
        batch.add_column(sa.Column("case_id", sa.String(80), nullable=True))
    op.create_index("ix_changes_case", "changes", ["case_id"])
    op.create_table(
        "redeliveries",
        sa.Column("server_seq", SERVER_SEQ, primary_key=True, autoincrement=False),
        sa.Column("change_seq", sa.BigInteger(), sa.ForeignKey("changes.server_seq"),
                  nullable=False),
        sa.Column("team_id", sa.String(40), nullable=False),
        sa.UniqueConstraint("change_seq", "team_id", name="uq_redeliveries_change_team"),
    )
    op.create_index("ix_redeliveries_team_seq", "redeliveries", ["team_id", "server_seq"])
    fill_case_ids(op.get_bind())


def fill_case_ids(conn) -> None:
    """A stored change's case: a case's own id, else the case its record's scope names."""
    after = 0
    while True:
        rows = conn.execute(sa.text(
            "SELECT server_seq, body FROM changes WHERE server_seq > :after AND refused IS NULL "
            "ORDER BY server_seq LIMIT :n"), {"after": after, "n": CHUNK}).all()
        if not rows:
            return
        after = rows[-1][0]
        keys: dict[int, tuple[str, str]] = {}
        for server_seq, body in rows:
            change = json.loads(body)
            entity, entity_id = change.get("entity"), change.get("entity_id")
            if isinstance(entity, str) and isinstance(entity_id, str):
                keys[server_seq] = (entity, entity_id)
        by_entity: dict[str, set[str]] = {}
        for entity, entity_id in keys.values():
            if entity != "case":
                by_entity.setdefault(entity, set()).add(entity_id)
        cases: dict[tuple[str, str], str] = {}
        for entity, ids in by_entity.items():
            found = conn.execute(sa.text(
                "SELECT entity_id, case_id FROM scopes WHERE entity = :entity "
                "AND entity_id IN :ids AND case_id IS NOT NULL").bindparams(
                    sa.bindparam("ids", expanding=True)), {"entity": entity, "ids": sorted(ids)})
            cases.update({(entity, entity_id): case_id for entity_id, case_id in found})
        updates = []
        for server_seq, (entity, entity_id) in keys.items():
            case_id = entity_id if entity == "case" else cases.get((entity, entity_id))
            if case_id is not None:
                updates.append({"s": server_seq, "c": case_id})
        if updates:
            conn.execute(sa.text("UPDATE changes SET case_id = :c WHERE server_seq = :s"),
                         updates)


def downgrade() -> None:
    op.drop_index("ix_redeliveries_team_seq", "redeliveries")
    op.drop_table("redeliveries")
    op.drop_index("ix_changes_case", "changes")
    with op.batch_alter_table("changes") as batch:
        batch.drop_column("case_id")
