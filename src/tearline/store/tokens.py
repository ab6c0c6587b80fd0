"""Search tokens: how names, identifiers and phones are indexed and queried.

Names are folded to lower-case ASCII words (``Beltrán Leyva`` → ``beltran``,
``leyva``); identifiers and phones are indexed whole, without punctuation, so that
``BELM610927HSLLYR00`` and ``belm-610927-hsllyr00`` find each other.

Beside its words, a statement with at most :data:`MAX_EXACT` distinct tokens is indexed
under one more token, its **exact key** (:func:`exact_key`): the set of its tokens, so
that the statements whose tokens are exactly a query's words — the first tier of the
ranking (``store/ranking.py``) — are one equality lookup away. A key starts with ``=``
or ``#``, never a letter or digit, so no query word's range (:func:`word_range`) holds
one.
"""

from __future__ import annotations

from collections.abc import Iterable
from hashlib import blake2b

from normality import normalize

#: Property types whose values are searchable.
NAME_TYPES = frozenset({"name"})
WHOLE_TYPES = frozenset({"identifier", "phone", "email", "iban"})
MAX_TOKEN = 64
#: Above every character a token holds (they are folded to ASCII): ``word + END`` bounds
#: the tokens that start with ``word``.
END = "\uffff"
#: A statement with more distinct tokens than a query may have words has no exact key
#: (no query can be exactly its tokens); the same bound as ``store/ranking.py``'s.
MAX_EXACT = 8


def fold(text: str) -> str:
    return normalize(text, lowercase=True, ascii=True) or ""


def _ascii_table() -> dict[int, str | None]:
    """What :func:`fold` does to each ASCII character inside a word, asked of
    ``normalize`` itself: kept (lower-cased), turned into a space, or dropped.

    Lower-casing, transliteration and Unicode decomposition leave ASCII text ASCII
    (and the same length), and ``normalize`` then treats each character on its own,
    so folding ASCII text is this one translation up to spaces — which
    :func:`tokens_for` splits on or drops anyway.
    """
    table: dict[int, str | None] = {}
    for code in range(128):
        folded = fold(f"a{chr(code)}b")
        if folded == "ab":
            table[code] = None
        elif folded == "a b":
            table[code] = " "
        else:
            assert len(folded) == 3, f"unexpected fold of {chr(code)!r}: {folded!r}"
            table[code] = folded[1]
    return table


_ASCII_FOLD = _ascii_table()


def _words(value: str) -> list[str]:
    """``fold(value).split()``, without ``normalize`` for ASCII text (most values)."""
    if value.isascii():
        return value.translate(_ASCII_FOLD).split()
    return fold(value).split()


def tokens_for(type_name: str, value: str) -> set[str]:
    if type_name in NAME_TYPES:
        return {w[:MAX_TOKEN] for w in _words(value) if len(w) > 1}
    if type_name in WHOLE_TYPES:
        whole = "".join(_words(value))
        if not whole.isalnum():  # (folded ASCII text is: only its letters and digits are left)
            whole = "".join(ch for ch in whole if ch.isalnum())
        return {whole[:MAX_TOKEN]} if whole else set()
    return set()


def query_tokens(query: str) -> list[str]:
    """The tokens a free-text query must all match (order kept, duplicates dropped)."""
    words = fold(query).split()
    out: list[str] = []
    for word in words:
        word = "".join(ch for ch in word if ch.isalnum())[:MAX_TOKEN]
        if word and word not in out:
            out.append(word)
    return out


def word_range(word: str) -> tuple[str, str]:
    """The tokens starting with ``word`` are those ``lo <= token < hi`` (an index range)."""
    return word, word + END


def exact_key(tokens: Iterable[str]) -> str | None:
    """The token under which a statement whose tokens are exactly ``tokens`` is indexed
    (and which a query of those words looks up): ``=`` and the sorted tokens, or ``#``
    and their BLAKE2b digest when that would not fit a token column; ``None`` for no
    token or more than :data:`MAX_EXACT` (see the module docstring)."""
    distinct = sorted(set(tokens))
    if not distinct or len(distinct) > MAX_EXACT:
        return None
    joined = " ".join(distinct)
    if len(joined) < MAX_TOKEN:
        return "=" + joined
    return "#" + blake2b(joined.encode(), digest_size=16).hexdigest()


def is_exact_key(token: str) -> bool:
    """Whether ``token`` is an exact key rather than a word."""
    return token[:1] in ("=", "#")
