"""Ranked search read tier by tier (``store/search_tiers.py``) gives exactly the ranking
of every match: checked against an oracle in Python over the subject's tear-line views
(``rank_of``), page by page at several page sizes, on a seeded world where words are the
starts of others, records hold several names, and portions and records are hidden."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pgserver import pg_url
from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Unit
from tearline.model.record import Record, build_record
from tearline.model.schema import get_model
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import parties, search
from tearline.store.prepared import prepared
from tearline.store.ranking import rank_of
from tearline.store.search_tiers import tier_query
from tearline.store.store import Store
from tearline.store.tokens import query_tokens, tokens_for
from tearline.store.visibility import Visibility

DATA = json.loads((Path(__file__).parent / "data" / "search_tiers.json").read_text("utf-8"))
T = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
NOW = T + timedelta(days=1)
VIEWER = Subject("mx.semar.pn", "mx.semar")  # DEA's AMBER+STRICT is hidden from it


def _name(rng: random.Random) -> str:
    return " ".join(rng.choice(DATA["words"]) for _ in range(rng.randint(1, 3)))


def _records(n: int, seed: int) -> list[Record]:
    rng = random.Random(seed)
    hidden = Marking.build("AMBER+STRICT")
    out = []
    for i in range(n):
        props = {"name": [_name(rng)]}
        portions = {}
        if rng.random() < 0.4:
            props["alias"] = [_name(rng), _name(rng)][: rng.randint(1, 2)]
            if rng.random() < 0.5:
                portions["alias"] = hidden
        marking = hidden if rng.random() < 0.15 else Marking.build("GREEN")
        out.append(build_record(f"p-{rng.randrange(10**6):06d}-{i}", "Person", props,
                                Provenance("us.dea", "us.dea.sod", T), marking, portions,
                                keyer=TEST_KEYER))
    return out


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('tiers') / 'tearline.sqlite'}"
    else:
        url = pg_url(request.getfixturevalue("pg_server"))
    store = Store.open(url)
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.semar"):
            parties.put_agency(conn, Agency(agency, agency, agency[:2]), T)
        for unit in ("us.dea.sod", "mx.semar.pn"):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
    store.write(_records(120, seed=20))
    yield store
    store.close()


def _expected(store: Store, words: list[str]) -> list[tuple[int, str]]:
    """Every visible record holding each word as the start of a visible token, ranked
    in Python over its tear-line view."""
    model = get_model()
    views = store.page(VIEWER, NOW, limit=1000)
    ranked = []
    for record in views:
        schema = model[record.schema]
        held = set().union(*(tokens_for(schema.properties[s.prop].type.name, s.value)
                             for s in record.statements))
        if all(any(token.startswith(w) for token in held) for w in words):
            ranked.append((rank_of(record, words), record.id))
    return sorted(ranked, key=lambda hit: (-hit[0], hit[1]))


@pytest.mark.parametrize("query", DATA["queries"])
def test_tiers_page_through_the_full_ranking(world: Store, query: str) -> None:
    words = query_tokens(query)
    expected = _expected(world, words)
    vis = Visibility(VIEWER, NOW)
    with world.reading() as conn:
        assert search.search_hits(conn, vis, query, limit=1000) == expected
        for size in (1, 4, 25):
            seen: list[tuple[int, str]] = []
            after = None
            while True:
                page = search.search_hits(conn, vis, query, after=after, limit=size)
                seen += page
                if len(page) < size:
                    break
                after = page[-1]
            assert seen == expected, size


def test_the_world_exercises_every_tier(world: Store) -> None:
    """The oracle's answers hold exact, whole-word and prefix-only results (else the
    test above could pass without reading a tier)."""
    ranks = {rank for q in DATA["queries"] for rank, _ in _expected(world, query_tokens(q))}
    assert {0, 1, 2, 10, 11} <= ranks


def test_a_tier_walks_its_word_in_id_order_and_stops(world: Store) -> None:
    """SQLite's plan for the whole-word tier reads the word's rows from the tokens key
    in record id order, with no sort: a page costs a page's rows, not the word's."""
    if world.engine.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    vis = Visibility(VIEWER, NOW)
    with world.reading() as conn:
        statement = prepared(conn, ("plan-check",),
                             lambda _: tier_query(vis, "whole", 1, False, 25, ()))
        values = {**statement.constants, **vis.params, "drive": "garcia", "after": "",
                  "w0": "garcia", "exact": "=garcia"}
        args = tuple(values[n] for n in statement.positions or ())
        plan = [row[3] for row in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement.sql, args)]
    assert plan[0] == "SEARCH dr USING PRIMARY KEY (token=? AND entity_id>?)"
    assert not [step for step in plan if "TEMP B-TREE" in step]


def test_a_tier_finds_a_relationship_only_when_its_ends_exist(store: Store) -> None:
    """A record of either tier that is not a relationship exists once it is visible (its
    tokens are a value of its own), so the tiers test existence for relationships only:
    one resting on a record the viewer may not see is found by neither tier."""
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.semar"):
            parties.put_agency(conn, Agency(agency, agency, agency[:2]), T)
        for unit in ("us.dea.sod", "mx.semar.pn"):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
    dea, green = Provenance("us.dea", "us.dea.sod", T), Marking.build("GREEN")
    people = [build_record(pid, "Person", {"name": [name]}, dea, marking, keyer=TEST_KEYER)
              for pid, name, marking in (("p-seen", "ana ruiz", green),
                                         ("p-other", "eva diaz", green),
                                         ("p-hidden", "luz rios", Marking.build("AMBER+STRICT")))]
    ties = [build_record(f"a-{tier}-{end}", "Associate",
                         {"person": ["p-seen"], "associate": [f"p-{end}"],
                          "namesMentioned": [mentioned]}, dea, green, keyer=TEST_KEYER)
            for tier, mentioned in (("exact", "quetzal"), ("whole", "quetzal azteca"))
            for end in ("other", "hidden")]
    store.write([*people, *ties])
    with store.reading() as conn:
        found = {who.unit: search.search_hits(conn, Visibility(who, NOW), "quetzal")
                 for who in (VIEWER, Subject("us.dea.sod", "us.dea"))}
    exact, whole = search.tier_rank("exact", 1), search.tier_rank("whole", 1)
    assert found["mx.semar.pn"] == [(exact, "a-exact-other"), (whole, "a-whole-other")]
    assert found["us.dea.sod"] == [(exact, "a-exact-hidden"), (exact, "a-exact-other"),
                                   (whole, "a-whole-hidden"), (whole, "a-whole-other")]
