"""Records for the MISP tests: a hand-made case and a Hypothesis strategy.

The strategy draws batches of records of every schema the MISP mapping treats
differently — ``ftm-*`` templates (Person, Organization, Vehicle, Vessel, Airplane,
Sanction, Membership, Associate, UnknownLink, Event), ``phone``, tearline's own
templates (Seizure, Lab, Operation) and schemata MISP has no template for (Address,
Note) — with values a template holds and values it does not, entity references among
the batch, record markings and stricter portions.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import strategies as st

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking, Tlp
from tearline.model.record import Record, build_record
from tearline.model.schema import get_model
from tearline.model.statement import Provenance

AT = datetime(2024, 2, 1, 9, 30, tzinfo=UTC)
PROV = Provenance("us.dea", "us.dea.sod", AT)
GREEN = Marking.build("GREEN")
AMBER = Marking.build("AMBER", ["agency:mx.semar"], legal_basis="us-mx-2021")
RED = Marking.build("RED", ["unit:mx.semar.uie"], legal_basis="us-mx-2021")
MARKINGS = (Marking.build("CLEAR"), GREEN, AMBER,
            Marking.build("AMBER+STRICT", orcon=True, caveats=["LES"]), RED)

NAMES = ("Marco Ruelas Ibarra", "Ana Ruiz", "El Chapin Correo", "Cártel del Golfo",
         "Lancha Rápida 7", "Sierra Madre")
#: Per schema: (property, values) pairs the strategy draws from; references marked None.
PROPS: dict[str, tuple[tuple[str, tuple[str, ...] | None], ...]] = {
    "Person": (("name", NAMES), ("alias", NAMES), ("nationality", ("mx", "gt", "co")),
               ("birthDate", ("1987-06-14", "1990-03")), ("addressEntity", None)),
    "Organization": (("name", NAMES), ("country", ("mx", "us")),
                     ("topics", ("crime.traffick.drug",))),
    "Vehicle": (("name", NAMES), ("registrationNumber", ("ABC-123", "SIN-4471")),
                ("owner", None)),
    "Vessel": (("name", NAMES), ("imoNumber", ("IMO9321483",)), ("flag", ("pa", "lr"))),
    "Airplane": (("name", NAMES), ("registrationNumber", ("XA-ABC", "N123AB"))),
    "Sanction": (("entity", None), ("program", ("SDNTK", "ILLICIT-DRUGS-EO14059")),
                 ("authority", ("OFAC",))),
    "Membership": (("member", None), ("organization", None), ("role", ("jefe de plaza",))),
    "Associate": (("person", None), ("associate", None), ("relationship", ("courier for",))),
    "UnknownLink": (("subject", None), ("object", None), ("role", ("financier",))),
    "Event": (("name", NAMES), ("date", ("2025-11-03",)), ("involved", None)),
    "Phone": (("number", ("+52 667 123 4567", "+1 619 555 0100")),
              ("imei", ("490154203237518",)), ("carrier", ("Telcel",)), ("user", None)),
    "Seizure": (("drug", ("fentanyl", "cocaine")), ("grossWeight", ("12.5", "3")),
                ("originCountry", ("mx", "cn")), ("suspect", None)),
    "Lab": (("drug", ("methamphetamine",)), ("labStatus", ("active",)), ("operator", None)),
    "Operation": (("name", NAMES), ("leadUnit", ("mx.semar.uie",)), ("target", None)),
    "Address": (("full", ("Calle 5 de Mayo 12, Culiacán",)), ("country", ("mx",))),
    "Note": (("description", ("Source places both men at one meeting",)),
             ("entity", None)),
}
SCHEMATA = tuple(PROPS)
#: Edge schemata need both ends.
REQUIRED = {"Membership": ("member", "organization"), "Associate": ("person", "associate"),
            "UnknownLink": ("subject", "object"), "Sanction": ("entity",),
            "Note": ("entity",)}


@st.composite
def batches(draw: st.DrawFn) -> list[Record]:
    """A batch of records; every reference names a record of the batch."""
    schemata = draw(st.lists(st.sampled_from(SCHEMATA), min_size=1, max_size=6))
    ids = [f"r-{n}" for n in range(len(schemata))]
    people = [i for i, s in zip(ids, schemata, strict=True)
              if s in ("Person", "Organization")] or ["r-0"]
    out = []
    for rid, schema in zip(ids, schemata, strict=True):
        marking = draw(st.sampled_from(MARKINGS[:4]))
        props: dict[str, list[str]] = {}
        required = set(REQUIRED.get(schema, ())) | {
            str(p) for p in get_model().get(schema).required}
        for prop, values in PROPS[schema]:
            if prop not in required and not draw(st.booleans()):
                continue
            pool = values if values is not None else tuple(people)
            props[prop] = sorted(draw(st.sets(st.sampled_from(pool), min_size=1, max_size=2)))
        if not props:
            first, values = PROPS[schema][0]
            props[first] = [(values or tuple(people))[0]]
        stricter = [m for m in MARKINGS if m.tlp.rank > marking.tlp.rank
                    and not (m.tlp is Tlp.RED and marking.tlp is Tlp.CLEAR)]
        portions = {}
        for prop in props:
            if stricter and draw(st.integers(0, 3)) == 0:
                portions[prop] = draw(st.sampled_from(stricter))
        out.append(build_record(rid, schema, props, PROV, marking, portions,
                                keyer=TEST_KEYER))
    return out


def case() -> list[Record]:
    courier = build_record("p-courier", "Person", {
        "name": ["Marco Ruelas Ibarra"], "nationality": ["gt"], "alias": ["El Chapin Correo"],
        "addressEntity": ["a-1"]}, PROV, GREEN, {"alias": AMBER}, keyer=TEST_KEYER)
    cartel = build_record("o-1", "Organization", {"name": ["Cártel del Golfo"]}, PROV, GREEN,
                          keyer=TEST_KEYER)
    member = build_record("m-1", "Membership", {"member": ["p-courier"], "organization": ["o-1"],
                                                "role": ["halcón"]}, PROV, AMBER,
                          keyer=TEST_KEYER)
    phone = build_record("ph-1", "Phone", {"number": ["+52 667 123 4567"], "carrier": ["Telcel"],
                                           "user": ["p-courier"]}, PROV, GREEN, keyer=TEST_KEYER)
    seizure = build_record("s-1", "Seizure", {"drug": ["fentanyl"], "grossWeight": ["12.5"],
                                              "suspect": ["p-courier"]}, PROV, AMBER,
                           {"grossWeight": RED}, keyer=TEST_KEYER)
    address = build_record("a-1", "Address", {"full": ["Calle 5 de Mayo 12, Culiacán"]}, PROV,
                           GREEN, keyer=TEST_KEYER)
    return [courier, cartel, member, phone, seizure, address]
