"""The mapping's output is pinned byte for byte (see ``golden.py`` for what and why).

Export and import are tuned for speed (cached per schema, per marking, per
timestamp); these tests make sure no such shortcut changes a single byte of what a
peer receives, nor what a bundle reads back as.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from golden import encode, load

from statement_keys import TEST_KEYER
from tearline.model.record import Record
from tearline.stix import read_bundle, to_stix

AGENCIES = ("us.dea", "mx.semar", "mx.fgr")


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    return load()


@pytest.fixture(scope="module")
def records(golden: dict[str, Any]) -> list[Record]:
    back = read_bundle(golden["bundle"], AGENCIES, keyer=TEST_KEYER)
    assert back.skipped == ()
    return list(back.records)


def test_the_golden_input_is_varied(golden: dict[str, Any], records: list[Record]) -> None:
    # The pin is only worth what it covers: every STIX type, portions, derived objects.
    types = {o["type"] for o in golden["bundle"]["objects"]}
    assert types >= {"identity", "threat-actor", "incident", "infrastructure", "relationship",
                     "note", "marking-definition", "extension-definition"}
    assert any(s.marking is not None for r in records for s in r.statements)
    assert any(r.marking.releasable_to for r in records)
    assert len(records) >= 500


def test_export_is_byte_identical_to_the_golden_bundle(golden: dict[str, Any],
                                                       records: list[Record]) -> None:
    export = to_stix(records, golden["refs"])
    assert export.skipped == ()
    got, want = encode(export.bundle), encode(golden["bundle"])
    if got != want:  # the first differing object, to say where
        pairs = zip(export.bundle["objects"], golden["bundle"]["objects"], strict=False)
        first = next(((g, w) for g, w in pairs if g != w), None)
        pytest.fail(f"bundle differs ({len(got)} vs {len(want)} bytes); first object: {first}")


def test_export_does_not_depend_on_record_order(golden: dict[str, Any],
                                                records: list[Record]) -> None:
    shuffled = records[1::2] + list(reversed(records[0::2]))
    assert encode(to_stix(shuffled, golden["refs"]).bundle) == encode(golden["bundle"])


def test_export_twice_in_a_row_gives_the_same_bytes(golden: dict[str, Any],
                                                    records: list[Record]) -> None:
    # Caches filled by the first export must not leak into the second.
    first = encode(to_stix(records[:200], golden["refs"]).bundle)
    to_stix(records[200:], golden["refs"])
    assert encode(to_stix(records[:200], golden["refs"]).bundle) == first


def test_import_reads_the_golden_bundle_back_to_equal_records(golden: dict[str, Any],
                                                              records: list[Record]) -> None:
    again = read_bundle(json.loads(encode(golden["bundle"])), AGENCIES, keyer=TEST_KEYER).records
    assert list(again) == records
    assert [s for r in again for s in r.statements] == [s for r in records
                                                       for s in r.statements]
