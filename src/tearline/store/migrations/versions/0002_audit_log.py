"""audit log: entries, perfect subtree nodes, checkpoints, cosignatures, witness state

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEX64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("salt", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "audit_entries",
        sa.Column("idx", INDEX64, autoincrement=False, nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("leaf", sa.LargeBinary(length=32), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("at", sa.String(length=27), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("entity_id", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("idx"),
    )
    op.create_index("ix_audit_entries_entity", "audit_entries", ["entity_id", "idx"])
    op.create_index("ix_audit_entries_actor", "audit_entries", ["actor", "idx"])
    op.create_table(
        "audit_nodes",
        sa.Column("level", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("idx", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("level", "idx"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("size", INDEX64, autoincrement=False, nullable=False),
        sa.Column("root", sa.LargeBinary(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.String(length=27), nullable=False),
        sa.PrimaryKeyConstraint("size"),
    )
    op.create_table(
        "audit_cosignatures",
        sa.Column("size", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("witness", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.String(length=27), nullable=False),
        sa.PrimaryKeyConstraint("size", "witness"),
    )
    op.create_table(
        "audit_witnessed",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("root", sa.LargeBinary(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.String(length=27), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("ix_audit_witnessed_origin", "audit_witnessed", ["origin", "seq"])
    # The log starts empty, with the node's secret salt for commitments (search texts,
    # selectors): generated here, once, and never written into an entry.
    op.get_bind().execute(
        sa.text("INSERT INTO audit_head (id, size, salt) VALUES (1, 0, :salt)"),
        {"salt": os.urandom(32)},
    )


def downgrade() -> None:
    for index, table in (
        ("ix_audit_witnessed_origin", "audit_witnessed"),
        ("ix_audit_entries_actor", "audit_entries"),
        ("ix_audit_entries_entity", "audit_entries"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "audit_witnessed",
        "audit_cosignatures",
        "audit_checkpoints",
        "audit_nodes",
        "audit_entries",
        "audit_head",
    ):
        op.drop_table(table)
