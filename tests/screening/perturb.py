"""Spanish-name perturbations of a listed name: how another agency may write it.

Each perturbation is one rule applied to a listed name (``SURNAMES, Given Names`` as
OFAC writes them): the natural order, capitals without accents, the maternal surname
dropped, the compound given name shortened or abbreviated (José Luis → Luis, J. Luis),
a phonetic spelling (z/s, v/b, ll/y, c/s before e/i, silent h), one letter dropped or
doubled, the day-to-day "APELLIDO Nombre" form. Deterministic: the same name always
gives the same list, in the same order.
"""

from __future__ import annotations

import unicodedata

SWAPS = (("z", "s"), ("v", "b"), ("ll", "y"), ("ce", "se"), ("ci", "si"), ("b", "v"),
         ("s", "z"), ("y", "ll"), ("j", "g"), ("x", "j"))


def strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))


def split_listed(name: str) -> tuple[list[str], list[str]]:
    """(surnames, given names) of ``SURNAMES, Given Names`` (no comma: all given)."""
    if "," in name:
        surnames, given = name.split(",", 1)
        return surnames.split(), given.split()
    words = name.split()
    return words[-2:], words[:-2]


def _phonetic(word: str) -> str | None:
    lower = word.lower()
    for a, b in SWAPS:
        if a in lower:
            i = lower.index(a)
            swapped = word[:i] + b + word[i + len(a):]
            return swapped[:1].upper() + swapped[1:] if word[:1].isupper() else swapped
    if lower.startswith("h") and len(lower) > 3:
        return word[1:]
    return None


def perturbations(name: str) -> list[str]:
    surnames, given = split_listed(name)
    if not surnames or not given:
        return []
    sur = [w.title() for w in surnames]
    out = [
        " ".join([*given, *sur]),                                   # natural order
        strip_accents(" ".join([*given, *sur])).upper(),            # capitals, no accents
        " ".join([*given, sur[0]]),                                 # maternal dropped
        " ".join([*given[:1], *sur]),                               # compound shortened
        " ".join([*(given[1:] or given), *sur]),                    # second given only
        " ".join([given[0][0] + ".", *given[1:], *sur]),            # initial
        f"{' '.join(s.upper() for s in sur)} {' '.join(given)}",    # APELLIDOS Nombre
    ]
    for i, word in enumerate(sur):
        swapped = _phonetic(word)
        if swapped:
            out.append(" ".join([*given, *sur[:i], swapped, *sur[i + 1:]]))
    for i, word in enumerate(given):
        swapped = _phonetic(word)
        if swapped:
            out.append(" ".join([*given[:i], swapped, *given[i + 1:], *sur]))
    last = sur[0]
    if len(last) > 4:
        out.append(" ".join([*given, last[:2] + last[3:], *sur[1:]]))   # a letter dropped
        out.append(" ".join([*given, last[:3] + last[2:], *sur[1:]]))   # a letter doubled
    return list(dict.fromkeys(p for p in out if p.strip() and p != name))
