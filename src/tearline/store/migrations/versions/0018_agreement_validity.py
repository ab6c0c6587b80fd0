"""the period an agreement is in force

Revision ID: 0018
Revises: 0011

A marking's or a release's legal basis must be an agreement in force that binds the
parties (``policy/legal_basis.py``). An agreement is in force from ``valid_from``
until ``valid_until`` (exclusive); either may be open (NULL). Agreements recorded
before this revision keep both open: they stay in force until a new version of the
agreement (``tearline party add-agreement`` with the same id) gives them an end.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agreements") as table:
        table.add_column(sa.Column("valid_from", sa.String(length=27), nullable=True))
        table.add_column(sa.Column("valid_until", sa.String(length=27), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agreements") as table:
        table.drop_column("valid_until")
        table.drop_column("valid_from")
