"""Mexican person names: parse them, compare them with reasons, key them for blocking.

The interface (stable; the screening code uses it too):

``parse_name(text) -> PersonName``
    Reads "Joaquín Archivaldo Guzmán Loera alias El Chapo", "GUZMAN LOERA, Joaquin" or
    "Ma. de Jesús de la Garza" into given names, a paternal and a maternal surname and
    nicknames. Words are folded (lower case, accents and ``ñ`` removed), particles
    (de, del, de la, y) dropped from surnames ("de la Garza" → ``garza``) and kept out of
    compound given names ("María de Jesús" → ``("maria", "jesus")``), abbreviations
    expanded ("Ma." → ``maria``, "Fco." → ``francisco``), initials kept as one letter
    ("J. Luis" → ``("j", "luis")``). Without a comma, the given names are the leading
    words found in :data:`~tearline.resolve.lexicon.GIVEN_NAMES` (or sounding like
    one: "Alverto") and the last two words are the surnames; with a comma, the
    surnames come first. "alias …", "a.k.a. …",
    quoted or parenthesized words are nicknames (the article "El" dropped).

``name_similarity(a, b) -> NameEvidence``
    A score in [0, 1] and the reasons behind it. Given names are aligned word by word
    (exact, phonetic variant, initial, familiar form such as Pepe/José, one-letter
    typo); a compound given name shortened on one side only ("José Luis" / "Luis") is a
    small penalty, two different given names ("José Luis" / "José Antonio") a conflict
    that brings the score near zero — so brothers and cousins who share surnames do not
    look alike. A maternal surname present on one side only ("Guzmán" / "Guzmán Loera")
    is a small penalty, two different maternal surnames a large one. Phonetic variants
    are named by rule (z/s, v/b, ll/y, c/s, h silent, x/j, g/j). Because a name of three
    words is ambiguous ("José Luis Pérez" / "Juan Pérez López"), the other readings are
    tried at a small cost. Nicknames shared add a little; they never carry a match.

``name_keys(name) -> set[str]``
    Blocking keys, phonetic: the paternal surname with each given name (either word
    also with any one letter deleted, so that one edit on one side still meets the
    other), the two surnames together, the maternal surname with each given name, and
    each given name with the start of the paternal surname (for a typo further on). Two
    spellings of one person share a key unless every pairing of their given names and
    surnames changed by more than one edit; a name written with initials only is found
    through the two surnames.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

from .lexicon import (
    ABBREVIATIONS,
    ALIAS_MARKERS,
    GIVEN_NAMES,
    HYPOCORISMS,
    MARIAN,
    NICKNAME_ARTICLES,
    PARTICLES,
)
from .phonetic import fold, jaro_winkler, one_edit, phonetic, phonetic_rules, slip

#: Words that are common given names and common surnames: just before the last word
#: they are read as the paternal surname ("María Cruz López", "Jesús Alfredo Félix
#: Rojas"), since a Mexican name carries two surnames; the other reading is still tried.
_BOTH = frozenset({"cruz", "martin", "roman", "santiago", "tomas", "lorenzo", "domingo",
                   "vicente", "salvador", "german", "leon", "isidro", "felix", "reyes",
                   "santos", "gil", "marcos"})
#: The phonetic forms of the given names: "Alverto" and "Silbia" are given names too
#: (and "Crus" is read as "Cruz" is).
_GIVEN_SOUNDS = frozenset(phonetic(word) for word in GIVEN_NAMES)
_BOTH_SOUNDS = frozenset(phonetic(word) for word in _BOTH)
_MARKER = re.compile(
    r"\b(?:" + "|".join(m.replace(" ", r"\.?\s*") for m in ALIAS_MARKERS)
    + r")\b\.?|\(a\.?\)", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]+)[\"“”«»]|\(([^)]*)\)")
_NICK_SPLIT = re.compile(r"[,;/]|\s+o\s+|\s+or\s+", re.IGNORECASE)


@dataclass(frozen=True)
class PersonName:
    """A parsed person name; every word folded (see the module docstring)."""

    text: str
    given: tuple[str, ...] = ()
    paternal: str = ""
    maternal: str = ""
    nicknames: tuple[str, ...] = ()
    #: every name word in the order read (given names first), for other readings
    words: tuple[str, ...] = ()
    #: True when a comma fixed which words are surnames
    ordered: bool = False
    #: words written abbreviated and expanded here ("Ma." → ``maria``)
    abbreviated: tuple[str, ...] = ()

    @property
    def surnames(self) -> tuple[str, ...]:
        return tuple(s for s in (self.paternal, self.maternal) if s)

    @cached_property
    def sounds(self) -> frozenset[str]:
        """The phonetic forms of the name's words."""
        return frozenset(phonetic(w) for w in self.words)

    @property
    def folded(self) -> str:
        return " ".join((*self.given, *self.surnames))


