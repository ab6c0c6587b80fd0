"""Hand-written standard STIX 2.1, as a third-party platform emits it (no tearline
extension): ``stix/data/foreign_bundle.json``, shared by the mapping tests
(``stix/test_stix_foreign.py``) and the pull tests against medallion
(``federation/test_sync_medallion.py``).

What it holds: a producer identity (organization), a threat-actor (crime-syndicate,
TLP 1.0 GREEN), a person (TLP 1.0 AMBER, its description TLP 2.0 RED by a granular
marking), an unmarked location, a ``located-at`` relationship (TLP 2.0 RED, its
marking definition in the bundle), a report, and what tearline does not map (an
indicator, a malware, the relationship between them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FOREIGN_BUNDLE = Path(__file__).parent / "stix" / "data" / "foreign_bundle.json"

PRODUCER = "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff"
CARTEL = "threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
PERSON = "identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e"
PLACE = "location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"
LINK = "relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad"
REPORT = "report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3"
#: The objects tearline maps to records; the others have no tearline mapping.
MAPPED = frozenset({PRODUCER, CARTEL, PERSON, PLACE, LINK, REPORT})


def foreign_bundle() -> dict[str, Any]:
    """A fresh copy of the bundle (callers may change it)."""
    data: dict[str, Any] = json.loads(FOREIGN_BUNDLE.read_text(encoding="utf-8"))
    return data


def foreign_objects() -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = foreign_bundle()["objects"]
    return objects
