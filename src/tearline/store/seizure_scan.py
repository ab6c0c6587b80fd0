"""The statements a seizure frame is made of, read through the policy straight into Arrow.

One SQL query (:func:`scan_query`) returns the statements the subject is *shown*
(:meth:`Visibility.shown`: visible, and naming only records that exist for it) of its
visible Seizure records, one row per statement: the policy is inside the query, so a
statement the subject may not see is never fetched. DuckDB then chooses one value per
record and property and pivots them into one row per record (:func:`pivot`).

Why this split. The choice and the pivot cost SQLite a window function and a sort over
every statement, and the reader's version of each record (a correlated count per
record) as much again; DuckDB does both over the fetched columns in a fraction of that time.
And the rows never become Python objects where that can be avoided: a SQLite store in a
file is read with the ADBC SQLite driver (:func:`fetch`), which hands the query's result
over as Arrow columns — a million seizures are ten million statements, which as Python
tuples would cost more than the whole report. Other stores (PostgreSQL, an in-memory
SQLite) are read through the caller's connection and converted column by column.

Which value, when a property has several shown values (two agencies reported the
weight of the same seizure, say): the **originator's** value first — the agency that
made the record is the one that held the drugs — then the earliest first seen, then the
lowest statement id, so that the choice never depends on the order rows come back in.

The version of each row is the version of the reader's *view* (``policy.evaluator.
viewed``): the number of distinct first-seen instants among the record's statements
shown to the subject, every property counted, not only those the frame uses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from sqlalchemy import Connection, Engine, case, select

from tearline.store import tables as t
from tearline.store.engine import sqlite_file
from tearline.store.visibility import Visibility

#: The columns :func:`scan_query` returns, in order, with their Arrow types.
SCAN = pa.schema([("entity_id", pa.string()), ("prop", pa.string()), ("value", pa.string()),
                  ("id", pa.string()), ("synthetic", pa.bool_()), ("by_other", pa.int64()),
                  ("first_seen", pa.string())])
#: Rows per Arrow batch from SQLite (the driver's default, 1,024, costs a call per batch).
BATCH_ROWS = 65_536


def scan_query(vis: Visibility) -> Any:
    """Every statement the subject is shown of its visible Seizure records.

    ``by_other`` is 0 for a statement of the record's originator and 1 otherwise (the
    first key of the choice); ``first_seen`` is the stored fixed-width text, which sorts
    chronologically.
    """
    s, r = t.statements, t.records
    return (
        select(s.c.entity_id, s.c.prop, s.c.value, s.c.id, r.c.synthetic,
               case((s.c.origin == r.c.originator, 0), else_=1).label("by_other"),
               s.c.first_seen)
        .join(r, r.c.id == s.c.entity_id)
        .where(r.c.schema == "Seizure", vis.shown(s, r))
    )


def arrow_file(engine: Engine) -> Path | None:
    """The SQLite file a store reads from, when it can be read with ADBC; else ``None``."""
    if engine.dialect.name != "sqlite":
        return None
    path = sqlite_file(engine.url.render_as_string(hide_password=False))
    return path if path is not None and path.is_file() else None


def fetch(conn: Connection, vis: Visibility, database: Path | None = None) -> pa.Table:
    """The result of :func:`scan_query` as an Arrow table of :data:`SCAN`'s columns.

    With ``database`` (a SQLite file: :func:`arrow_file`), the query runs on a
    read-only ADBC connection of its own, one statement, so one consistent snapshot; it
    must then be a file whose committed state is what the caller means to read (not
    one with writes pending on ``conn``). Without, it runs on ``conn``.
    """
    query = scan_query(vis)
    if database is None:
        rows = conn.execute(query, vis.params).all()
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(SCAN)
        return pa.table([pa.array(c, f.type) for c, f in zip(columns, SCAN, strict=True)],
                        schema=SCAN)
    import adbc_driver_sqlite.dbapi as adbc

    compiled = query.compile(dialect=conn.dialect)
    state = compiled.construct_expanded_state(vis.params)
    params = [state.parameters[name] for name in state.positiontup or ()]
    with adbc.connect(f"{database.resolve().as_uri()}?mode=ro") as db, db.cursor() as cur:
        cur.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(BATCH_ROWS)})
        cur.execute(state.statement, params)
        table = cur.fetch_arrow_table()
    if table.num_rows == 0:  # no row to infer the columns' types from
        return SCAN.empty_table()
    return table.rename_columns(SCAN.names).cast(SCAN)


def pivot(scan: pa.Table, columns: dict[str, str]) -> pa.Table:
    """One row per record with at least one shown value of ``columns`` (property →
    column), in entity id order: ``entity_id``, ``version``, ``synthetic``, each column's
    chosen value, then each column's statement id (``<column>_sid``)."""
    chosen = [
        *(f"max(value) FILTER (WHERE prop = ${i + 1}) AS {column}"
          for i, column in enumerate(columns.values())),
        *(f"max(id) FILTER (WHERE prop = ${i + 1}) AS {column}_sid"
          for i, column in enumerate(columns.values())),
    ]
    wanted = ", ".join(f"${i + 1}" for i in range(len(columns)))
    sql = f"""
        WITH ranked AS (
            SELECT entity_id, prop, value, id,
                   row_number() OVER (PARTITION BY entity_id, prop
                                      ORDER BY by_other, first_seen, id) AS rank
            FROM scan WHERE prop IN ({wanted})),
        viewed AS (
            SELECT entity_id, count(DISTINCT first_seen) AS version,
                   bool_or(synthetic) AS synthetic
            FROM scan GROUP BY entity_id)
        SELECT entity_id, viewed.version, viewed.synthetic, {", ".join(chosen)}
        FROM ranked JOIN viewed USING (entity_id) WHERE rank = 1
        GROUP BY entity_id, viewed.version, viewed.synthetic ORDER BY entity_id
    """
    # One thread: a second one cost more CPU than it saved on inputs of this size, and
    # a server's other requests need the other core.
    with duckdb.connect(config={"threads": 1}) as con:
        con.register("scan", scan)
        return con.sql(sql, params=list(columns)).to_arrow_table()
