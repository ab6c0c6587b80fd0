"""witness state per log key

Revision ID: 0021
Revises: 0018

A witness kept the last checkpoint it cosigned per log *origin* (the name of the
log's key). Two nodes whose keys carry the same name — nodes set up on machines with
the same host name, before keys were named after the node — then shared one state,
and witnessing the second raised a false split-view alarm. The state is now kept per
log key id (``log_key_id``, the hex C2SP key id: a hash of the key name and the public
key). Rows written before this revision have no key id; they are attributed to a key
when read, by checking the stored note's signature with that key
(``store/audit_checkpoints.py``), so existing witness state keeps working.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0018"
branch_labels = None
depends_on = "0002"  # audit_witnessed


def upgrade() -> None:
    with op.batch_alter_table("audit_witnessed") as table:
        table.add_column(sa.Column("log_key_id", sa.String(length=8), nullable=True))
    op.create_index("ix_audit_witnessed_key", "audit_witnessed", ["log_key_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_audit_witnessed_key", table_name="audit_witnessed")
    with op.batch_alter_table("audit_witnessed") as table:
        table.drop_column("log_key_id")
