"""The node's statement key: the secret that statement ids are derived with.

One row, written once by migration 0012 (32 random bytes) and never changed: every
stored id depends on it, so a new key would need every statement rekeyed (as that
migration did for the unkeyed ids before it). It lives in the database, beside the
ids it derives, rather than in a file of the workspace: a backup or copy of the
database then always carries the key its ids were made with (a lost or mismatched key
file would make re-ingesting a file duplicate every statement), and a PostgreSQL node
needs no workspace folder. Nothing reads it but :func:`keyer`: it is in no export,
TAXII answer, audit entry, receipt or identity document, and
:class:`~tearline.model.statement.StatementKeyer` never shows it.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Integer, LargeBinary, Table, select

from tearline.errors import StoreError, tr
from tearline.model.statement import StatementKeyer
from tearline.store.tables import metadata

statement_key = Table(
    "statement_key",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("key", LargeBinary(32), nullable=False),
)


def keyer(conn: Connection) -> StatementKeyer:
    """The node's statement keyer (read from the one row)."""
    key = conn.execute(
        select(statement_key.c.key).where(statement_key.c.id == 1)
    ).scalar_one_or_none()
    if key is None:
        raise StoreError(tr("the database has no statement key: run `tearline init`"))
    return StatementKeyer(bytes(key))
