"""The pinned STIX output: a bundle the mapping emitted, to compare later output against.

``data/golden_bundle.json.gz`` holds the bundle :func:`tearline.stix.to_stix` made of
the demo data's first 400 records (seed 7, scale 0.002; the other demo records passed
as ``refs``, so relationships to them resolve) and the first 120 OFAC SDN entries.
The records themselves come back from the bundle (the round trip is lossless), so the
pin does not depend on the demo generator staying as it is.

Regenerate only when a change of the output is intended (and say why in the commit):

    .venv/bin/python tests/stix/golden.py
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from statement_keys import TEST_KEYER

GOLDEN = Path(__file__).parent / "data" / "golden_bundle.json.gz"
DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def encode(bundle: dict[str, Any]) -> bytes:
    """The bytes compared: key order kept, as the TAXII server keeps it."""
    return json.dumps(bundle, ensure_ascii=False).encode()


def load() -> dict[str, Any]:
    with gzip.open(GOLDEN, "rb") as f:
        golden: dict[str, Any] = json.loads(f.read())
    return golden


def _make(data_dir: Path) -> dict[str, Any]:
    from tearline.demo.load import demo_records
    from tearline.ingest.ofac_import import import_sdn
    from tearline.model.marking import Marking
    from tearline.model.statement import Provenance
    from tearline.stix import to_stix

    demo = list(demo_records(7, data_dir, 0.002, keyer=TEST_KEYER))
    prov = Provenance("us.dea", "us.dea.sod", datetime(2024, 5, 3, tzinfo=UTC))
    ofac = import_sdn(data_dir / "ofac" / "sdn_2024-05-03.csv", prov,
                      Marking.build("CLEAR"), keyer=TEST_KEYER)[:120]
    records = demo[:400] + ofac
    refs = {r.id: r.schema for r in demo[400:]}
    export = to_stix(records, refs)
    assert export.skipped == (), export.skipped
    return {"refs": refs, "bundle": json.loads(encode(export.bundle))}


if __name__ == "__main__":
    made = _make(DATA.resolve())
    with gzip.GzipFile(GOLDEN, "wb", mtime=0) as out:
        out.write(json.dumps(made, ensure_ascii=False).encode())
    print(f"{GOLDEN}: {len(made['bundle']['objects'])} objects")
