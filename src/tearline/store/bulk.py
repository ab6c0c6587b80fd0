"""Bulk statements: one compiled SQL string per table and dialect, run with executemany.

SQLAlchemy compiles the upsert once; the rows then go straight to the driver's
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


@lru_cache(maxsize=64)
def _compiled(
    dialect_name: str, table: Table, keys: tuple[str, ...], greatest: tuple[str, ...]
) -> tuple[str, tuple[str, ...] | None]:
    dialect: Any
    if dialect_name == "postgresql":
        dialect = postgresql.psycopg.dialect()  # type: ignore[no-untyped-call]
    else:
        dialect = sqlite.dialect()
    stmt = upsert(dialect_name, table, keys, greatest).values({c.name: None for c in table.columns})
    compiled = stmt.compile(dialect=dialect)
    positions = (
        tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else None
    )
    return str(compiled), positions


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
    sql, positions = _compiled(conn.dialect.name, table, tuple(keys), tuple(greatest))
    if positions is not None:
        get = itemgetter(*positions)  # a tuple per row (tables have several columns)
        params: list[Any] = list(map(get, rows)) if len(positions) > 1 else [
            (row[positions[0]],) for row in rows]
    else:
        params = list(rows)
    conn.exec_driver_sql(sql, params)
