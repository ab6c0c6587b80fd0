"""Read statements compiled once per process and dialect, run with their bound values only.

The read path's queries are large (the policy predicate is most of them) but their
SQL depends only on the kind of query — never on the subject, the instant, the page
or the search words, which are bound parameters. Building such a statement and
computing SQLAlchemy's cache key for it costs milliseconds of Python per request,
more than the database spends on a page; so each kind is built once, compiled once
per dialect to SQL text, and then handed straight to the driver with its parameters,
as ``store/bulk.py`` does for writes, on the driver's own cursor. Rows come back as
the driver returns them (no result processing), which the reader decodes itself.

The constants inside a statement (TLP levels, property names) are written into its
SQL text as literals; a parameter the caller does not give (the subject, say) is an
error, never a query run without it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from threading import Lock
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql import ClauseElement, visitors
from sqlalchemy.sql.elements import BindParameter

from tearline.store.engine import driver_cursor


@dataclass(frozen=True, slots=True)
class Prepared:
    """One compiled statement: its SQL text and how to lay out its parameters."""

    sql: str
    constants: Mapping[str, Any]
    #: Parameter names in order for positional drivers (SQLite), ``None`` for named ones.
    positions: tuple[str, ...] | None

    def run(self, conn: Connection, params: Mapping[str, Any]) -> Sequence[Any]:
        """Execute with ``params`` (and the statement's constants); every row, as tuples."""
        values = {**self.constants, **params}
        args: Any = (tuple(values[name] for name in self.positions)
                     if self.positions is not None else values)
        # The driver's own cursor: SQLAlchemy would build result metadata for every
        # execution.
        with driver_cursor(conn) as cursor:
            cursor.execute(self.sql, args)
            rows: Sequence[Any] = cursor.fetchall()
            return rows


_CACHE: dict[tuple[object, ...], Prepared] = {}
_LOCK = Lock()


def prepared(conn: Connection, key: tuple[object, ...],
             build: Callable[[str], ClauseElement]) -> Prepared:
    """The statement ``build(dialect name)`` for ``key``, compiled on first use."""
    full = (conn.dialect.name, *key)
    found = _CACHE.get(full)
    if found is None:
        # Compiled under the lock: requests arriving together at a fresh process would
        # otherwise each compile the same large statement.
        with _LOCK:
            found = _CACHE.get(full)
            if found is None:
                found = _CACHE[full] = _compile(conn, build(conn.dialect.name))
    return found


def _compile(conn: Connection, statement: ClauseElement) -> Prepared:
    # A parameter with a value is a constant of the statement: it is written into the
    # SQL text as a literal (the dialect quotes it), so an execution binds only what
    # varies. A parameter without one is given at each execution; it gets a placeholder
    # value for compiling only.
    free: set[str] = set()

    def constant(element: Any, **_: Any) -> Any:
        if isinstance(element, BindParameter):
            if element.required:
                free.add(element.key)
            elif not element.literal_execute:
                literal = element._clone()
                literal.literal_execute = True
                return literal
        return None

    literals: Any = visitors.replacement_traverse(statement, {}, constant)
    compiled: Any = literals.params({key: None for key in free}).compile(dialect=conn.dialect)
    state = compiled.construct_expanded_state()
    positions = tuple(state.positiontup) if compiled.positional else None
    constants = {k: v for k, v in state.parameters.items() if k not in free}
    return Prepared(state.statement, constants, positions)
