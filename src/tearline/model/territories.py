"""Country names as FollowTheMoney reads them, kept between processes.

FollowTheMoney cleans a country name (``registry.country``) through ``rigour``, which on
the first name looked up in a process builds a table of its ~29,000 territory names,
each transliterated to ASCII by its Rust core: about 1.8 CPU-seconds, paid again by every
``tearline`` process that reads a country — more than parsing OFAC's whole SDN list
takes. The finished table is a pure function of rigour's version (its data files ship
inside it), so tearline keeps it — normalized name → territory code — in a cache file
named after that version, and hands rigour the table read back from it.

The hand-over replaces ``rigour.territories.lookup._get_territory_names``, the private
function that builds the table (rigour looks it up as a module global on each lookup).
It is done only for the version of rigour whose table layout this module was checked
against (:data:`CHECKED`): another version keeps rigour's own build, untouched. A cache
file that is missing, unreadable, of another version or not a table of known codes is
rebuilt by rigour's own function; a cache folder that cannot be written costs only the
saving. The tests compare the table read back with rigour's build, entry by entry.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

#: The rigour versions whose private table builder this module replaces.
CHECKED = frozenset({"2.6.1"})

_lock = threading.Lock()
_table: dict[str, Any] | None = None
#: rigour's own table builder, once :func:`install` has replaced it.
rigour_build: Callable[[], dict[str, Any]] | None = None


def cache_dir() -> Path:
    """``TEARLINE_CACHE_DIR``, else ``$XDG_CACHE_HOME/tearline``, else ``~/.cache/tearline``."""
    explicit = os.environ.get("TEARLINE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tearline"


def cache_file(rigour_version: str) -> Path:
    return cache_dir() / f"territory-names-rigour-{rigour_version}.json"


def load(path: Path, rigour_version: str, index: dict[str, Any]) -> dict[str, Any] | None:
    """The table kept in ``path``, or ``None`` if it is missing or not a table of this
    rigour version's territories."""
    try:
        kept = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("rigour") != rigour_version:
        return None
    names = kept.get("names")
    if not isinstance(names, dict) or not names:
        return None
    table: dict[str, Any] = {}
    for name, code in names.items():
        territory = index.get(code) if isinstance(code, str) else None
        if territory is None:
            return None
        table[name] = territory
    return table


def save(path: Path, rigour_version: str, table: dict[str, Any]) -> None:
    """Write the table atomically (a concurrent reader sees the old file or the new one)."""
    names = {name: territory.code for name, territory in table.items()}
    body = json.dumps({"rigour": rigour_version, "names": names}, ensure_ascii=False)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".territories-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def kept_table(build: Callable[[], dict[str, Any]], index: dict[str, Any], path: Path,
               rigour_version: str) -> dict[str, Any]:
    """The table from ``path``, or built by ``build`` and saved there."""
    table = load(path, rigour_version, index)
    if table is None:
        table = build()
        save(path, rigour_version, table)
    return table


def install() -> None:
    """Give rigour the kept table on its first lookup (idempotent; a no-op for a rigour
    version not in :data:`CHECKED`)."""
    from rigour.territories import lookup
    from rigour.territories.territory import get_index

    rigour_version = version("rigour")
    if rigour_version not in CHECKED or getattr(lookup, "_tearline_kept", False):
        return
    global rigour_build
    build = rigour_build = lookup._get_territory_names

    def names() -> dict[str, Any]:
        global _table
        with _lock:
            if _table is None:
                _table = kept_table(build, get_index(), cache_file(rigour_version),
                                    rigour_version)
            return _table

    lookup._get_territory_names = names  # type: ignore[assignment]
    lookup._tearline_kept = True  # type: ignore[attr-defined]
