"""The audit log read back through the asker's policy (store/audit_query.py), on every backend.

Each test plays a finding of issue #13 against ``who_saw``: an entry is shown to a unit
whole (its own unit's), reduced (to the record's originating agency, or its own unit
when a field may count hidden changes), or not at all, and nothing hidden from the
asker — a statement id, another unit's activity, an analyst's name, a search's
text — reaches it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from statement_keys import TEST_KEYER
from tearline.audit.commitments import opens
from tearline.audit.events import SearchQuery
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Agreement, Analyst, Unit
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import audit_log, audit_query, edits, parties
from tearline.store.audit_query import Shown
from tearline.store.marking_changes import set_marking
from tearline.store.store import Store

WORLD = Path(__file__).parent / "data" / "audit_views_world.json"
T = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
AT = T + timedelta(hours=1)
SOD = Subject("us.dea.sod", "us.dea")
BOB = Subject("us.dea.sod", "us.dea", "bob@us.dea.sod")
SDFD = Subject("us.dea.sdfd", "us.dea")
LEE = Subject("us.dea.sdfd", "us.dea", "lee@us.dea.sdfd")
UIE = Subject("mx.semar.uie", "mx.semar")
ANA = Subject("mx.semar.uie", "mx.semar", "ana@mx.semar.uie")
PN = Subject("mx.semar.pn", "mx.semar")
FEMDO = Subject("mx.fgr.femdo", "mx.fgr")


def records() -> list[Record]:
    world = json.loads(WORLD.read_text(encoding="utf-8"))
    return [build_record(r["id"], r["schema"], r["properties"],
                         Provenance(r["origin"], r["author"], T), Marking.from_dict(r["marking"]),
                         {p: Marking.from_dict(m) for p, m in r.get("portions", {}).items()},
                         keyer=TEST_KEYER)
            for r in world["records"]]


def seed(store: Store, by: str | None = None) -> None:
    world = json.loads(WORLD.read_text(encoding="utf-8"))
    with store.transaction() as conn:
        for a in world["agencies"]:
            parties.put_agency(conn, Agency(a["id"], a["id"], a["country"]), T)
        for u in world["units"]:
            parties.put_unit(conn, Unit(u["id"], u["agency"], u["id"]), T)
        for a in world["analysts"]:
            parties.put_analyst(conn, Analyst(a["id"], a["unit"], a["id"]), T)
        for a in world["agreements"]:
            parties.put_agreement(conn, Agreement(a["id"], a["id"], a["kind"],
                                                  frozenset(a["parties"])), T)
    store.write(records(), by=by)


def who_saw(store: Store, subject: Subject, **filters: Any) -> list[Shown]:
    with store.transaction() as conn:
        return audit_query.who_saw(conn, subject, AT, **filters)


def as_text(shown: list[Shown]) -> str:
    return json.dumps([s.row() for s in shown], sort_keys=True)


def statement_ids(entity_id: str, prop: str) -> set[str]:
    record = next(r for r in records() if r.id == entity_id)
    return {s.id for s in record.statements if s.prop == prop}


def test_ids_of_a_hidden_portion_reach_no_other_unit(store: Store) -> None:
    """Finding 1: the RED birth date of us.dea.sod never shows to us.dea.sdfd."""
    seed(store)
    hidden, name = statement_ids("p-dea", "birthDate"), statement_ids("p-dea", "name")
    assert {s.prop for s in store.read(SOD, AT, "p-dea").statements} == {"name", "birthDate"}
    assert {s.prop for s in store.read(SDFD, AT, "p-dea").statements} == {"name"}
    with store.transaction() as conn:  # a re-marking of the hidden portion alone
        set_marking(conn, SOD, "p-dea", "birthDate",
                    Marking.build("RED", ["unit:us.dea.sod"], caveats=["NOFORN"]), AT)
    store.read(BOB, AT, "p-dea")  # bob opens the record: he is shown the birth date

    seen = [s for s in who_saw(store, SDFD, entity_id="p-dea")
            if s.view.actor != "unit:us.dea.sdfd"]  # its own read above
    assert not any(h in as_text(seen) for h in hidden)
    assert "bob" not in as_text(seen)
    assert [(s.view.kind, s.view.actor, s.view.form, s.view.detail.get("statement_ids"))
            for s in seen] == [
        ("record.created", "unit:us.dea.sod", "reduced", sorted(name)),
        ("record.read", "unit:us.dea.sod", "reduced", sorted(name)),  # sod's own read
        ("record.read", "unit:us.dea.sod", "reduced", sorted(name)),  # bob's, as his unit
    ]
    # A reduced entry carries no index and no leaf hash (they would commit to what was cut),
    # and no version (it counts changes the asker may not see).
    assert all(s.index is None and s.leaf_hash is None for s in seen)
    assert all("version" not in s.view.detail for s in seen)
    assert seen[2].view.detail == {"subject": "unit:us.dea.sod", "path": "show",
                                   "statement_ids": sorted(name)}
    # The unit that holds the portion sees its own entries whole, with what it was shown.
    own = who_saw(store, SOD, entity_id="p-dea")
    assert [(s.view.kind, s.view.actor, s.view.form) for s in own] == [
        ("record.created", "unit:us.dea.sod", "whole"),
        ("record.read", "unit:us.dea.sod", "whole"),
        ("record.read", "unit:us.dea.sdfd", "reduced"),  # a sibling's opening read
        ("marking.changed", "unit:us.dea.sod", "whole"),
        ("record.read", "analyst:bob@us.dea.sod", "whole")]
    assert hidden <= set(own[3].view.detail["statement_ids"])
    assert hidden <= set(own[4].view.detail["statement_ids"])


def test_own_entries_are_whole_with_their_leaf(store: Store) -> None:
    seed(store, by=str(SOD))
    store.read(SOD, AT, "p-dea")
    shown = who_saw(store, SOD, entity_id="p-dea")
    assert [(s.view.kind, s.view.form) for s in shown] == [
        ("record.created", "whole"), ("record.read", "whole")]
    with store.reading() as conn:
        for s in shown:
            assert s.index is not None
            entry = audit_log.entry(conn, s.index)
            assert s.leaf_hash == entry.leaf.hex()
            assert s.view.detail == {k: v for k, v in json.loads(entry.body).items()
                                     if k not in ("v", "kind", "at", "actor", "entity_id")}


def test_activity_about_no_record_stays_with_its_unit(store: Store) -> None:
    """Finding 5: unvetted mx.semar.pn sees nothing of vetted mx.semar.uie's activity."""
    seed(store)
    for subject in (ANA, PN):
        store.search(subject, AT, "Ovidio Zambada")
        store.stats(subject, AT)
    def about_no_record(subject: Subject, **filters: Any) -> list[tuple[str, str, str]]:
        return [(s.view.kind, s.view.actor, s.view.form) for s in who_saw(store, subject, **filters)
                if s.view.entity_id is None]

    assert about_no_record(PN) == [("search.query", "unit:mx.semar.pn", "whole"),
                                   ("aggregate.read", "unit:mx.semar.pn", "whole")]
    # Nothing of uie's, however the question is put (its own questions above included).
    assert about_no_record(PN, actor="analyst:ana@mx.semar.uie") == []
    assert about_no_record(PN, actor="unit:mx.semar.uie") == []
    assert about_no_record(ANA) == [
        ("search.query", "analyst:ana@mx.semar.uie", "whole"),
        ("aggregate.read", "analyst:ana@mx.semar.uie", "whole")]
    # Its questions stay its own too.
    assert about_no_record(PN)[-1] == ("audit.queried", "unit:mx.semar.pn", "whole")


