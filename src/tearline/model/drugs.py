"""The drug vocabulary of Seizure records, and the names that map onto it.

Assessments group and filter seizures by drug and compare them with CBP's published
series (``sources/cbp.py`` maps CBP's labels onto the same names), so a Seizure's
``drug`` must be one of :data:`DRUGS`: a name outside it would be a seizure no
filter finds. Names in English and Spanish — as Mexican and U.S. units write them —
are mapped, with case, accents and spacing ignored: ``Fentanilo``, ``cocaína``,
``metanfetamina``, ``heroína`` are stored as ``fentanyl``, ``cocaine``,
``methamphetamine``, ``heroin`` (the statement keeps the name as written).
"""

from __future__ import annotations

import unicodedata

#: The canonical names (lower case), in the order they are listed to a person.
DRUGS: tuple[str, ...] = (
    "fentanyl",
    "methamphetamine",
    "cocaine",
    "heroin",
    "marijuana",
    "ecstasy",
    "ketamine",
    "lsd",
    "khat",
    "other",
)

#: Other names for each canonical one, folded (see :func:`fold`).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "fentanyl": ("fentanilo", "fentanil"),
    "methamphetamine": ("metanfetamina", "meth", "methamphetamine hcl"),
    "cocaine": ("cocaina", "cocaine hcl", "clorhidrato de cocaina"),
    "heroin": ("heroina",),
    "marijuana": ("marihuana", "mariguana", "cannabis"),
    "ecstasy": ("extasis", "mdma"),
    "ketamine": ("ketamina",),
    "lsd": ("lysergide",),
    "khat": ("khat (catha edulis)", "catha edulis"),
    "other": ("other drugs", "otra", "otras", "otras drogas", "otro"),
}


def fold(name: str) -> str:
    """Lower case, accents removed, runs of spaces made one, trailing ``*`` dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split()).rstrip("*").strip()


_NAMES: dict[str, str] = {name: name for name in DRUGS}
_NAMES.update({alias: name for name, aliases in SYNONYMS.items() for alias in aliases})


def canonical_drug(name: str) -> str | None:
    """The vocabulary's name for ``name``, or ``None`` if it is not a known drug name."""
    return _NAMES.get(fold(name))
