"""Small generated worlds for the policy tests: parties, vettings, records with portions
and contributions from other agencies, relationships (whose ends may be relationships:
chains and cycles), notes on any of them, releases, consents and times.

A world is written to a store with :func:`write_world` and judged by the pure
evaluator with :func:`evaluator`; the tests compare both answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st
from sqlalchemy import delete

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking, Selector, Tlp
from tearline.model.parties import Agency, Agreement, Unit, Vetting
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.evaluator import Evaluator
from tearline.policy.release import Consent, Release, ReleaseFacts
from tearline.policy.subject import Subject, VettingFacts
from tearline.store import parties
from tearline.store import release_tables as rt
from tearline.store import tables as t
from tearline.store.store import Store

T0 = datetime(2024, 1, 1, tzinfo=UTC)
AGENCIES = ("us.dea", "mx.semar", "mx.fgr")
UNITS = ("us.dea.a", "us.dea.b", "mx.semar.a", "mx.semar.b", "mx.fgr.a")
BASIS = "agr-1"
NAMES = ("alpha", "bravo", "charlie", "delta")
SELECTORS = tuple(
    [f"agency:{a}" for a in AGENCIES]
    + [f"unit:{u}" for u in UNITS]
    + [f"vetted-by:{a}" for a in AGENCIES]
)


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def agency_of(unit: str) -> str:
    return unit.rsplit(".", 1)[0]


def subjects() -> list[Subject]:
    return [Subject(u, agency_of(u)) for u in UNITS]


@dataclass
class World:
    records: list[Record] = field(default_factory=list)
    #: every write: the first of each id makes the record, later ones add statements
    writes: list[Record] = field(default_factory=list)
    vettings: list[Vetting] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)

    def by_id(self) -> dict[str, Record]:
        return {r.id: r for r in self.records}


@st.composite
def markings(draw: st.DrawFn, origin: str, at_least: Tlp = Tlp.CLEAR) -> Marking:
    tlp = draw(st.sampled_from([x for x in Tlp if x.rank >= at_least.rank]))
    sel = draw(st.frozensets(st.sampled_from(SELECTORS), max_size=3))
    if tlp is Tlp.RED:
        sel = frozenset(s for s in sel if s.startswith("unit:"))
    expires = draw(st.none() | st.integers(1, 9).map(day))
    basis = draw(st.sampled_from([None, BASIS]))
    mk = Marking.build(tlp, sel, orcon=draw(st.booleans()) and tlp not in (Tlp.CLEAR, Tlp.GREEN),
                       legal_basis=basis, expires_at=expires)
    if mk.basis_problem(origin):
        mk = Marking.build(tlp, sel, orcon=mk.orcon, legal_basis=BASIS, expires_at=expires)
    return mk


def _prov(unit: str) -> Provenance:
    return Provenance(agency_of(unit), unit, T0)


@st.composite
def worlds(draw: st.DrawFn) -> World:
    w = World()
    for n in range(draw(st.integers(0, 3))):
        unit = draw(st.sampled_from(UNITS))
        by = draw(st.sampled_from([a for a in AGENCIES if a != agency_of(unit)]))
        start = draw(st.integers(0, 6))
        end = draw(st.integers(start + 1, 10))
        revoked = draw(st.none() | st.integers(0, 10).map(day))
        w.vettings.append(Vetting(f"vet-{n}", by, unit, day(start), day(end), revoked))
    persons = []
    for n in range(draw(st.integers(1, 4))):
        unit = draw(st.sampled_from(UNITS))
        origin = agency_of(unit)
        mk = draw(markings(origin))
        props = {"name": draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=2,
                                       unique=True)),
                 "nationality": draw(st.lists(st.sampled_from(["mx", "us"]), max_size=1))}
        portions = {}
        if draw(st.booleans()):
            portions["nationality"] = draw(markings(origin, mk.tlp))
        rec = build_record(f"p{n}", "Person", props, _prov(unit), mk, portions, keyer=TEST_KEYER)
        w.writes.append(rec)
        persons.append(rec)
        if draw(st.booleans()):  # another unit adds an alias under its own marking (or none)
            other = draw(st.sampled_from(UNITS))
            portion = draw(st.none() | markings(agency_of(other)))
            add = build_record(f"p{n}", "Person", {"name": [draw(st.sampled_from(NAMES))]},
                               _prov(other), Marking.build("CLEAR"),
                               {"name": portion} if portion else None, keyer=TEST_KEYER)
            w.writes.append(add)
    # Relationships whose ends may be persons, other relationships (earlier or later:
    # chains and cycles), several values, or an id never written; an end may carry its
    # own portion. Notes name any of these, with or without a value of their own.
    n_links = draw(st.integers(0, 3))
    link_ids = [f"l{n}" for n in range(n_links)]
    targets = [p.id for p in persons] + link_ids + ["ghost"]
    for n in range(n_links):
        unit = draw(st.sampled_from(UNITS))
        mk = draw(markings(agency_of(unit)))
        a = draw(st.sampled_from(persons)).id
        objects = draw(st.lists(st.sampled_from(targets), min_size=1, max_size=2, unique=True))
        portions = {"object": draw(markings(agency_of(unit), mk.tlp))} if draw(
            st.booleans()) else None
        w.writes.append(build_record(f"l{n}", "UnknownLink",
                                     {"subject": [a], "object": objects,
                                      "role": [draw(st.sampled_from(NAMES))]},
                                     _prov(unit), mk, portions, keyer=TEST_KEYER))
    note_ids = [f"n{n}" for n in range(draw(st.integers(0, 2)))]
    for note_id in note_ids:
        unit = draw(st.sampled_from(UNITS))
        mk = draw(markings(agency_of(unit)))
        props = {"entity": draw(st.lists(st.sampled_from(targets + note_ids), min_size=1,
                                         max_size=2, unique=True))}
        portions = None
        if draw(st.booleans()):  # a value of its own, perhaps hidden from some
            props["description"] = [draw(st.sampled_from(NAMES))]
            if draw(st.booleans()):
                portions = {"description": draw(markings(agency_of(unit), mk.tlp))}
        w.writes.append(build_record(note_id, "Note", props, _prov(unit), mk, portions,
                                     keyer=TEST_KEYER))
    merged: dict[str, Record] = {}
    for rec in w.writes:
        if rec.id in merged:
            first = merged[rec.id]
            merged[rec.id] = Record(first.id, first.schema, first.originator, first.author,
                                    first.marking, first.statements + rec.statements,
                                    created_at=first.created_at, modified_at=first.modified_at)
        else:
            merged[rec.id] = rec
    w.records = list(merged.values())
    for n in range(draw(st.integers(0, 3))):
        rec = draw(st.sampled_from(w.records))
        by_unit = draw(st.sampled_from(UNITS))
        to = Selector.parse(draw(st.sampled_from(SELECTORS)))
        to_agency = (to.value if to.kind.value == "agency" else
                     agency_of(to.value) if to.kind.value == "unit" else None)
        items = draw(st.frozensets(st.sampled_from([s.id for s in rec.statements])))
        at = day(draw(st.integers(0, 6)))
        revoked = draw(st.none() | st.integers(0, 10).map(day))
        w.releases.append(Release(f"rel-{n}", rec.id, by_unit, agency_of(by_unit), to,
                                  to_agency, draw(st.sampled_from([None, BASIS])), at, items,
                                  revoked))
    for n in range(draw(st.integers(0, 2))):
        rec = draw(st.sampled_from(w.records))
        origin = draw(st.sampled_from(sorted({s.origin for s in rec.statements})))
        to_agency = draw(st.sampled_from([a for a in AGENCIES if a != origin]))
        withdrawn = draw(st.none() | st.integers(0, 10).map(day))
        w.consents.append(Consent(f"con-{n}", rec.id, origin, to_agency,
                                  day(draw(st.integers(0, 6))), withdrawn))
    return w


def clear(store: Store) -> None:
    with store.transaction() as conn:
        for table in reversed(t.metadata.sorted_tables):
            if table.name in {r.name for r in (t.records, t.statements, t.markings,
                                               t.marking_selectors, t.tokens, t.agencies,
                                               t.units, t.agreements, t.vettings,
                                               t.vetting_revocations, rt.releases,
                                               rt.release_items, rt.release_revocations,
                                               rt.consents, rt.consent_withdrawals,
                                               rt.marking_changes)}:
                conn.execute(delete(table))


def write_world(store: Store, w: World) -> None:
    clear(store)
    with store.transaction() as conn:
        for agency in AGENCIES:
            parties.put_agency(conn, Agency(agency, agency.upper(), "mx"), T0)
        for unit in UNITS:
            parties.put_unit(conn, Unit(unit, agency_of(unit), unit), T0)
        parties.put_agreement(conn, Agreement(BASIS, "An agreement", "bilateral",
                                              frozenset(AGENCIES)), T0)
        for v in w.vettings:
            parties.put_vetting(conn, v, T0, "test")
            if v.revoked_at is not None:
                conn.execute(t.vetting_revocations.insert().values(
                    vetting_id=v.id, revoked_at=t.ts(v.revoked_at), recorded_by="test"))
        for rel in w.releases:
            conn.execute(rt.releases.insert().values(
                id=rel.id, entity_id=rel.entity_id, by_unit=rel.by_unit,
                by_agency=rel.by_agency, to_kind=rel.to.kind.value, to_value=rel.to.value,
                to_agency=rel.to_agency, basis=rel.basis, released_at=t.ts(rel.at),
                recorded_by="test"))
            if rel.items:
                conn.execute(rt.release_items.insert(), [
                    {"release_id": rel.id, "statement_id": i} for i in sorted(rel.items)])
            if rel.revoked_at is not None:
                conn.execute(rt.release_revocations.insert().values(
                    release_id=rel.id, revoked_at=t.ts(rel.revoked_at), recorded_by="test",
                    reason="test"))
        for c in w.consents:
            conn.execute(rt.consents.insert().values(
                id=c.id, entity_id=c.entity_id, by_agency=c.by_agency, to_agency=c.to_agency,
                granted_at=t.ts(c.at), recorded_by="test"))
            if c.withdrawn_at is not None:
                conn.execute(rt.consent_withdrawals.insert().values(
                    consent_id=c.id, withdrawn_at=t.ts(c.withdrawn_at), recorded_by="test"))
    for rec in w.writes:
        store.write([rec])


def evaluator(w: World, subject: Subject, at: datetime) -> Evaluator:
    return Evaluator(subject, at, VettingFacts.of(w.vettings),
                     ReleaseFacts.of(w.releases, w.consents))
