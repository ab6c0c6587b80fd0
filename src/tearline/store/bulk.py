"""Bulk statements: one compiled SQL string per table and dialect, run with executemany.

SQLAlchemy compiles the upsert once (positional parameters on both backends); the
rows — tuples in the table's column order — then go straight to the driver's
``executemany`` (SQLite) or pipelined ``executemany`` (psycopg), which is what keeps
the store within a small factor of a plain ``executemany`` of the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import Insert


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
    sql, reorder = _compiled(conn.dialect.name, table, tuple(keys), tuple(greatest))
    if reorder is not None:
        params: list[Any] = list(map(reorder, rows))
    else:
        params = rows if isinstance(rows, list) else list(rows)
    conn.exec_driver_sql(sql, params)


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
