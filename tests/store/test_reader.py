"""The reader's statements: keyset pages, searches, id lists, bound values.

Records hidden from the unit are interleaved in id order with visible ones, so that a
page boundary, a search walk or an id list that let a hidden record through — or that
skipped a visible one — shows. Expected answers are written from the markings, not
read back from the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from statement_keys import TEST_KEYER
from tearline.errors import StoreError
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Unit
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import parties, reader, search
from tearline.store import tables as t
from tearline.store.store import Store
from tearline.store.visibility import Visibility

T = datetime(2024, 5, 1, tzinfo=UTC)
NOW = T + timedelta(days=1)
PN = Subject("mx.semar.pn", "mx.semar")
DEA = Provenance("us.dea", "us.dea.sod", T)
SEMAR = Provenance("mx.semar", "mx.semar.pn", T)
PUBLIC = Marking.build("GREEN")
HIDDEN = Marking.build("AMBER+STRICT")  # a DEA record: hidden from mx.semar.pn
N = 30


def shown(n: int) -> bool:
    """Which of the numbered people the unit sees: two in three, in an irregular pattern."""
    return n % 3 != 1 or n % 7 == 0


def people() -> list[Record]:
    out = []
    for n in range(N):
        # every record has "zeta"; "quintero" only some; the identifier is unique
        names = ["Zeta Quintero" if n % 4 == 0 else "Zeta Morales"]
        props = {"name": names, "idNumber": [f"QX{n:04d}"]}
        out.append(build_record(f"p-{n:03d}", "Person", props, DEA,
                                PUBLIC if shown(n) else HIDDEN, keyer=TEST_KEYER))
    # an own record of the unit, under a marking it sees as the author
    out.append(build_record("p-own", "Person", {"name": ["Zeta Own"]}, SEMAR,
                            Marking.build("RED", ["unit:mx.semar.pn"]), keyer=TEST_KEYER))
    return out


VISIBLE = sorted([f"p-{n:03d}" for n in range(N) if shown(n)] + ["p-own"])


@pytest.fixture
def loaded(store: Store) -> Iterator[Store]:
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.semar"):
            parties.put_agency(conn, Agency(agency, agency, agency[:2]), T)
        for unit in ("us.dea.sod", "mx.semar.pn"):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
    store.write(people())
    yield store


@pytest.mark.parametrize("limit", [1, 3, 7, 10, 26, 500])
def test_keyset_pages_return_each_visible_record_once_in_order(loaded: Store, limit: int
                                                               ) -> None:
    seen: list[str] = []
    after = None
    while True:
        page = loaded.page(PN, NOW, after=after, limit=limit)
        assert len(page) <= limit
        if not page:
            break
        seen += [r.id for r in page]
        after = page[-1].id
    assert seen == VISIBLE
    with loaded.reading() as conn:
        assert reader.list_ids(conn, Visibility(PN, NOW), limit=limit) == VISIBLE[:limit]


def test_page_of_one_schema(loaded: Store) -> None:
    assert [r.id for r in loaded.page(PN, NOW, schema="Person", after="p-010", limit=4)] == [
        i for i in VISIBLE if i > "p-010"][:4]
    assert loaded.page(PN, NOW, schema="Vessel") == []


def expected_search(word: str) -> list[str]:
    if word == "quintero":
        return sorted(f"p-{n:03d}" for n in range(N) if n % 4 == 0 and shown(n))
    return VISIBLE  # "zeta", "zet"


@pytest.mark.parametrize("common_word", [1, 10**9])  # counts capped at once / never: any
# word may drive the candidates
@pytest.mark.parametrize("text", ["zeta", "zet", "quintero", "zeta quin"])
def test_whichever_word_drives_the_search_finds_the_same(
        loaded: Store, monkeypatch: pytest.MonkeyPatch, common_word: int, text: str) -> None:
    monkeypatch.setattr(search, "COMMON_WORD", common_word)
    expected = expected_search("quintero" if "quin" in text else text)
    with loaded.reading() as conn:
        vis = Visibility(PN, NOW)
        hits = search.search_hits(conn, vis, text, limit=500)
        assert [i for _, i in hits] == expected  # equal ranks here: in id order
        assert search.search_ids(conn, vis, text, limit=3) == expected[:3]
        assert search.search_ids(conn, vis, text, after=hits[1], limit=2) == expected[2:4]
    assert [r.id for r in loaded.search(PN, NOW, text, limit=7)] == expected[:7]


@pytest.mark.parametrize("common_word", [1, 10**9])
def test_hidden_identifier_finds_nothing(loaded: Store, monkeypatch: pytest.MonkeyPatch,
                                         common_word: int) -> None:
    monkeypatch.setattr(search, "COMMON_WORD", common_word)
    hidden = next(n for n in range(N) if not shown(n))
    assert loaded.search(PN, NOW, f"QX{hidden:04d}") == []
    assert [r.id for r in loaded.search(PN, NOW, "qx0000")] == ["p-000"]
    assert loaded.search(PN, NOW, "nosuchword") == []
    # the originator finds it: the test can fail
    sod = Subject("us.dea.sod", "us.dea")
    assert [r.id for r in loaded.search(sod, NOW, f"QX{hidden:04d}")] == [f"p-{hidden:03d}"]


def test_read_records_keeps_the_order_asked_and_drops_what_does_not_exist(loaded: Store
                                                                          ) -> None:
    hidden = next(f"p-{n:03d}" for n in range(N) if not shown(n))
    asked = ["p-003", "p-000", "p-003", hidden, "never", "p-own"]
    with loaded.reading() as conn:
        got = reader.read_records(conn, Visibility(PN, NOW), asked)
        assert [r.id for r in got] == ["p-003", "p-000", "p-003", "p-own"]
        assert reader.visible_entities(conn, Visibility(PN, NOW), asked) == {
            "p-003", "p-000", "p-own"}
        assert reader.read_records(conn, Visibility(PN, NOW), []) == []


def test_views_hold_only_visible_statements_sorted(loaded: Store) -> None:
    rec = loaded.read(PN, NOW, "p-000")
    assert [(s.prop, s.value) for s in rec.statements] == [
        ("idNumber", "QX0000"), ("name", "Zeta Quintero")]
    assert rec.marking == PUBLIC


def test_predicates_run_without_their_values_fail(loaded: Store) -> None:
    """The subject and instant are bound values: a statement run without them is an error."""
    s, r = t.statements, t.records
    query = select(s.c.id).join(r, r.c.id == s.c.entity_id).where(
        Visibility(PN, NOW).statement(s, r))
    with pytest.raises(StoreError), loaded.reading() as conn:
        conn.execute(query).all()
    with loaded.reading() as conn:
        assert conn.execute(query, Visibility(PN, NOW).params).all()
