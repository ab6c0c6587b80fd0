"""A world of references chained several deep, for one viewer (``data/reference_chain.json``).

Each level's tests (store, API, TAXII) give the public and hidden markings that fit
their parties; the world without the records marked ``hidden`` must answer the viewer
exactly as the whole world does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance

DATA = Path(__file__).parent / "data" / "reference_chain.json"
WORLD: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))["records"]
EXISTING = sorted(r["id"] for r in WORLD if r["exists"])
MISSING = sorted(r["id"] for r in WORLD if not r["exists"])
HIDDEN = sorted(r["id"] for r in WORLD if r.get("hidden"))
#: Records that exist, with the references they show (those not listed show all theirs).
SHOWN_REFERENCES = {r["id"]: sorted(r["shown_references"]) for r in WORLD
                    if "shown_references" in r}


def chain(prov: Provenance, public: Marking, hidden_marking: Marking,
          hidden: bool = True) -> list[Record]:
    """The records; without those hidden from the viewer when ``hidden`` is false."""
    marks = {"public": public, "hidden": hidden_marking}
    return [build_record(r["id"], r["schema"], r["properties"], prov, marks[r["marking"]],
                         keyer=TEST_KEYER)
            for r in WORLD if hidden or not r.get("hidden")]
