"""Reading through the policy: every query carries the subject's visibility predicate.

Nothing is fetched that the subject may not see; the tear-line view of a record is
built from the statements the query returns. An id that is hidden and an id that
never existed give the same answer (``None``) at the same cost in queries.

Every read is one statement of the same form: an inner selection of the ids of the
records that exist for the subject (explicit ids, or a keyset page in id order narrowed
by the filters of ``store/filters.py``), limited *before* anything else is fetched,
joined to the records' heads and their shown statements. A search (``store/search.py``)
selects its ranked page first, then reads it by ids. The statements are compiled once
per process and dialect (``store/prepared.py``); the subject, the instant, the page
cursor and the filters' values are bound parameters. The statement is built in
``store/read_query.py``; its rows are made into records in ``store/read_rows.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection

from tearline.model.record import Record
from tearline.policy.recipients import as_recipient
from tearline.store.filters import NO_FILTERS, Filters
from tearline.store.prepared import prepared
from tearline.store.read_query import (
    _bucket,
    _by_ids,
    _count_by_schema,
    _heads,
    _ids_value,
    _page,
    _page_params,
    _with_statements,
)
from tearline.store.read_rows import _decode
from tearline.store.visibility import Predicates


def _records(conn: Connection, vis: Predicates, key: tuple[object, ...], ids: Any,
             params: dict[str, Any]) -> dict[str, Record]:
    statement = prepared(conn, (vis.shape, "records", *key),
                         lambda dialect: _with_statements(vis, ids(dialect)))
    found = _decode(conn, statement.run(conn, {**vis.params, **params}))
    viewer = getattr(vis, "subject", None)  # a benchmark's baseline has none
    if viewer is None:
        return found
    # recipients hidden from each other: RED markings as this viewer is shown them
    return {k: as_recipient(r, viewer) for k, r in found.items()}


def _ids(conn: Connection, vis: Predicates, key: tuple[object, ...], ids: Any,
         params: dict[str, Any]) -> list[str]:
    statement = prepared(conn, (vis.shape, "ids", *key), ids)
    return [row[0] for row in statement.run(conn, {**vis.params, **params})]


# -- the reader's operations ---------------------------------------------------------------


def visible_entities(conn: Connection, vis: Predicates, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` exist for the subject (relationship ends included)."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    dialect = conn.dialect.name
    return set(_ids(conn, vis, ("by-ids",), lambda d: _by_ids(vis, d),
                    {"ids": _ids_value(dialect, wanted)}))


def read_records(conn: Connection, vis: Predicates, ids: Sequence[str]) -> list[Record]:
    """Tear-line views of the records ``ids`` that exist for the subject, in the given order."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    dialect = conn.dialect.name
    found = _records(conn, vis, ("by-ids",),
                     lambda d: _heads(d, lambda heads: _by_ids(vis, d, heads)),
                     {"ids": _ids_value(dialect, wanted)})
    return [found[i] for i in ids if i in found]


def read_record(conn: Connection, vis: Predicates, entity_id: str) -> Record | None:
    found = read_records(conn, vis, [entity_id])
    return found[0] if found else None


def list_ids(conn: Connection, vis: Predicates, schema: str | None = None,
             after: str | None = None, limit: int = 100,
             filtering: Filters = NO_FILTERS) -> list[str]:
    """A page of entity ids visible to the subject, in id order (keyset pagination)."""
    n, bucket = _bucket(limit)
    shape = filtering.key
    return _ids(conn, vis, ("page", bool(schema), bucket, shape),
                lambda _: _page(vis, bool(schema), bucket, filtered=shape),
                _page_params(schema, after, filtering))[:n]


def page_records(conn: Connection, vis: Predicates, schema: str | None = None,
                 after: str | None = None, limit: int = 100,
                 filtering: Filters = NO_FILTERS) -> list[Record]:
    """The tear-line views of :func:`list_ids`, in one statement."""
    n, bucket = _bucket(limit)
    shape = filtering.key
    found = _records(conn, vis, ("page", bool(schema), bucket, shape),
                     lambda d: _heads(d, lambda heads: _page(vis, bool(schema), bucket, heads,
                                                             shape)),
                     _page_params(schema, after, filtering))
    return list(found.values())[:n]


def count_by_schema(conn: Connection, vis: Predicates) -> dict[str, int]:
    """How many records of each schema exist for the subject."""
    statement = prepared(conn, (vis.shape, "count-by-schema"), lambda _: _count_by_schema(vis))
    return {schema: int(n) for schema, n in statement.run(conn, vis.params)}
