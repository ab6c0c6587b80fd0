"""A person as the resolver compares it, read from a FollowTheMoney entity.

Only what identifies a person is kept: the name as written (and the nicknames among
its aliases), the date of birth, CURP, RFC and passport numbers, other identity
numbers, sex and an address. A valid CURP fills in (or corrects) the date of birth,
the sex and the state of birth, since it encodes them under a check digit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .dates import normalize_date
from .identifiers import normalize_passport, parse_curp, parse_rfc
from .names import name_keys, parse_name

_SEX = {"male": "H", "m": "H", "h": "H", "hombre": "H", "masculino": "H",
        "female": "M", "f": "M", "mujer": "M", "femenino": "M"}


@dataclass(frozen=True)
class PersonRecord:
    """One side of a comparison (all text as written; empty when unknown)."""

    id: str
    name: str
    birth_date: str = ""
    curp: str = ""
    curp_valid: bool = False
    rfc: str = ""
    rfc_valid: bool = False
    passport: str = ""
    id_number: str = ""
    sex: str = ""
    state: str = ""
    postcode: str = ""
    city: str = ""
    street: str = ""
    nicknames: tuple[str, ...] = ()
    keys: frozenset[str] = field(default_factory=frozenset)


def person(record_id: str, name: str, *, birth_date: str = "", id_numbers: Sequence[str] = (),
           passport: str = "", sex: str = "", aliases: Sequence[str] = (), postcode: str = "",
           city: str = "", street: str = "") -> PersonRecord:
    """Build a record; identity numbers are sorted into CURP, RFC and others by shape."""
    curp = rfc = other = ""
    curp_valid = rfc_valid = False
    state = ""
    born = normalize_date(birth_date)
    sex = _SEX.get(sex.strip().lower(), sex.strip().upper()[:1] if sex.strip() else "")
    for raw in id_numbers:
        read_curp = parse_curp(raw)
        read_rfc = parse_rfc(raw) if read_curp is None else None
        if read_curp is not None and not curp:
            curp, curp_valid, state = read_curp.text, read_curp.valid, read_curp.state
            if read_curp.valid and read_curp.birth_date:
                born = read_curp.birth_date.isoformat()
                sex = read_curp.sex
        elif read_rfc is not None and not rfc:
            rfc, rfc_born, rfc_valid = read_rfc
            if rfc_valid and rfc_born and not born:
                born = rfc_born.isoformat()
        elif raw.strip() and not other:
            other = normalize_passport(raw)
    parsed = parse_name(name)
    nicknames = set(parsed.nicknames)
    for alias in aliases:
        nicknames |= set(parse_name(f"alias {alias}").nicknames) if _is_nickname(alias) else set()
    return PersonRecord(
        id=record_id, name=name, birth_date=born, curp=curp, curp_valid=curp_valid, rfc=rfc,
        rfc_valid=rfc_valid, passport=normalize_passport(passport), id_number=other, sex=sex,
        state=state, postcode=postcode.strip(), city=city.strip().lower(),
        street=street.strip().lower(), nicknames=tuple(sorted(nicknames)),
        keys=frozenset(name_keys(parsed)))


def _is_nickname(alias: str) -> bool:
    words = alias.strip().lower().split()
    return bool(words) and (words[0] in {"el", "la"} or len(words) == 1)


def _first(props: Mapping[str, Sequence[str]], *names: str) -> str:
    for name in names:
        for value in props.get(name, ()):
            if value and value.strip():
                return value.strip()
    return ""


def from_entity(entity: Mapping[str, object]) -> PersonRecord:
    """A record from a FollowTheMoney entity in its JSON form (``id``, ``properties``)."""
    raw_props = entity.get("properties")
    props: dict[str, list[str]] = {}
    if isinstance(raw_props, Mapping):
        for key, values in raw_props.items():
            if isinstance(values, list):
                props[str(key)] = [str(v) for v in values]
    name = _first(props, "name")
    if not name:
        parts = [_first(props, p) for p in ("firstName", "secondName", "middleName",
                                               "fatherName", "motherName", "lastName")]
        name = " ".join(p for p in parts if p)
    ids = [v for p in ("idNumber", "taxNumber", "nationalId") for v in props.get(p, ())]
    return person(
        str(entity.get("id", "")), name, birth_date=_first(props, "birthDate"),
        id_numbers=ids, passport=_first(props, "passportNumber"), sex=_first(props, "gender"),
        aliases=[*props.get("alias", ()), *props.get("weakAlias", ())],
        postcode=_first(props, "postalCode"), city=_first(props, "city"),
        street=_first(props, "address", "street"))
