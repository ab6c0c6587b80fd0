"""The vocabularies a person reads, in either language: drugs, schemata, weights…

One place for the words both the web pages and the reports show, so a seizure of
``fentanyl`` reads "fentanilo" on a page and in a PDF alike::

    label("drug", "fentanyl", "es_MX")      # "fentanilo"
    label("schema", "Lab", "es_MX")         # "Laboratorio clandestino"
    label("country", "cn", "es_MX")         # "China" (Babel's territory names)

:data:`TERMS` maps each kind to the stored values and their English labels; the
Spanish comes from the ``tearline`` catalog, each label under its kind as message
context (``msgctxt "drug"``), where ``python3 dev.py i18n`` puts it. A value outside
the vocabulary is data, not a word of ours: it is shown as it was stored.

The Spanish is that of Mexican law enforcement (SEMAR, FGR): a seizure is an
*aseguramiento* — the precautionary taking of drugs by the authority; *decomiso*
is the forfeiture a judge orders later — and an operation an *operativo*.
"""

from __future__ import annotations

from tearline.i18n import babel_locale, translations

#: kind → stored value → English label (the msgid; its kind is the msgctxt).
TERMS: dict[str, dict[str, str]] = {
    "drug": {
        "fentanyl": "fentanyl",
        "methamphetamine": "methamphetamine",
        "cocaine": "cocaine",
        "heroin": "heroin",
        "marijuana": "marijuana",
        "ecstasy": "ecstasy",
        "ketamine": "ketamine",
        "lsd": "LSD",
        "khat": "khat",
        "other": "other drugs",
    },
    "schema": {
        "Seizure": "Seizure",
        "Lab": "Clandestine laboratory",
        "Operation": "Operation",
        "Phone": "Phone",
        "Person": "Person",
        "Organization": "Organization",
        "Company": "Company",
        "Vehicle": "Vehicle",
        "Vessel": "Vessel",
        "Address": "Address",
        "Event": "Event",
        "Membership": "Membership",
        "Associate": "Associate",
        "Family": "Family member",
        "Report": "Report",
    },
    "weight": {"gross": "gross weight", "net": "net weight"},
    "region": {
        "mx-state": "Mexican states",
        "cbp-region": "U.S. CBP regions",
        "other": "other or unknown regions",
    },
    "column": {
        "port": "port or office",
        "conveyance": "conveyance",
        "concealment": "concealment",
        "drug": "drug",
    },
    "period": {"fiscal_year": "fiscal year", "year": "calendar year"},
    "confidence": {"low": "low", "moderate": "moderate", "high": "high"},
    # the regions CBP reports by (tearline.sources.cbp), in CBP's words
    "cbp_region": {"Southwest Border": "Southwest Border", "Northern Border": "Northern Border",
                   "Coastal/Interior": "Coastal/Interior"},
    # UNODC's drug series (tearline.reports.longrun), in UNODC's own English
    "unodc_drug": {name: name for name in (
        "Pharmaceutical opioids", "Other illicit opioids", "Methamphetamine",
        "Cocaine (base, paste and salts)", "Cocaine salts", "Coca paste/cocaine base", "Crack",
        "Non-specified cocaine", "Heroin", "Marijuana (herb)", "Ecstasy-type substances",
        "Ketamine and phencyclidine-type substances", "LSD")},
    "parameter": {"drug": "drug", "start": "start", "end": "end", "origins": "origins",
                  "weight": "weight", "period": "period", "top": "top rows", "title": "title"},
    # how a seizure crossed and where the drug was hidden, as the sources and the demo
    # write them (a value outside these is shown as stored)
    "conveyance": {
        "passenger vehicle": "passenger vehicle", "commercial truck": "commercial truck",
        "pedestrian": "pedestrian", "bus": "bus", "international mail": "international mail",
        "express consignment": "express consignment", "container vessel": "container vessel",
        "fishing vessel": "fishing vessel", "mail": "mail", "air cargo": "air cargo",
    },
    "concealment": {
        "gas tank": "gas tank", "quarter panels": "quarter panels", "spare tire": "spare tire",
        "dashboard compartment": "dashboard compartment", "seats": "seats", "bumper": "bumper",
        "battery": "battery", "floor compartment": "floor compartment",
        "commingled with produce": "commingled with produce", "trailer floor": "trailer floor",
        "tractor fuel tank": "tractor fuel tank", "pallets": "pallets",
        "refrigeration unit": "refrigeration unit", "cab sleeper": "cab sleeper",
        "body-carried": "body-carried", "backpack": "backpack", "shoes": "shoes",
        "groin area": "groin area", "luggage": "luggage",
        "overhead compartment": "overhead compartment", "parcel": "parcel",
        "inside electronics": "inside electronics",
        "vacuum-sealed envelope": "vacuum-sealed envelope",
        "inside machinery parts": "inside machinery parts", "candle wax": "candle wax",
        "shipping container": "shipping container",
        "container refrigeration unit": "container refrigeration unit",
        "commingled with cargo": "commingled with cargo",
        "hull compartment": "hull compartment", "fish hold": "fish hold",
        "produce load": "produce load", "seat": "seat", "body carry": "body carry",
        "machinery": "machinery",
    },
    "term": {
        "seizure": "seizure",
        "seizures": "seizures",
        "clandestine_lab": "clandestine laboratory",
        "precursor": "precursor chemical",
        "trafficking_organization": "drug trafficking organization",
        "origin": "origin",
        "unknown": "unknown",
    },
}


def label(kind: str, value: str, locale: str) -> str:
    """How ``value`` of vocabulary ``kind`` reads in ``locale``.

    ``country`` takes ISO 3166 alpha-2 codes (any case) and answers Babel's territory
    name; an unknown kind or value answers ``value`` itself.
    """
    if kind == "country":
        return str(babel_locale(locale).territories.get(value.upper(), value))
    english = TERMS.get(kind, {}).get(value)
    if english is None:
        return value
    return str(translations(locale).pgettext(kind, english))


def entries() -> list[tuple[str, str]]:
    """Every (kind, English label) of the vocabularies: what the catalog must translate."""
    return [(kind, english) for kind, terms in TERMS.items() for english in terms.values()]
