"""entity-typed property names as a table the read queries look up

Revision ID: 0011
Revises: 0001

The read queries decide whether a statement names another entity (its property is
entity-typed in the record's schema). Written as constant lists of the ~170 such names,
each list became, on SQLite, a temporary index built at every execution of the
statement: about half of a one-record read's query. A lookup into this table costs one
probe per statement instead. Its rows are derived from the schemata, not written here:
``store.visibility.sync_reference_properties`` fills it and keeps it equal to the model
each time the store is migrated.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reference_properties",
        sa.Column("prop", sa.String(length=64), nullable=False),
        sa.Column("every_schema", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("prop"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("reference_properties")
