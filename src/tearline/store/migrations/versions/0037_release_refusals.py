"""release refusals: a second officer's refusal of a release waiting for approval

Revision ID: 0037
Revises: 0018 (depends on 0027, which creates ``release_requests``)

``release_refusals`` (``store/oversight_tables.py``) keeps, append-only, the refusal of
a pending two-person release, with the officer's reason. A new table only: a workspace
from before this revision has no refused request, and its pending ones stay pending.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0037"
down_revision = "0018"
branch_labels = None
depends_on = "0027"  # release_requests


def upgrade() -> None:
    op.create_table(
        "release_refusals",
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("refused_by", sa.String(length=200), nullable=False),
        sa.Column("refused_at", sa.String(length=27), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("request_id"),
    )


def downgrade() -> None:
    op.drop_table("release_refusals")
