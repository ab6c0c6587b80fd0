"""Characters that text values may not hold: bidirectional controls.

A bidirectional control (U+202A–U+202E embeddings and overrides, U+2066–U+2069
isolates, U+200E/U+200F marks, U+061C the Arabic letter mark) changes how the
characters around it are *displayed* without changing what is stored, compared or
searched: ``"\\u202eanitsuga"`` shows as "agustina" in a table, a PDF or a terminal, and
a name can be made to look like another, or a value to look like a different one
(the "Trojan Source" attack, CVE-2021-42574). Such characters are **refused** where
text enters (files, the API, parties, agreements, record values), as control
characters already are when a file is decoded (``ingest/files.py``), rather than
silently removed: removing them would store something other than what the writer
sent, with nothing to tell them, and the right-to-left scripts (Arabic, Hebrew) are
laid out correctly by the Unicode bidirectional algorithm without them.
"""

from __future__ import annotations

import re
import unicodedata

#: Control characters other than tab, newline and carriage return, and lone surrogates:
#: no database stores them faithfully (PostgreSQL refuses NUL outright).
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

#: The bidirectional formatting characters of Unicode (UAX #9, section 2).
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def refusal(char: str) -> str:
    """The reason a bidirectional control ``char`` is refused."""
    return (
        f"bidirectional control character U+{ord(char):04X} "
        f"({unicodedata.name(char, 'unnamed')}): it changes how text is displayed, "
        "not what it is; remove it"
    )


def bidi_problem(text: str) -> str | None:
    """Why ``text`` is refused (its first bidirectional control, located), or ``None``."""
    found = BIDI_CONTROLS.search(text)
    if found is None:
        return None
    return f"character {found.start() + 1}: {refusal(found.group())}"


def text_problem(text: str) -> str | None:
    """Why free text (a reason, a note) is refused — its first control character or
    bidirectional control, located — or ``None``."""
    found = CONTROLS.search(text)
    if found is not None:
        return (f"character {found.start() + 1}: control character or invalid code point "
                f"U+{ord(found.group()):04X}")
    return bidi_problem(text)
