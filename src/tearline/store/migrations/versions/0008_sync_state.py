"""Pull client state: sources, cursors, received object versions, definitions, receipts

Revision ID: 0008
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.String(length=27)


def upgrade() -> None:
    op.create_table(
        "sync_sources",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("agency", sa.String(length=128), nullable=False),
        sa.Column("url", sa.String(length=400), nullable=False),
        sa.Column("username", sa.String(length=200)),
        sa.Column("password_env", sa.String(length=128)),
        sa.Column("tls_certificate", sa.Text()),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("ix_sync_sources_name", "sync_sources", ["name"])
    op.create_table(
        "sync_cursors",
        sa.Column("partner", sa.String(length=128), nullable=False),
        sa.Column("collection_id", sa.String(length=128), nullable=False),
        sa.Column("api_root", sa.String(length=400), nullable=False),
        sa.Column("date_added", sa.String(length=40), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("partner", "collection_id"),
    )
    op.create_table(
        "sync_received",
        sa.Column("partner", sa.String(length=128), nullable=False),
        sa.Column("object_id", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("collection_id", sa.String(length=128), nullable=False),
        sa.Column("entity_id", sa.String(length=128)),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("partner", "object_id", "version"),
    )
    op.create_table(
        "sync_definitions",
        sa.Column("partner", sa.String(length=128), nullable=False),
        sa.Column("object_id", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("partner", "object_id"),
    )
    op.create_table(
        "sync_receipts",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("partner", sa.String(length=128), nullable=False),
        sa.Column("url", sa.String(length=400), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sync_receipts_partner", "sync_receipts", ["partner", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_sync_receipts_partner", "sync_receipts")
    op.drop_table("sync_receipts")
    op.drop_table("sync_definitions")
    op.drop_table("sync_received")
    op.drop_table("sync_cursors")
    op.drop_index("ix_sync_sources_name", "sync_sources")
    op.drop_table("sync_sources")
