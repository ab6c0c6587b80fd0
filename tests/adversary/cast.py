"""Who is who in the adversary worlds, and the base world's records.

The parties are the demo scenario's (``us.dea`` with ``us.dea.sod`` and field divisions
such as ``us.dea.sdfd``; ``mx.semar.uie``, vetted by the DEA, and ``mx.semar.pn``, not;
``mx.fgr.femdo``; their analysts and agreements) plus a trilateral agreement, so that a
statement can be released to two partners at once. The records cover Persons with
portions (one GREEN with a stricter portion its readers may see), an Organization, a
Membership, Seizures (report figures), Notes and an UnknownLink naming ids that only a
secret may create, and records of every agency.

Viewers are analysts: what they do is attributed to them, as a hostile partner's
analyst would act. Ids in :data:`POOL` are never created by the base world; a secret
may create them hidden from the viewer, and the viewer asks for them anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from statement_keys import TEST_KEYER
from tearline.demo import scenario as sc
from tearline.model.marking import Marking
from tearline.model.parties import Agreement
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance, StatementKeyer
from tearline.policy.subject import Subject

T_PARTIES = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
T_BASE = datetime(2026, 1, 6, 8, 0, tzinfo=UTC)
T_SECRET = datetime(2026, 1, 7, 8, 0, tzinfo=UTC)
T_RUN = datetime(2026, 1, 8, 8, 0, tzinfo=UTC)

SF, MLAT = sc.SECURITY_FRAMEWORK, sc.MLAT
TRI = "us-mx/trilateral-2024"
TRILATERAL = Agreement(TRI, "Trilateral counter-narcotics arrangement (test citation)",
                       "memorandum", frozenset({sc.US_DEA, sc.MX_SEMAR, sc.MX_FGR}))

#: Analysts by unit: who acts for a unit in the worlds.
ANALYST = {a.unit: a.id for a in sc.ANALYSTS}
#: The viewers: a DEA field division (the originator's own agency, but not its
#: coordinating unit), SEMAR's unvetted naval police, and FGR's unvetted unit.
VIEWERS = (sc.SAN_DIEGO, sc.NAVAL_POLICE, sc.FEMDO)


def subject(unit: str) -> Subject:
    return Subject(unit, sc.agency_of(unit), ANALYST[unit])


def prov(unit: str, at: datetime = T_BASE) -> Provenance:
    return Provenance(sc.agency_of(unit), unit, at)


GREEN = Marking.build("GREEN")
CLEAR = Marking.build("CLEAR")
#: DEA → both Mexican agencies, every unit of them.
DEA_TO_MX = Marking.build("AMBER", ["agency:mx.semar", "agency:mx.fgr"], legal_basis=TRI)
SOD_ONLY = Marking.build("RED", ["unit:us.dea.sod"])
SEMAR_TO_DEA = Marking.build("AMBER", ["agency:us.dea"], orcon=True, legal_basis=SF)
FGR_TO_DEA = Marking.build("AMBER", ["agency:us.dea"], legal_basis=MLAT)

#: Ids the base world never creates: secrets create them, viewers ask for them.
POOL = ("x-person", "x-seizure", "x-assoc", "x-hidden", "x-address", "x-shared")
NEVER = "never-created"
#: Ids of records a peer (SEMAR's node) sends us; a secret may hold some of them here.
INCOMING = ("mx-in-1", "mx-in-2", "mx-in-3")


def _seizure(rid: str, unit: str, mk: Marking, date: str, kg: str, origin: str,
             net: str | None = None, *, keyer: StatementKeyer) -> Record:
    props = {"drug": ["fentanyl"], "date": [date], "grossWeight": [kg],
             "originCountry": [origin], "region": ["Southwest Border"],
             "concealment": ["false floor"]}
    if net is not None:  # the net weight, from the laboratory, is the SOD's alone
        props["netWeight"] = [net]
    return build_record(rid, "Seizure", props, prov(unit), mk,
                        {"netWeight": SOD_ONLY} if net is not None else None, keyer=keyer)


def base_records(keyer: StatementKeyer) -> list[Record]:
    """The records every world starts from (written by their originators at T_BASE), their
    statement ids by ``keyer`` (the base store's, which every world copies)."""
    sod, uie, femdo = sc.SOD, sc.UIE, sc.FEMDO
    return [
        build_record("dea-p-caro", "Person", {
            "name": ["Rafael Caro Quintero"], "alias": ["El Narco de Narcos"],
            "nationality": ["mx"], "addressEntity": ["x-address"]}, prov(sod), GREEN, keyer=keyer),
        build_record("dea-p-guzman", "Person", {
            "name": ["Ovidio Guzmán López"], "alias": ["El Ratón"],
            "birthDate": ["1990-03-29"], "nationality": ["mx"]}, prov(sod), DEA_TO_MX,
            {"birthDate": SOD_ONLY}, keyer=keyer),
        build_record("dea-o-sinaloa", "Organization", {"name": ["Cártel de Sinaloa"]},
                     prov(sod), CLEAR, keyer=keyer),
        build_record("dea-m-guzman", "Membership", {
            "member": ["dea-p-guzman"], "organization": ["dea-o-sinaloa"],
            "role": ["lugarteniente"]}, prov(sod), DEA_TO_MX, keyer=keyer),
        build_record("dea-n-assoc", "Note", {
            "description": ["Source places both men at one meeting"],
            "entity": ["x-assoc"]}, prov(sod), DEA_TO_MX, keyer=keyer),
        build_record("dea-n-hidden", "Note", {
            "description": ["Second source on the same meeting"],
            "entity": ["x-hidden"]}, prov(sod), DEA_TO_MX, keyer=keyer),
        build_record("dea-l-caro", "UnknownLink", {
            "subject": ["dea-p-caro"], "object": ["x-person"], "role": ["financier"]},
            prov(sod), DEA_TO_MX, keyer=keyer),
        # a GREEN record with a stricter portion the peers may receive (issue #21)
        build_record("dea-p-courier", "Person", {
            "name": ["Marco Ruelas Ibarra"], "alias": ["El Chapin Correo"]}, prov(sod), GREEN,
            {"alias": DEA_TO_MX}, keyer=keyer),
        build_record("dea-p-red", "Person", {"name": ["Joaquín Guzmán Loera"]}, prov(sod),
                     SOD_ONLY, keyer=keyer),
        _seizure("dea-s-1", sc.SAN_DIEGO, GREEN, "2025-11-03", "12.5", "mx", keyer=keyer),
        _seizure("dea-s-2", sod, DEA_TO_MX, "2025-12-01", "3.2", "cn", net="2.9",
                 keyer=keyer),
        build_record("mx-p-ovidio", "Person", {"name": ["Ovidio Zambada Ortiz"]},
                     prov(uie), SEMAR_TO_DEA, keyer=keyer),
        _seizure("mx-s-3", uie, GREEN, "2025-10-20", "40", "mx", keyer=keyer),
        build_record("fgr-p-damaso", "Person", {"name": ["Dámaso López Núñez"]},
                     prov(femdo), FGR_TO_DEA, keyer=keyer),
    ]


#: Every id the base world creates, and those a viewer may ask about.
BASE_IDS = tuple(r.id for r in base_records(TEST_KEYER))
#: Ids the command-line imports create (``data/sdn.csv``).
OFAC_IDS = ("ofac-6703", "ofac-6704")
ASKED_IDS = (*BASE_IDS, *POOL, *OFAC_IDS, NEVER)
#: The schema of every id asked about (what a peer needs to compute its STIX id).
SCHEMAS = {**{r.id: r.schema for r in base_records(TEST_KEYER)},
           "x-person": "Person", "x-seizure": "Seizure", "x-assoc": "Associate",
           "x-hidden": "Person", "x-address": "Address", "x-shared": "Person",
           **dict.fromkeys(OFAC_IDS, "Person"), NEVER: "Person"}
#: The base records that exist for each viewer (docs/policy.md, applied by hand): not the
#: RED record, not the link whose end was never created, and not what another agency
#: released to the DEA alone.
_NOT_SEEN = {sc.SAN_DIEGO: (), sc.NAVAL_POLICE: ("fgr-p-damaso",),
             sc.FEMDO: ("mx-p-ovidio",)}
EXISTS = {v: tuple(i for i in BASE_IDS if i not in ("dea-p-red", "dea-l-caro", *_NOT_SEEN[v]))
          for v in VIEWERS}
#: Texts a viewer searches for: names in visible data and in hidden data alike.
TEXTS = ("ovidio", "guzman", "zambada ortiz", "caro quintero", "el raton", "joaquin",
         "sinaloa", "prueba", "GULO900329")


@dataclass(frozen=True, slots=True)
class Moment:
    """The clock of one phase: step ``n`` happens ``n`` seconds after ``start``."""

    start: datetime

    def step(self, n: int) -> datetime:
        return self.start + timedelta(seconds=n)
