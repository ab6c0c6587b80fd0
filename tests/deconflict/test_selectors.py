"""Selectors: one canonical form per kind, shared with ingest; bad values refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from followthemoney import registry

from statement_keys import TEST_KEYER
from tearline.deconflict import group, selectors, threshold, tokens
from tearline.errors import SelectorError
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance

CASES = json.loads((Path(__file__).parent / "data" / "selectors.json").read_text())


def parse(case: dict[str, Any]) -> selectors.Selector:
    return selectors.parse(case["kind"], case["text"], country=case.get("country"),
                           scheme=case.get("scheme"), birth_date=case.get("birth_date"))


@pytest.mark.parametrize("case", CASES["same"], ids=lambda c: f"{c['kind']}-{c['expect']}")
def test_every_way_of_writing_gives_one_selector(case: dict[str, Any]) -> None:
    got = {parse({"kind": case["kind"], **form}) for form in case["forms"]}
    assert got == {selectors.Selector(case["kind"], case["expect"])}


@pytest.mark.parametrize("pair", CASES["different"], ids=lambda p: p[0]["kind"])
def test_different_targets_stay_different(pair: list[dict[str, Any]]) -> None:
    first, second = (parse(c) for c in pair)
    assert first != second and first.oprf_input() != second.oprf_input()


@pytest.mark.parametrize("case", CASES["refused"], ids=lambda c: f"{c['kind']}-{c['why']}")
def test_bad_values_are_refused_with_the_reason(case: dict[str, Any]) -> None:
    with pytest.raises(SelectorError, match=case["why"]):
        parse(case)


def test_the_same_phone_four_ways_gives_one_threshold_token() -> None:
    key = group.random_scalar()
    shares = threshold.split(key, 2, 3)
    forms = CASES["same"][0]["forms"][:4]
    batch = tokens.blind_batch([parse({"kind": "phone", **f}) for f in forms])
    assert len(set(batch.elements)) == 4  # the key holders see four unrelated elements
    answers = {s.index: [threshold.evaluate_share(s, e) for e in batch.elements]
               for s in shares[1:]}
    got = tokens.finish(batch, answers, 2)
    assert len(set(got)) == 1
    assert got[0] == tokens.direct_token(key, selectors.phone("+526671234567"))


def test_a_phone_is_normalized_as_ingest_stores_it() -> None:
    record = build_record(
        "ph-1", "Phone", {"number": ["+52 (667) 123-4567"]},
        Provenance("us.dea", "us.dea.sod", datetime(2026, 1, 1, tzinfo=UTC)),
        Marking.build("AMBER"), keyer=TEST_KEYER)
    stored = record.values("number")
    assert stored == [selectors.phone("0052 667 123 4567", "mx").value]
    assert registry.phone.clean(stored[0]) == stored[0]


def test_a_selector_does_not_print_its_value() -> None:
    s = selectors.phone("+52 667 123 4567")
    assert "667" not in repr(s) and "667" not in repr([s])


def test_the_audit_log_knows_every_selector_kind() -> None:
    from typing import get_args

    from tearline.audit.deconflict_events import SelectorKind

    assert set(get_args(SelectorKind)) == set(selectors.KINDS)
