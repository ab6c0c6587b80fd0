"""One OFAC SDN row → FollowTheMoney entities (the listed party and its Sanction).

Every value goes through the FollowTheMoney property type it is added to (dates,
countries, identifiers, genders, names), so normalization is FollowTheMoney's. A
value its type refuses is left out and reported as a warning on the entry, never
silently dropped.

Schemata: ``individual`` → Person, ``vessel`` → Vessel, ``aircraft`` → Airplane,
and an empty type → Organization. Ids are stable across runs and files:
``ofac-<ent_num>`` for the party, ``ofac-<ent_num>-sanction`` for its Sanction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tearline.ingest.ofac_names import split_person_name
from tearline.ingest.ofac_remarks import Remarks, parse_remarks
from tearline.model.ftm import registry
from tearline.model.schema import get_model

SDN_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
SCHEMATA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane", "": "Organization"}
AUTHORITY = "U.S. Treasury OFAC"
DETAILS_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={ent_num}"

#: Properties a fact may fall back to when the entity's schema lacks the first
#: choice (a passport number listed for an organization is still an ID number).
FALLBACKS = {"passportNumber": "idNumber", "socialSecurityNumber": "idNumber"}


def entity_id(ent_num: str) -> str:
    return f"ofac-{ent_num}"


def split_programs(text: str) -> tuple[str, ...]:
    """``SDNTK] [ILLICIT-DRUGS-EO14059`` → ``("SDNTK", "ILLICIT-DRUGS-EO14059")``."""
    parts = (part.strip(" []") for part in text.split("] ["))
    return tuple(part for part in parts if part)


@dataclass(slots=True)
class Built:
    """The entities of one row, before ``Linked To`` and owners are resolved."""

    proxy: Any
    sanction: Any
    remarks: Remarks
    owner: str
    warnings: list[str] = field(default_factory=list)


#: Cleaned values by (type, format, text) for the types whose cleaning does not look
#: at the entity (every type but entity references): an SDN list repeats its
#: programs, countries, nationalities and identifier kinds thousands of times.
_CLEANED: dict[tuple[str, str | None, str], str | None] = {}
_MISSING = object()


def _clean(prop: Any, text: str, proxy: Any) -> str | None:
    """``prop.type.clean`` (the whole of FollowTheMoney's cleaning, sanitizing included,
    so that the stored value is final: :func:`tearline.model.record.build_record` is
    told the values are clean and does not clean them again)."""
    if prop.type.name == "entity":
        result: str | None = prop.type.clean(text, format=prop.format, proxy=proxy)
        return result
    key = (prop.type.name, prop.format, text)
    found = _CLEANED.get(key, _MISSING)
    if found is _MISSING:
        if len(_CLEANED) >= 1 << 16:
            _CLEANED.clear()
        found = _CLEANED[key] = prop.type.clean(text, format=prop.format)
    return found  # type: ignore[return-value]


def put(proxy: Any, prop_name: str, value: str, warnings: list[str], what: str = "") -> None:
    """Add one value through its property type; report it if the type refuses it."""
    name = prop_name if proxy.schema.get(prop_name) else FALLBACKS.get(prop_name, "")
    prop = proxy.schema.get(name) if name else None
    if prop is None:
        warnings.append(f"{prop_name} does not apply to a {proxy.schema.name}: {what or value!r}")
        return
    candidates = [value]
    if prop.name == "phone" and value.isdigit():
        # OFAC writes international phone numbers without the leading "+".
        candidates.append(f"+{value}")
    for candidate in candidates:
        cleaned = _clean(prop, candidate, proxy)
        # The length check is the rest of what followthemoney's validation demands.
        if cleaned is not None and len(cleaned) <= prop.type.max_length:
            proxy.unsafe_add(prop, cleaned, cleaned=True)
            return
    warnings.append(f"not a valid {prop.name} ({prop.type.name}): {what or value!r}")


def _names(proxy: Any, listed: str, individual: bool, prop: str, warnings: list[str]) -> None:
    if not individual:
        put(proxy, prop, listed, warnings)
        return
    parts = split_person_name(listed)
    put(proxy, prop, parts.full, warnings)
    if parts.listed != parts.full:
        put(proxy, "alias" if prop == "name" else prop, parts.listed, warnings)
    if prop == "name":
        for part_prop, value in (
            ("firstName", parts.first),
            ("middleName", parts.middle),
            ("lastName", parts.last),
        ):
            if value:
                put(proxy, part_prop, value, warnings)


def _birth_place(proxy: Any, place: str, warnings: list[str]) -> None:
    put(proxy, "birthPlace", place, warnings)
    country = registry.country.clean_text(place.rsplit(",", 1)[-1].strip())
    if country is not None and proxy.schema.get("birthCountry"):
        proxy.unsafe_add(proxy.schema.get("birthCountry"), country, cleaned=True)


def _vessel(proxy: Any, cells: dict[str, str], warnings: list[str]) -> None:
    for column, prop in (
        ("Call_Sign", "callSign"),
        ("Vess_type", "type"),
        ("Tonnage", "tonnage"),
        ("GRT", "grossRegisteredTonnage"),
        ("Vess_flag", "flag"),
    ):
        if cells[column]:
            value = cells[column]
            if prop in ("tonnage", "grossRegisteredTonnage"):
                value = value.replace(",", "")
            put(proxy, prop, value, warnings, f"{column} {cells[column]}")


def build_row(cells: dict[str, str]) -> Built:
    """Build the party and its Sanction from one checked row (cells by column)."""
    model = get_model()
    ent_num = cells["ent_num"]
    sdn_type = cells["SDN_Type"].lower()
    proxy = model.make_entity(SCHEMATA[sdn_type])
    proxy.id = entity_id(ent_num)
    warnings: list[str] = []
    individual = sdn_type == "individual"
    _names(proxy, cells["SDN_Name"], individual, "name", warnings)
    programs = split_programs(cells["Program"])
    for program in programs:
        put(proxy, "program", program, warnings)
    put(proxy, "topics", "sanction", warnings)
    if cells["Title"]:
        put(proxy, "position", cells["Title"], warnings)
    if sdn_type == "vessel":
        _vessel(proxy, cells, warnings)
    remarks = parse_remarks(cells["Remarks"])
    warnings.extend(remarks.warnings)
    if cells["Remarks"]:
        put(proxy, "notes", cells["Remarks"], warnings)
    for fact in remarks.facts:
        if fact.prop == "birthPlace":
            _birth_place(proxy, fact.value, warnings)
        elif fact.prop in ("weakAlias", "previousName", "alias") and individual:
            _names(proxy, fact.value, True, fact.prop, warnings)
        else:
            put(proxy, fact.prop, fact.value, warnings, fact.source)

    sanction = model.make_entity("Sanction")
    sanction.id = f"{proxy.id}-sanction"
    # Known-clean values (an id, a constant, a template URL): added as cleaned.
    for prop, value in (
        ("entity", proxy.id),
        ("authority", AUTHORITY),
        ("authorityId", ent_num),
        ("country", "us"),
        ("sourceUrl", DETAILS_URL.format(ent_num=ent_num)),
        *(("program", program) for program in programs),
    ):
        sanction.unsafe_add(sanction.schema.get(prop), value, cleaned=True)
    return Built(proxy, sanction, remarks, cells["Vess_owner"], warnings)