def test_equal_searches_give_unlinkable_commitments(store: Store) -> None:
    """Finding 5: the same text searched twice commits differently; the salt opens both."""
    seed(store)
    store.search(ANA, AT, "Ovidio Zambada")
    store.search(PN, AT, "Ovidio Zambada")
    store.search(PN, AT, "Ovidio Zambada")
    with store.reading() as conn:
        salt = audit_log.salt(conn)
        searches = [e.event() for e in audit_log.entries(conn, limit=10_000)
                    if e.kind == "search.query"]
    assert len(searches) == 3 and all(isinstance(e, SearchQuery) for e in searches)
    assert len({e.query_commitment for e in searches}) == 3  # type: ignore[attr-defined]
    assert all(opens(salt, e, "Ovidio Zambada") for e in searches)
    assert not any(opens(salt, e, "Ovidio Zambada Ortiz") for e in searches)


def test_an_originator_learns_openings_at_unit_level_never_searches(store: Store) -> None:
    """Finding 6: a planted record tells its planter nothing of a DEA analyst's search."""
    seed(store)
    assert [r.id for r in store.search(BOB, AT, "Ovidio Zambada")] == ["p-planted"]
    store.page(BOB, AT)
    store.seizure_frame(BOB, AT)
    with store.transaction() as conn:  # the DEA asks who saw the record
        audit_query.who_saw(conn, BOB, AT, entity_id="p-planted")
    planter = who_saw(store, UIE, entity_id="p-planted")
    assert [(s.view.kind, s.view.actor) for s in planter] == [
        ("record.created", "unit:mx.semar.uie")]
    assert "us.dea" not in as_text(planter)

    store.read(BOB, AT, "p-planted")  # opening the record is what its originator learns
    opened = who_saw(store, UIE, entity_id="p-planted")[-1]
    assert (opened.view.kind, opened.view.actor, opened.view.form) == (
        "record.read", "unit:us.dea.sod", "reduced")
    assert opened.view.detail["subject"] == "unit:us.dea.sod"
    assert opened.view.detail["path"] == "show" and "bob" not in as_text([opened])
    assert who_saw(store, UIE, actor="analyst:bob@us.dea.sod") == []
    assert [s.view.kind for s in who_saw(store, UIE, actor="unit:us.dea.sod")] == [
        "record.read"]
    # The reader's own unit sees all of its own reads of it, whole, analyst named.
    mine = who_saw(store, SOD, entity_id="p-planted")
    assert [(s.view.actor, s.view.detail["path"]) for s in mine
            if s.view.kind == "record.read"] == [
        ("analyst:bob@us.dea.sod", "search"), ("analyst:bob@us.dea.sod", "list"),
        ("analyst:bob@us.dea.sod", "show")]
    # Another agency's unit that reads nothing of it sees nothing of it.
    assert who_saw(store, FEMDO, entity_id="p-planted") == []


