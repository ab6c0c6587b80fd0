"""leak tracing: the trace secret, copy marks released, honeytokens, alerts

Revision ID: 0028
Revises: 0018

The tables of ``store/trace_tables.py``. The secret is 32 random bytes written once
here (like the statement key of 0012): a workspace created before this revision gets
its own, and copies it released before carry no fingerprint.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0018"
branch_labels = None
depends_on = None

TS = sa.String(length=27)


def upgrade() -> None:
    secret = op.create_table(
        "trace_secret",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("secret", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(secret, [{"id": 1, "secret": os.urandom(32)}])
    op.create_table(
        "trace_copies",
        sa.Column("mark", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("first_at", TS, nullable=False),
        sa.Column("last_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("mark"),
    )
    op.create_table(
        "trace_honeytokens",
        sa.Column("entity_id", sa.String(length=128), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("planted_at", TS, nullable=False),
        sa.Column("planted_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("entity_id"),
    )
    op.create_table(
        "trace_alerts",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("entity_id", sa.String(length=128), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("returned_by", sa.String(length=200), nullable=False),
        sa.Column("path", sa.String(length=16), nullable=False),
        sa.Column("selector", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("ix_trace_alerts_entity", "trace_alerts", ["entity_id"])


def downgrade() -> None:
    op.drop_index("ix_trace_alerts_entity", table_name="trace_alerts")
    for name in ("trace_alerts", "trace_honeytokens", "trace_copies", "trace_secret"):
        op.drop_table(name)
