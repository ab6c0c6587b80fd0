"""The TAXII 2.1 resources a client reads back: collections and pages of objects.

Parsed from the server's JSON by :class:`tearline.federation.client.TaxiiClient`
(:meth:`Collection.from_json` refuses a collection without an id) and handed to the
pull (:mod:`tearline.federation.sync`) and the command line's progress display, which
need the shapes but not the network library the client is built on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tearline.errors import PeerError, tr


@dataclass(frozen=True, slots=True)
class Collection:
    id: str
    title: str
    can_read: bool
    can_write: bool
    media_types: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: object) -> Collection:
        if not isinstance(data, Mapping) or not isinstance(data.get("id"), str):
            raise PeerError(tr("malformed TAXII collection: no id"))
        media = data.get("media_types") or ()
        return cls(
            id=data["id"],
            title=str(data.get("title", "")),
            can_read=bool(data.get("can_read", False)),
            can_write=bool(data.get("can_write", False)),
            media_types=tuple(str(m) for m in media) if isinstance(media, list) else (),
        )


@dataclass(frozen=True, slots=True)
class Page:
    """One TAXII envelope: objects (or manifest entries), whether more follow, and where."""

    objects: tuple[dict[str, Any], ...]
    more: bool
    next: str | None
    date_added_first: str | None
    date_added_last: str | None
    body_bytes: int = 0
