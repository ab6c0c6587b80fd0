"""The bulk pass of ``audit verify``: a range of the log checked as packed hashes.

:mod:`audit_verify` names the first bad index; this module only answers "is this
range intact?", as fast as the database and ``hashlib`` allow, and the locating pass
runs only over a range this one refuses. Nothing is trusted because it was stored:

* the bodies are read in one query as plain driver rows, and each leaf hash is
  recomputed as SHA-256(0x00 || body) (:mod:`tearline.audit.merkle`, as every hash of
  the tree); their number proves that no entry is missing
  (the key is unique and the range bounded);
* one aggregate query per level returns the stored hashes of the range concatenated
  (``group_concat`` on SQLite, ``string_agg … ORDER BY`` on PostgreSQL), with their
  count and shortest and longest length; the count proves that no row is missing,
  the lengths that the concatenation splits into the stored 32-byte hashes and no
  other way;
* the level-0 nodes (and on PostgreSQL the leaf column) are compared with the
  recomputed leaves, and each level above with SHA-256(0x01 || left || right) over
  the stored level below, as two byte strings, not hash by hash;
* on PostgreSQL the stored lookup columns are compared with the bytes by one SQL
  expression per row (:func:`columns_ok`), in the scan that returns the leaf column.
  On SQLite an entry row is its bytes alone (migration 0010): the lookup columns are
  computed from them and the leaf hash is stored once, as the level-0 node.

On SQLite the concatenation follows the primary-key scan of the range query (an
aggregate without ``ORDER BY``, which SQLite 3.40 lacks); were it ever to follow
another order, the comparison fails and the locating pass, which reads row by row
in key order, decides — a slower answer, never a wrong one.

``python -m tearline.store.audit_scan PATH START:END …`` runs the pass over ranges
of a SQLite file (:func:`scan_file`): the worker processes of ``audit verify``.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from operator import itemgetter
from typing import Any

# Imports are few and light: the worker processes of scan_file start from this module.
from tearline.audit.merkle import HASH_SIZE, leaf_hashes, parent_hashes

_first = itemgetter(0)


def _keys(kind: str) -> list[str]:
    """The keys of an event of ``kind`` in canonical order (ASCII names: plain sort)."""
    from dataclasses import fields

    from tearline.audit.envelope import ENVELOPE_KEYS
    from tearline.audit.events import REGISTRY

    return sorted({*ENVELOPE_KEYS, *(f.name for f in fields(REGISTRY[kind]))})


#: The runs of keys that are neighbours at the start of most events' canonical bytes.
_RUN_WITH_ENTITY = ["actor", "at", "entity_id", "kind"]
_RUN_WITHOUT_ENTITY = ["actor", "at", "kind"]


def run_kinds() -> tuple[list[str], list[str]]:
    """The kinds whose canonical bytes start ``{"actor":…,"at":…,"entity_id":…,"kind":…``,
    and those (without an entity) that start ``{"actor":…,"at":…,"kind":…``.

    The event types are imported here, not with the module: a worker process of
    :func:`scan_file` (SQLite, which has no columns to check) starts without them.
    """
    from tearline.audit.events import REGISTRY  # the module that fills the registry

    with_entity, without_entity = [], []
    for kind in REGISTRY:
        keys = _keys(kind)
        if keys[:4] == _RUN_WITH_ENTITY:
            with_entity.append(kind)
        elif "entity_id" not in keys and keys[:3] == _RUN_WITHOUT_ENTITY:
            without_entity.append(kind)
    return with_entity, without_entity


@cache
def columns_ok(dialect: str) -> str:
    """SQL, true exactly when a row's lookup columns are the ones in its bytes; never NULL.

    Most kinds (``record.read`` among them) start with the keys ``actor``, ``at``,
    ``entity_id``, ``kind`` (or ``actor``, ``at``, ``kind`` when they name no record),
    so their bytes must start with that run spelled from the columns: one comparison
    of a prefix instead of four searches. ``kind`` must be one of those kinds' names
    for the template to apply, and each other column's text is followed in the run by
    the next key, which canonical bytes hold once, so a column value holding a quote
    cannot make the run match. The other kinds are checked key by key: ``"key":"value"``
    occurs in canonical bytes only as that key's value when the value needs no
    escaping, so a byte search decides it once quotes and backslashes are ruled out.
    The groups are computed from the event types, so a new kind cannot be checked by
    the wrong template.
    """
    pg = dialect == "postgresql"
    fmt = "format" if pg else "printf"

    def starts(template: str, *args: str) -> str:
        if pg:  # psycopg reads % as a parameter marker; the SQL runs with parameters
            template = template.replace("%", "%%")
        run = f"{fmt}('{template}', {', '.join(args)})"
        if pg:
            return f"position(convert_to({run}, 'UTF8') in body) = 1"
        return f"instr(body, CAST({run} AS BLOB)) = 1"

    def found(needle: str) -> str:
        if pg:
            return f"position(convert_to({needle}, 'UTF8') in body) > 0"
        return f"instr(body, CAST({needle} AS BLOB)) > 0"

    def names(kinds: list[str]) -> str:
        return ", ".join(f"'{kind}'" for kind in kinds) or "NULL"

    with_entity, without_entity = run_kinds()
    run_with = (
        "CASE WHEN entity_id IS NULL THEN "
        + starts('{"actor":"%s","at":"%s","entity_id":null,"kind":"%s"', "actor", "at", "kind")
        + " ELSE "
        + starts('{"actor":"%s","at":"%s","entity_id":"%s","kind":"%s"', "actor", "at",
                 "entity_id", "kind")
        + " END"
    )
    run_without = "entity_id IS NULL AND " + starts(
        '{"actor":"%s","at":"%s","kind":"%s"', "actor", "at", "kind"
    )
    # record.read, one entry per record shown, is most of any log: one equality first
    # spares it the IN list.
    frequent = "record.read" if "record.read" in with_entity else with_entity[0]
    q = "'\"'"  # the SQL literal '"'
    each = [found(f"""'"{key}":"' || {key} || {q}""") for key in ("kind", "at", "actor")]
    entity_key = """'"entity_id":"'"""
    each.append(
        f"CASE WHEN entity_id IS NULL THEN NOT {found(entity_key)} "
        f"ELSE {found(f'{entity_key} || entity_id || {q}')} END"
    )
    fn = "strpos" if pg else "instr"
    values = "kind || at || actor || coalesce(entity_id, '')"
    plain = f"{fn}({values}, {q}) = 0 AND {fn}({values}, '\\') = 0"
    return (
        f"coalesce(CASE WHEN kind = '{frequent}' OR kind IN ({names(with_entity)}) "
        f"THEN {run_with} "
        f"WHEN kind IN ({names(without_entity)}) THEN {run_without} "
        f"ELSE {plain} AND {' AND '.join(each)} END, FALSE)"
    )


@cache
def _queries(dialect: str) -> tuple[str, str | None, str]:
    """(bodies, entry aggregate or ``None``, node aggregate) for a dialect.

    On SQLite an entry row is its bytes alone (migration 0010): the leaf hash is the
    level-0 node and the lookup columns are computed from the bytes, so there is no
    entry aggregate. On PostgreSQL it compares the leaf column and checks the stored
    lookup columns with :func:`columns_ok`, in one scan.
    """
    pg = dialect == "postgresql"
    mark = "%s" if pg else "?"

    def packed(column: str) -> str:
        if pg:
            return f"string_agg({column}, ''::bytea ORDER BY idx)"
        return f"CAST(group_concat({column}, '') AS BLOB)"

    def lengths(column: str) -> str:
        return f"count(*), min(length({column})), max(length({column})), {packed(column)}"

    in_range = f"idx >= {mark} AND idx < {mark}"
    entries = (
        f"SELECT {lengths('leaf')}, min(CASE WHEN NOT {columns_ok(dialect)} THEN idx END) "
        f"FROM audit_entries WHERE {in_range}"
    )
    return (
        f"SELECT body FROM audit_entries WHERE {in_range} ORDER BY idx",
        entries if pg else None,
        f"SELECT {lengths('hash')} FROM audit_nodes WHERE level = {mark} AND {in_range}",
    )


def _packed(row: Any, width: int) -> bytes | None:
    """The concatenated hashes of an aggregate row, if it holds ``width`` 32-byte rows."""
    count, shortest, longest, data = row[:4]
    if width <= 0:
        return b"" if count == 0 else None
    if count != width or shortest != HASH_SIZE or longest != HASH_SIZE or data is None:
        return None
    data = bytes(data)
    return data if len(data) == width * HASH_SIZE else None


def owned(level: int, start: int, end: int) -> tuple[int, int]:
    """The indexes [lo, hi) of the nodes at ``level`` that appends start..end-1 completed."""
    return ((start + (1 << level)) >> level) - 1, end >> level


def range_intact(cursor: Any, dialect: str, start: int, end: int) -> bool:
    """Whether entries [start, end) and every node their appends completed check out.

    ``False`` says only that something in the range differs; the locating pass of
    :mod:`audit_verify` finds what and where.
    """
    bodies_sql, entries_sql, nodes_sql = _queries(dialect)
    cursor.execute(bodies_sql, (start, end))
    width = end - start
    try:  # straight from the cursor: no list of rows is built
        leaves = leaf_hashes(map(_first, cursor))
    except TypeError:  # a body stored as text (SQLite keeps whatever type was written)
        return False
    if len(leaves) != width * HASH_SIZE:  # the key is unique and the range bounded
        return False
    if entries_sql is not None:
        cursor.execute(entries_sql, (start, end))
        row = cursor.fetchone()
        if _packed(row, width) != leaves or row[4] is not None:
            return False
    below, below_lo = leaves, start
    level = 0
    while (end >> level) > 0:
        lo, hi = owned(level, start, end)
        up_lo, up_hi = owned(level + 1, start, end)
        first = min(lo, 2 * up_lo) if up_lo < up_hi else lo
        last = max(hi, 2 * up_hi)
        cursor.execute(nodes_sql, (level, first, last))
        stored = _packed(cursor.fetchone(), last - first)
        if stored is None:
            return False
        if hi > lo:
            if level == 0:
                computed = leaves[(lo - start) * HASH_SIZE : (hi - start) * HASH_SIZE]
            else:
                computed = parent_hashes(below, 2 * lo - below_lo, hi - lo)
            if stored[(lo - first) * HASH_SIZE : (hi - first) * HASH_SIZE] != computed:
                return False
        below, below_lo = stored, first
        level += 1
    return True


def scan_file(path: str, batches: Iterable[tuple[int, int]]) -> tuple[int, int] | None:
    """The first of ``batches`` (ranges in log order) of a SQLite log that is not intact.

    Run by the worker processes of ``audit verify`` (``python -m
    tearline.store.audit_scan``), each on its own read-only connection; it stops at
    the first range refused, which the parent then locates row by row.
    """
    import sqlite3
    from pathlib import Path

    # read-only, by a URI that escapes whatever the path holds ("?", "#", "%", spaces)
    db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        cursor = db.cursor()
        for start, end in batches:
            if not range_intact(cursor, "sqlite", start, end):
                return start, end
        return None
    finally:
        db.close()


def _main(argv: list[str]) -> None:
    """``PATH START:END …``: prints ``ok`` or the first range refused as ``START:END``."""
    bounds = [tuple(int(x) for x in arg.split(":")) for arg in argv[1:]]
    found = scan_file(argv[0], [(lo, hi) for lo, hi in bounds])
    print("ok" if found is None else f"{found[0]}:{found[1]}", flush=True)


if __name__ == "__main__":
    import sys

    _main(sys.argv[1:])
