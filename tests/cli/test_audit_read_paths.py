"""Every read path of the Store and of the CLI leaves audit entries.

The paths are enumerated, not listed by hand: every public ``Store`` method taking
a ``subject``, and every CLI command with an ``--as`` option. Each must have a
recipe below (a new path without one fails the test, with its name) and each recipe
must grow the audit log; commands that act rather than read are classified
explicitly, so adding one is a decision too.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from statement_keys import TEST_KEYER
from tearline.cli import app
from tearline.cli.common import STATE
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Unit
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import audit_log, parties
from tearline.store.store import Store

AT = datetime(2024, 5, 3, 12, 0, tzinfo=UTC)
DEA = Provenance("us.dea", "us.dea.sod", AT - timedelta(days=30), Reliability.A,
                 Credibility.CONFIRMED)  # fmt: skip
SOD = Subject(unit="us.dea.sod", agency="us.dea")

STORE_READS: dict[str, Callable[[Store], Any]] = {
    "read": lambda s: s.read(SOD, AT, "p-1"),
    "read_later": lambda s: s.read_later(SOD, AT, "p-1").result(),
    "page_later": lambda s: s.page_later(SOD, AT).result(),
    "search_later": lambda s: s.search_later(SOD, AT, "carlos").result(),
    "read_async": lambda s: asyncio.run(s.read_async(SOD, AT, "p-1")),
    "page_async": lambda s: asyncio.run(s.page_async(SOD, AT)),
    "search_async": lambda s: asyncio.run(s.search_async(SOD, AT, "carlos")),
    "read_many": lambda s: s.read_many(SOD, AT, ["p-1", "sz-1"]),
    "page": lambda s: s.page(SOD, AT),
    "search": lambda s: s.search(SOD, AT, "carlos"),
    "stats": lambda s: s.stats(SOD, AT),
    "seizure_frame": lambda s: s.seizure_frame(SOD, AT),
    "placement": lambda s: s.placement(SOD, AT, ["p-1", "new-1"]),
    "network": lambda s: s.network(SOD, AT),
}

CLI_READS: dict[str, Callable[[Path], list[str]]] = {
    "show": lambda tmp: ["show", "p-1", "--as", "us.dea.sod"],
    "search": lambda tmp: ["search", "carlos", "--as", "us.dea.sod"],
    "list": lambda tmp: ["list", "--as", "us.dea.sod"],
    "stats": lambda tmp: ["stats", "--as", "us.dea.sod"],
    "export": lambda tmp: ["export", "--out", str(tmp / "out.jsonl"), "--as", "us.dea.sod"],
    "policy explain": lambda tmp: ["policy", "explain", "p-1", "--as", "us.dea.sod"],
    "report assessment": lambda tmp: ["report", "assessment", "--out", str(tmp / "a.json"),
                                      "--format", "json", "--no-cbp", "--as", "us.dea.sod"],
    "audit log": lambda tmp: ["audit", "log", "--entity", "p-1", "--as", "us.dea.sod"],
    "resolve run": lambda tmp: ["resolve", "run", "--as", "us.dea.sod"],
    "resolve review": lambda tmp: ["resolve", "review", "--as", "us.dea.sod"],
    "resolve show": lambda tmp: ["resolve", "show", "p-1", "--as", "us.dea.sod"],
    **{f"network {what}": (lambda tmp, w=what: ["network", w, "--as", "us.dea.sod"])
       for what in ("players", "communities", "brokers", "heads")},
    "network path": lambda tmp: ["network", "path", "p-1", "p-1", "--as", "us.dea.sod"],
    "network export": lambda tmp: ["network", "export", "--out", str(tmp / "n.graphml"),
                                   "--as", "us.dea.sod"],
    "screen": lambda tmp: ["screen", "--as", "us.dea.sod"],
    # the drafts are read from the log: the asker (here the node's operator) is logged
    "oversight due": lambda tmp: ["oversight", "due", "--agency", "us.dea"],
    "approval list": lambda tmp: ["approval", "list", "--as", "us.dea.sod"],
    "consent requests": lambda tmp: ["consent", "requests", "--as", "us.dea.sod"],
}
#: Commands with --as that act (write, mark, release) rather than read; their entries
#: are the business of their own modules and tests.
CLI_ACTIONS = {"ingest", "import-ofac", "mark", "release", "recall", "consent give",
               # a consent asked for and answered (consent.requested, consent.answered:
               # tests/store/test_consent_requests.py)
               "consent request", "consent answer",
               # deconfliction reads no record: registering, withdrawing and checking are
               # exchanges logged as deconflict.* entries (tests/federation), and
               # `events` lists the unit's own registrations and the notices sent to it
               "deconflict register", "deconflict withdraw", "deconflict check",
               "deconflict events",
               # a judgement opens its two records (read_many, path "show") and writes
               "resolve judge",
               # an officer's edit and sign-off, and a contact recorded by hand, write
               # (oversight_texts, oversight.signed, contact.logged: tests/oversight)
               "oversight edit", "oversight sign", "contact log",
               # two-person approval: a request, an approval and a refusal are releases'
               # steps (release.requested, release.approved, release.refused:
               # tests/store/test_release_approvals.py)
               "approval request", "approval approve", "approval refuse"}


def _setup(store: Store) -> None:
    with store.transaction() as conn:
        parties.put_agency(conn, Agency("us.dea", "DEA", "us"), AT - timedelta(days=2))
        parties.put_unit(conn, Unit("us.dea.sod", "us.dea", "SOD"), AT - timedelta(days=2))
    store.write([
        build_record("p-1", "Person", {"name": ["Carlos Ruiz"]}, DEA, Marking.build("GREEN"),
                     keyer=TEST_KEYER),
        build_record("sz-1", "Seizure", {"drug": ["fentanyl"], "grossWeight": ["3"],
                                         "originCountry": ["mx"], "date": ["2024-01-02"]},
                     DEA, Marking.build("GREEN"), keyer=TEST_KEYER),
    ])  # fmt: skip


def _size(store: Store) -> int:
    with store.reading() as conn:
        return audit_log.size(conn)


def _commands(group: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(full name, command) of every leaf command under a Typer group."""
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def test_every_store_read_path_leaves_entries(store: Store) -> None:
    _setup(store)
    paths = sorted(name for name, fn in inspect.getmembers(Store, inspect.isfunction)
                   if not name.startswith("_") and "subject" in inspect.signature(fn).parameters
                   and name not in ("subject", "visibility"))  # resolving a subject reads no record
    missing = set(paths) - set(STORE_READS)
    assert not missing, f"Store read paths without an audit recipe here: {sorted(missing)}"
    for name in paths:
        before = _size(store)
        STORE_READS[name](store)
        assert _size(store) > before, f"Store.{name} left no audit entry"


