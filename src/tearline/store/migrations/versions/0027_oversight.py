"""oversight drafts and release control: contacts, draft texts, officers, reports,
agreements that need a second officer, pending and approved releases

Revision ID: 0027
Revises: 0018

The tables of ``store/oversight_tables.py``. New tables only: a workspace created
before this revision has no contacts, no signed report, and no agreement requiring a
second officer (releases go out as before until one is set).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0018"
branch_labels = None
depends_on = None

TS = sa.String(length=27)


def upgrade() -> None:
    op.create_table(
        "oversight_contacts",
        sa.Column("contact_id", sa.String(length=64), nullable=False),
        sa.Column("agency", sa.String(length=128), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("logged_at", TS, nullable=False),
        sa.Column("logged_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("contact_id"),
    )
    op.create_table(
        "oversight_texts",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agency", sa.String(length=128), nullable=False),
        sa.Column("exchange_id", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("edited_at", TS, nullable=False),
        sa.Column("edited_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("ix_oversight_texts_exchange", "oversight_texts",
                    ["agency", "exchange_id"])
    op.create_table(
        "oversight_officers",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agency", sa.String(length=128), nullable=False),
        sa.Column("analyst", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=12), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_table(
        "oversight_reports",
        sa.Column("report_id", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=128), nullable=False),
        sa.Column("first", sa.BigInteger(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("officer", sa.String(length=200), nullable=False),
        sa.Column("signed_at", TS, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("report_id"),
    )
    op.create_index("ix_oversight_reports_agency", "oversight_reports", ["agency", "size"])
    op.create_table(
        "agreement_controls",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agreement_id", sa.String(length=128), nullable=False),
        sa.Column("two_person", sa.Boolean(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_table(
        "release_requests",
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=128), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("legal_basis", sa.String(length=128), nullable=False),
        sa.Column("agency", sa.String(length=128), nullable=False),
        sa.Column("unit", sa.String(length=128), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("requested_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("request_id"),
    )
    op.create_index("ix_release_requests_agency", "release_requests", ["agency"])
    op.create_table(
        "release_approvals",
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=False),
        sa.Column("approved_at", TS, nullable=False),
        sa.Column("release_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("request_id"),
    )


def downgrade() -> None:
    op.drop_table("release_approvals")
    op.drop_index("ix_release_requests_agency", table_name="release_requests")
    op.drop_table("release_requests")
    op.drop_table("agreement_controls")
    op.drop_index("ix_oversight_reports_agency", table_name="oversight_reports")
    op.drop_table("oversight_reports")
    op.drop_table("oversight_officers")
    op.drop_index("ix_oversight_texts_exchange", table_name="oversight_texts")
    op.drop_table("oversight_texts")
    op.drop_table("oversight_contacts")
