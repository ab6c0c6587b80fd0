"""blind deconfliction: key shares, the signed token index, quotas

Revision ID: 0020
Revises: 0018

The tables of ``store/deconflict_tables.py``. New tables only: a workspace created
before this revision gains an empty index and no key share (``tearline deconflict
install-share``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0018"
branch_labels = None
depends_on = None

TS = sa.String(length=27)


def upgrade() -> None:
    op.create_table(
        "deconflict_shares",
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("share_index", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("share_count", sa.Integer(), nullable=False),
        sa.Column("share", sa.LargeBinary(length=32), nullable=False),
        sa.Column("installed_at", TS, nullable=False),
        sa.Column("installed_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key_id"),
    )
    op.create_table(
        "deconflict_documents",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("doc_id", sa.String(length=64), nullable=False),
        sa.Column("doc_type", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=128), nullable=False),
        sa.Column("addressed_to", sa.String(length=128), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("ix_deconflict_documents_doc", "deconflict_documents", ["doc_id"],
                    unique=True)
    op.create_table(
        "deconflict_registrations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("agency", sa.String(length=128), nullable=False),
        sa.Column("unit", sa.String(length=128), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("since", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("origin", sa.String(length=128), nullable=False),
        sa.Column("doc_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_deconflict_registrations_token", "deconflict_registrations",
                    ["token"], unique=False)
    op.create_table(
        "deconflict_withdrawals",
        sa.Column("registration_id", sa.String(length=64), nullable=False),
        sa.Column("withdrawn_at", TS, nullable=False),
        sa.Column("doc_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("registration_id"),
    )
    op.create_table(
        "deconflict_notices",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("registration_id", sa.String(length=64), nullable=False),
        sa.Column("checker_unit", sa.String(length=128), nullable=False),
        sa.Column("checker_agency", sa.String(length=128), nullable=False),
        sa.Column("agreement_id", sa.String(length=128), nullable=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("doc_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_deconflict_notices_registration", "deconflict_notices",
                    ["registration_id"], unique=False)
    op.create_table(
        "deconflict_quotas",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("unit", sa.String(length=128), nullable=False),
        sa.Column("daily_limit", sa.Integer(), nullable=False),
        sa.Column("set_at", TS, nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("ix_deconflict_quotas_unit", "deconflict_quotas", ["unit"], unique=False)
    op.create_table(
        "deconflict_usage",
        sa.Column("unit", sa.String(length=128), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("unit", "day"),
    )
    op.create_table(
        "deconflict_cursors",
        sa.Column("peer", sa.String(length=128), nullable=False),
        sa.Column("position", sa.String(length=400), nullable=False),
        sa.PrimaryKeyConstraint("peer"),
    )


def downgrade() -> None:
    for index, table in (
        ("ix_deconflict_quotas_unit", "deconflict_quotas"),
        ("ix_deconflict_notices_registration", "deconflict_notices"),
        ("ix_deconflict_registrations_token", "deconflict_registrations"),
        ("ix_deconflict_documents_doc", "deconflict_documents"),
    ):
        op.drop_index(index, table_name=table)
    for table in ("deconflict_cursors", "deconflict_usage", "deconflict_quotas",
                  "deconflict_notices", "deconflict_withdrawals", "deconflict_registrations",
                  "deconflict_documents", "deconflict_shares"):
        op.drop_table(table)
