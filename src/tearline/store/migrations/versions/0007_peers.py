"""Federation peers, and consent documents received from originators

Revision ID: 0007
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "peers",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("agency", sa.String(length=128), nullable=False),
        sa.Column("unit", sa.String(length=128), nullable=False),
        sa.Column("verifier_key", sa.String(length=400), nullable=False),
        sa.Column("cert_sha256", sa.String(length=64), nullable=False),
        sa.Column("tls_certificate", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=400), nullable=False),
        sa.Column("added_at", sa.String(length=27), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("peers", schema=None) as batch_op:
        batch_op.create_index("ix_peers_name", ["name"], unique=False)
        batch_op.create_index("ix_peers_cert", ["cert_sha256"], unique=False)
    op.create_table(
        "peer_removals",
        sa.Column("peer_seq", sa.Integer(), nullable=False),
        sa.Column("removed_at", sa.String(length=27), nullable=False),
        sa.Column("removed_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["peer_seq"], ["peers.seq"]),
        sa.PrimaryKeyConstraint("peer_seq"),
    )
    op.create_table(
        "consent_documents",
        sa.Column("consent_id", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=128), nullable=False),
        sa.Column("by_agency", sa.String(length=128), nullable=False),
        sa.Column("to_agency", sa.String(length=128), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("received_from", sa.String(length=128), nullable=False),
        sa.Column("received_at", sa.String(length=27), nullable=False),
        sa.PrimaryKeyConstraint("consent_id"),
    )
    with op.batch_alter_table("consent_documents", schema=None) as batch_op:
        batch_op.create_index("ix_consent_documents_entity", ["entity_id", "to_agency"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("consent_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_consent_documents_entity")
    op.drop_table("consent_documents")
    op.drop_table("peer_removals")
    with op.batch_alter_table("peers", schema=None) as batch_op:
        batch_op.drop_index("ix_peers_cert")
        batch_op.drop_index("ix_peers_name")
    op.drop_table("peers")
