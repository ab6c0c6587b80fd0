"""audit log on SQLite: an entry row holds its bytes alone; lookup columns derived from them

Revision ID: 0010
Revises: 0001 (depends on 0002, which creates the table)

``audit_entries.kind``, ``at``, ``actor`` and ``entity_id`` were copies of values in
the entry's canonical bytes, stored so that ``audit log --entity`` can use an index,
and checked against the bytes by every verification (a quarter of its time). On SQLite
they become VIRTUAL generated columns: the row stores nothing but the bytes, the two
indexes hold the values computed from them, and there is no copy left to tamper with
or to check. The ``leaf`` column goes too: the leaf hash is stored once, as the
level-0 node of ``audit_nodes``, which verification compares with the hash it
recomputes from the bytes, and readers compute it from the bytes. PostgreSQL (whose
generated columns are always stored) keeps the stored copies and their check.

A value is read as the text between ``"key":"`` and the next quote. That is exact for
every entry an append wrote: canonical JSON holds ``"key":"`` only where the top-level
key is (a quote inside a string value is escaped, so it never follows a letter), and
the four fields are validated to characters that need no escaping (ids, parties,
UTC timestamps, kind names). A key absent or null (``"entity_id":null``) gives NULL.
The expressions never fail, whatever the bytes, so a damaged entry is still stored
and read, and verification reports it by its leaf hash.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0001"
branch_labels = None
depends_on = "0002"

COLUMNS = ("kind", "at", "actor", "entity_id")


def derived(key: str) -> str:
    """SQLite: the string value of top-level ``key`` in the canonical bytes, else NULL."""
    needle = f'\'"{key}":"\''
    start = f"instr(CAST(body AS TEXT), {needle}) + {len(key) + 4}"
    return (
        f"CASE WHEN instr(CAST(body AS TEXT), {needle}) > 0 THEN "
        f"substr(CAST(body AS TEXT), {start}, "
        f"instr(substr(CAST(body AS TEXT), {start}), '\"') - 1) END"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.drop_index("ix_audit_entries_entity", table_name="audit_entries")
    op.drop_index("ix_audit_entries_actor", table_name="audit_entries")
    for column in ("leaf", *COLUMNS):
        op.execute(f"ALTER TABLE audit_entries DROP COLUMN {column}")
    for column in COLUMNS:
        op.execute(
            f"ALTER TABLE audit_entries ADD COLUMN {column} TEXT "
            f"GENERATED ALWAYS AS ({derived(column)}) VIRTUAL"
        )
    op.create_index("ix_audit_entries_entity", "audit_entries", ["entity_id", "idx"])
    op.create_index("ix_audit_entries_actor", "audit_entries", ["actor", "idx"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.drop_index("ix_audit_entries_entity", table_name="audit_entries")
    op.drop_index("ix_audit_entries_actor", table_name="audit_entries")
    for column in COLUMNS:
        op.execute(f"ALTER TABLE audit_entries DROP COLUMN {column}")
    for column in COLUMNS:  # stored again: copied from the bytes, as appends used to write
        op.execute(f"ALTER TABLE audit_entries ADD COLUMN {column} TEXT")
        op.execute(f"UPDATE audit_entries SET {column} = {derived(column)}")
    op.execute("ALTER TABLE audit_entries ADD COLUMN leaf BLOB")  # SQLite has no SHA-256:
    op.execute(  # the leaf is the level-0 node the append wrote
        "UPDATE audit_entries SET leaf = (SELECT hash FROM audit_nodes "
        "WHERE level = 0 AND audit_nodes.idx = audit_entries.idx)"
    )
    op.create_index("ix_audit_entries_entity", "audit_entries", ["entity_id", "idx"])
    op.create_index("ix_audit_entries_actor", "audit_entries", ["actor", "idx"])
