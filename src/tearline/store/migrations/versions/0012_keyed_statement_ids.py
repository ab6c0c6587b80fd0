"""keyed statement ids: a per-node secret, and every stored statement id rekeyed

Revision ID: 0012
Revises: 0011 (depends on 0003, 0005 and 0009: the tables that hold statement ids)

Statement ids were an unkeyed SHA-1 of (entity, property, value, agency, unit), so
anyone shown an id could find a hidden value by hashing guesses. From here on they are
a keyed BLAKE2b of the same content under a secret of the node
(:class:`tearline.model.statement.StatementKeyer`); this migration creates that secret
(32 random bytes in ``statement_key``, like the audit salt of 0002) and rewrites every
stored id to the keyed one: in ``statements``, ``tokens``, ``release_items`` and
``marking_changes``, all in the migration's one transaction. An id in a release or a
marking change whose statement is gone (purged) names nothing and is left as it was.
Audit entries are append-only and hashed into the log: those written before this
migration keep the old ids (see ``docs/audit.md``).

The derivation is written out here rather than imported, so that this migration keeps
producing exactly the ids of revision 0012 whatever the model does later; a test
checks that it agrees with the model's. Downgrading goes back to the unkeyed ids (they
are computable from the content) and drops the key.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = ("0003", "0005", "0009")

#: Statements read, and mappings written, per round trip.
CHUNK = 5_000
#: The tables and columns that name statements, besides ``statements.id`` itself.
REFERENCES = (("tokens", "statement_id"), ("release_items", "statement_id"),
              ("marking_changes", "statement_id"))

Derive = Callable[[str, str, str, str, str], str]


def _content(entity_id: str, prop: str, value: str, origin: str, author: str) -> bytes:
    return f"{entity_id}\x1f{prop}\x1f{value}\x1f{origin}\x1f{author}".encode()


def _keyed(key: bytes) -> Derive:
    keyed = hashlib.blake2b(key=key, digest_size=20)

    def derive(entity_id: str, prop: str, value: str, origin: str, author: str) -> str:
        h = keyed.copy()
        h.update(_content(entity_id, prop, value, origin, author))
        return "st-" + h.hexdigest()

    return derive


def _unkeyed(entity_id: str, prop: str, value: str, origin: str, author: str) -> str:
    content = _content(entity_id, prop, value, origin, author)
    return "st-" + hashlib.sha1(content, usedforsecurity=False).hexdigest()


def _rekey(derive: Derive) -> None:
    """Rewrite every statement id (and every reference to one) to ``derive``'s."""
    conn = op.get_bind()
    op.create_table(
        "statement_rekey",
        sa.Column("old_id", sa.String(length=48), nullable=False),
        sa.Column("new_id", sa.String(length=48), nullable=False),
        sa.PrimaryKeyConstraint("old_id"),
    )
    read = sa.text("SELECT id, entity_id, prop, value, origin, author FROM statements "
                   "WHERE id > :after ORDER BY id LIMIT :n")
    insert = sa.text("INSERT INTO statement_rekey (old_id, new_id) VALUES (:old, :new)")
    after = ""
    while True:
        rows = conn.execute(read, {"after": after, "n": CHUNK}).all()
        if not rows:
            break
        conn.execute(insert, [
            {"old": r.id, "new": derive(r.entity_id, r.prop, r.value, r.origin, r.author)}
            for r in rows])
        after = rows[-1].id
    for table, column in (("statements", "id"), *REFERENCES):
        op.execute(
            f"UPDATE {table} SET {column} = (SELECT m.new_id FROM statement_rekey m "
            f"WHERE m.old_id = {table}.{column}) "
            f"WHERE {column} IN (SELECT old_id FROM statement_rekey)"
        )
    op.drop_table("statement_rekey")


def upgrade() -> None:
    op.create_table(
        "statement_key",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    key = os.urandom(32)
    op.get_bind().execute(sa.text("INSERT INTO statement_key (id, key) VALUES (1, :key)"),
                          {"key": key})
    _rekey(_keyed(key))


def downgrade() -> None:
    _rekey(_unkeyed)
    op.drop_table("statement_key")
