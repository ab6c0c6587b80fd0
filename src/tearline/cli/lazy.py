"""The root command's table of contents, so that a command loads only its own area.

Importing every area of the command line costs seconds of CPU (the store, SQLAlchemy,
alembic, followthemoney), which every ``tearline`` process paid, ``--help`` included.
:data:`COMMANDS` says, for each top-level command, the modules under ``tearline.cli``
that register it and the first paragraph of its help (what ``tearline --help`` and
shell completion show). :class:`LazyCommands` is the root group's ``commands``: its
names are the table's; a command is built when it is first looked up (running it, its
own ``--help``, or a walk over every command), by importing its modules. A test
(``tests/cli/test_cli_lazy.py``) pins the table to the commands the modules register.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, ItemsView, Iterable, Iterator, MutableMapping, ValuesView
from typing import Any

from tearline.cli.language import N_

#: name -> (modules under ``tearline.cli`` that register it, first paragraph of its help),
#: in the order ``tearline --help`` lists them.
COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "trace": (("trace",), N_(
        "Name the recipient(s) whose copy a leaked file is, with the evidence and a "
        "confidence."
    )),
    "mark": (("policy",), N_(
        "Change the marking of a record or of one property's statements (originator "
        "only)."
    )),
    "vet": (("policy",), N_(
        "Record that agency BY vets UNIT from --from until --until."
    )),
    "unvet": (("policy",), N_(
        "Revoke, from now on, every vetting of UNIT by agency BY."
    )),
    "release": (("policy",), N_(
        "Release what you see of a record to more parties (never alters its marking)."
    )),
    "recall": (("policy",), N_(
        "Revoke the releases of a record (the originator), or one release (its releaser)."
    )),
    "demo": (("demo",), N_(
        "Build a demo workspace and tour it: the same intelligence, seen by three units."
    )),
    "show": (("records",), N_(
        "Show the tear-line view of one record for the acting unit."
    )),
    "search": (("records",), N_(
        "Search names, aliases and identifiers (every word must match a prefix)."
    )),
    "list": (("records",), N_(
        "List records visible to the acting unit, in id order."
    )),
    "stats": (("records",), N_(
        "Count the records of each schema that the acting unit may see."
    )),
    "export": (("records",), N_(
        "Export what the acting unit may see and its agency may pass on, as "
        "FollowTheMoney\nJSON lines with markings and each value's provenance (an ORCON "
        "value of another\nagency only with its consent), a standard STIX bundle or a "
        "MISP feed (portions as\nobjects of their own). A MISP feed folder is brought up "
        "to date in place."
    )),
    "ingest": (("ingest",), N_(
        "Ingest FollowTheMoney JSON lines, a MISP event JSON, or a CSV file with "
        "--mapping;\nall or nothing."
    )),
    "import-ofac": (("ingest",), N_(
        "Import the OFAC SDN list (narcotics programs by default); public: TLP:CLEAR."
    )),
    "demo-data": (("ingest",), N_(
        "Generate deterministic synthetic field data (flagged synthetic everywhere)."
    )),
    "import-series": (("report",), N_(
        "Import published aggregate series with their provenance (idempotent by SHA-256)."
    )),
    "screen": (("screen",), N_(
        "Screen parties against the sanctions designations you may see (the OFAC SDN "
        "list\nas imported by `import-ofac`), with scores, the evidence of each hit and "
        "the\ndesignation's programs."
    )),
    "serve": (("serve",), N_(
        "Serve the web application (/web/) and the HTTP API (OpenAPI at\n"
        "/api/v1/openapi.json, docs at /api/v1/docs) together."
    )),
    "sync": (("sync",), N_(
        "Pull everything new from a partner, verify it, store it once, send a signed "
        "receipt."
    )),
    "recalls": (("sync",), N_(
        "Per recalled record: the peer nodes that acknowledged it (signed purge receipt) "
        "and\nthose still pending."
    )),
    "init": (("workspace",), N_(
        "Create (or upgrade) the workspace: the database and the node's files."
    )),
    "approval": (("approvals",), N_(
        "Releases that wait for a second officer."
    )),
    "audit": (("audit",), N_(
        "The tamper-evident audit log: verify, checkpoints, proofs."
    )),
    "consent": (("consent",), N_(
        "Consents to onward release of ORCON records, and requests for them."
    )),
    "canary": (("trace",), N_(
        "Honeytokens: canary records for one recipient, and alerts."
    )),
    "deconflict": (("deconflict",), N_(
        "Blind deconfliction: is anyone else working this target, or this place and "
        "time? Answered by tokens under a key no node holds."
    )),
    "policy": (("policy",), N_(
        "Explain the dissemination policy."
    )),
    "network": (("network",), N_(
        "Link analysis: key players, communities, brokers, heads, paths, exports."
    )),
    "node": (("node",), N_(
        "This node's identity for federation (signing key, TLS certificate) and its "
        "TAXII 2.1 listener."
    )),
    "peer": (("node",), N_(
        "Partner nodes this node trusts: added from their identity documents, each bound "
        "to one of our units (what that unit may see is what the peer may pull)."
    )),
    "oversight": (("oversight",), N_(
        "Oversight report drafts: due, edit, sign, verify."
    )),
    "contact": (("oversight",), N_(
        "Contacts with foreign agents, recorded by hand."
    )),
    "party": (("party",), N_(
        "Agencies, units, analysts and agreements (append-only history)."
    )),
    "report": (("report",), N_(
        "Threat assessments and other documents."
    )),
    "resolve": (("resolve", "resolve_store"), N_(
        "Entity resolution: which records are one person, with the reasons; judgements "
        "by people override the model."
    )),
    "token": (("serve",), N_(
        "API tokens: shown once at creation, stored only as a hash."
    )),
    "source": (("sync",), N_(
        "Standard TAXII 2.1 servers (medallion, OpenCTI, MISP) this node pulls from "
        "without signatures. Tearline partners are peers (`tearline peer add`), never "
        "sources: their answers must be signed."
    )),
    "web": (("web",), N_(
        "The web application's accounts: passwords set by the node's administrator."
    )),
}


# Commands are Click commands of the Click that Typer bundles (whose types Typer does
# not export): typed as ``Any`` rather than through a private module.
class LazyCommands(MutableMapping[str, Any]):
    """A group's commands by name: the table's names, each built when first looked up.

    ``build`` gives the root group as Typer builds it from what is registered now;
    the commands it holds that are not here yet are adopted (those of ``name`` among
    them, and any another module registered on the way)."""

    def __init__(self, built: dict[str, Any], build: Callable[[], Any]) -> None:
        self.loaded = built
        self._build = build

    def load(self, names: Iterable[str]) -> None:
        """Import the modules of the commands ``names`` not built yet, then build them."""
        missing = [name for name in names if name in COMMANDS and name not in self.loaded]
        if not missing:
            return
        for name in missing:
            for module in COMMANDS[name][0]:
                importlib.import_module(f"tearline.cli.{module}")
        for name, command in self._build().commands.loaded.items():
            self.loaded.setdefault(name, command)

    def __getitem__(self, name: str) -> Any:
        self.load([name])
        return self.loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self.loaded[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self.loaded if name not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS.keys() | self.loaded.keys())

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self.loaded

    def items(self) -> ItemsView[str, Any]:
        self.load(COMMANDS)  # one build for all, rather than one per command
        return super().items()

    def values(self) -> ValuesView[Any]:
        self.load(COMMANDS)
        return super().values()
