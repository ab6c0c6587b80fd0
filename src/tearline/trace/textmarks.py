"""Per-recipient choices among equivalent renderings of a report's text.

A hyphen between two digits of a word made of digits (dates ``2024-05-01``, months
``2024-05`` in the text and on the charts' axes) is printed as one of three characters
that look the same in the report's font: HYPHEN-MINUS (U+002D), HYPHEN (U+2010) or
NON-BREAKING HYPHEN (U+2011). All three survive copying the text out of the HTML or
the PDF (``pdftotext`` and browsers keep them; a no-break space or a thin space would
not). Which one is printed at a place is chosen by the MAC of (recipient, context) under the
node's trace secret; the context is the word itself (its digits, the hyphen's rank in
it), so the choice survives re-flowing, re-wrapping, re-ordering lines and partial
copying.

Identifiers stay as typed: the text of an element marked ``data-verbatim`` (the
banners, the marking) is never changed, nor a word holding a letter or ``.``, ``:``,
``_``, ``@``, ``/`` (record, unit and agreement ids, copy marks, timestamps). Hyphens
between letters (``year-on-year``) carry no choice: in a PDF's text they cannot be
told from those of an identifier, which must stay as typed.

Reading back: each distinct context found is one trial; a recipient's copy agrees at
every trial, anyone else's at one in three. A paraphrase or a retyped copy carries no
choices (``docs/trace.md``, *What survives what*).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tearline.trace.fingerprint import Fingerprinter

HYPHENS = ("-", "\u2010", "\u2011")
#: The chance that a copy made for someone else agrees at one context.
CHANCE = 1 / len(HYPHENS)
_ANY_HYPHEN = re.compile("[-\u2010\u2011]")
_WORDS = re.compile(r"\S+")
_DIGITS = re.compile("(?<=[0-9])[-\u2010\u2011](?=[0-9])")
_ID_CHARS = re.compile(r"[.:_@/]")
#: Text inside these is not prose: style sheets, scripts, tags, verbatim elements.
_SKIP = re.compile(
    r"(<style\b.*?</style>|<script\b.*?</script>"
    r"|<(\w+)\b[^>]*\bdata-verbatim\b[^>]*>.*?</\2>|<[^>]*>)", re.S | re.I)


def _flat(text: str) -> str:
    return _ANY_HYPHEN.sub("-", text)


def contexts(text: str) -> list[tuple[int, str]]:
    """(position, context) of every hyphen of ``text`` that carries a choice."""
    out: list[tuple[int, str]] = []
    for word in _WORDS.finditer(text):
        w = word.group(0).strip("()[]{},;\"'«»¿?¡!")
        start = word.start() + word.group(0).find(w) if w else word.start()
        if not w or _ID_CHARS.search(w):
            continue
        if re.search(r"[^\W\d_]", w):
            continue
        places = [m.start() for m in _DIGITS.finditer(w)]
        key = _flat(w).casefold()
        out.extend((start + p, f"{key}|{rank}") for rank, p in enumerate(places))
    return out


def render(fp: Fingerprinter, recipient: str, text: str) -> str:
    """``text`` (plain text) with each choice-bearing hyphen in ``recipient``'s form."""
    chars = list(text)
    for pos, ctx in contexts(text):
        chars[pos] = HYPHENS[fp.choice(recipient, ctx, len(HYPHENS))]
    return "".join(chars)


def render_html(fp: Fingerprinter, recipient: str, html: str) -> str:
    """``html`` with the hyphens of its prose (not of tags, styles, scripts or verbatim
    elements) chosen for ``recipient``. Text from data is escaped already, and only a
    hyphen is ever replaced by a hyphen, so no tag is made or undone."""
    out: list[str] = []
    last = 0
    for m in _SKIP.finditer(html):
        out.append(render(fp, recipient, html[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(render(fp, recipient, html[last:]))
    return "".join(out)


def observed(text: str) -> dict[str, int]:
    """Each distinct context of ``text`` and the form found there (its index in
    :data:`HYPHENS`). A context found in two forms is left out: no evidence."""
    seen: dict[str, set[int]] = {}
    for pos, ctx in contexts(text):
        seen.setdefault(ctx, set()).add(HYPHENS.index(text[pos]))
    return {ctx: next(iter(v)) for ctx, v in seen.items() if len(v) == 1}


def agreement(fp: Fingerprinter, recipient: str, found: dict[str, int]) -> int:
    """How many of the ``found`` forms are ``recipient``'s."""
    return sum(1 for ctx, form in found.items()
               if fp.choice(recipient, ctx, len(HYPHENS)) == form)


def carries_choices(texts: Iterable[str]) -> bool:
    """Whether any of ``texts`` holds a U+2010 or U+2011: a text never rendered for
    anyone holds neither, and is not weighed."""
    return any("\u2010" in t or "\u2011" in t for t in texts)
