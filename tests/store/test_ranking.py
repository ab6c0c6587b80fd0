"""Search ranking (``store/ranking.py``): exact names first, then whole words, then id —
over what the subject sees only, in SQL and in Python alike, page by page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Unit
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import parties, search
from tearline.store.ranking import rank_of
from tearline.store.store import Store
from tearline.store.tokens import query_tokens
from tearline.store.visibility import Visibility

DATA = json.loads((Path(__file__).parent / "data" / "ranking.json").read_text("utf-8"))
T = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
NOW = T + timedelta(days=1)
QUERY = "ovidio guzman lopez"
SUBJECTS = {"mx.semar.pn": Subject("mx.semar.pn", "mx.semar"),
            "us.dea.sod": Subject("us.dea.sod", "us.dea")}


@pytest.fixture
def world(store: Store) -> Iterator[Store]:
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.semar"):
            parties.put_agency(conn, Agency(agency, agency, agency[:2]), T)
        for unit in SUBJECTS:
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
    records = []
    for r in DATA["records"]:
        props = {"name": [r["name"]]}
        portions = {}
        if "hidden_alias" in r:
            props["alias"] = [r["hidden_alias"]]
            portions["alias"] = Marking.build("AMBER+STRICT")
        records.append(build_record(r["id"], "Person", props,
                                    Provenance("us.dea", "us.dea.sod", T),
                                    Marking.build("GREEN"), portions, keyer=TEST_KEYER))
    store.write(records)
    yield store


@pytest.mark.parametrize("unit", sorted(SUBJECTS))
def test_results_are_ranked_over_what_the_subject_sees(world: Store, unit: str) -> None:
    expected = [tuple(hit) for hit in DATA["ranked"][unit]]
    with world.reading() as conn:
        hits = search.search_hits(conn, Visibility(SUBJECTS[unit], NOW), QUERY)
    assert [(i, rank) for rank, i in hits] == expected
    # the records come back in that order, and Python ranks their tear lines alike
    found = world.search(SUBJECTS[unit], NOW, QUERY)
    assert [r.id for r in found] == [i for i, _ in expected]
    assert [rank_of(r, query_tokens(QUERY)) for r in found] == [n for _, n in expected]


@pytest.mark.parametrize("common_word", [1, 10**9])  # whichever word drives, same ranks
@pytest.mark.parametrize("size", [1, 2, 3])
def test_pages_follow_the_ranking_without_gaps(world: Store, monkeypatch: pytest.MonkeyPatch,
                                               common_word: int, size: int) -> None:
    monkeypatch.setattr(search, "COMMON_WORD", common_word)
    subject = SUBJECTS["mx.semar.pn"]
    seen: list[str] = []
    after = None
    while True:
        page = world.search(subject, NOW, QUERY, after=after, limit=size)
        seen += [r.id for r in page]
        if len(page) < size:
            break
        after = (rank_of(page[-1], query_tokens(QUERY)), page[-1].id)
    assert seen == [i for i, _ in DATA["ranked"]["mx.semar.pn"]]


def test_word_order_accents_and_punctuation_do_not_matter_for_an_exact_name(
        world: Store) -> None:
    subject = SUBJECTS["mx.semar.pn"]
    for text in ("López Guzmán Ovidio", "ovidio-guzman-lopez", "OVIDIO GUZMAN LOPEZ"):
        assert world.search(subject, NOW, text)[0].id == "r9-exact"
    # fewer words than a name: whole words outrank prefixes, ties go by id
    assert [r.id for r in world.search(subject, NOW, "guzman")] == [
        "r4-extra", "r5-other", "r9-exact", "r1-prefix", "r2-hidden-alias", "r3-prefix"]
