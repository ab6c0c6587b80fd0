"""Honeytokens: canary records released to one recipient only.

A canary is a Person that does not exist — a name of two Spanish surnames, a birth date
and a Mexican mobile number, all drawn from MAC bytes of (recipient, salt) under the
node's trace secret — written as an ordinary record of the planting unit, marked
TLP:RED releasable to the one recipient unit. Nothing in the record says it is a canary
(its id is like any the API mints); only this node's ``trace_honeytokens`` table knows.
Its **selectors** are its phone number and its name with birth year: when one of them
comes back — in another partner's TAXII feed, a deconfliction check, a search, an
imported file — from anyone but that recipient, the node raises an alert naming the
recipient it was given to (``store/trace_store.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from tearline.trace.fingerprint import Fingerprinter

GIVEN = ("Alejandro", "Beatriz", "Carlos", "Daniela", "Ernesto", "Fernanda", "Gerardo",
         "Hilda", "Ignacio", "Jimena", "Leonardo", "Mariana", "Nicolás", "Olga", "Patricio",
         "Rocío", "Salvador", "Teresa", "Ulises", "Verónica")
SURNAMES = ("Aguilar", "Barragán", "Cervantes", "Domínguez", "Escobedo", "Figueroa",
            "Galindo", "Huerta", "Ibarra", "Jáuregui", "Lozano", "Montiel", "Navarrete",
            "Ochoa", "Padilla", "Quiroz", "Rentería", "Saucedo", "Trejo", "Valdivia",
            "Zamudio", "Arellano", "Bustamante", "Carrillo")
#: Mexican mobile area codes the numbers are drawn under (CDMX, Guadalajara, Monterrey,
#: Culiacán, Tijuana, Mazatlán).
AREAS = ("55", "33", "81", "667", "664", "669")


@dataclass(frozen=True, slots=True)
class Canary:
    entity_id: str
    name: str
    birth_date: str
    phone: str  # E.164

    def properties(self) -> dict[str, list[str]]:
        return {"name": [self.name], "birthDate": [self.birth_date], "phone": [self.phone],
                "nationality": ["mx"]}

    def selectors(self) -> tuple[str, ...]:
        """What marks the canary when it comes back, in :func:`normal` form."""
        return (normal(self.phone), normal(self.name))


def canary(fp: Fingerprinter, recipient: str, salt: str) -> Canary:
    """The canary for ``recipient`` (``salt`` tells apart several canaries for one)."""
    b = fp.canary(recipient, salt)
    name = (f"{GIVEN[b[0] % len(GIVEN)]} {SURNAMES[b[1] % len(SURNAMES)]} "
            f"{SURNAMES[b[2] % len(SURNAMES)]}")
    year = 1965 + b[3] % 35
    birth = f"{year}-{1 + b[4] % 12:02d}-{1 + b[5] % 28:02d}"
    area = AREAS[b[6] % len(AREAS)]
    digits = "".join(str(x % 10) for x in b[7:7 + 10 - len(area)])
    return Canary(f"tl-{b[16:32].hex()}", name, birth, f"+52{area}{digits}")


_NOT_WORD = re.compile(r"[^\w+]+")


def normal(text: str) -> str:
    """A selector or a text in the form canaries are compared in: case folded, accents
    and punctuation kept out, digits of a phone number without separators."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def phone_digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def returned(canaries: Iterable[Canary], texts: Iterable[str]) -> list[tuple[Canary, str]]:
    """The canaries whose selector occurs in one of ``texts``, with the selector found:
    a phone number by its digits (any punctuation, with or without the country code),
    a name by its words in order (accents and case aside)."""
    found: list[tuple[Canary, str]] = []
    items = list(texts)
    bare = [normal(t) for t in items]
    digits = [phone_digits(t) for t in items]
    for c in canaries:
        national = phone_digits(c.phone)[2:]  # without +52
        if any(national in d for d in digits if len(d) >= len(national)):
            found.append((c, "phone"))
        elif any(f" {normal(c.name)} " in f" {t} " for t in bare):
            found.append((c, "name"))
    return found
