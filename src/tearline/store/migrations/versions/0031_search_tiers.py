"""search tokens keyed by (token, entity_id, statement_id), and each statement's exact key

Revision ID: 0031
Revises: 0018 (depends on 0009, the last revision that shaped ``tokens``)

A ranked search reads its page tier by tier (``store/search_tiers.py``): the records
whose visible names are exactly the query's words, then those holding every word whole,
each tier in record id order with an early stop. Two changes make both tiers index
walks that stop after a page:

* the primary key becomes ``(token, entity_id, statement_id)``: the records holding a
  token are read in id order from the key itself, from any id on. A statement belongs
  to one record, so the key is as unique as before. On PostgreSQL the copy
  ``ix_tokens_token_entity (token, entity_id)`` is then a prefix of the key and goes;
* each statement with at most eight distinct tokens gains one row, its exact key
  (``store/tokens.py``, :func:`~tearline.store.tokens.exact_key`), computed here from
  the tokens already stored, as a write computes it.
"""

from __future__ import annotations

from itertools import groupby

from alembic import op
from sqlalchemy import text

revision = "0031"
down_revision = "0018"
branch_labels = None
depends_on = "0009"  # the tokens table as it stands

_COLUMNS = "token, statement_id, entity_id"
_BATCH = 10_000


def _rebuild_sqlite(key: str) -> None:
    """SQLite has no ALTER for a primary key: copy into a table keyed as asked."""
    op.execute(
        "CREATE TABLE tokens_new (token VARCHAR(64) NOT NULL, "
        "statement_id VARCHAR(48) NOT NULL, entity_id VARCHAR(128) NOT NULL, "
        f"PRIMARY KEY ({key})) WITHOUT ROWID"
    )
    op.execute(f"INSERT INTO tokens_new ({_COLUMNS}) SELECT {_COLUMNS} FROM tokens")
    op.execute("DROP TABLE tokens")  # its indexes go with it
    op.execute("ALTER TABLE tokens_new RENAME TO tokens")
    op.create_index("ix_tokens_entity", "tokens", ["entity_id", "token"])


def _add_exact_keys() -> None:
    """One exact-key row per statement that has one, from its stored tokens."""
    from tearline.store.tokens import exact_key

    conn = op.get_bind()
    rows = conn.execute(text(
        "SELECT statement_id, entity_id, token FROM tokens ORDER BY statement_id, token"))
    insert = text("INSERT INTO tokens (token, statement_id, entity_id) "
                  "VALUES (:token, :statement_id, :entity_id)")
    pending: list[dict[str, str]] = []
    # read whole first: inserting while the same table is being read is not portable
    grouped = [(sid, eid, [tok for _, _, tok in group])
               for (sid, eid), group in groupby(rows, key=lambda r: (r[0], r[1]))]
    for statement_id, entity_id, words in grouped:
        key = exact_key(words)
        if key is not None:
            pending.append({"token": key, "statement_id": statement_id, "entity_id": entity_id})
        if len(pending) >= _BATCH:
            conn.execute(insert, pending)
            pending = []
    if pending:
        conn.execute(insert, pending)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite("token, entity_id, statement_id")
    else:
        op.drop_constraint("tokens_pkey", "tokens", type_="primary")
        op.create_primary_key("tokens_pkey", "tokens", ["token", "entity_id", "statement_id"])
        op.drop_index("ix_tokens_token_entity", table_name="tokens")
    _add_exact_keys()


def downgrade() -> None:
    op.execute("DELETE FROM tokens WHERE token LIKE '=%' OR token LIKE '#%'")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite("token, statement_id")
    else:
        op.create_index("ix_tokens_token_entity", "tokens", ["token", "entity_id"])
        op.drop_constraint("tokens_pkey", "tokens", type_="primary")
        op.create_primary_key("tokens_pkey", "tokens", ["token", "statement_id"])