@dataclass(frozen=True)
class NameEvidence:
    """How alike two names are: a score in [0, 1] and why."""

    score: float
    reasons: tuple[str, ...]
    given: float = 0.0
    surnames: float = 0.0


def _nicknames(text: str) -> tuple[str, list[str]]:
    nicks: list[str] = []
    match = _MARKER.search(text)
    if match:
        nicks.extend(_NICK_SPLIT.split(text[match.end():]))
        text = text[: match.start()]

    def _take(m: re.Match[str]) -> str:
        nicks.append(m.group(1) or m.group(2) or "")
        return " "

    text = _QUOTED.sub(_take, text)
    out = []
    for nick in nicks:
        words = fold(nick).split()
        while words and words[0] in NICKNAME_ARTICLES:
            words = words[1:]
        if words:
            out.append(" ".join(words))
    return text, out


def _abbreviated(text: str) -> tuple[str, ...]:
    return tuple(ABBREVIATIONS[k] for k in map(fold, text.split()) if k in ABBREVIATIONS)


def _words(text: str) -> list[tuple[bool, str]]:
    """(is a particle, word) per folded word; abbreviations expanded, initials kept."""
    out: list[tuple[bool, str]] = []
    for raw in text.split():
        key = fold(raw)
        dotted = raw.rstrip().endswith(".")
        if key in ABBREVIATIONS:
            key = ABBREVIATIONS[key]
        for word in key.split():
            is_initial = len(word) == 1 and (dotted or word not in PARTICLES)
            out.append((word in PARTICLES and not is_initial, word))
    return out


def _groups(text: str) -> list[tuple[bool, str]]:
    """(had particles, head word) per name word: "de la garza" → (True, "garza")."""
    groups: list[tuple[bool, str]] = []
    pending: list[str] = []
    for is_particle, word in _words(text):
        if is_particle:
            pending.append(word)
            continue
        groups.append((bool(pending), word))
        pending = []
    return groups


def _given_count(groups: list[tuple[bool, str]]) -> int:
    count = 1
    for index, (particled, word) in enumerate(groups[1:], start=1):
        if particled and word in MARIAN:
            count += 1
        elif not particled and (word in GIVEN_NAMES or word in HYPOCORISMS or len(word) == 1
                                or phonetic(word) in _GIVEN_SOUNDS):
            if len(groups) >= 3 and index == len(groups) - 2 and phonetic(word) in _BOTH_SOUNDS:
                break
            count += 1
        else:
            break
    surnames = len(groups) - count
    if surnames == 0 and len(groups) >= 2:
        count -= 1
    elif surnames > 2:
        count = len(groups) - 2
    return count


def _read(base: PersonName, given: tuple[str, ...], surnames: tuple[str, ...]) -> PersonName:
    return replace(base, given=given, paternal=surnames[0] if surnames else "",
                   maternal=surnames[1] if len(surnames) > 1 else "",
                   words=given + surnames)


def parse_name(text: str) -> PersonName:
    """Read a person name as written (see the module docstring)."""
    body, nicks = _nicknames(text)
    base = PersonName(text=text, nicknames=tuple(nicks), abbreviated=_abbreviated(body))
    if "," in body:
        surname_part, _, given_part = body.partition(",")
        surnames = tuple(w for _, w in _groups(surname_part))
        given = tuple(w for _, w in _groups(given_part))
        if surnames and given:
            name = _read(base, given, surnames[-2:] if len(surnames) > 2 else surnames)
            return replace(name, ordered=True)
        body = body.replace(",", " ")
    groups = _groups(body)
    words = tuple(w for _, w in groups)
    split = _given_count(groups) if groups else 0
    return _read(base, words[:split], words[split:])