def test_writes_name_who_wrote(store: Store) -> None:
    """Finding 7: a create names its analyst, an amendment the amender, not the record's."""
    seed(store, by=str(BOB))
    edits.amend(store, LEE, Provenance("us.dea", "us.dea.sdfd", AT), "p-dea",
                {"alias": ["El Chapo"]})
    edits.amend(store, ANA, Provenance("mx.semar", "mx.semar.uie", AT), "p-planted",
                {"alias": ["El Mayito Flaco"]})
    with store.reading() as conn:
        writes = [(e.kind, e.entity_id, e.actor) for e in audit_log.entries(conn, limit=10_000)
                  if e.kind.startswith("record.") and e.kind != "record.read"]
    assert writes == [
        ("record.created", "p-dea", "analyst:bob@us.dea.sod"),
        ("record.created", "p-planted", "analyst:bob@us.dea.sod"),
        ("record.updated", "p-dea", "analyst:lee@us.dea.sdfd"),
        ("record.updated", "p-planted", "analyst:ana@mx.semar.uie"),
    ]
    # The amender's own update is shown to it without the version (which counts changes
    # it may not see); to the originator's other units at unit level.
    lee = [s for s in who_saw(store, LEE, entity_id="p-dea") if s.view.kind == "record.updated"]
    assert [(s.view.actor, s.view.form) for s in lee] == [("analyst:lee@us.dea.sdfd", "reduced")]
    assert "version" not in lee[0].view.detail
    sod = [s for s in who_saw(store, SOD, entity_id="p-dea") if s.view.kind == "record.updated"]
    assert [s.view.actor for s in sod] == ["unit:us.dea.sdfd"]


def test_the_oversight_sees_every_entry_whole(store: Store) -> None:
    seed(store)
    store.search(ANA, AT, "Ovidio Zambada")
    store.read(BOB, AT, "p-dea")
    with store.transaction() as conn:
        size = audit_log.size(conn)
        every = audit_query.oversee(conn, limit=10_000)
    assert [s.index for s in every] == list(range(size))
    assert all(s.view.form == "whole" for s in every)
    assert {"analyst:ana@mx.semar.uie", "analyst:bob@us.dea.sod"} <= {
        s.view.actor for s in every}
    with store.reading() as conn:  # the question is on record, by the node itself
        assert audit_log.entry(conn, size).actor == "system"
