"""Per-recipient fingerprints: copy marks and keyed orders, derived with a node secret.

Two marks go into every copy that leaves the node with non-public content:

* a **copy mark** ``TL-XXXX-XXXX-XXXX``: 60 bits of a keyed hash (BLAKE2b keyed with
  the node's trace secret, written MAC below) of (recipient, channel), shown in the
  copy (a key of each exported line, a CSV column, ``copy`` in each TAXII object's
  record extension, the footer of every report page). It survives any
  re-serialization that keeps text, and is the same for the recipient on every pull,
  so a receiver sees one value, not a counter of pulls.
  It is easy to strip: it is the evidence a careless leak leaves.
* a **keyed order**: the values of a record are listed in an order chosen by the MAC
  of (recipient, record, value id). Arrays keep their order through JSON re-ordering,
  CSV round trips and most tools, and a leaker that strips the copy mark still hands
  on the order. Each item's place depends only on its own key, so the relative order
  of the items a recipient sees does not change when hidden ones are added: the order
  says nothing about what is hidden (noninterference, DESIGN.md §4).

Neither mark changes an id, a version or a value: receipts, recalls and signatures
name the same objects in every recipient's copy (``docs/trace.md``, *Which ids stay*).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Literal, TypeVar

Channel = Literal["taxii", "json", "csv", "stix", "report"]
CHANNELS: tuple[Channel, ...] = ("taxii", "json", "csv", "stix", "report")

#: A copy mark as printed; matched anywhere in a file's text.
MARK_PATTERN = re.compile(r"\bTL-([A-Z2-7]{4})-([A-Z2-7]{4})-([A-Z2-7]{4})\b")

SECRET_BYTES = 32

T = TypeVar("T")


class Fingerprinter:
    """Marks for recipients, under the node's trace secret (never shown)."""

    __slots__ = ("_keyed",)

    def __init__(self, secret: bytes) -> None:
        if len(secret) != SECRET_BYTES:
            raise ValueError(f"a trace secret is {SECRET_BYTES} bytes")
        # keyed BLAKE2b (a PRF, like the statement keyer's), keyed once: each mark copies
        # the keyed state, which costs less than a new HMAC (a TAXII page orders every
        # value it serves)
        self._keyed = hashlib.blake2b(key=secret, digest_size=32)

    def __repr__(self) -> str:  # the secret is never printed
        return "Fingerprinter(<secret>)"

    def _mac(self, *parts: str) -> bytes:
        mac = self._keyed.copy()
        mac.update("\x1f".join(parts).encode("utf-8"))
        return mac.digest()

    def mark(self, recipient: str, channel: Channel) -> str:
        """The copy mark of ``recipient``'s copies on ``channel``."""
        code = base64.b32encode(self._mac("mark", recipient, channel)[:10]).decode("ascii")
        return f"TL-{code[:4]}-{code[4:8]}-{code[8:12]}"

    def rank(self, recipient: str, record_id: str, item: str) -> bytes:
        """The sort key of ``item`` (a value id) of ``record_id`` in ``recipient``'s copies."""
        return self._mac("order", recipient, record_id, item)[:12]

    def order(self, recipient: str, record_id: str, items: Iterable[T],
              key: Callable[[T], str]) -> list[T]:
        """``items`` in ``recipient``'s order for ``record_id`` (each item placed by
        :meth:`rank` of its key; the shared prefix is hashed once per record)."""
        prefix = self._keyed.copy()
        prefix.update(f"order\x1f{recipient}\x1f{record_id}\x1f".encode())

        def rank(item: T) -> bytes:
            mac = prefix.copy()
            mac.update(key(item).encode("utf-8"))
            return mac.digest()[:12]

        return sorted(items, key=rank)

    def choice(self, recipient: str, context: str, among: int) -> int:
        """The rendering chosen, of ``among`` equivalent ones, for ``recipient``'s copies
        at a text ``context`` (``trace/textmarks.py``)."""
        return int.from_bytes(self._mac("text", recipient, context)[:8], "big") % among

    def canary(self, recipient: str, salt: str) -> bytes:
        """Bytes a canary record for ``recipient`` is made from (``trace/honey.py``)."""
        return self._mac("canary", recipient, salt)


def marks_in(text: str) -> list[str]:
    """Every copy mark written in ``text``, once each, in order of first appearance."""
    seen: dict[str, None] = {}
    for m in MARK_PATTERN.finditer(text.replace("\u2010", "-").replace("\u2011", "-")):
        seen.setdefault(m.group(0), None)
    return list(seen)


def order_agreement(fp: Fingerprinter, recipient: str, record_id: str,
                    observed: Sequence[str]) -> tuple[int, int]:
    """How many adjacent pairs of ``observed`` (value ids as found) are in the order
    ``recipient``'s copies list them, and how many pairs were compared. A copy of
    someone else's puts each pair in that order by chance (one half)."""
    ranks = [fp.rank(recipient, record_id, item) for item in observed]
    pairs = list(zip(ranks, ranks[1:], strict=False))
    return sum(1 for a, b in pairs if a < b), len(pairs)
