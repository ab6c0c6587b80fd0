"""The code keeps to the layer table (``arch_layers.py``): one-way edges, confined libraries."""

from __future__ import annotations

import re
from pathlib import Path

from arch_layers import (
    CONFINED,
    SRC,
    TABLE,
    Edge,
    all_edges,
    door_violations,
    edges_of,
    existing_packages,
    store_face,
    violations,
)

DOCS = SRC.parents[1] / "docs" / "architecture.md"


def test_every_package_is_in_the_table() -> None:
    unknown = existing_packages() - set(TABLE)
    assert not unknown, f"packages missing from the layer table: {sorted(unknown)}"
    present = {name for name, layer in TABLE.items() if not layer.future}
    assert present <= existing_packages(), "a package marked present does not exist"


def test_the_code_keeps_to_the_table() -> None:
    edges = all_edges()
    assert len({e.module for e in edges}) > 150, "the sources were not found"
    problems = violations(edges)
    assert not problems, "\n".join(problems)


def test_the_back_pointing_imports_of_before_are_refused() -> None:
    """The imports that ran against the layering until issue #14, each on its own."""
    old = [
        Edge("federation/listener.py", "tearline.taxii.app"),
        Edge("federation/sync.py", "tearline.taxii.recalls"),
        Edge("taxii/app.py", "tearline.api.cursors"),
        Edge("taxii/service.py", "tearline.api.cursors"),
        Edge("store/peers.py", "tearline.federation.identity"),
    ]
    for edge in old:
        (problem,) = violations([edge])
        assert edge.module in problem and "floor" in problem


def test_sideways_imports_and_foreign_libraries_are_refused() -> None:
    cases = {
        Edge("api/routes/meta.py", "tearline.taxii.app"): "floor 9 from floor 9",
        Edge("model/record.py", "tearline.store"): "floor 7 from floor 2",
        Edge("reports/pdf.py", "httpx"): "not a library of reports",
        Edge("federation/sync.py", "httpx"): "kept to ['federation.client']",
        Edge("cli/serve.py", "uvicorn"): "not a library of cli",
        Edge("analysis/frame.py", "sqlalchemy"): "not a library of analysis",
        Edge("oracle/x.py", "json"): "'oracle' is not in the layer table",
        Edge("api/app.py", "tearline.oracle"): "'oracle' is not in the layer table",
    }
    for edge, expected in cases.items():
        (problem,) = violations([edge])
        assert expected in problem, problem
    assert violations([Edge("store/reader.py", "sqlalchemy.sql"),
                       Edge("federation/client.py", "httpx"),
                       Edge("cli/serve.py", "tearline.api.server"),
                       Edge("keys.py", "tearline.audit.note")]) == []


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    bad = tmp_path / "store" / "x.py"
    bad.write_text("from ..taxii import app\nfrom . import reader\nimport typer\n")
    names = {e.name for e in edges_of(bad, tmp_path)}
    assert names == {"tearline.taxii", "tearline.store", "typer"}
    assert len(violations(edges_of(bad, tmp_path))) == 2


def test_each_confined_library_is_allowed_only_in_its_homes() -> None:
    for library, homes in CONFINED.items():
        allowed = {name for name, layer in TABLE.items() if library in layer.libraries}
        assert allowed == {h.split(".")[0] for h in homes}, library


def test_the_documented_table_matches() -> None:
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \|", DOCS.read_text(encoding="utf-8"), re.M)
    documented = {name.strip(" `*"): int(floor)
                  for floor, names in rows for name in names.split(",")}
    assert documented == {name: layer.floor for name, layer in TABLE.items()}


def test_the_store_is_entered_by_its_face() -> None:
    problems = door_violations(all_edges(), store_face())
    assert not problems, "\n".join(problems)


def test_the_door_refuses_store_modules_and_names_off_the_face() -> None:
    face = store_face()
    old = [  # imports of before issue #14
        Edge("taxii/recalls.py", "tearline.store.audit_tables", ("audit_entries",)),
        Edge("api/routes/meta.py", "tearline.store.engine", ("require_current", "translated")),
        Edge("federation/sync.py", "tearline.store", ("release_tables",)),
        Edge("demo/federation.py", "tearline.store", ("tables",)),
    ]
    for edge in old:
        (problem,) = door_violations([edge], face)
        assert edge.module in problem
    assert door_violations([Edge("store/reader.py", "tearline.store.tables", ("records",)),
                            Edge("taxii/app.py", "tearline.store", ("Store", "audit_log"))],
                           face) == []


def test_every_name_of_the_face_resolves() -> None:
    import tearline.store as store

    assert set(store.__all__) == set(store.MODULES) | set(store._NAMES)
    for name in store.__all__:
        assert getattr(store, name) is not None, name
