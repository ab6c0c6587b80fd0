"""Who is screened (:class:`Party`) and who is designated (:class:`Designation`).

A designation is a record the viewer may see that carries sanctions programs (the
OFAC importer gives each listed party its ``program`` values and the ``sanction``
topic); its names are the listed name and its aliases (``alias``, ``previousName``),
its nicknames (``weakAlias``) only weak evidence. A party is any Person or
organization: a record of the store, or an entity of a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tearline.model.record import Record

PEOPLE = frozenset({"Person"})
ORGANIZATIONS = frozenset({"Organization", "Company", "LegalEntity", "PublicBody"})
SCREENED = PEOPLE | ORGANIZATIONS
#: what a list designates: the parties screened, and vessels and aircraft
LISTED = SCREENED | {"Vessel", "Airplane"}
NAMES = ("name", "alias", "previousName")
NICKNAMES = ("weakAlias",)
#: identifier property → what it is called in evidence (OFAC: CURP and cédula are
#: ``idNumber``, RFC ``taxNumber``)
IDENTIFIERS: Mapping[str, str] = {"idNumber": "identity number (CURP)",
                                  "taxNumber": "tax number (RFC)",
                                  "passportNumber": "passport"}


@dataclass(frozen=True, slots=True)
class Party:
    """A person or organization to screen."""

    id: str
    schema: str
    names: tuple[str, ...]
    nicknames: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    #: (property, normalized value)
    identifiers: tuple[tuple[str, str], ...] = ()

    @property
    def person(self) -> bool:
        return self.schema in PEOPLE


@dataclass(frozen=True, slots=True)
class Designation:
    """A listed party: the party itself, its programs and its list number."""

    party: Party
    programs: tuple[str, ...]
    list_id: str = ""


def identifier(value: str) -> str:
    """An identifier compared without spaces, dashes, dots or case."""
    return re.sub(r"[^0-9A-Z]", "", value.upper())


def party_of(entity_id: str, schema: str, props: Mapping[str, Iterable[str]],
             any_schema: bool = False) -> Party | None:
    """The party of an entity's values, or ``None`` if it is not one we screen (a listed
    vessel or aircraft is a designation all the same: ``any_schema``)."""
    if schema not in SCREENED and not any_schema:
        return None

    def get(prop: str) -> tuple[str, ...]:
        values = props.get(prop, ())
        if isinstance(values, str) or not isinstance(values, Iterable):
            return ()  # a value that is not a list of texts is no value
        return tuple(sorted({v.strip() for v in values if isinstance(v, str) and v.strip()}))

    names = tuple(dict.fromkeys(n for p in NAMES for n in get(p)))
    if not names:
        return None
    ids = tuple(sorted({(p, identifier(v)) for p in IDENTIFIERS for v in get(p)
                        if identifier(v)}))
    return Party(entity_id, schema, names, get("weakAlias"), get("birthDate"),
                 get("nationality"), ids)


def record_values(record: Record) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for statement in record.statements:
        out.setdefault(statement.prop, []).append(statement.value)
    return out


def designation_of(record: Record) -> Designation | None:
    """The designation a record carries (its ``program`` values), or ``None``."""
    values = record_values(record)
    programs = tuple(sorted(set(values.get("program", ()))))
    party = party_of(record.id, record.schema, values, any_schema=True)
    if not programs or party is None:
        return None
    list_id = record.id.rsplit("..", 1)[-1].removeprefix("ofac-")
    return Designation(party, programs, list_id if list_id.isdigit() else "")
