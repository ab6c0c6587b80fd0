"""The pure core never imports the store, web frameworks, HTTP clients or database drivers."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "tearline"
CORE = ("model", "policy", "audit", "resolve", "deconflict", "analysis")
FORBIDDEN = (
    "tearline.store", "tearline.api", "tearline.cli", "tearline.taxii", "tearline.web",
    "sqlalchemy", "alembic", "psycopg", "sqlite3", "fastapi", "starlette", "uvicorn",
    "httpx", "requests", "urllib.request", "taxii2client",
)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_modules_import_nothing_from_the_edges() -> None:
    violations = []
    checked = 0
    for package in CORE:
        for path in sorted((SRC / package).rglob("*.py")):
            checked += 1
            for name in imports_of(path):
                if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                    violations.append(f"{path.relative_to(SRC)} imports {name}")
    assert checked > 20, "the core packages were not found"
    assert not violations, "\n".join(violations)


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from sqlalchemy import select\nimport tearline.store.reader\n")
    assert {"sqlalchemy", "tearline.store.reader"} <= imports_of(bad)
