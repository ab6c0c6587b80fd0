"""fewer b-trees per written row: search tokens clustered on their key, no duplicate index

Revision ID: 0009
Revises: 0001 (depends on 0006, which creates the token and record indexes)

Every statement written also writes its search tokens, and every row costs one
b-tree insertion per index, so the indexes no read needs are the cheapest ingest
time to win back.

* SQLite: ``tokens`` becomes a ``WITHOUT ROWID`` table. Its rows are small (a word,
  a statement id, an entity id) and always looked up by key, so the table itself is
  the primary-key b-tree ``(token, statement_id)`` with ``entity_id`` stored beside
  the key: a rare word's entities are read from that one b-tree in token order. The
  copy ``ix_tokens_token_entity (token, entity_id)`` existed to give exactly that read
  a covering index, so it goes too; ``ix_tokens_entity (entity_id, token)`` stays
  (a common word probed per record). Two b-trees per token row instead of four.
  PostgreSQL keeps its heap and both indexes (an index-only scan there needs
  ``entity_id`` inside an index).
* Both backends: ``ix_records_schema (schema)`` goes. ``ix_records_schema_visibility
  (schema, id, …)`` starts with the same column, so it answers every query the
  narrower index did.
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0001"
branch_labels = None
depends_on = "0006"

_COLUMNS = "token, statement_id, entity_id"


def _rebuild_tokens(without_rowid: bool) -> None:
    """SQLite: copy ``tokens`` into a table of the other storage kind (no ALTER for it)."""
    suffix = " WITHOUT ROWID" if without_rowid else ""
    op.execute(
        "CREATE TABLE tokens_new (token VARCHAR(64) NOT NULL, "
        "statement_id VARCHAR(48) NOT NULL, entity_id VARCHAR(128) NOT NULL, "
        f"PRIMARY KEY (token, statement_id)){suffix}"
    )
    op.execute(f"INSERT INTO tokens_new ({_COLUMNS}) SELECT {_COLUMNS} FROM tokens")
    op.execute("DROP TABLE tokens")  # its indexes go with it
    op.execute("ALTER TABLE tokens_new RENAME TO tokens")
    op.create_index("ix_tokens_entity", "tokens", ["entity_id", "token"])


def upgrade() -> None:
    op.drop_index("ix_records_schema", table_name="records")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_tokens(without_rowid=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_tokens(without_rowid=False)
        op.create_index("ix_tokens_token_entity", "tokens", ["token", "entity_id"])
    op.create_index("ix_records_schema", "records", ["schema"])
