"""indexes for the read path: keyset pages walked on an index, search tokens both ways

Revision ID: 0006
Revises: 0001

* ``records (id, schema, retracted_at, marking_id, author, originator)`` and the same
  led by ``schema``: a page (of every schema, or of one) walks one of them from the
  cursor in id order. They carry the columns of the record's own visibility test, so
  records hidden from the subject are passed over inside the index, without reading
  the table (SQLite reads a covering index alone; PostgreSQL with an index-only scan).
* ``tokens (entity_id, token)``: a search for a common word walks the records in id
  order and probes each one's tokens for the word's prefix range.
* ``tokens (token, entity_id)``: a search for a rare word reads the entities having a
  token in the word's range from the index alone, then sorts those few.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None

VISIBILITY = ["retracted_at", "marking_id", "author", "originator"]


def upgrade() -> None:
    op.create_index("ix_records_visibility", "records", ["id", "schema", *VISIBILITY])
    op.create_index("ix_records_schema_visibility", "records", ["schema", "id", *VISIBILITY])
    op.create_index("ix_tokens_entity", "tokens", ["entity_id", "token"])
    op.create_index("ix_tokens_token_entity", "tokens", ["token", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_tokens_token_entity", table_name="tokens")
    op.drop_index("ix_tokens_entity", table_name="tokens")
    op.drop_index("ix_records_schema_visibility", table_name="records")
    op.drop_index("ix_records_visibility", table_name="records")
