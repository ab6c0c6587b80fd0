"""published aggregate series (CBP, UNODC) with their provenance

Revision ID: 0004
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "series_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.String(length=27), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "series_cbp_rows",
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=10), nullable=False),
        sa.Column("component", sa.String(length=128), nullable=False),
        sa.Column("region", sa.String(length=128), nullable=False),
        sa.Column("land_filter", sa.String(length=128), nullable=False),
        sa.Column("area_of_responsibility", sa.String(length=200), nullable=False),
        sa.Column("drug", sa.String(length=64), nullable=False),
        sa.Column("drug_label", sa.String(length=128), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("pounds", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["file_sha256"], ["series_files.sha256"]),
        sa.PrimaryKeyConstraint("file_sha256", "line"),
    )
    op.create_table(
        "series_unodc_rows",
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=128), nullable=False),
        sa.Column("country", sa.String(length=200), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=True),
        sa.Column("drug_group", sa.String(length=128), nullable=False),
        sa.Column("drug", sa.String(length=128), nullable=False),
        sa.Column("kg", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["file_sha256"], ["series_files.sha256"]),
        sa.PrimaryKeyConstraint("file_sha256", "line"),
    )
    with op.batch_alter_table("series_unodc_rows", schema=None) as batch_op:
        batch_op.create_index("ix_series_unodc_country", ["iso3", "year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("series_unodc_rows", schema=None) as batch_op:
        batch_op.drop_index("ix_series_unodc_country")
    op.drop_table("series_unodc_rows")
    op.drop_table("series_cbp_rows")
    op.drop_table("series_files")
