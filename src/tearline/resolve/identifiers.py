"""Mexican identity numbers: CURP and RFC read and checked; passports normalized.

A CURP (Clave Única de Registro de Población, 18 characters) encodes the date of
birth, the sex and the state of birth, and ends in a check digit; an RFC of a person
(13 characters) encodes the date of birth and ends in a check character. A number
whose check fails is kept as written but is not decisive: it may be a typo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_CURP = re.compile(r"^[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d$")
_RFC = re.compile(r"^[A-Z&Ñ]{4}\d{6}[A-Z\d]{2}[A\d]$")
_CURP_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
_RFC_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"

#: CURP state codes (NE: born abroad).
STATES = frozenset(
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS "
    "TL VZ YN ZS NE".split())


@dataclass(frozen=True)
class Curp:
    """A CURP and what it says about its holder."""

    text: str
    birth_date: date | None
    sex: str  # "H" (hombre), "M" (mujer) or "X"
    state: str
    valid: bool  # the format, the date, the state and the check digit all hold


def _clean(text: str) -> str:
    return re.sub(r"[\s\-.]", "", text.upper())


def curp_check_digit(first17: str) -> str:
    total = sum(_CURP_ALPHABET.index(ch) * (18 - i) for i, ch in enumerate(first17))
    return str((10 - total % 10) % 10)


def _yymmdd(digits: str, century: int) -> date | None:
    try:
        return date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return None


def parse_curp(text: str) -> Curp | None:
    """Read a CURP; ``None`` when it does not have a CURP's shape at all."""
    curp = _clean(text)
    if not _CURP.match(curp):
        return None
    century = 1900 if curp[16].isdigit() else 2000
    born = _yymmdd(curp[4:10], century)
    valid = (born is not None and curp[11:13] in STATES
             and curp_check_digit(curp[:17]) == curp[17])
    return Curp(curp, born, curp[10], curp[11:13], valid)


def rfc_check_character(first12: str) -> str:
    padded = first12.rjust(12)
    total = sum(_RFC_ALPHABET.index(ch) * (13 - i) for i, ch in enumerate(padded))
    rest = 11 - total % 11 if total % 11 else 0
    return "A" if rest == 10 else str(rest)


def parse_rfc(text: str) -> tuple[str, date | None, bool] | None:
    """Read a person's RFC: (the RFC, its date of birth, whether its check holds)."""
    rfc = _clean(text)
    if not _RFC.match(rfc):
        return None
    born = _yymmdd(rfc[4:10], 1900) if rfc[4:6] > "30" else _yymmdd(rfc[4:10], 2000)
    return rfc, born, born is not None and rfc_check_character(rfc[:12]) == rfc[12]


def normalize_passport(text: str) -> str:
    """A passport number as compared: upper case, letters and digits only."""
    return re.sub(r"[^A-Z0-9]", "", text.upper())
