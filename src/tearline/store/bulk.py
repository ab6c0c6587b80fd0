"""Bulk statements: one compiled SQL string per table and dialect, run with executemany.

SQLAlchemy compiles the upsert once (positional parameters on both backends); the
rows — tuples in the table's column order — then go straight to the driver's
``executemany`` (SQLite) or pipelined ``executemany`` (psycopg), which is what keeps
the store within a small factor of a plain ``executemany`` of the same rows.

On PostgreSQL a large batch (:data:`COPY_ROWS` rows or more) goes another way: the
rows are streamed with ``COPY`` into a temporary table dropped at commit, and one
``INSERT … SELECT … ON CONFLICT`` moves them into the table. The server then parses
and plans one statement instead of one per row, which is faster than even a
pipelined ``executemany``; the upsert's meaning is the same (see
:func:`_copy_sql`), and it all happens in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import Insert

from tearline.store.engine import database_error

#: From this many rows on, PostgreSQL batches are loaded with COPY (below it, the
#: temporary table costs more than it saves).
COPY_ROWS = 2_000


def _insert(dialect: str, table: Table) -> Any:
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def upsert(dialect: str, table: Table, keys: Sequence[str], greatest: Sequence[str] = ()) -> Insert:
    """INSERT … ON CONFLICT (keys) DO NOTHING, or keep the greatest of ``greatest`` columns."""
    stmt = _insert(dialect, table)
    if not greatest:
        return stmt.on_conflict_do_nothing(index_elements=list(keys))  # type: ignore[no-any-return]
    biggest = func.greatest if dialect == "postgresql" else func.max
    return stmt.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=list(keys),
        set_={col: biggest(table.c[col], stmt.excluded[col]) for col in greatest},
    )


def columns(table: Table) -> tuple[str, ...]:
    """The column order of the tuples :func:`executemany_rows` takes for ``table``."""
    return tuple(c.name for c in table.columns)


@lru_cache(maxsize=64)
def _compiled(
    dialect_name: str, table: Table, keys: tuple[str, ...], greatest: tuple[str, ...]
) -> tuple[str, Any]:
    """The upsert's SQL, and how to turn a row in column order into its parameters
    (``None``: the row is the parameters)."""
    dialect: Any
    if dialect_name == "postgresql":
        # Positional (%s) rather than psycopg's default named style: rows stay tuples.
        dialect = postgresql.psycopg.dialect(paramstyle="format")  # type: ignore[no-untyped-call]
    else:
        dialect = sqlite.dialect()
    stmt = upsert(dialect_name, table, keys, greatest).values({c.name: None for c in table.columns})
    compiled = stmt.compile(dialect=dialect)
    order = columns(table)
    positions = tuple(compiled.positiontup or ())
    if positions == order:
        return str(compiled), None
    if len(positions) < 2 or not set(positions) <= set(order):
        raise AssertionError(f"unexpected parameters {positions} for {table.name}")
    return str(compiled), itemgetter(*(order.index(p) for p in positions))


def executemany_rows(
    conn: Connection,
    table: Table,
    rows: Sequence[tuple[Any, ...]],
    keys: Sequence[str],
    greatest: Sequence[str] = (),
) -> None:
    """Upsert ``rows`` (tuples in :func:`columns` order) in one executemany call.

    The call goes through ``exec_driver_sql``: straight to the driver cursor's
    ``executemany`` with the rows as given, but with the connection's error
    translation (see :func:`tearline.store.engine.translated`); its own cost is per
    call, not per row.
    """
    if not rows:
        return
    if conn.dialect.name == "postgresql" and len(rows) >= COPY_ROWS:
        _copy_upsert(conn, table, rows, tuple(keys), tuple(greatest))
        return
    sql, reorder = _compiled(conn.dialect.name, table, tuple(keys), tuple(greatest))
    if reorder is not None:
        params: list[Any] = list(map(reorder, rows))
    else:
        params = rows if isinstance(rows, list) else list(rows)
    conn.exec_driver_sql(sql, params)


@lru_cache(maxsize=64)
def _copy_sql(
    table: Table, keys: tuple[str, ...], greatest: tuple[str, ...]
) -> tuple[str, str, str, str]:
    """CREATE TEMPORARY TABLE, TRUNCATE, COPY, and INSERT … SELECT for ``table``.

    The INSERT means what the executemany upsert means. Rows are taken in their
    order of arrival, and a key given twice within one batch — which ``ON CONFLICT
    DO UPDATE`` refuses within one statement — keeps, for ``DO NOTHING``, the first
    row (the others do nothing, as they would one by one) and for ``greatest`` the
    row with the greatest of those columns (what applying them one by one leaves).
    """
    quote = postgresql.dialect().identifier_preparer.quote  # type: ignore[no-untyped-call]
    name = quote(table.name)
    # Dropped at commit; emptied before each batch (several batches share a transaction).
    staging = quote(f"tl_load_{table.name}")
    cols = ", ".join(quote(c) for c in columns(table))
    create = (
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} "
        f"(LIKE {name} INCLUDING DEFAULTS) ON COMMIT DROP"
    )
    copy = f"COPY {staging} ({cols}) FROM STDIN"
    key_cols = ", ".join(quote(k) for k in keys)
    if not greatest:
        insert = (
            f"INSERT INTO {name} ({cols}) SELECT {cols} FROM {staging} "
            f"ON CONFLICT ({key_cols}) DO NOTHING"
        )
    else:
        order = ", ".join(f"{quote(g)} DESC" for g in greatest)
        updates = ", ".join(
            f"{quote(g)} = greatest({name}.{quote(g)}, excluded.{quote(g)})" for g in greatest
        )
        insert = (
            f"INSERT INTO {name} ({cols}) SELECT DISTINCT ON ({key_cols}) {cols} "
            f"FROM {staging} ORDER BY {key_cols}, {order} "
            f"ON CONFLICT ({key_cols}) DO UPDATE SET {updates}"
        )
    return create, f"TRUNCATE {staging}", copy, insert


def _copy_upsert(
    conn: Connection,
    table: Table,
    rows: Sequence[tuple[Any, ...]],
    keys: tuple[str, ...],
    greatest: tuple[str, ...],
) -> None:
    create, truncate, copy_sql, insert = _copy_sql(table, keys, greatest)
    conn.exec_driver_sql(create)
    conn.exec_driver_sql(truncate)
    dbapi: Any = conn.connection.dbapi_connection
    try:
        with dbapi.cursor() as cursor, cursor.copy(copy_sql) as copy:
            write = copy.write_row
            for row in rows:
                write(row)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise database_error(exc) from exc
    conn.exec_driver_sql(insert)


def executemany(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    greatest: Sequence[str] = (),
) -> None:
    """Upsert ``rows`` (dicts with every column of ``table``) in one executemany call."""
    if not rows:
        return
    get = itemgetter(*columns(table))
    executemany_rows(conn, table, list(map(get, rows)), keys, greatest)
