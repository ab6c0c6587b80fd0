"""The names of schemata, drugs and markings as a person reads them, in both languages.

Stored values stay canonical (``Seizure``, ``fentanyl``); the pages show them through
the ``web`` catalog (``decomiso``, ``fentanilo``). Each name is written here once, as
the message id, so that the catalog check (tests/i18n) finds every one translated.
"""

from __future__ import annotations


def _(text: str) -> str:  # marks a message for extraction; translated when shown
    return text


SCHEMAS: dict[str, str] = {
    "Person": _("Person"),
    "Organization": _("Organization"),
    "Company": _("Company"),
    "LegalEntity": _("Legal entity"),
    "Seizure": _("Seizure"),
    "Membership": _("Membership"),
    "Ownership": _("Ownership"),
    "Directorship": _("Directorship"),
    "Family": _("Family relationship"),
    "Associate": _("Associate"),
    "Note": _("Note"),
    "Event": _("Event"),
    "Address": _("Address"),
    "Vessel": _("Vessel"),
    "Vehicle": _("Vehicle"),
    "Airplane": _("Airplane"),
    "Phone": _("Phone"),
    "Payment": _("Payment"),
    "BankAccount": _("Bank account"),
    "Sanction": _("Sanction"),
    "Identification": _("Identification"),
    "Passport": _("Passport"),
    "UnknownLink": _("Link"),
    "Thing": _("Thing"),
}

DRUGS: dict[str, str] = {
    "fentanyl": _("fentanyl"),
    "methamphetamine": _("methamphetamine"),
    "cocaine": _("cocaine"),
    "heroin": _("heroin"),
    "marijuana": _("marijuana"),
    "ecstasy": _("ecstasy"),
    "ketamine": _("ketamine"),
    "lsd": _("LSD"),
    "khat": _("khat"),
    "other": _("other drug"),
}

FACETS: dict[str, str] = {
    "schema": _("Kind"),
    "drug": _("Drug"),
    "country": _("Country"),
    "originator": _("Originating agency"),
    "marking": _("Marking"),
}

#: The kinds of link of the network (``network/graph.py``'s OBJECTS and RELATIONS).
LINKS: dict[str, str] = {
    "shared phone": _("shared phone"),
    "shared vehicle": _("shared vehicle"),
    "shared address": _("shared address"),
    "seizure": _("same seizure"),
    "associate": _("associate"),
    "membership": _("membership"),
    "family": _("family"),
    "link": _("link"),
    "ownership": _("ownership"),
    "employment": _("employment"),
    "directorship": _("directorship"),
    "representation": _("representation"),
}
