"""consent requests and answers; the objects partners' delivery receipts name

Revision ID: 0038
Revises: 0018 (depends on 0003, which creates ``consents``: a granted answer names one)

``consent_requests``, ``consent_request_items`` and ``consent_answers``
(``store/consent_requests.py``) keep, append-only, who asked which originating unit for
consent to release which ORCON items of a record onward, and the answer;
``receipt_objects`` (``store/delivery_receipts.py``) which object versions each verified
receipt of a peer names. New tables only: a workspace from before this revision has no
request, its consents stay, and its earlier receipts stay in the audit log only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0038"
down_revision = "0018"
branch_labels = None
depends_on = "0003"  # consents


def upgrade() -> None:
    op.create_table(
        "consent_requests",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=128), nullable=False),
        sa.Column("origin_agency", sa.String(length=128), nullable=False),
        sa.Column("to_unit", sa.String(length=128), nullable=False),
        sa.Column("asker_unit", sa.String(length=128), nullable=False),
        sa.Column("asker_agency", sa.String(length=128), nullable=False),
        sa.Column("asked_by", sa.String(length=200), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("asked_at", sa.String(length=27), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_consent_requests_to_unit", "consent_requests", ["to_unit"])
    op.create_index("ix_consent_requests_asker_unit", "consent_requests", ["asker_unit"])
    op.create_table(
        "consent_request_items",
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("statement_id", sa.String(length=48), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["consent_requests.id"]),
        sa.PrimaryKeyConstraint("request_id", "statement_id"),
    )
    op.create_table(
        "consent_answers",
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=False),
        sa.Column("consent_id", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("answered_by", sa.String(length=200), nullable=False),
        sa.Column("answered_at", sa.String(length=27), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["consent_requests.id"]),
        sa.PrimaryKeyConstraint("request_id"),
    )
    op.create_table(
        "receipt_objects",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("peer", sa.String(length=200), nullable=False),
        sa.Column("receipt_digest", sa.String(length=64), nullable=False),
        sa.Column("object_id", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", sa.String(length=27), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("ix_receipt_objects_object", "receipt_objects", ["object_id", "peer"])


def downgrade() -> None:
    op.drop_index("ix_receipt_objects_object", table_name="receipt_objects")
    op.drop_table("receipt_objects")
    op.drop_table("consent_answers")
    op.drop_table("consent_request_items")
    op.drop_index("ix_consent_requests_asker_unit", table_name="consent_requests")
    op.drop_index("ix_consent_requests_to_unit", table_name="consent_requests")
    op.drop_table("consent_requests")
