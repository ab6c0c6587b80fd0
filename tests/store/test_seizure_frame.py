"""The seizure frame read through the policy: each unit's totals are those of what it may see.

Expected totals are computed independently, with the pure :class:`Evaluator` over the
same records and the same choice rule (the originator's value first), and compared
with the totals DuckDB computes over the frame the store's SQL query returns.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from statement_keys import TEST_KEYER
from tearline.analysis.totals import totals
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Agreement, Unit, Vetting
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance, Statement
from tearline.policy.evaluator import Evaluator
from tearline.policy.subject import Subject, VettingFacts
from tearline.store import parties
from tearline.store.seizures import read_seizure_table
from tearline.store.store import Store
from tearline.store.visibility import Visibility

AT = datetime(2024, 5, 3, 12, 0, tzinfo=UTC)
YEAR = timedelta(days=365)
SOD = Subject("us.dea.sod", "us.dea")
UIE = Subject("mx.semar.uie", "mx.semar")  # vetted by us.dea
PN = Subject("mx.semar.pn", "mx.semar")  # not vetted
VETTING = Vetting("vetting:uie", "us.dea", "mx.semar.uie", AT - timedelta(days=400),
                  AT + timedelta(days=400))  # fmt: skip

DEA = Provenance("us.dea", "us.dea.sod", AT - timedelta(days=30), Reliability.A,
                 Credibility.CONFIRMED)  # fmt: skip
BASIS = "us-mx/bicentennial-framework-2021"
SEMAR = Provenance("mx.semar", "mx.semar.uie", AT - timedelta(days=20))


def _seizure(eid: str, prov: Provenance, marking: Marking, drug: str, kg: str, origin: str,
             day: str, portions: dict[str, Marking] | None = None) -> Record:  # fmt: skip
    props = {"drug": [drug], "grossWeight": [kg], "originCountry": [origin], "date": [day],
             "region": ["Southwest"]}  # fmt: skip
    return build_record(eid, "Seizure", props, prov, marking, portions=portions, synthetic=True,
                        keyer=TEST_KEYER)


def _with_statement(rec: Record, prop: str, value: str, prov: Provenance) -> Record:
    extra = Statement(rec.id, rec.schema, prop, value, prov.origin, prov.author, prov.seen_at,
                      prov.seen_at,
                      id=TEST_KEYER(rec.id, prop, value, prov.origin, prov.author))  # fmt: skip
    return replace(rec, statements=(*rec.statements, extra))


def records() -> list[Record]:
    red_sod = Marking.build("RED", ["unit:us.dea.sod"])
    vetted = Marking.build("AMBER", ["vetted-by:us.dea"], legal_basis=BASIS)
    return [
        _seizure("sz-1", DEA, Marking.build("CLEAR"), "fentanyl", "10", "mx", "2023-01-05"),
        _seizure("sz-2", DEA, vetted, "fentanyl", "20", "cn", "2023-02-10"),
        _seizure("sz-3", DEA, Marking.build("AMBER+STRICT"), "fentanyl", "40", "mx", "2023-03-01"),
        # the weight is a portion RED to us.dea.sod: others see the seizure, not its weight
        _seizure("sz-4", DEA, Marking.build("GREEN"), "fentanyl", "5", "mx", "2023-03-07",
                 portions={"grossWeight": red_sod}),  # fmt: skip
        # two agencies give a weight: the originator's (mx.semar, 7 kg) counts
        _with_statement(
            _seizure("sz-5", SEMAR, Marking.build("AMBER", ["agency:us.dea"], legal_basis=BASIS),
                     "methamphetamine", "7", "mx", "2023-04-01"),  # fmt: skip
            "grossWeight", "8", DEA,
        ),
        _seizure("sz-6", SEMAR, Marking.build("RED", ["unit:mx.semar.uie"]), "cocaine", "3",
                 "co", "2023-05-01"),  # fmt: skip
        _seizure("sz-7", SEMAR, Marking.build("GREEN"), "fentanyl", "2", "mx", "2023-06"),
        build_record("person-1", "Person", {"name": ["Not A Seizure"]}, DEA,
                     Marking.build("CLEAR"), keyer=TEST_KEYER),  # fmt: skip
    ]


def _chosen(rec: Record, visible: list[Statement], prop: str) -> str | None:
    candidates = [s for s in visible if s.prop == prop]
    candidates.sort(key=lambda s: (s.origin != rec.originator, s.first_seen, s.id))
    return candidates[0].value if candidates else None


def expected(subject: Subject, recs: list[Record]) -> dict[str, tuple[int, Decimal]]:
    """Events and kilograms per drug over the statements the pure evaluator releases."""
    evaluator = Evaluator(subject, AT, VettingFacts.of([VETTING]))
    out: dict[str, tuple[int, Decimal]] = {}
    for rec in recs:
        if rec.schema != "Seizure":
            continue
        visible = evaluator.visible_statements(rec)
        drug, day = _chosen(rec, visible, "drug"), _chosen(rec, visible, "date")
        if drug is None or day is None:
            continue
        kg = _chosen(rec, visible, "grossWeight")
        events, total = out.get(drug, (0, Decimal(0)))
        out[drug] = (events + 1, total + (Decimal(kg) if kg else Decimal(0)))
    return out


def _stored(store: Store) -> list[Record]:
    recs = records()
    with store.transaction() as conn:
        for agency, country in (("us.dea", "us"), ("mx.semar", "mx")):
            parties.put_agency(conn, Agency(agency, agency.upper(), country), AT - YEAR)
        for subject in (SOD, UIE, PN):
            parties.put_unit(conn, Unit(subject.unit, subject.agency, subject.unit), AT - YEAR)
        parties.put_agreement(
            conn, Agreement(BASIS, "Framework", "bilateral", frozenset({"us.dea", "mx.semar"})),
            AT - YEAR,
        )
        parties.put_vetting(conn, VETTING, AT - YEAR, "admin@us.dea.sod")
    store.write(recs)
    return recs


def actual(store: Store, subject: Subject) -> dict[str, tuple[int, Decimal]]:
    frame = store.seizure_frame(subject, AT)
    return {
        str(g.key[0]): (g.events, Decimal(repr(g.kg)))
        for g in totals(frame, ("drug",)).groups
    }


def test_each_unit_gets_the_totals_of_what_it_may_see(store: Store) -> None:
    recs = _stored(store)
    results = {s.unit: actual(store, s) for s in (SOD, UIE, PN)}
    for subject in (SOD, UIE, PN):
        assert results[subject.unit] == expected(subject, recs), subject
    assert len({repr(sorted(r.items())) for r in results.values()}) == 3
    assert results["us.dea.sod"]["fentanyl"] == (5, Decimal(77))
    assert results["mx.semar.uie"]["fentanyl"] == (4, Decimal(32))
    assert results["mx.semar.pn"]["fentanyl"] == (3, Decimal(12))


def test_a_hidden_weight_portion_is_not_counted(store: Store) -> None:
    _stored(store)
    frame = store.seizure_frame(UIE, AT)
    rows = {r["entity_id"]: r for r in frame.table.to_pylist()}
    assert rows["sz-4"]["gross_kg"] is None  # the seizure exists for uie, its weight does not
    assert store.seizure_frame(SOD, AT).table.to_pylist()[3]["gross_kg"] == 5.0


def test_the_originators_value_comes_first(store: Store) -> None:
    _stored(store)
    for subject in (SOD, UIE):
        rows = {r["entity_id"]: r for r in store.seizure_frame(subject, AT).table.to_pylist()}
        assert rows["sz-5"]["gross_kg"] == 7.0


def test_the_frame_is_dictionary_encoded_and_partial_dates_are_placed(store: Store) -> None:
    _stored(store)
    frame = store.seizure_frame(PN, AT)
    assert str(frame.table.schema.field("drug").type).startswith("dictionary")
    rows = {r["entity_id"]: r for r in frame.table.to_pylist()}
    assert sorted(rows) == ["sz-1", "sz-4", "sz-5", "sz-7"]
    assert rows["sz-7"]["date"].isoformat() == "2023-06-01"
    assert frame.synthetic_rows == 4


# -- values stored before ingest checked them never make a report fail ---------------------


def _raw(rec: Record, prop: str, value: str) -> Record:
    """``rec`` with a statement built directly, as an older version or a peer may have."""
    return _with_statement(rec, prop, value, DEA)


def legacy() -> list[Record]:
    clear = Marking.build("CLEAR")
    bare = {"drug": ["fentanyl"], "originCountry": ["mx"], "date": ["2023-01-05"]}
    undated = {"drug": ["fentanyl"], "grossWeight": ["4"]}
    return [
        _raw(build_record("old-abc", "Seizure", bare, DEA, clear,
                          keyer=TEST_KEYER), "grossWeight", "abc"),
        _raw(build_record("old-neg", "Seizure", bare, DEA, clear,
                          keyer=TEST_KEYER), "grossWeight", "-5"),
        _raw(build_record("old-lb", "Seizure", bare, DEA, clear,
                          keyer=TEST_KEYER), "grossWeight", "3 lb"),
        _raw(_raw(build_record("old-pos", "Seizure", {**bare, "grossWeight": ["2"]}, DEA, clear,
                          keyer=TEST_KEYER),
                  "latitude", "200"), "longitude", "west"),
        _raw(build_record("old-date", "Seizure", undated, DEA, clear,
                          keyer=TEST_KEYER), "date", "2023-02-30"),
        _raw(build_record("old-year", "Seizure", undated, DEA, clear,
                          keyer=TEST_KEYER), "date", "12"),
    ]


def test_stored_values_a_report_cannot_use_are_left_out(store: Store) -> None:
    _stored(store)
    store.write(legacy())
    rows = {r["entity_id"]: r for r in store.seizure_frame(SOD, AT).table.to_pylist()}
    assert {k: rows[k]["gross_kg"] for k in rows if k.startswith("old-")} == {
        "old-abc": None, "old-neg": None, "old-lb": 1.36077711, "old-pos": 2.0}
    assert (rows["old-pos"]["latitude"], rows["old-pos"]["longitude"]) == (None, None)
    with store.reading() as conn:
        read = read_seizure_table(conn, Visibility(SOD, AT))
    assert read.unusable == (
        ("old-abc", "gross_kg"), ("old-date", "date"), ("old-neg", "gross_kg"),
        ("old-pos", "latitude"), ("old-pos", "longitude"), ("old-year", "date"))
    assert read.unplaced == 2
    # the figures' audit names only the statements they used
    used = {r.entity_id: r.statement_ids for r in read.reads}
    weights = {s.id for rec in legacy() for s in rec.statements if s.prop == "grossWeight"}
    assert not weights & set(used["old-abc"]) and weights & set(used["old-lb"])
