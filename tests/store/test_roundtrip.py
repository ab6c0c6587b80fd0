"""Records written and read back are equal statement by statement, on every backend."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statement_keys import TEST_KEYER
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking, Tlp
from tearline.model.parties import Agency, Unit
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import parties
from tearline.store.store import Store

_ids = itertools.count()
NOW = datetime(2024, 5, 3, 12, 0, tzinfo=UTC)
UNITS = ["us.dea.sod", "mx.semar.uie", "mx.fgr.fecor"]

names = (
    st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "Zs"), exclude_characters="\x00"),
        min_size=2,
        max_size=40,
    )
    .map(str.strip)
    .filter(lambda s: len(s) > 1)
)
selectors = st.sampled_from(
    [
        "agency:us.dea",
        "agency:mx.semar",
        "unit:mx.semar.uie",
        "vetted-by:us.dea",
        "unit:mx.fgr.fecor",
    ]
)


@st.composite
def markings(draw: st.DrawFn) -> Marking:
    tlp = draw(st.sampled_from(list(Tlp)))
    sel = draw(st.frozensets(selectors, max_size=3))
    if tlp is Tlp.RED:
        sel = frozenset(s for s in sel if s.startswith("unit:"))
    return Marking.build(
        tlp=tlp,
        releasable_to=sel,
        orcon=draw(st.booleans()) and tlp not in (Tlp.CLEAR, Tlp.GREEN),
        # a release beyond the originating agency must cite its legal basis
        legal_basis=draw(st.sampled_from(["us-mx-2021", "MLAT-2024-17"]))
        if sel or draw(st.booleans())
        else None,
        caveats=draw(st.frozensets(st.sampled_from(["NOFORN", "LES", "PROPIN"]), max_size=2)),
        expires_at=draw(st.none() | st.integers(-400, 400).map(lambda d: NOW + timedelta(days=d))),
    )


@st.composite
def records(draw: st.DrawFn) -> Record:
    unit = draw(st.sampled_from(UNITS))
    agency = unit.rsplit(".", 1)[0]
    prov = Provenance(
        agency,
        unit,
        NOW - timedelta(seconds=draw(st.integers(0, 10**8))),
        draw(st.sampled_from(list(Reliability))),
        draw(st.sampled_from(list(Credibility))),
    )
    props = {
        "name": draw(st.lists(names, min_size=1, max_size=3)),
        "birthDate": draw(
            st.lists(st.dates(date(1900, 1, 1), date(2024, 1, 1)).map(str), max_size=2)
        ),
        "nationality": draw(
            st.lists(st.sampled_from(["Mexico", "mx", "us", "Colombia"]), max_size=2)
        ),
        "phone": draw(
            st.lists(st.sampled_from(["+52 667 123 4567", "+1 915 555 0134"]), max_size=1)
        ),
    }
    marking = draw(markings())
    portions = {}
    if draw(st.booleans()):
        stricter = draw(markings())
        if stricter.tlp.rank >= marking.tlp.rank:
            portions["birthDate"] = stricter
    rid = draw(st.from_regex(r"[a-z][a-z0-9-]{3,20}", fullmatch=True))
    return build_record(f"{rid}-{next(_ids)}", "Person", props, prov, marking, portions,
                        keyer=TEST_KEYER)


def seed_parties(store: Store) -> None:
    with store.transaction() as conn:
        for agency, country in (("us.dea", "us"), ("mx.semar", "mx"), ("mx.fgr", "mx")):
            parties.put_agency(conn, Agency(agency, agency.upper(), country), NOW)
        for unit in UNITS:
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), NOW)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(recs=st.lists(records(), min_size=1, max_size=4, unique_by=lambda r: r.id))
def test_written_records_read_back_equal(store: Store, recs: list[Record]) -> None:
    if not _seeded(store):
        seed_parties(store)
    store.write(recs)
    store.write(recs)  # idempotent
    for rec in recs:
        back = store.read(Subject(rec.author, rec.originator), NOW, rec.id)
        assert sorted(back.statements, key=lambda s: s.id) == sorted(
            rec.statements, key=lambda s: s.id
        )
        assert back.marking == rec.marking


def _seeded(store: Store) -> bool:
    with store.reading() as conn:
        return bool(parties.units(conn))
