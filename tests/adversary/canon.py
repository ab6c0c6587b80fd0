"""The canonical case of each kind: the hostile partner's reproduction of a finding of
issue #13, run first (an explicit example) before Hypothesis draws others."""

from __future__ import annotations

from adversary.actions import Activity, Amend, Create, Release, Remark
from adversary.cast import CLEAR, DEA_TO_MX, SOD_ONLY, TRI
from adversary.kinds import FEMDO, HOFD, PN, SDFD, SOD, UIE, Case, red
from tearline.model.marking import Marking

CANON = {
    # 2: an unvetted FGR unit ingests the id of a DEA record it may not see
    "hidden_record": Case(FEMDO, (Create(SOD, "x-person", "Person", (
        ("name", ("Prueba Oculta",)), ("birthDate", ("1961-09-27",))),
        Marking.build("AMBER+STRICT")),)),
    # 1, 8: a RED birth date for us.dea.sod only, on a record us.dea.sdfd reads
    "hidden_portion": Case(SDFD, (Amend(SOD, "dea-p-caro", (("birthDate", ("1952-10-03",)),),
                                        portions=(("birthDate", SOD_ONLY),)),)),
    # 8: only the hidden portion of a shared record changes
    "hidden_change": Case(SDFD, (Amend(SOD, "dea-p-guzman", (("birthDate", ("1990-03-30",)),),
                                       portions=(("birthDate", SOD_ONLY),)),)),
    # 3: a Note names an Associate whose other end is hidden
    "hidden_reference": Case(SDFD, (
        Create(UIE, "x-hidden", "Person", (("name", ("Socio Oculto",)),), red(UIE)),
        Create(SOD, "x-assoc", "Associate", (("person", ("dea-p-caro",)),
                                             ("associate", ("x-hidden",))), DEA_TO_MX))),
    # 5: the vetted SEMAR unit counts and searches; the unvetted one must not learn it
    "other_activity": Case(PN, (Activity(UIE, "stats"), Activity(UIE, "search", "guzman"))),
    # 6: a DEA analyst searches for the name SEMAR planted
    "search_listing": Case(PN, (Activity(SOD, "search", "zambada ortiz"),)),
    # (8, feeds) the DEA shares a record inside the DEA; SEMAR must not learn it
    "hidden_release": Case(PN, (Release(SOD, "dea-s-2", "unit:us.dea.hofd"),)),
    # 9: SEMAR's ORCON statement on a DEA record must not be relayed to FGR
    "orcon_statement": Case(FEMDO, (Amend(UIE, "dea-s-2", (("concealment", ("doble fondo",)),),
                                          marking=Marking.build(
                                              "AMBER", ["agency:us.dea", "agency:mx.fgr"],
                                              orcon=True, legal_basis=TRI)),)),
}

#: Where a family's viewers differ (TAXII: the peers), or its paths read other data
#: (reports: seizures), its own reproduction of the same finding.
FAMILY = {
    "audit": {
        # 1: the statement id of a RED birth date for us.dea.sod, in the entry of the
        # record's creation that us.dea.sdfd reads (world A: the record without it)
        "hidden_portion": Case(SDFD, (Create(SOD, "x-shared", "Person", (
            ("name", ("Alias Compartido",)), ("birthDate", ("1961-09-27",))), CLEAR,
            (("birthDate", SOD_ONLY),)),), (Create(SOD, "x-shared", "Person", (
                ("name", ("Alias Compartido",)),), CLEAR),)),
    },
    "taxii": {
        "hidden_portion": Case(UIE, CANON["hidden_portion"].actions),
        "hidden_change": Case(UIE, CANON["hidden_change"].actions),
        "hidden_reference": Case(UIE, (
            Create(SOD, "x-hidden", "Person", (("name", ("Socio Oculto",)),), SOD_ONLY),
            *CANON["hidden_reference"].actions[1:])),
        "other_activity": Case(UIE, (Activity(FEMDO, "stats"),
                                     Activity(FEMDO, "search", "guzman"))),
        "hidden_release": Case(UIE, CANON["hidden_release"].actions),
    },
    "reports": {
        "hidden_record": Case(SDFD, (Create(SOD, "x-seizure", "Seizure", (
            ("drug", ("fentanyl",)), ("date", ("2025-12-15",)), ("grossWeight", ("900",)),
            ("originCountry", ("mx",))), SOD_ONLY),)),
        "hidden_portion": Case(SDFD, (Amend(SOD, "dea-s-1", (("grossWeight", ("500",)),),
                                            portions=(("grossWeight", SOD_ONLY),)),)),
        "hidden_change": Case(SDFD, (Remark(SOD, "dea-s-2", "netWeight", red(SOD, HOFD)),)),
    },
    "federation": {
        "receiver_id": Case(UIE, (Create(SOD, "mx-in-1", "Person", (
            ("name", ("Homónimo Local",)),), SOD_ONLY),)),
        "other_activity": Case(UIE, (Activity(SOD, "search", "guzman"),)),
    },
}


def canonical(family: str, kind: str) -> Case:
    return FAMILY.get(family, {}).get(kind) or CANON[kind]
