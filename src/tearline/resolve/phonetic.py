"""Folding and phonetic keys for Spanish words, and a Jaro-Winkler similarity.

``fold`` lowers case and removes accents (``ñ`` becomes ``n``) so that "Peña" and
"PENA" compare equal. ``phonetic`` then maps spellings that Mexican Spanish
pronounces alike onto one form: silent ``h``; ``ll``/``y``; ``v``/``b``; ``z``, ``c``
before e/i and ``s``; ``x``/``j`` and ``g`` before e/i; ``qu``/``k``/hard ``c``;
doubled letters. Each rule is named, so a comparison can say which one it used.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_LETTER = re.compile(r"[^a-z]+")

#: (name shown in reasons, pattern, replacement), applied in order to a folded word.
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("ph/f", re.compile(r"ph"), "f"),
    ("h silent", re.compile(r"(?<!c)h"), ""),
    ("gu/g", re.compile(r"gu(?=[ei])"), "G"),
    ("g/j", re.compile(r"g(?=[ei])"), "j"),
    ("qu/k", re.compile(r"qu(?=[ei])"), "k"),
    ("c/s", re.compile(r"c(?=[ei])"), "s"),
    ("c/k", re.compile(r"c(?!h)"), "k"),
    ("z/s", re.compile(r"z"), "s"),
    ("x/j", re.compile(r"x"), "j"),
    ("ll/y", re.compile(r"ll"), "y"),
    ("y/i", re.compile(r"y(?![aeiou])"), "i"),
    ("v/b", re.compile(r"v"), "b"),
    ("w/u", re.compile(r"w"), "u"),
    ("double letters", re.compile(r"([a-z])\1+"), r"\1"),
)


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """Lower case, accents and ``ñ`` removed, anything but letters made a space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_LETTER.sub(" ", bare).split())


@lru_cache(maxsize=100_000)
def phonetic(word: str) -> str:
    """The phonetic form of one folded word (``"vázquez"`` → ``"baskes"``)."""
    out = word
    for _, pattern, replacement in RULES:
        out = pattern.sub(replacement, out)
    return out.replace("G", "g")


def phonetic_rules(a: str, b: str) -> tuple[str, ...]:
    """The rules that bring two folded words together: those applied unequally to them."""
    used: list[str] = []
    x, y = a, b
    for name, pattern, replacement in RULES:
        x, nx = pattern.subn(replacement, x)
        y, ny = pattern.subn(replacement, y)
        if nx != ny:
            used.append(name)
    return tuple(used)


@lru_cache(maxsize=200_000)
def jaro_winkler(a: str, b: str) -> float:
    """The Jaro-Winkler similarity of two strings, in [0, 1]."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    a_hit = [False] * len(a)
    b_hit = [False] * len(b)
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not b_hit[j] and b[j] == ch:
                a_hit[i] = b_hit[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    a_seq = [ch for ch, hit in zip(a, a_hit, strict=True) if hit]
    b_seq = [ch for ch, hit in zip(b, b_hit, strict=True) if hit]
    half_transpositions = sum(x != y for x, y in zip(a_seq, b_seq, strict=True))
    m = float(matches)
    jaro = (m / len(a) + m / len(b) + (m - half_transpositions / 2) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def one_edit(a: str, b: str) -> bool:
    """Whether one edit turns ``a`` into ``b``: a letter changed, added, removed, or two
    neighbours swapped (Damerau-Levenshtein distance at most 1)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1:]


def slip(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by a typist's slip that rarely makes another name:
    two neighbours swapped, or one letter dropped or doubled, inside the word (not its
    first or last letter). A changed letter is not one (Alejandra/Alejandro, Cecilia/
    Cecilio), nor is an ending (Daniel/Daniela, Cristian/Cristina: other names)."""
    if a == b or a[:1] != b[:1] or a[-1:] != b[-1:] or abs(len(a) - len(b)) > 1:
        return False
    if len(a) != len(b):
        short, long = (a, b) if len(a) < len(b) else (b, a)
        i = next((k for k, (x, y) in enumerate(zip(short, long, strict=False)) if x != y),
                 len(short))
        return i < len(short) and short[i:] == long[i + 1:]
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]])
