"""Stored changes and devices.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "changes",
        # INTEGER PRIMARY KEY is SQLite's rowid; BIGINT elsewhere. Given by the server (max + 1
        # under its write lock), never by a sequence, so it has no holes.
        sa.Column("server_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  primary_key=True, autoincrement=False),
        sa.Column("site", sa.String(80), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),  # the change's JSON, unknown fields kept
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("site", "seq", name="uq_changes_site_seq"),
    )
    op.create_table(
        "devices",
        sa.Column("site", sa.String(80), primary_key=True),
        sa.Column("acked_through", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("devices")
    op.drop_table("changes")