@lru_cache(maxsize=100_000)
def readings(name: PersonName) -> list[tuple[PersonName, float]]:
    """The name as parsed (cost 1.0) and the other plausible readings, at a small cost."""
    out = [(name, 1.0)]
    if name.ordered or len(name.words) < 2:
        return out
    if len(name.words) == 2:  # "Pérez Juan": the two words the other way round
        return [*out, (_read(name, name.words[1:], name.words[:1]), 0.92)]
    words, split = name.words, len(name.given)
    for other in (split - 1, split + 1):
        if 1 <= other and 1 <= len(words) - other <= 2:
            out.append((_read(name, words[:other], words[other:]), 0.97))
    for lead in (1, 2):  # surnames written first without a comma
        if len(words) - lead >= 1:
            out.append((_read(name, words[lead:], words[:lead]), 0.95))
    return out


@lru_cache(maxsize=200_000)
def word_match(x: str, y: str, *, given: bool) -> tuple[float, tuple[str, ...]]:
    """How alike two folded name words are, and why."""
    if x == y:
        return 1.0, ()
    if given and (len(x) == 1 or len(y) == 1):
        ok = phonetic(x)[:1] == phonetic(y)[:1] or x[:1] == y[:1]
        return (0.85, ("given name abbreviated to an initial",)) if ok else (0.0, ())
    if given and HYPOCORISMS.get(x, x) == HYPOCORISMS.get(y, y):
        return 0.85, ("familiar form of a given name",)
    if phonetic(x) == phonetic(y):
        return 0.95, tuple(f"phonetic variant {rule}" for rule in phonetic_rules(x, y))
    if min(len(x), len(y)) >= 4 and max(len(x), len(y)) >= 5 and slip(x, y):
        return 0.85, ("spelling differs by a slip (letters swapped, dropped or doubled)",)
    if min(len(x), len(y)) >= 4 and (jaro_winkler(phonetic(x), phonetic(y)) >= 0.9
                                      or one_edit(phonetic(x), phonetic(y)) or one_edit(x, y)):
        return 0.75, ("spelling differs by a typo",)
    return 0.0, ()


from .name_compare import name_similarity  # noqa: E402  (the comparison needs the above)


def name_keys(name: PersonName) -> set[str]:
    """Blocking keys of a name (see the module docstring)."""
    keys = _keys(name)
    looks_reversed = (not name.ordered and len(name.words) >= 3 and name.given
                      and name.given[0] not in GIVEN_NAMES and name.words[-1] in GIVEN_NAMES)
    if looks_reversed:  # "GUZMAN LOERA JOAQUIN": the surnames-first reading's keys too
        for other, cost in readings(name):
            if cost < 0.97:
                keys |= _keys(other)
    return keys


def _deletions(word: str) -> set[str]:
    """The word and, from four letters, the word with any one letter deleted: two words
    one edit apart share one of these (a symmetric deletion neighbourhood)."""
    if len(word) < 4:
        return {word}
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


def _keys(name: PersonName) -> set[str]:
    given = [phonetic(HYPOCORISMS.get(g, g)) for g in name.given if len(g) > 1]
    paternal, maternal = phonetic(name.paternal), phonetic(name.maternal)
    if not paternal:
        return {f"g:{'-'.join(given)}"} if given else set()
    # one edit (a letter dropped, added, changed, or two swapped) in the paternal
    # surname or in a given name: each side's word with a letter deleted meets the other's
    keys = {f"pg:{p}:{g}" for g in given for p in _deletions(paternal)}
    keys |= {f"pg:{paternal}:{d}" for g in given for d in _deletions(g)}
    if maternal:
        keys.add(f"pm:{paternal}:{maternal}")
        keys |= {f"mg:{maternal}:{g}" for g in given}
    # a typo in the paternal surname past its third letter, with any given name (a
    # compound given name is shortened to either of its words)
    keys |= {f"gp:{g}:{paternal[:3]}" for g in given}
    return keys


__all__ = ["NameEvidence", "PersonName", "name_keys", "name_similarity", "parse_name",
           "readings", "word_match"]
