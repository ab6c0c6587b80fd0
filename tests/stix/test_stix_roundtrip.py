"""Record → STIX → record is the identity, statement by statement, markings and portions too."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stix_checks import assert_valid

from statement_keys import TEST_KEYER
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking, Tlp
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.stix import from_stix, to_stix

_ids = itertools.count()
NOW = datetime(2024, 5, 3, 12, 0, tzinfo=UTC)
UNITS = ["us.dea.sod", "mx.semar.uie", "mx.fgr.fecor"]
names = (
    st.text(alphabet=st.characters(codec="utf-8", categories=("L", "Zs")), min_size=2,
            max_size=40).map(str.strip).filter(lambda s: len(s) > 1)
)
selectors = st.sampled_from(
    ["agency:us.dea", "agency:mx.semar", "unit:mx.semar.uie", "vetted-by:us.dea",
     "unit:mx.fgr.fecor"]
)


@st.composite
def markings(draw: st.DrawFn) -> Marking:
    tlp = draw(st.sampled_from(list(Tlp)))
    sel = draw(st.frozensets(selectors, max_size=3))
    if tlp is Tlp.RED:
        sel = frozenset(s for s in sel if s.startswith("unit:"))
    basis = draw(st.sampled_from([None, "us-mx-2021", "MLAT-2024-17"]))
    return Marking.build(
        tlp=tlp,
        releasable_to=sel,
        orcon=draw(st.booleans()) and tlp not in (Tlp.CLEAR, Tlp.GREEN),
        legal_basis=basis or ("us-mx-2021" if sel else None),
        caveats=draw(st.frozensets(st.sampled_from(["NOFORN", "LES", "PROPIN"]), max_size=2)),
        expires_at=draw(st.none() | st.integers(-400, 400).map(
            lambda d: NOW + timedelta(days=d, microseconds=d))),
    )


@st.composite
def records(draw: st.DrawFn) -> Record:
    unit = draw(st.sampled_from(UNITS))
    agency = unit.rsplit(".", 1)[0]
    prov = Provenance(
        agency, unit, NOW - timedelta(seconds=draw(st.integers(0, 10**8)),
                                      microseconds=draw(st.integers(0, 999_999))),
        draw(st.sampled_from(list(Reliability))), draw(st.sampled_from(list(Credibility))),
    )
    props = {
        "name": draw(st.lists(names, min_size=1, max_size=3)),
        "birthDate": draw(st.lists(st.dates(date(1900, 1, 1), date(2024, 1, 1)).map(str),
                                   max_size=2)),
        "nationality": draw(st.lists(st.sampled_from(["Mexico", "mx", "us", "Colombia"]),
                                     max_size=2)),
        "phone": draw(st.lists(st.sampled_from(["+52 667 123 4567", "+1 915 555 0134"]),
                               max_size=1)),
        "topics": draw(st.lists(st.sampled_from(["crime.traffick.drug", "role.pep"]),
                                max_size=1)),
    }
    marking = draw(markings())
    portions = {}
    for prop in draw(st.sets(st.sampled_from(["name", "birthDate", "phone"]))):
        stricter = draw(markings())
        if stricter.tlp.rank >= marking.tlp.rank:
            portions[prop] = stricter
    rid = draw(st.from_regex(r"[a-z][a-z0-9-]{3,20}", fullmatch=True))
    schema = draw(st.sampled_from(["Person", "Person", "Organization"]))
    if schema == "Organization":
        props = {k: v for k, v in props.items() if k in ("name", "phone", "topics")}
    record = build_record(f"{rid}-{next(_ids)}", schema, props, prov, marking, portions,
                          synthetic=draw(st.booleans()), keyer=TEST_KEYER)
    assert record.created_at is not None
    return replace(record, version=draw(st.integers(1, 5)),
                   modified_at=record.created_at + timedelta(hours=draw(st.integers(0, 99))))


@st.composite
def batches(draw: st.DrawFn) -> list[Record]:
    """Persons and organizations, and Membership/Associate links between them."""
    ents = draw(st.lists(records(), min_size=1, max_size=4, unique_by=lambda r: r.id))
    links = []
    for _ in range(draw(st.integers(0, 3))):
        a, b = draw(st.sampled_from(ents)), draw(st.sampled_from(ents))
        schema, ends = (("Membership", ("member", "organization")) if b.schema == "Organization"
                        else ("Associate", ("person", "associate")))
        if schema == "Associate" and (a.schema != "Person" or b.schema != "Person"):
            continue
        marking = draw(markings())
        prov = Provenance(a.originator, a.author, NOW)
        links.append(build_record(f"link-{next(_ids)}", schema,
                                  {ends[0]: [a.id], ends[1]: [b.id],
                                   "role" if schema == "Membership" else "relationship": ["head"]},
                                  prov, marking, keyer=TEST_KEYER))
    return ents + links


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=batches())
def test_records_round_trip_through_stix(batch: list[Record]) -> None:
    export = to_stix(batch)
    assert export.skipped == ()
    back = from_stix(json.loads(json.dumps(export.bundle)), keyer=TEST_KEYER)
    assert {r.id: r for r in back} == {r.id: r for r in batch}
    for record in back:  # statement by statement, with every field
        original = next(r for r in batch if r.id == record.id)
        for got, want in zip(record.statements, original.statements, strict=True):
            assert (got.id, got.marking, got.first_seen) == (want.id, want.marking, want.first_seen)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=batches())
def test_emitted_bundles_validate(batch: list[Record]) -> None:
    assert_valid(to_stix(batch).bundle)


@settings(max_examples=10, deadline=None)
@given(batch=batches())
def test_the_mapping_is_deterministic(batch: list[Record]) -> None:
    assert to_stix(batch).bundle == to_stix(list(reversed(batch))).bundle
