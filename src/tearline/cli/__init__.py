"""The ``tearline`` command line: one Typer application, one sub-module per area.

Each area registers its commands on :data:`app` (or a sub-application) when it is
imported; shared options, the store and output formats live in ``common``. The root
imports an area when one of its commands is run (``lazy.py``: every command's name,
help line and module), so a command loads only what it needs.
"""

from __future__ import annotations

from tearline.cli.common import app

__all__ = ["app", "main"]


def main() -> None:
    app()
