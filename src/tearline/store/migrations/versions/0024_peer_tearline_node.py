"""whether a peer is a tearline node (honours granular markings)

Revision ID: 0024
Revises: 0018 (depends on 0007, which creates the peers table)

A consumer that ignores STIX granular markings would keep a portion's value under its
object's wider marking, so a peer that is not a tearline node receives portions as
objects of their own (``stix/standard.py``). Peers recorded before this revision were
added from tearline identity documents: they are tearline nodes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0018"
branch_labels = None
depends_on = "0007"  # the peers table


def upgrade() -> None:
    with op.batch_alter_table("peers") as table:
        table.add_column(sa.Column("tearline_node", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("peers") as table:
        table.drop_column("tearline_node")
