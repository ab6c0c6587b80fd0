"""Search tokens: how names, identifiers and phones are indexed and queried.

Names are folded to lower-case ASCII words (``Beltrán Leyva`` → ``beltran``,
``leyva``); identifiers and phones are indexed whole, without punctuation, so that
``BELM610927HSLLYR00`` and ``belm-610927-hsllyr00`` find each other.
"""

from __future__ import annotations

from normality import normalize

#: Property types whose values are searchable.
NAME_TYPES = frozenset({"name"})
WHOLE_TYPES = frozenset({"identifier", "phone", "email", "iban"})
MAX_TOKEN = 64
#: Above every character a token holds (they are folded to ASCII): ``word + END`` bounds
#: the tokens that start with ``word``.
END = "\uffff"


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
