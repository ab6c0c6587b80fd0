"""Reading an input file's bytes into text: the edge where files enter ingest.

The parsers take text; this module decides what bytes are acceptable text.

Decision (OFAC files): OFAC publishes ``sdn.csv``, ``alt.csv`` and ``add.csv`` as
plain ASCII — all four reference snapshots are pure ASCII — so they are decoded as
strict UTF-8 (a superset of ASCII; a byte-order mark is dropped). A file in a legacy
8-bit encoding is rejected rather than guessed at, because Latin-1 decodes *any*
byte string and would turn garbage into plausible-looking names; a caller that
knows a file is Latin-1 or cp1252 says so with ``encoding=``. Text holding NUL or
other control characters is rejected whatever the encoding (a binary or UTF-16
file). A trailing DOS end-of-file byte (``\\x1a``, present in the 2024 snapshot)
is removed. Bidirectional control characters (``tearline.model.text``) are refused
too, located by line and column: they change how text is displayed, not what it is.
"""

from __future__ import annotations

import re
from pathlib import Path

from tearline.errors import IngestError, Problem, tr
from tearline.model.text import BIDI_CONTROLS, refusal

#: Control characters that never occur in a text data file (tab, LF, CR excepted).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_input(data: bytes, name: str, encoding: str = "utf-8") -> str:
    """Decode one input file's bytes; raise :class:`IngestError` if they are not text."""
    if data.endswith(b"\x1a"):
        data = data[:-1]
    if encoding.replace("_", "-").lower() in ("utf-8", "utf8") and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        raise IngestError(
            tr("{name}: not {encoding} text", name=name, encoding=encoding),
            [
                Problem(
                    tr(
                        "byte 0x{data:02x} at offset {start} is not valid {encoding}; if the "
                        "file is in another encoding, name it",
                        data=data[exc.start], start=exc.start, encoding=encoding),
                    name,
                    line,
                )
            ],
        ) from exc
    except LookupError as exc:
        raise IngestError(tr(
            "{name}: unknown encoding {encoding!r}", name=name, encoding=encoding)) from exc
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise IngestError(
            tr("{name}: not a text file", name=name),
            [
                Problem(
                    tr(
                        "control character U+{ord:04X} (binary data, or UTF-16?)",
                        ord=ord(bad.group())),
                    name,
                    line,
                )
            ],
        )
    bidi = BIDI_CONTROLS.search(text)
    if bidi is not None:
        line = text.count("\n", 0, bidi.start()) + 1
        column = bidi.start() - (text.rfind("\n", 0, bidi.start()) + 1) + 1
        raise IngestError(
            tr("{name}: text holds a bidirectional control character", name=name),
            [Problem(refusal(bidi.group()), name, line, str(column))],
        )
    return text


def open_sdn_text(path: str | Path, encoding: str = "utf-8") -> str:
    """The text of an OFAC CSV file (``sdn``, ``alt`` or ``add``), checked as above."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(tr(
            "{name}: cannot read: {value}", name=path.name, value=exc.strerror or exc)) from exc
    return decode_input(data, path.name, encoding)
