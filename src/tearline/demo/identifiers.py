"""Synthetic identifiers that look and validate like real ones.

- Names with Mexican naming: one or two given names and two surnames (paternal,
  maternal), drawn from Faker's ``es_MX`` person provider; nicknames ``El …``/``La …``.
- Phone numbers: Mexican (+52) and U.S. (+1) numbers in real area codes, kept only if
  ``phonenumbers`` says they are valid numbers; given in a human format, which the
  record normalizes to E.164.
- Vehicle plates in Mexican and U.S. state formats, and 17-character VINs whose check
  digit (position 9, as in 49 CFR 565) is correct.

Every function takes the random generators it uses; nothing here touches global state.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import phonenumbers

MX_AREA_CODES = ("667", "664", "686", "662", "33", "55", "81", "443", "453", "314", "753",
                 "656", "631", "899", "867", "644", "687")
US_AREA_CODES = ("619", "858", "760", "520", "915", "956", "210", "713", "602", "213", "323")
MX_CARRIERS = ("Telcel", "AT&T México", "Movistar", "Bait")
US_CARRIERS = ("AT&T", "Verizon", "T-Mobile", "Cricket Wireless")

NICKNAMES_MALE = ("Flaco", "Güero", "Chino", "Gordo", "Negro", "Compa", "Tigre", "Lobo",
                  "Pariente", "Ingeniero", "Contador", "Licenciado", "Chuy", "Pelón", "Toro",
                  "Diablo", "Gallo", "Nene", "Jaguar", "Cuate", "Mudo", "Zurdo", "Primo",
                  "Chato", "Güerito", "Señor", "Doctor", "Tío", "Mayito", "Chavo")
NICKNAMES_FEMALE = ("Güera", "Flaca", "Jefa", "Reina", "Chata", "Tía", "Doña", "Licenciada")


@dataclass(frozen=True, slots=True)
class MexicanName:
    given: tuple[str, ...]
    paternal: str
    maternal: str
    gender: str  # "male" | "female"
    nickname: str | None

    @property
    def surnames(self) -> str:
        return f"{self.paternal} {self.maternal}"

    @property
    def full(self) -> str:
        return " ".join((*self.given, self.paternal, self.maternal))


def mexican_name(rng: random.Random, fake: Any, nickname_share: float = 0.4) -> MexicanName:
    """Given names plus two distinct surnames; some people carry a nickname."""
    gender = "female" if rng.random() < 0.18 else "male"
    pick = fake.first_name_female if gender == "female" else fake.first_name_male
    count = 2 if rng.random() < 0.45 else 1
    given: list[str] = []
    while len(given) < count:
        name = str(pick())
        if name not in given:
            given.append(name)
    paternal = str(fake.last_name())
    maternal = str(fake.last_name())
    while maternal == paternal:
        maternal = str(fake.last_name())
    nickname = None
    if rng.random() < nickname_share:
        if gender == "female":
            nickname = "La " + rng.choice(NICKNAMES_FEMALE)
        else:
            nickname = "El " + rng.choice(NICKNAMES_MALE)
    return MexicanName(tuple(given), paternal, maternal, gender, nickname)


def phone_number(rng: random.Random, country: str) -> str:
    """A valid mobile-style number in a human format (``+52 667 123 4567``)."""
    for _ in range(100):
        if country == "mx":
            area = rng.choice(MX_AREA_CODES)
            rest = str(rng.randint(2, 9)) + "".join(
                str(rng.randint(0, 9)) for _ in range(9 - len(area))
            )
            text = f"+52 {area} {rest[:-4]} {rest[-4:]}"
        else:
            area = rng.choice(US_AREA_CODES)
            exchange = f"{rng.randint(2, 9)}{rng.randint(0, 9)}{rng.randint(0, 9)}"
            if exchange[1:] == "11" or exchange == "555":
                continue
            text = f"+1 {area}-{exchange}-{rng.randint(0, 9999):04d}"
        parsed = phonenumbers.parse(text, None)
        if phonenumbers.is_valid_number(parsed):
            return text
    raise RuntimeError(f"no valid {country} phone number after 100 draws")  # pragma: no cover


def carrier(rng: random.Random, country: str) -> str:
    return rng.choice(MX_CARRIERS if country == "mx" else US_CARRIERS)


_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # no I, O, Q: they are not used on plates or VINs


def plate(rng: random.Random, region: str) -> str:
    """A plate in the format of a U.S. state (``California``/``Arizona``/``Texas``) or Mexico."""

    def letters(n: int) -> str:
        return "".join(rng.choice(_LETTERS) for _ in range(n))

    def digits(n: int) -> str:
        return "".join(str(rng.randint(0, 9)) for _ in range(n))

    if region == "California":
        return f"{rng.randint(5, 9)}{letters(3)}{digits(3)}"
    if region in ("Arizona", "Texas", "New York"):
        return f"{letters(3)}{digits(4)}"
    return f"{letters(3)}-{digits(3)}-{letters(1)}"


#: (world manufacturer identifier, make, model, body) of common vehicles on the border.
VEHICLE_TYPES: tuple[tuple[str, str, str, str], ...] = (
    ("1FT", "Ford", "F-150", "pickup"),
    ("1GC", "Chevrolet", "Silverado", "pickup"),
    ("3GC", "Chevrolet", "Silverado", "pickup"),
    ("3N1", "Nissan", "Versa", "sedan"),
    ("1N4", "Nissan", "Altima", "sedan"),
    ("3VW", "Volkswagen", "Jetta", "sedan"),
    ("2HG", "Honda", "Civic", "sedan"),
    ("5NP", "Hyundai", "Elantra", "sedan"),
    ("JTD", "Toyota", "Corolla", "sedan"),
    ("5TD", "Toyota", "Sienna", "minivan"),
    ("2C4", "Chrysler", "Town & Country", "minivan"),
)
TRUCK_TYPES: tuple[tuple[str, str, str, str], ...] = (
    ("1FU", "Freightliner", "Cascadia", "tractor-trailer"),
    ("3AK", "Freightliner", "Cascadia", "tractor-trailer"),
    ("1XK", "Kenworth", "T680", "tractor-trailer"),
    ("3HS", "International", "LT", "tractor-trailer"),
)

_TRANSLITERATION = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7, "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
#: Model-year codes (position 10) for 2010–2023.
YEAR_CODES = dict(zip(range(2010, 2024), "ABCDEFGHJKLMNP", strict=True))
_VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


def vin_check_digit(vin: str) -> str:
    """The check digit a 17-character VIN must carry at position 9."""
    total = sum(_TRANSLITERATION[c] * w for c, w in zip(vin.upper(), _WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def vin_is_valid(vin: str) -> bool:
    if len(vin) != 17 or any(c not in _VIN_CHARS for c in vin.upper()):
        return False
    return vin[8].upper() == vin_check_digit(vin)


def vin(rng: random.Random, wmi: str, year: int) -> str:
    """A VIN for a vehicle of manufacturer ``wmi`` and model ``year``, check digit included."""
    descriptor = "".join(rng.choice(_VIN_CHARS[10:]) for _ in range(5))
    plant = rng.choice(_VIN_CHARS[10:])
    serial = f"{rng.randint(0, 999999):06d}"
    draft = f"{wmi}{descriptor}0{YEAR_CODES[year]}{plant}{serial}"
    return draft[:8] + vin_check_digit(draft) + draft[9:]
