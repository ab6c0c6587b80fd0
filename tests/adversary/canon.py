"""The canonical case of each kind: the hostile partner's reproduction of a finding of
issue #13 (numbers below), checked first; Hypothesis then draws other cases of the kind.

Most are seen through one viewer, the DEA's San Diego division (``us.dea.sdfd``), so that
a family records world A once (the others as the finding was reproduced); the drawn cases
vary the viewer.
"""

from __future__ import annotations

from adversary.actions import Activity, Amend, AskConsent, Create, Receipt, Release, Remark
from adversary.cast import CLEAR, DEA_TO_MX, SOD_ONLY, TRI
from adversary.kinds import Case
from adversary.secrecy import FEMDO, HOFD, PN, SDFD, SOD, UIE, red
from tearline.model.marking import Marking

_SEIZURE = (("drug", ("fentanyl",)), ("date", ("2025-12-15",)), ("grossWeight", ("900",)),
            ("originCountry", ("mx",)))

def _RED_TO(*units: str) -> Marking:  # noqa: N802 (a marking, named like the others)
    return Marking.build("RED", [f"unit:{u}" for u in (UIE, *units)], legal_basis=TRI)


#: The SOD asks SEMAR's UIE for consent to pass SEMAR's ORCON record on to FGR; UIE refuses.
CONSENT_ASKED = AskConsent(SOD, "mx-p-ovidio", "agency:mx.fgr", refused=True)

CANON = {
    # 2: unvetted FGR ingests a file naming the id of a DEA record it may not see
    "hidden_record": Case(FEMDO, (Create(SOD, "x-person", "Person", (
        ("name", ("Prueba Oculta",)), ("birthDate", ("1961-09-27",))),
        Marking.build("AMBER+STRICT")),)),
    # 8 (and 1): a RED birth date for us.dea.sod is added to a record us.dea.sdfd reads
    "hidden_portion": Case(SDFD, (Amend(SOD, "dea-p-caro", (("birthDate", ("1952-10-03",)),),
                                        portions=(("birthDate", SOD_ONLY),)),)),
    # 1: SEMAR's RED birth date on a DEA record: in one world 1952-10-03, in the other
    # 1952-10-04 — whatever the DEA is shown may not depend on which
    "hidden_value": Case(SDFD, (Amend(UIE, "dea-p-caro", (("birthDate", ("1952-10-03",)),),
                                      marking=red(UIE)),),
                         (Amend(UIE, "dea-p-caro", (("birthDate", ("1952-10-04",)),),
                                marking=red(UIE)),)),
    # 8: only the hidden portion of a shared record changes
    "hidden_change": Case(SDFD, (Amend(SOD, "dea-p-guzman", (("birthDate", ("1990-03-30",)),),
                                       portions=(("birthDate", SOD_ONLY),)),)),
    # 3: a Note names an Associate whose other end is hidden
    "hidden_reference": Case(SDFD, (
        Create(UIE, "x-hidden", "Person", (("name", ("Socio Oculto",)),), red(UIE)),
        Create(SOD, "x-assoc", "Associate", (("person", ("dea-p-caro",)),
                                             ("associate", ("x-hidden",))), DEA_TO_MX))),
    # 5: another unit of the viewer's agency counts and searches
    "other_activity": Case(SDFD, (Activity(SOD, "stats"), Activity(SOD, "search", "guzman"))),
    # (releases) SEMAR shares its own record inside SEMAR; the DEA must not learn it; and
    # the SOD asks SEMAR's UIE for consent to pass that ORCON record on to FGR, and is
    # refused: San Diego, another DEA unit, must not learn of it either
    "hidden_release": Case(SDFD, (Release(UIE, "mx-p-ovidio", "unit:mx.semar.pn"),
                                  CONSENT_ASKED)),
    # (consent requests and receipts) the pages and operations that list them: the same
    # request; SEMAR releases its record to FGR, whose node acknowledges it — a receipt
    # of another agency's release, not San Diego's to see
    "hidden_consent_request": Case(SDFD, (CONSENT_ASKED, Release(
        UIE, "mx-p-ovidio", "agency:mx.fgr", TRI), Receipt("mx.fgr", "mx-p-ovidio"))),
    # (issue #19) SEMAR names the DEA's San Diego division and FGR's unit on a RED record:
    # San Diego sees itself named, never that FGR is (world A: it alone is named)
    "other_recipients": Case(SDFD, (Create(UIE, "x-red", "Person", (
        ("name", ("Destinatario Rojo",)),), _RED_TO(SDFD, FEMDO)),), (Create(
            UIE, "x-red", "Person", (("name", ("Destinatario Rojo",)),), _RED_TO(SDFD)),)),
}

#: Where a family's viewers differ (TAXII: the peers), or its paths read other data
#: (reports: seizures), its own reproduction of the same finding.
_HIDDEN = Case(SDFD, (Create(SOD, "x-person", "Person", (("name", ("Prueba Oculta",)),),
                             SOD_ONLY),))

