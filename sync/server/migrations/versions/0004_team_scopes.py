"""Team scoping: each record's team (and case), each change's team, refused changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scopes",
        sa.Column("entity", sa.String(64), primary_key=True),
        sa.Column("entity_id", sa.String(80), primary_key=True),
        sa.Column("team_id", sa.String(40), nullable=True),
        sa.Column("case_id", sa.String(80), nullable=True),
    )
    with op.batch_alter_table("changes") as batch:
        batch.add_column(sa.Column("team_id", sa.String(40), nullable=True))
        batch.add_column(sa.Column("refused", sa.Text(), nullable=True))
    op.create_index("ix_changes_team_seq", "changes", ["team_id", "server_seq"])


def downgrade() -> None:
    op.drop_index("ix_changes_team_seq", "changes")
    with op.batch_alter_table("changes") as batch:
        batch.drop_column("refused")
        batch.drop_column("team_id")
    op.drop_table("scopes")
