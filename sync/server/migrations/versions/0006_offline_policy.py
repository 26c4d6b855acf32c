"""Offline access that expires: server settings (the maximum offline period) and each device's
secret for one-time unlock codes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_settings",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "unlock_secrets",
        sa.Column("site", sa.String(80), primary_key=True),
        sa.Column("secret", sa.String(128), nullable=False),
        sa.Column("last_counter", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("unlock_secrets")
    op.drop_table("server_settings")