def test_every_cli_read_path_leaves_entries(store: Store, db_url: str, tmp_path: Path) -> None:
    _setup(store)
    runner = CliRunner()
    group = typer.main.get_command(app)
    acting = sorted(name for name, command in _commands(group)
                    if any("--as" in p.opts for p in command.params))
    unknown = set(acting) - set(CLI_READS) - CLI_ACTIONS
    assert not unknown, f"commands with --as that are neither audited reads nor actions: {unknown}"
    for name in sorted(CLI_READS):
        assert name in acting, f"{name} no longer takes --as"
        before = _size(store)
        try:
            result = runner.invoke(app, ["--db-url", db_url, "-w", str(tmp_path),
                                         *CLI_READS[name](tmp_path)])
        finally:
            if STATE._store is not None:
                STATE._store.close()
                STATE._store = None
        assert result.exit_code == 0, f"{name}: {result.output}"
        assert _size(store) > before, f"`tearline {name}` left no audit entry"
    with store.reading() as conn:
        kinds = [e.kind for e in audit_log.entries(conn, limit=10_000)]
        paths = {json.loads(e.body)["path"] for e in audit_log.entries(conn, limit=10_000)
                 if e.kind == "record.read"}
    assert {"record.read", "search.query", "aggregate.read", "audit.queried"} <= set(kinds)
    assert {"show", "search", "list", "export"} <= paths
