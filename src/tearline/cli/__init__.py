"""The ``tearline`` command line: one Typer application, one sub-module per area.

Each area registers its commands on :data:`app` (or a sub-application) when it is
imported below; shared options, the store and output formats live in ``common``.
"""

from __future__ import annotations

# Areas register their commands on import.
from tearline.cli import approvals as _approvals  # noqa: E402,F401
from tearline.cli import audit as _audit  # noqa: E402,F401
from tearline.cli import consent as _consent  # noqa: E402,F401
from tearline.cli import deconflict as _deconflict  # noqa: E402,F401
from tearline.cli import demo as _demo  # noqa: E402,F401
from tearline.cli import ingest as _ingest  # noqa: E402,F401
from tearline.cli import network as _network  # noqa: E402,F401
from tearline.cli import node as _node  # noqa: E402,F401
from tearline.cli import oversight as _oversight  # noqa: E402,F401
from tearline.cli import party as _party  # noqa: E402,F401
from tearline.cli import policy as _policy  # noqa: E402,F401
from tearline.cli import records as _records  # noqa: E402,F401
from tearline.cli import report as _report  # noqa: E402,F401
from tearline.cli import resolve as _resolve  # noqa: E402,F401
from tearline.cli import resolve_store as _resolve_store  # noqa: E402,F401
from tearline.cli import screen as _screen  # noqa: E402,F401
from tearline.cli import serve as _serve  # noqa: E402,F401
from tearline.cli import sync as _sync  # noqa: E402,F401
from tearline.cli import trace as _trace  # noqa: E402,F401
from tearline.cli import web as _web  # noqa: E402,F401
from tearline.cli import workspace as _workspace  # noqa: E402,F401
from tearline.cli.common import app

__all__ = ["app", "main"]


def main() -> None:
    app()
