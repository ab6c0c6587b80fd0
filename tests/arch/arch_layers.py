"""The layer table of ``src/tearline`` and the checker that holds the code to it.

Every package (and top-level module) has a floor; a module imports only from lower
floors, never from its own floor or above, so the edges point one way and the graph
has no cycle. Each package names the third-party libraries it may import; a library
in :data:`CONFINED` may appear nowhere else. The same table is drawn in
``docs/architecture.md`` (and a test compares the two).

Packages that do not exist yet have their floor and libraries reserved, so that they
land in an obvious place; a package that is in the tree but not in the table fails.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "tearline"


@dataclass(frozen=True)
class Layer:
    floor: int
    libraries: frozenset[str] = frozenset()
    future: bool = False


def _layer(floor: int, *libraries: str, future: bool = False) -> Layer:
    return Layer(floor, frozenset(libraries), future)


#: package (or top-level module) → its floor and the third-party libraries it may import.
TABLE: dict[str, Layer] = {
    # 0 — foundations
    "errors": _layer(0),
    "files": _layer(0),
    # 1 — the pure core's base
    "analysis": _layer(1, "duckdb", "pyarrow"),
    "audit": _layer(1, "cryptography", "rfc8785"),
    "cursors": _layer(1, "cryptography"),
    "i18n": _layer(1, "babel", "jinja2"),
    "settings": _layer(1),
    # 2, 3 — the model and what decides over it
    "model": _layer(2, "followthemoney", "yaml", "rigour"),
    "policy": _layer(3),
    "keys": _layer(3, "cryptography"),
    # 4 — core packages to come (pure: no store, no web, no network)
    "deconflict": _layer(4, "pysodium", "cryptography", "h3", "phonenumbers", "followthemoney"),
    "resolve": _layer(4, "splink", "duckdb", "pyarrow"),
    "network": _layer(4, "igraph", "leidenalg", "networkx"),
    "oversight": _layer(4),
    "trace": _layer(4),
    # 5 — exchange formats (pure mappings of records)
    "stix": _layer(5, "pymisp"),
    "misp": _layer(5, "pymisp"),
    # 6 — readers of files
    "sources": _layer(6),
    "ingest": _layer(6, "followthemoney", "yaml"),
    # 7 — the one door to the database
    "store": _layer(7, "sqlalchemy", "alembic", "psycopg", "cryptography", "normality",
                    "pyarrow", "anyio", "duckdb", "adbc_driver_sqlite"),
    # 8 — what works through the store
    "federation": _layer(8, "cryptography", "httpx", "taxii2client"),
    "reports": _layer(8, "jinja2", "matplotlib", "numpy", "weasyprint", "pyarrow", "babel"),
    "screening": _layer(8),
    # 9 — servers
    "taxii": _layer(9, "cryptography", "starlette", "uvicorn"),
    "api": _layer(9, "fastapi", "starlette", "uvicorn", "pydantic", "argon2",
                  "swagger_ui_bundle"),
    "web": _layer(9, "fastapi", "starlette", "jinja2", "argon2", "babel", "markupsafe"),
    # 10, 11 — entry points: the demo (which runs the servers), the command line
    "demo": _layer(10, "faker", "phonenumbers", "rich"),
    "cli": _layer(11, "typer", "rich"),
}

#: Libraries kept to named homes (packages, or ``package.module`` for one module).
CONFINED: dict[str, frozenset[str]] = {
    "sqlalchemy": frozenset({"store"}),
    "alembic": frozenset({"store"}),
    "psycopg": frozenset({"store"}),
    # store: store/seizure_scan.py chooses and pivots the fetched seizure statements.
    "duckdb": frozenset({"analysis", "resolve", "store"}),
    # store: store/seizure_scan.py reads a SQLite store's statements straight into Arrow.
    "adbc_driver_sqlite": frozenset({"store"}),
    # store: store/seizures.py reads the Seizure statements straight into Arrow columns
    # (no Python object per row), the frame analysis/ takes.
    # reports: reports/digest.py hashes the assessment's rows in Arrow, batch by batch.
    "pyarrow": frozenset({"analysis", "store", "resolve", "reports"}),
    "httpx": frozenset({"federation.client"}),
    "taxii2client": frozenset({"federation.client"}),
    "weasyprint": frozenset({"reports"}),
    "matplotlib": frozenset({"reports"}),
    "fastapi": frozenset({"api", "web"}),
    "starlette": frozenset({"api", "taxii", "web"}),
    "uvicorn": frozenset({"api", "taxii"}),
    "typer": frozenset({"cli"}),
    # demo: the federation demo prints its run as rich tables, like the command it is.
    "rich": frozenset({"cli", "demo"}),
    # store: its async reads hop to the worker threads the servers' own calls use.
    "anyio": frozenset({"store"}),
    "pysodium": frozenset({"deconflict"}),
    "pymisp": frozenset({"stix", "misp"}),
    # resolve: Splink runs its DuckDB backend in process; on Spark only by deployment.
    "splink": frozenset({"resolve"}),
}

STDLIB = frozenset(sys.stdlib_module_names)


@dataclass(frozen=True)
class Edge:
    """One import: the importing module (path under ``src/tearline``) and the name."""

    module: str
    name: str
    #: for ``from X import a, b``: the names imported (a, b)
    names: tuple[str, ...] = ()

    @property
    def package(self) -> str:
        return package_of(self.module)


def package_of(module: str) -> str:
    """``store/peers.py`` → ``store``; a top-level module ``keys.py`` → ``keys``."""
    return module.split("/")[0].removesuffix(".py")


def existing_packages(src: Path = SRC) -> set[str]:
    found = {p.name for p in src.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    found |= {p.stem for p in src.glob("*.py") if p.stem != "__init__"}
    return found


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute name of a relative import in ``module``."""
    parts = ["tearline", *module.removesuffix(".py").split("/")][: -node.level]
    return ".".join(parts + ([node.module] if node.module else []))


