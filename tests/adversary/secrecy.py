"""What is hidden from whom in the adversary worlds, written out from ``docs/policy.md``
(never asked of the code under test): markings that hide a record or a portion from each
viewer, the base records each unit sees, and the values secrets are made of."""

from __future__ import annotations

from datetime import timedelta

from adversary.cast import MLAT, SF, SOD_ONLY, T_SECRET
from tearline.demo import scenario as sc
from tearline.model.marking import Marking

SOD, HOFD, SDFD = sc.SOD, sc.HOUSTON, sc.SAN_DIEGO
UIE, PN, FEMDO = sc.UIE, sc.NAVAL_POLICE, sc.FEMDO
ALL = frozenset({SDFD, PN, FEMDO, UIE})


def red(*units: str) -> Marking:
    return Marking.build("RED", [f"unit:{u}" for u in units])


#: (author unit, marking, the viewers it hides a record from). TAXII peers (uie, femdo)
#: never receive a third agency's record from this (DEA) node: see :func:`hidden`.
HIDING: tuple[tuple[str, Marking, frozenset[str]], ...] = (
    (SOD, SOD_ONLY, ALL),
    (HOFD, red(HOFD), ALL),
    (SOD, Marking.build("AMBER+STRICT"), frozenset({PN, FEMDO, UIE})),
    (SOD, Marking.build("AMBER", ["unit:mx.semar.uie"], legal_basis=SF), frozenset({PN, FEMDO})),
    (SOD, Marking.build("AMBER", ["unit:mx.semar.pn"], legal_basis=SF), frozenset({UIE, FEMDO})),
    (SOD, Marking.build("AMBER", ["agency:mx.fgr"], legal_basis=MLAT), frozenset({PN, UIE})),
    (SOD, Marking.build("AMBER", ["agency:mx.fgr"], legal_basis=MLAT,
                        expires_at=T_SECRET + timedelta(hours=1)), frozenset({PN, UIE, FEMDO})),
    (UIE, Marking.build("AMBER+STRICT"), frozenset({SDFD, FEMDO})),
    (UIE, red(UIE), frozenset({SDFD, PN, FEMDO})),
    (FEMDO, Marking.build("AMBER+STRICT"), frozenset({SDFD, PN, UIE})),
)
#: Records of the base world each unit sees (the viewers, and the actors that amend).
_DEA_SHARED = ("dea-p-caro", "dea-p-guzman", "dea-s-1", "dea-s-2")
SEES = {
    SOD: (*_DEA_SHARED, "mx-p-ovidio", "mx-s-3", "fgr-p-damaso"),
    HOFD: (*_DEA_SHARED, "mx-p-ovidio", "mx-s-3", "fgr-p-damaso"),
    SDFD: (*_DEA_SHARED, "mx-p-ovidio", "mx-s-3", "fgr-p-damaso"),
    UIE: (*_DEA_SHARED, "mx-p-ovidio", "mx-s-3"),
    PN: (*_DEA_SHARED, "mx-p-ovidio", "mx-s-3"),
    FEMDO: (*_DEA_SHARED, "mx-s-3", "fgr-p-damaso"),
}
ORIGIN = {"dea": sc.US_DEA, "mx": sc.MX_SEMAR, "fgr": sc.MX_FGR}
NAMES = ("Ovidio Guzmán Salazar", "Ismael Zambada Sicairos", "Caro Quintero Hermano",
         "Joaquín Archivaldo", "Prueba Oculta")
DATES = ("1990-03-30", "1961-09-27", "1948-01-01")
PROPS = {"Person": (("birthDate", DATES), ("alias", NAMES),
                    ("idNumber", ("GULO900329", "ZAGO610927"))),
         "Seizure": (("grossWeight", ("7.25", "500")), ("netWeight", ("6.5", "6.6")),
                     ("concealment", ("doble fondo", "tanque de gasolina")))}


def origin_of(record_id: str) -> str:
    return ORIGIN[record_id.split("-", 1)[0]]


def hidden(entry: tuple[str, Marking, frozenset[str]], viewer: str, taxii: bool) -> bool:
    unit, _, hides = entry
    agency = sc.agency_of(unit)
    if taxii and agency != sc.US_DEA:
        # another agency's record is relayed only with its consent (none here); one of
        # the peer's own agency exists for it, and is not served back as it holds it
        return agency != sc.agency_of(viewer)
    return viewer in hides


#: (actor, portion marking, the viewers the portion hides from; for TAXII peers too).
PORTIONS: tuple[tuple[str, Marking, frozenset[str]], ...] = (
    (SOD, SOD_ONLY, ALL),
    (HOFD, red(HOFD), ALL),
    (SOD, Marking.build("AMBER+STRICT"), frozenset({PN, FEMDO, UIE})),
    (UIE, red(UIE), frozenset({SDFD, PN, FEMDO})),
    (FEMDO, red(FEMDO), frozenset({SDFD, PN, UIE})),
)
