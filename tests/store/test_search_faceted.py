"""A search's page and its facets in one store call (``store/facets.py``,
``search_faceted``), on every backend.

The page must be the page ``Store.search`` reads, the facets those ``facets.facets``
counts for the same search, whatever the page size and position; the audit entries
those of the search followed by one ``aggregate.read`` of the surface that showed them.
The records (``data/faceted_people.json``) hold every rank of a search for ``garcia``,
and a record and portions each viewer may not see.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Unit
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import audit_log, facets, parties, query_tokens, rank_of
from tearline.store.read_query import _bucket
from tearline.store.store import Store

DATA = json.loads((Path(__file__).parent / "data" / "faceted_people.json").read_text("utf-8"))
T = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
NOW = T + timedelta(days=1)
PN = Subject("mx.semar.pn", "mx.semar")
SOD = Subject("us.dea.sod", "us.dea")


def test_the_window_is_a_statement_limit() -> None:
    # rounded up to the next LIMIT (500), the window's search walked twice its rows
    assert _bucket(facets.WINDOW + 1) == (facets.WINDOW + 1, facets.WINDOW + 1)


def test_search_faceted_is_the_search_and_its_facets(store: Store) -> None:
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.semar"):
            parties.put_agency(conn, Agency(agency, agency, agency[:2]), T)
        for unit in ("us.dea.sod", "mx.semar.pn"):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
    store.write([build_record(r["id"], "Person", r["properties"],
                              Provenance(r["origin"], r["author"], T),
                              Marking.from_dict(r["marking"]),
                              {p: Marking.from_dict(m) for p, m in r.get("portions", {}).items()},
                              keyer=TEST_KEYER) for r in DATA["records"]])
    words = query_tokens("garcia")
    seen = {}
    for who in (PN, SOD):
        whole = facets.facets(store, who, NOW, "garcia")
        every = [r.id for r in store.search(who, NOW, "garcia")]
        seen[who.unit] = (every, whole.counts)
        for limit in (2, 10):  # pages across the ranks; one page of all
            after = None
            pages = []
            while True:
                read = facets.search_faceted(store, who, NOW, "garcia", None, after, limit)
                plain = store.search(who, NOW, "garcia", None, after, limit)
                assert [r.id for r in read.records] == [r.id for r in plain]
                assert read.facets == whole  # the search's facets, on every page
                pages += [r.id for r in read.records]
                if len(read.records) < limit:
                    break
                last = read.records[-1]
                after = (rank_of(last, words), last.id)
            assert pages == every
    # each viewer's hidden record or portion is absent from its results and its counts
    assert seen["mx.semar.pn"][0] == ["g-6", "g-1", "g-2", "g-5", "g-3"]
    assert seen["us.dea.sod"][0] == ["g-4", "g-6", "g-1", "g-2", "g-5", "g-7", "g-3"]
    assert dict(seen["mx.semar.pn"][1]["country"]) == {"co": 1, "mx": 3, "us": 1}
    assert dict(seen["us.dea.sod"][1]["country"]) == {"co": 1, "gt": 1, "mx": 3, "us": 1}


def test_search_faceted_audit_entries(store: Store) -> None:
    with store.transaction() as conn:
        parties.put_agency(conn, Agency("us.dea", "us.dea", "us"), T)
        parties.put_unit(conn, Unit("us.dea.sod", "us.dea", "us.dea.sod"), T)
    store.write([build_record("g-1", "Person", {"name": ["Garcia Luna"]},
                              Provenance("us.dea", "us.dea.sod", T), Marking.from_dict(
                                  {"tlp": "GREEN"}), keyer=TEST_KEYER)])
    with store.reading() as conn:
        before = len(audit_log.entries(conn, limit=100_000))
    read = facets.search_faceted(store, SOD, NOW, "garcia", surface="api")
    with store.reading() as conn:
        logged = [e.event() for e in audit_log.entries(conn, limit=100_000)[before:]]
    assert [e.kind for e in logged] == ["search.query", "record.read", "aggregate.read"]
    assert logged[1].entity_id == "g-1"  # type: ignore[attr-defined]
    aggregate = logged[2]
    assert (aggregate.path, aggregate.record_count) == ("api", 1)  # type: ignore[attr-defined]
    assert (read.facets.matched, read.facets.complete) == (1, True)
