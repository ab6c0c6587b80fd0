"""Hostile text: what a unit with a write token may store, to be shown to other units.

The strings are in ``reports/data/hostile_text.json``; :func:`hostile_strings` adds
one very long value (built here, not stored in the file).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "reports" / "data" / "hostile_text.json"
LONG = "Región fronteriza del norte $\\alpha$ " * 400


@cache
def hostile_strings() -> tuple[str, ...]:
    strings: list[str] = json.loads(DATA.read_text(encoding="utf-8"))["strings"]
    return (*strings, LONG)
