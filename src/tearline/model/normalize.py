"""Values normalized by FollowTheMoney's property types, remembered by (type, text).

:func:`normalized` is how :func:`~tearline.model.record.build_statements` (and the
deconfliction selectors, and the API's country filter) clean a value: the cleaning
depends on the type and the text only, so its result is shared across records and
files. Apart from the records because remembering cleaned values is its own concern,
with its own bounds (:data:`CACHE_ENTRIES`, :data:`CACHE_VALUE_LENGTH`).
"""

from __future__ import annotations

from typing import Any

from tearline.model import territories
from tearline.model.ftm import registry

territories.install()

_MISSING = object()

#: Remembered normalizations, one table per property type (see :func:`normalized`).
_NORMALIZED: dict[str, dict[str, str | None]] = {}
#: At most this many values are remembered per type; a full table is emptied and
#: refilled rather than kept in least-recently-used order. An LRU cache smaller than
#: the number of distinct values in a file keeps evicting the values that repeat
#: (a cycle of names pushes out the countries), so it misses where it matters.
CACHE_ENTRIES = 1 << 17
#: Longer values are not remembered: they seldom repeat and would pin memory.
CACHE_VALUE_LENGTH = 256


def _cache_for(prop_type: Any) -> dict[str, str | None]:
    table = _NORMALIZED.get(prop_type.name)
    if table is None or len(table) >= CACHE_ENTRIES:
        table = _NORMALIZED[prop_type.name] = {}
    return table


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code (lower case) of a country written as a code or a name,
    as ingest stores countries; ``None`` if it names no country."""
    return normalized(registry.country, text.strip())


def normalized(prop_type: Any, text: str) -> str | None:
    """``prop_type.clean(text)``, remembered by (type, text).

    Input repeats the same countries, dates, programs and names many times, and
    FollowTheMoney's cleaning (country names above all) is the costliest step of
    ingest. The result depends on the type and the text only (``fuzzy=False``, no
    format, no entity context), so it is safe to share across records and files.
    """
    table = _cache_for(prop_type)
    found = table.get(text, _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[return-value]
    result: str | None = prop_type.clean(text, fuzzy=False)
    if len(text) <= CACHE_VALUE_LENGTH:
        table[text] = result
    return result
