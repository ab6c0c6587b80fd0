"""when each statement was added, and the time indexes the federation feed walks

Revision ID: 0019
Revises: 0018 (depends on 0002, 0003, 0007, 0010: the audit log and the tables walked)

A peer's feed is ordered by the time each record last changed *in that peer's view*
(``store/feed.py``): the latest of the times its shown statements were added, its
own and its shown statements' markings were set, releases reaching the peer were made
and consents letting this node pass it on were recorded. The statement's addition is
the one time not stored so far: ``statements.added_at`` is the time of the write that
stored it (never the data's own first-seen time, which may lie in the past).

Statements stored before this revision take the time of their record's latest write
entry in the audit log (the position the feed gave the record until now), or the
record's modification time where the log has none. Each time column gets an index
(time, record id) so that the feed reads them in order, a page at a time; on
PostgreSQL the ids in those indexes compare by code point (``COLLATE "C"``), as the
feed merges them in Python.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = ("0003", "0007", "0010")

#: (index, table, time column) walked by the feed.
INDEXES = (
    ("ix_statements_added", "statements", "added_at"),
    ("ix_marking_changes_at", "marking_changes", "changed_at"),
    ("ix_releases_at", "releases", "released_at"),
    ("ix_consents_at", "consents", "granted_at"),
    ("ix_consent_documents_at", "consent_documents", "received_at"),
)

RETRACTED = "ix_statements_retracted"


def upgrade() -> None:
    op.add_column("statements", sa.Column("added_at", sa.String(length=27), nullable=True))
    op.execute(
        "UPDATE statements SET added_at = COALESCE("
        " (SELECT max(a.at) FROM audit_entries a WHERE a.entity_id = statements.entity_id"
        "  AND a.kind IN ('record.created', 'record.updated')),"
        " (SELECT r.modified_at FROM records r WHERE r.id = statements.entity_id))"
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, column in INDEXES:
        entity = 'entity_id COLLATE "C"' if postgresql else "entity_id"
        op.execute(f"CREATE INDEX {name} ON {table} ({column}, {entity})")
    # retractions are few: the index holds the retracted statements only
    entity = 'entity_id COLLATE "C"' if postgresql else "entity_id"
    op.execute(f"CREATE INDEX {RETRACTED} ON statements (retracted_at, {entity}) "
               "WHERE retracted_at IS NOT NULL")


def downgrade() -> None:
    op.execute(f"DROP INDEX {RETRACTED}")
    for name, _, _ in INDEXES:
        op.execute(f"DROP INDEX {name}")
    with op.batch_alter_table("statements") as table:
        table.drop_column("added_at")
