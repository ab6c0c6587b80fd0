"""Check digits and formats of the identifiers deconfliction takes as selectors.

Each function takes text already stripped of separators and upper-cased, and returns
the reason it is not a valid identifier of its kind, or ``None``. A wrong check digit
is refused rather than tokenized: a mistyped identifier would register a token that
never meets the right one, and the unit would believe there is no overlap.
"""

from __future__ import annotations

import re
from datetime import date

#: CURP (Clave Única de Registro de Población, RENAPO): 4 letters, birth date
#: YYMMDD, sex (H, M, or X since 2023), state of birth (2 letters, NE abroad),
#: 3 internal consonants, a homonymy character, a check digit.
_CURP = re.compile(
    r"[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX]"
    r"(AS|BC|BS|CC|CL|CM|CS|CH|DF|DG|GT|GR|HG|JC|MC|MN|MS|NT|NL|OC|PL|QT|QR|SP|SL|SR|TC|TS|"
    r"TL|VZ|YN|ZS|NE)[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d"
)
_CURP_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
#: RFC (Registro Federal de Contribuyentes, SAT): 4 letters for a person, 3 for a
#: company, the date YYMMDD, a 3-character homoclave.
_RFC = re.compile(r"([A-ZÑ&]{3,4})(\d{6})([A-Z\d]{3})")
_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7, "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
#: Aircraft registration: a nationality prefix and a mark (ICAO Annex 7), e.g.
#: XA-ABC, XB-KLM, N123AB, C-FABC; the hyphen is written or not and is dropped.
_AIRCRAFT = re.compile(r"[A-Z0-9]{1,2}-?[A-Z0-9]{1,5}")


def _yymmdd_problem(text: str) -> str | None:
    yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:6])
    for century in (1900, 2000):
        try:
            date(century + yy, mm, dd)
            return None
        except ValueError:
            continue
    return f"{text} is no date (YYMMDD)"


def curp_problem(text: str) -> str | None:
    if not _CURP.fullmatch(text):
        return "a CURP is 18 characters: 4 letters, YYMMDD, H/M/X, state, 3 consonants, 2 more"
    if (problem := _yymmdd_problem(text[4:10])) is not None:
        return problem
    total = sum(_CURP_ALPHABET.index(c) * (18 - i) for i, c in enumerate(text[:17]))
    expected = (10 - total % 10) % 10
    if int(text[17]) != expected:
        return f"check digit {text[17]} should be {expected}"
    return None


def rfc_problem(text: str) -> str | None:
    found = _RFC.fullmatch(text)
    if found is None:
        return "an RFC is 3 (company) or 4 (person) letters, YYMMDD and a 3-character homoclave"
    return _yymmdd_problem(found.group(2))


def vin_problem(text: str) -> str | None:
    if len(text) != 17 or any(c not in _VIN_VALUES for c in text):
        return "a VIN is 17 letters and digits, without I, O or Q"
    total = sum(_VIN_VALUES[c] * w for c, w in zip(text, _VIN_WEIGHTS, strict=True))
    digit = "X" if total % 11 == 10 else str(total % 11)
    # The check digit is mandatory for vehicles made for North America (WMI 1–5, 7):
    # the ones crossing this border; elsewhere position 9 is free.
    if text[0] in "123457" and text[8] != digit:
        return f"check digit {text[8]} should be {digit}"
    return None


def imo_problem(digits: str) -> str | None:
    if not re.fullmatch(r"\d{7}", digits):
        return "an IMO number is 7 digits"
    total = sum(int(d) * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True))
    if total % 10 != int(digits[6]):
        return f"check digit {digits[6]} should be {total % 10}"
    return None


def mmsi_problem(digits: str) -> str | None:
    if not re.fullmatch(r"[2-7]\d{8}", digits):
        return "a ship's MMSI is 9 digits starting with its region's maritime identification digit"
    return None


def aircraft_problem(text: str) -> str | None:
    if not _AIRCRAFT.fullmatch(text) or not any(c.isalpha() for c in text):
        return "an aircraft registration is a nationality prefix and a mark (XA-ABC, N123AB)"
    return None
