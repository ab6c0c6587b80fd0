#!/usr/bin/env python3
"""Bring the ``tearline`` message catalogs up to date with the source (``dev.py i18n``).

Prints, per locale, how many messages were added and removed, and the es-MX messages
still waiting for a translation (the completeness test fails until there are none).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tearline.i18n.extract import read, update  # noqa: E402


def main() -> int:
    for locale, (added, removed) in update().items():
        print(f"{locale}: {added} added, {removed} removed")
    catalog = read("es_MX")
    waiting = [m.id for m in catalog or () if m.id and not m.string]
    for message in waiting:
        print(f"  to translate: {message!r}")
    return 1 if waiting else 0


if __name__ == "__main__":
    sys.exit(main())
