"""Selectors: the identifiers deconfliction compares, in one canonical form per kind.

Two agencies meet only if they write the same target the same way, so each kind has
one normal form, and the one form is the ingest's wherever ingest already normalizes
the same value: phone numbers, countries and dates go through the model's
FollowTheMoney cleaning (``model.normalize.normalized``), so a phone stored in a record
and the same phone typed at the command line give one token. What ingest does not
normalize (CURP, RFC, plates, VINs, vessel and aircraft marks, names for matching,
addresses) is normalized here, with check digits verified where the identifier has
one.

A selector's OPRF input is its kind and value, separated and versioned, so that the
same characters under two kinds (an MMSI and a phone written without ``+``) never
give the same token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

import phonenumbers

from tearline.deconflict import identifiers
from tearline.deconflict.text import address_key, fold, name_key
from tearline.errors import SelectorError, tr
from tearline.model.ftm import registry
from tearline.model.normalize import normalized

SelectorKind = Literal[
    "phone", "curp", "rfc", "passport", "identifier", "plate", "vin", "imo", "mmsi",
    "aircraft", "person", "address", "event",
]
KINDS: tuple[str, ...] = get_args(SelectorKind)
#: Domain separation of the OPRF input: a format version, the kind, the value.
INPUT_PREFIX = b"tearline-selector/1\x1f"
_SEPARATORS = re.compile(r"[\s\-./_·]+")


@dataclass(frozen=True, slots=True, order=True)
class Selector:
    """A normalized selector. ``value`` is plaintext: it never leaves the client."""

    kind: str
    value: str

    def oprf_input(self) -> bytes:
        return INPUT_PREFIX + self.kind.encode() + b"\x1f" + self.value.encode("utf-8")

    def __repr__(self) -> str:  # keep plaintext out of logs and tracebacks
        return f"Selector({self.kind}, …)"


def _refuse(kind: str, text: str, why: str) -> SelectorError:
    shown = text if len(text) <= 40 else text[:40] + "…"
    return SelectorError(tr(
        "not a valid {kind} selector ({shown!r}): {why}", kind=kind, shown=shown, why=why))


def compact(text: str) -> str:
    """Upper case, accents and separators (spaces, hyphens, dots, slashes) dropped."""
    return _SEPARATORS.sub("", fold(text, keep_case=True)).upper()


def country_code(text: str) -> str:
    """An ISO 3166-1 alpha-2 code (lower case), as ingest stores countries."""
    code = normalized(registry.country, text.strip())
    if code is None:
        raise SelectorError(tr("not a country: {text!r}", text=text))
    return code


def phone(text: str, country: str | None = None) -> Selector:
    """E.164. International forms are read as ingest reads them; a national form needs
    the country it was dialled in (``country``)."""
    value = normalized(registry.phone, text.strip())
    if value is None and country is not None:
        region = country_code(country).upper()
        try:
            parsed = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException as exc:
            raise _refuse("phone", text, str(exc)) from exc
        if phonenumbers.is_valid_number(parsed):
            e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            value = normalized(registry.phone, e164)
    if value is None:
        hint = "" if country else " (a national number needs its country)"
        raise _refuse("phone", text, "no valid phone number" + hint)
    return Selector("phone", value)


def _checked(kind: str, text: str, problem: str | None) -> Selector:
    if problem is not None:
        raise _refuse(kind, text, problem)
    return Selector(kind, compact(text))


def curp(text: str) -> Selector:
    return _checked("curp", text, identifiers.curp_problem(compact(text)))


def rfc(text: str) -> Selector:
    return _checked("rfc", text, identifiers.rfc_problem(compact(text)))


def vin(text: str) -> Selector:
    return _checked("vin", text, identifiers.vin_problem(compact(text)))


def aircraft(text: str) -> Selector:
    compact = _SEPARATORS.sub("", text.strip().upper())
    return _checked("aircraft", text, identifiers.aircraft_problem(compact))


def imo(text: str) -> Selector:
    digits = re.sub(r"^IMO", "", compact(text))
    if (problem := identifiers.imo_problem(digits)) is not None:
        raise _refuse("imo", text, problem)
    return Selector("imo", digits)


def mmsi(text: str) -> Selector:
    digits = compact(text)
    if (problem := identifiers.mmsi_problem(digits)) is not None:
        raise _refuse("mmsi", text, problem)
    return Selector("mmsi", digits)


def _scoped(kind: str, text: str, scope: str) -> Selector:
    value = compact(text)
    if not value.isalnum() or not 1 <= len(value) <= 64:
        raise _refuse(kind, text, "1 to 64 letters and digits (separators are ignored)")
    return Selector(kind, f"{scope}:{value}")


def passport(text: str, country: str) -> Selector:
    """A passport number is unique only within its issuing country."""
    return _scoped("passport", text, country_code(country))


def identifier(text: str, scheme: str) -> Selector:
    """Another identifier (driver's licence, voter card, IMEI …) within its scheme."""
    scheme_key = fold(scheme).replace(" ", "-")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,31}", scheme_key):
        raise SelectorError(tr(
            "an identifier scheme is a short name, not {scheme!r}", scheme=scheme))
    return _scoped("identifier", text, scheme_key)


def plate(text: str, country: str) -> Selector:
    """A vehicle plate with the country that issued it (plates repeat across borders)."""
    return _scoped("plate", text, country_code(country))


def person(name: str, birth_date: str) -> Selector:
    """Normalized name (accents, case, order of its words ignored) and date of birth."""
    key = name_key(name)
    if not key:
        raise _refuse("person", name, "no name")
    born = normalized(registry.date, birth_date.strip())
    if born is None or len(born) != 10:
        raise _refuse("person", birth_date, "a person needs a full date of birth (YYYY-MM-DD)")
    return Selector("person", f"{key}|{born}")


def address(text: str, country: str) -> Selector:
    key = address_key(text)
    if not key:
        raise _refuse("address", text, "no address")
    return Selector("address", f"{country_code(country)}:{key}")


def parse(kind: str, text: str, *, country: str | None = None, scheme: str | None = None,
          birth_date: str | None = None) -> Selector:
    """One selector of ``kind`` from what a person typed, with the context it needs."""
    simple = {"curp": curp, "rfc": rfc, "vin": vin, "imo": imo, "mmsi": mmsi,
              "aircraft": aircraft}
    if kind in simple:
        return simple[kind](text)
    if kind == "phone":
        return phone(text, country)
    if kind in ("passport", "plate", "address"):
        if country is None:
            raise SelectorError(tr("a {kind} selector needs its country", kind=kind))
        return {"passport": passport, "plate": plate, "address": address}[kind](text, country)
    if kind == "identifier":
        if scheme is None:
            raise SelectorError(tr("an identifier selector needs its scheme"))
        return identifier(text, scheme)
    if kind == "person":
        if birth_date is None:
            raise SelectorError(tr("a person selector needs a date of birth"))
        return person(text, birth_date)
    raise SelectorError(tr(
        "no selector kind {kind!r}; the kinds are {KINDS}", kind=kind, KINDS=', '.join(KINDS)))
