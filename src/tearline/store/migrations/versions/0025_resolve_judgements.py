"""entity resolution: judgements, append-only and marked

Revision ID: 0025
Revises: 0018

The table of ``store/resolve_judgements.py``. A new table only: a workspace created
before this revision starts with no judgement.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0018"
branch_labels = None
depends_on = None

TS = sa.String(length=27)


def upgrade() -> None:
    op.create_table(
        "resolve_judgements",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("left_id", sa.String(length=200), nullable=False),
        sa.Column("right_id", sa.String(length=200), nullable=False),
        sa.Column("judgement", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("judged_by", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=64), nullable=False),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("marking_id", sa.String(length=40), nullable=False),
        sa.Column("judged_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["marking_id"], ["markings.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_resolve_judgements_pair", "resolve_judgements",
                    ["left_id", "right_id"])


def downgrade() -> None:
    op.drop_index("ix_resolve_judgements_pair", table_name="resolve_judgements")
    op.drop_table("resolve_judgements")