def edges_of(path: Path, src: Path = SRC) -> list[Edge]:
    """Every import in a file, wherever it sits (functions and TYPE_CHECKING included)."""
    module = path.relative_to(src).as_posix()
    edges: list[Edge] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            edges.extend(Edge(module, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            name = _resolve(module, node) if node.level else node.module or ""
            edges.append(Edge(module, name, tuple(a.name for a in node.names)))
            if name == "tearline":  # ``from tearline import store`` names the package
                edges.extend(Edge(module, f"tearline.{a.name}") for a in node.names)
    return edges


def all_edges(src: Path = SRC) -> list[Edge]:
    return [e for path in sorted(src.rglob("*.py")) for e in edges_of(path, src)]


def _at_home(edge: Edge, homes: Iterable[str]) -> bool:
    dotted = edge.module.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
    return any(dotted == h or dotted.startswith(h + ".") for h in homes)


def store_face(src: Path = SRC) -> frozenset[str]:
    """The names of ``tearline.store.__all__``, read from the source (nothing imported)."""
    tree = ast.parse((src / "store" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "__all__"):
            return frozenset(ast.literal_eval(node.value))
    raise AssertionError("tearline.store has no literal __all__")


def door_violations(edges: Iterable[Edge], face: frozenset[str]) -> list[str]:
    """Imports of the store from outside it that do not go through its face: a store
    module imported by its path, or a name that ``tearline.store.__all__`` does not list."""
    problems: list[str] = []
    for edge in edges:
        if edge.package == "store":
            continue
        if edge.name.startswith("tearline.store."):
            problems.append(f"{edge.module} imports {edge.name}: use the face, "
                            "`from tearline.store import …`")
        elif edge.name == "tearline.store":
            hidden = sorted(set(edge.names) - face)
            if hidden:
                problems.append(f"{edge.module} imports {', '.join(hidden)} from tearline.store,"
                                " which its __all__ does not offer")
    return problems


def violations(edges: Iterable[Edge], table: dict[str, Layer] = TABLE) -> list[str]:
    """What in ``edges`` breaks the table: imports from the same floor or above, unknown
    packages, libraries not allowed to the package or outside their confinement."""
    problems: list[str] = []
    for edge in edges:
        own = table.get(edge.package)
        if own is None:
            problems.append(f"{edge.module}: package {edge.package!r} is not in the layer table")
            continue
        top = edge.name.split(".")[0]
        if top == "tearline":
            parts = edge.name.split(".")
            if len(parts) < 2 or parts[1] == edge.package:
                continue
            target = table.get(parts[1])
            if target is None:
                problems.append(f"{edge.module} imports {edge.name}: "
                                f"{parts[1]!r} is not in the layer table")
            elif target.floor >= own.floor:
                problems.append(f"{edge.module} imports {edge.name}: floor {target.floor} "
                                f"from floor {own.floor} ({edge.package})")
        elif top in STDLIB or top == "__future__":
            continue
        elif top not in own.libraries:
            problems.append(f"{edge.module} imports {top}, not a library of {edge.package}")
        elif top in CONFINED and not _at_home(edge, CONFINED[top]):
            problems.append(f"{edge.module} imports {top}, kept to {sorted(CONFINED[top])}")
    return problems
