"""One door to SQL: no SQL text and no SQLAlchemy outside ``store/``.

``analysis/`` is the one other place with SQL, and it is not the database's: DuckDB
queries over Arrow frames held in memory (``analysis/engine.py``). ``resolve/`` is
the other: Splink's in-memory DuckDB, loaded with the records to compare
(``resolve/model.py``) and its comparisons written as SQL (``resolve/comparisons.py``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from arch_layers import SRC

#: Where SQL may be written, and why: the store is the door to the database; analysis
#: runs DuckDB in process over frames the store already filtered; resolve runs Splink on
#: an in-memory DuckDB over records the store already filtered.
SQL_HOMES = ("store", "analysis", "resolve")

#: A string that is a SQL statement (keywords as SQL writes them, then its shape).
STATEMENT = re.compile(
    r"^\s*(SELECT\s.+\sFROM\s|SELECT\s+\d|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s"
    r"|CREATE\s+(TABLE|INDEX|VIEW)\s|DROP\s+(TABLE|INDEX)\s|ALTER\s+TABLE\s|PRAGMA\s|WITH\s+\w+\s+AS\s*\()",
    re.IGNORECASE | re.DOTALL,
)
RUNNERS = {"execute", "executemany", "exec_driver_sql", "scalar", "scalars"}
BUILDERS = {"select", "text", "insert", "update", "delete"}


def sql_in(source: str) -> list[str]:
    """Where ``source`` holds SQL: statements in strings, strings handed to a runner, and
    SQLAlchemy's builders or imports."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if STATEMENT.match(node.value):
                found.append(f"line {node.lineno}: SQL text {node.value[:40]!r}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in RUNNERS and node.args and _is_sql(node.args[0]):
                found.append(f"line {node.lineno}: SQL run by .{node.func.attr}()")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""])
            found += [f"line {node.lineno}: imports {n}" for n in names
                      if n.split(".")[0] == "sqlalchemy"]
    return found


def _is_sql(argument: ast.expr) -> bool:
    """A statement handed to a runner: text, or built by SQLAlchemy's builders."""
    if isinstance(argument, ast.Constant | ast.JoinedStr):
        return True
    for node in ast.walk(argument):
        if isinstance(node, ast.Call):
            func = node.func
            name = (func.id if isinstance(func, ast.Name)
                    else func.attr if isinstance(func, ast.Attribute) else "")
            if name in BUILDERS:
                return True
    return False


def test_no_sql_outside_the_store() -> None:
    problems = []
    checked = 0
    for path in sorted(SRC.rglob("*.py")):
        if path.relative_to(SRC).parts[0] in SQL_HOMES:
            continue
        checked += 1
        problems += [f"{path.relative_to(SRC)} {p}" for p in sql_in(path.read_text("utf-8"))]
    assert checked > 100, "the sources were not found"
    assert not problems, "\n".join(problems)


def test_the_sql_of_before_is_found() -> None:
    """The SQL that edges ran themselves until issue #14, each piece on its own."""
    old = {
        "meta": 'from sqlalchemy import text\nconn.execute(text("SELECT 1"))\n',
        "recalls": "rows = conn.execute(select(e.c.entity_id, e.c.body).where(e.c.kind == k))\n",
        "witnessing": "kept = conn.execute(select(c.note).where(c.size == s)).scalar_one()\n",
        "sync": "conn.execute(rt.consents.insert().values(id=i))\n",
        "raw": 'cursor.execute(f"SELECT hash FROM audit_nodes WHERE level = {mark}", args)\n',
        "text": 'QUERY = "select id, body from audit_entries where idx > ?"\n',
    }
    for what, source in old.items():
        assert sql_in(source), what


def test_prose_is_not_sql(tmp_path: Path) -> None:
    prose = ('"""Select the records that exist for the subject; update the head."""\n'
             'message = "delete the key first, then select another"\n'
             'rows = store.execute_plan(plan)\n')
    assert sql_in(prose) == []
