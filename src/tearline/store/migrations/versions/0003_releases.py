"""releases, consents and marking changes (append-only)

Revision ID: 0003
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.String(length=27)


def upgrade() -> None:
    op.create_table(
        "releases",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=128), nullable=False),
        sa.Column("by_unit", sa.String(length=128), nullable=False),
        sa.Column("by_agency", sa.String(length=128), nullable=False),
        sa.Column("to_kind", sa.String(length=12), nullable=False),
        sa.Column("to_value", sa.String(length=128), nullable=False),
        sa.Column("to_agency", sa.String(length=128), nullable=True),
        sa.Column("basis", sa.String(length=128), nullable=True),
        sa.Column("released_at", TS, nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("supersedes", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_releases_entity", "releases", ["entity_id"])
    op.create_index("ix_releases_to", "releases", ["to_kind", "to_value"])
    op.create_table(
        "release_items",
        sa.Column("release_id", sa.String(length=64), nullable=False),
        sa.Column("statement_id", sa.String(length=48), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"]),
        sa.PrimaryKeyConstraint("release_id", "statement_id"),
    )
    op.create_index("ix_release_items_statement", "release_items", ["statement_id"])
    op.create_table(
        "release_revocations",
        sa.Column("release_id", sa.String(length=64), nullable=False),
        sa.Column("revoked_at", TS, nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"]),
        sa.PrimaryKeyConstraint("release_id"),
    )
    op.create_table(
        "consents",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=128), nullable=False),
        sa.Column("by_agency", sa.String(length=128), nullable=False),
        sa.Column("to_agency", sa.String(length=128), nullable=False),
        sa.Column("granted_at", TS, nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_consents_entity", "consents", ["entity_id", "by_agency", "to_agency"])
    op.create_table(
        "consent_withdrawals",
        sa.Column("consent_id", sa.String(length=64), nullable=False),
        sa.Column("withdrawn_at", TS, nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["consent_id"], ["consents.id"]),
        sa.PrimaryKeyConstraint("consent_id"),
    )
    op.create_table(
        "marking_changes",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity_id", sa.String(length=128), nullable=False),
        sa.Column("statement_id", sa.String(length=48), nullable=True),
        sa.Column("old_marking_id", sa.String(length=40), nullable=True),
        sa.Column("new_marking_id", sa.String(length=40), nullable=True),
        sa.Column("changed_at", TS, nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("ix_marking_changes_entity", "marking_changes", ["entity_id"])


def downgrade() -> None:
    for table in ("marking_changes", "consent_withdrawals", "consents", "release_revocations",
                  "release_items", "releases"):
        op.drop_table(table)