FAMILY = {
    "api": {
        "hidden_record": _HIDDEN,
        # the DEA's coordinating unit adds a drug and an origin to a seizure San Diego
        # sees, RED for itself: no filter of San Diego's may find the seizure by them
        "hidden_filtered": Case(SDFD, (Amend(SOD, "dea-s-1", (
            ("drug", ("cocaine",)), ("originCountry", ("co",))), portions=(
                ("drug", SOD_ONLY), ("originCountry", SOD_ONLY))),)),
    },
    "web": {
        "hidden_record": _HIDDEN,
        # the same as the API's: a page's filters and its facet counts (drug, country)
        # must neither find the seizure by a hidden value nor count it
        "hidden_filtered": Case(SDFD, (Amend(SOD, "dea-s-1", (
            ("drug", ("cocaine",)), ("originCountry", ("co",))), portions=(
                ("drug", SOD_ONLY), ("originCountry", SOD_ONLY))),)),
    },
    "audit": {
        "hidden_record": _HIDDEN,
        # 1: the statement id of a RED birth date for us.dea.sod, in the entry of the
        # record's creation that us.dea.sdfd reads (world A: the record without it)
        "hidden_portion": Case(SDFD, (Create(SOD, "x-shared", "Person", (
            ("name", ("Alias Compartido",)), ("birthDate", ("1961-09-27",))), CLEAR,
            (("birthDate", SOD_ONLY),)),), (Create(SOD, "x-shared", "Person", (
                ("name", ("Alias Compartido",)),), CLEAR),)),
        # 5: the vetted SEMAR unit counts and searches; the unvetted one must not learn it
        "other_activity": Case(PN, (Activity(UIE, "stats"), Activity(UIE, "search", "guzman"))),
        # 6: a DEA analyst searches for the name SEMAR planted
        "search_listing": Case(PN, (Activity(SOD, "search", "zambada ortiz"),)),
    },
    "taxii": {
        "hidden_record": Case(UIE, (Create(SOD, "x-person", "Person", (
            ("name", ("Prueba Oculta",)),), Marking.build("AMBER+STRICT")),)),
        # 8: STIX version and modified, and the date added, move with a hidden portion
        "hidden_portion": Case(UIE, CANON["hidden_portion"].actions),
        "hidden_change": Case(UIE, CANON["hidden_change"].actions),
        "hidden_value": Case(UIE, (Amend(SOD, "dea-p-caro", (("birthDate", ("1952-10-03",)),),
                                         portions=(("birthDate", SOD_ONLY),)),),
                             (Amend(SOD, "dea-p-caro", (("birthDate", ("1952-10-04",)),),
                                    portions=(("birthDate", SOD_ONLY),)),)),
        # 3: the Note names an Associate whose other end the peer may not have
        "hidden_reference": Case(UIE, (
            Create(SOD, "x-hidden", "Person", (("name", ("Socio Oculto",)),), SOD_ONLY),
            *CANON["hidden_reference"].actions[1:])),
        "other_activity": Case(UIE, (Activity(FEMDO, "stats"),
                                     Activity(FEMDO, "search", "guzman"))),
        # the DEA shares a record inside the DEA; SEMAR's node must not learn it
        "hidden_release": Case(UIE, (Release(SOD, "dea-s-2", "unit:us.dea.hofd"),)),
        # 9: SEMAR's ORCON statement on a DEA record must not be relayed to FGR
        "orcon_statement": Case(FEMDO, (Amend(UIE, "dea-s-2", (
            ("concealment", ("doble fondo",)),), marking=Marking.build(
                "AMBER", ["agency:us.dea", "agency:mx.fgr"], orcon=True, legal_basis=TRI)),)),
    },
    "reports": {
        "hidden_value": Case(SDFD, (Amend(SOD, "dea-s-1", (("grossWeight", ("500",)),),
                                          portions=(("grossWeight", SOD_ONLY),)),),
                             (Amend(SOD, "dea-s-1", (("grossWeight", ("7.25",)),),
                                    portions=(("grossWeight", SOD_ONLY),)),)),
        "hidden_record": Case(SDFD, (Create(SOD, "x-seizure", "Seizure", _SEIZURE, SOD_ONLY),)),
        # 8: the version of a seizure moves with a weight the viewer may not see
        "hidden_portion": Case(SDFD, (Amend(SOD, "dea-s-1", (("grossWeight", ("500",)),),
                                            portions=(("grossWeight", SOD_ONLY),)),)),
        "hidden_change": Case(SDFD, (Remark(SOD, "dea-s-2", "netWeight", red(SOD, HOFD)),)),
    },
    "federation": {
        # 4: our node holds mx-in-1 under another originator, hidden from SEMAR
        "receiver_id": Case(UIE, (Create(SOD, "mx-in-1", "Person", (
            ("name", ("Homónimo Local",)),), SOD_ONLY),)),
        "other_activity": Case(UIE, (Activity(SOD, "search", "guzman"),)),
    },
}


def canonical(family: str, kind: str) -> Case:
    return FAMILY.get(family, {}).get(kind) or CANON[kind]
