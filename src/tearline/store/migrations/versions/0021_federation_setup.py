"""witness state per log key; vetting attestations received

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

``vetting_attestations`` keeps the signed vetting attestations a vetting agency's node
sent with the records that depend on them (``federation/vetting.py``,
``store/vetting_attestations.py``); the vettings they list are recorded in
``vettings`` as any other.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0018"
branch_labels = None
depends_on = "0002"  # audit_witnessed; vettings are in 0001


def upgrade() -> None:
    with op.batch_alter_table("audit_witnessed") as table:
        table.add_column(sa.Column("log_key_id", sa.String(length=8), nullable=True))
    op.create_index("ix_audit_witnessed_key", "audit_witnessed", ["log_key_id", "seq"])
    op.create_table(
        "vetting_attestations",
        sa.Column("digest", sa.String(length=64), primary_key=True),
        sa.Column("vetter", sa.String(length=128), nullable=False),
        sa.Column("unit", sa.String(length=128), nullable=False),
        sa.Column("attested_at", sa.String(length=27), nullable=False),
        sa.Column("received_from", sa.String(length=200), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("received_at", sa.String(length=27), nullable=False),
    )
    op.create_index("ix_vetting_attestations_unit", "vetting_attestations",
                    ["vetter", "unit", "attested_at"])


def downgrade() -> None:
    op.drop_index("ix_vetting_attestations_unit", table_name="vetting_attestations")
    op.drop_table("vetting_attestations")
    op.drop_index("ix_audit_witnessed_key", table_name="audit_witnessed")
    with op.batch_alter_table("audit_witnessed") as table:
        table.drop_column("log_key_id")
