"""The demo scenario: three agencies of unequal trust, their units, and marking profiles.

Parties:

- ``us.dea`` — a U.S. drug-enforcement agency with a headquarters unit (``us.dea.sod``)
  and four field divisions along the border (San Diego, Phoenix, El Paso, Houston).
- ``mx.semar`` — the Mexican navy. ``us.dea`` has vetted its unit ``mx.semar.uie``;
  its other unit ``mx.semar.pn`` is not vetted, so ``vetted-by:us.dea`` reaches one
  navy unit and not the whole navy.
- ``mx.fgr`` — the Mexican attorney general. ``us.dea`` has not vetted its unit
  ``mx.fgr.femdo``: releases reach it only when named or when its agency is named.

One demo analyst per unit. Two agreements are the legal bases that releases cite:
a bilateral security framework (between ``us.dea`` and ``mx.semar``) and the mutual
legal assistance treaty (between ``us.dea`` and ``mx.fgr``).

Marking profiles are what the generator stamps on records, chosen by the record's
originating agency and its category (see :data:`PROFILES`):

======================  ==================================================================
category                mix (weights out of 100)
======================  ==================================================================
``public``              CLEAR only: seizing agencies and OFAC-listed organizations
``seizure`` (us.dea)    CLEAR 10, GREEN 20, AMBER to vetted-by:us.dea 40, the same with
                        ORCON 10, AMBER+STRICT us-only 15, RED to named units 5
``subject`` (us.dea)    AMBER to vetted-by:us.dea 45, the same with ORCON 20,
                        AMBER+STRICT us-only 25, RED to named units 10
``seizure`` (mx.semar)  GREEN 20, AMBER to us.dea with ORCON 60, AMBER+STRICT 20
``subject`` (mx.semar)  AMBER to us.dea with ORCON 60, AMBER+STRICT 25, RED 15
``seizure`` (mx.fgr)    GREEN 30, AMBER to us.dea under the MLAT 50, AMBER+STRICT 20
``subject`` (mx.fgr)    AMBER to us.dea under the MLAT 60, AMBER+STRICT 40
======================  ==================================================================

Portions (:data:`PORTIONS`): an informant-derived birth date is RED to the author's
unit and ``us.dea.sod``; a phone number held by ``us.dea`` is AMBER+STRICT (us-only)
even when the rest of the phone record is released to vetted partners. A portion is
applied only where it narrows the record's marking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tearline.model.marking import Marking
from tearline.model.parties import Agency, Agreement, Analyst, Unit, Vetting

US_DEA = "us.dea"
MX_SEMAR = "mx.semar"
MX_FGR = "mx.fgr"
SOD = "us.dea.sod"
SAN_DIEGO = "us.dea.sdfd"
PHOENIX = "us.dea.phfd"
EL_PASO = "us.dea.epfd"
HOUSTON = "us.dea.hofd"
UIE = "mx.semar.uie"
NAVAL_POLICE = "mx.semar.pn"
FEMDO = "mx.fgr.femdo"

#: Legal bases cited by releases.
SECURITY_FRAMEWORK = "us-mx/bicentennial-framework-2021"
MLAT = "us-mx/mlat-1987"

AGENCIES: tuple[Agency, ...] = (
    Agency(US_DEA, "Drug Enforcement Administration (demo)", "us"),
    Agency(MX_SEMAR, "Secretaría de Marina (demo)", "mx"),
    Agency(MX_FGR, "Fiscalía General de la República (demo)", "mx"),
)

UNITS: tuple[Unit, ...] = (
    Unit(SOD, US_DEA, "Special Operations Division"),
    Unit(SAN_DIEGO, US_DEA, "San Diego Field Division"),
    Unit(PHOENIX, US_DEA, "Phoenix Field Division"),
    Unit(EL_PASO, US_DEA, "El Paso Field Division"),
    Unit(HOUSTON, US_DEA, "Houston Field Division"),
    Unit(UIE, MX_SEMAR, "Unidad de Inteligencia Especial (vetted)"),
    Unit(NAVAL_POLICE, MX_SEMAR, "Policía Naval"),
    Unit(FEMDO, MX_FGR, "Fiscalía Especializada en materia de Delincuencia Organizada"),
)

ANALYSTS: tuple[Analyst, ...] = (
    Analyst(f"rivera@{SOD}", SOD, "Dana Rivera (demo analyst)"),
    Analyst(f"okafor@{SAN_DIEGO}", SAN_DIEGO, "Chris Okafor (demo analyst)"),
    Analyst(f"nguyen@{PHOENIX}", PHOENIX, "Lee Nguyen (demo analyst)"),
    Analyst(f"baca@{EL_PASO}", EL_PASO, "Sam Baca (demo analyst)"),
    Analyst(f"garza@{HOUSTON}", HOUSTON, "Alex Garza (demo analyst)"),
    Analyst(f"ana@{UIE}", UIE, "Ana Morales (demo analyst)"),
    Analyst(f"luis@{NAVAL_POLICE}", NAVAL_POLICE, "Luis Ortega (demo analyst)"),
    Analyst(f"marta@{FEMDO}", FEMDO, "Marta Salinas (demo analyst)"),
)

VETTINGS: tuple[Vetting, ...] = (
    Vetting(
        id=f"vetting:{US_DEA}:{UIE}:2018",
        by=US_DEA,
        unit=UIE,
        valid_from=datetime(2018, 1, 1, tzinfo=UTC),
        # Far enough ahead that the demo, run today, shows a vetted unit (it decides at
        # the time it runs); a vetting that lapses is shown by the tests and `--at`.
        valid_until=datetime(2036, 1, 1, tzinfo=UTC),
    ),
)

AGREEMENTS: tuple[Agreement, ...] = (
    Agreement(
        SECURITY_FRAMEWORK,
        "U.S.–Mexico Bicentennial Framework for Security (demo citation)",
        "bilateral",
        frozenset({US_DEA, MX_SEMAR}),
    ),
    Agreement(
        MLAT,
        "U.S.–Mexico Treaty on Mutual Legal Assistance (demo citation)",
        "mlat",
        frozenset({US_DEA, MX_FGR}),
    ),
)


def agency_of(unit: str) -> str:
    for candidate in UNITS:
        if candidate.id == unit:
            return candidate.agency
    raise KeyError(unit)


@dataclass(frozen=True, slots=True)
class Profile:
    """A named marking that the generator stamps on a share of records."""

    name: str
    marking: Marking
    weight: int


_VETTED_BY_US = [f"vetted-by:{US_DEA}"]
_RED_UNITS = [f"unit:{SOD}", f"unit:{UIE}"]

PUBLIC = Marking.build("CLEAR")
GREEN = Marking.build("GREEN")
US_VETTED = Marking.build("AMBER", _VETTED_BY_US, legal_basis=SECURITY_FRAMEWORK)
US_VETTED_ORCON = Marking.build("AMBER", _VETTED_BY_US, orcon=True,
                                legal_basis=SECURITY_FRAMEWORK)
#: AMBER+STRICT without releasable_to: the originating agency only.
AGENCY_ONLY = Marking.build("AMBER+STRICT")
NAMED_UNITS = Marking.build("RED", _RED_UNITS, orcon=True, legal_basis=SECURITY_FRAMEWORK)
SEMAR_TO_US = Marking.build("AMBER", [f"agency:{US_DEA}"], orcon=True,
                            legal_basis=SECURITY_FRAMEWORK)
FGR_TO_US = Marking.build("AMBER", [f"agency:{US_DEA}"], legal_basis=MLAT)

#: (originating agency, category) → weighted profiles.
PROFILES: dict[tuple[str, str], tuple[Profile, ...]] = {
    (US_DEA, "seizure"): (
        Profile("public-summary", PUBLIC, 10),
        Profile("community", GREEN, 20),
        Profile("vetted-partners", US_VETTED, 40),
        Profile("vetted-partners-orcon", US_VETTED_ORCON, 10),
        Profile("us-only", AGENCY_ONLY, 15),
        Profile("named-units", NAMED_UNITS, 5),
    ),
    (US_DEA, "subject"): (
        Profile("vetted-partners", US_VETTED, 45),
        Profile("vetted-partners-orcon", US_VETTED_ORCON, 20),
        Profile("us-only", AGENCY_ONLY, 25),
        Profile("named-units", NAMED_UNITS, 10),
    ),
    (MX_SEMAR, "seizure"): (
        Profile("community", GREEN, 20),
        Profile("to-us-dea-orcon", SEMAR_TO_US, 60),
        Profile("semar-only", AGENCY_ONLY, 20),
    ),
    (MX_SEMAR, "subject"): (
        Profile("to-us-dea-orcon", SEMAR_TO_US, 60),
        Profile("semar-only", AGENCY_ONLY, 25),
        Profile("named-units", NAMED_UNITS, 15),
    ),
    (MX_FGR, "seizure"): (
        Profile("community", GREEN, 30),
        Profile("to-us-dea-mlat", FGR_TO_US, 50),
        Profile("fgr-only", AGENCY_ONLY, 20),
    ),
    (MX_FGR, "subject"): (
        Profile("to-us-dea-mlat", FGR_TO_US, 60),
        Profile("fgr-only", AGENCY_ONLY, 40),
    ),
}
PUBLIC_PROFILES: tuple[Profile, ...] = (Profile("public", PUBLIC, 100),)


def profiles_for(agency: str, category: str) -> Sequence[Profile]:
    """The weighted profiles for a record of ``category`` originated by ``agency``."""
    if category == "public":
        return PUBLIC_PROFILES
    return PROFILES[(agency, category)]


def informant_portion(author_unit: str) -> Marking:
    """An informant-derived value: RED to the authoring unit and the U.S. coordinating unit."""
    units = sorted({author_unit, SOD})
    basis = {MX_SEMAR: SECURITY_FRAMEWORK, MX_FGR: MLAT}.get(agency_of(author_unit))
    return Marking.build(tlp="RED", releasable_to=[f"unit:{u}" for u in units], orcon=True,
                         legal_basis=basis)


#: A phone number held by ``us.dea`` stays inside ``us.dea`` (originator agency only).
US_ONLY_SELECTOR = AGENCY_ONLY

#: Which property of which schema may carry a portion, and why.
PORTIONS: dict[tuple[str, str], str] = {
    ("Person", "birthDate"): "informant-derived birth date",
    ("Phone", "number"): "selector kept inside the originating agency",
}
