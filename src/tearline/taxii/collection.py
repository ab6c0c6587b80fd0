"""The collections a peer may list: one per agreement both agencies are party to.

A collection's id is a UUIDv5 of the agreement id, so it is stable across restarts
and the same on every node. The peer's *default* collection, the first by agreement
id, also holds every visible record that cites none of the peer's agreements, so that
everything the peer may see is in one of its collections (the pages themselves are
served by :mod:`tearline.taxii.service`). Kept apart because the handlers, the tests
and the administrator's tools name collections without serving any.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from tearline.errors import NotFound
from tearline.model.parties import Agreement
from tearline.stix.ids import NAMESPACE
from tearline.store import Connection, Peer, parties

#: Said for every collection the peer cannot have: hidden and absent alike.
NO_COLLECTION = "no such collection"


@dataclass(frozen=True, slots=True)
class Collection:
    id: str
    agreement: Agreement
    #: The agreements of all the peer's collections, if this is its default collection
    #: (the first by agreement id), which also holds what cites none of them.
    default_of: tuple[str, ...] | None = None

    def resource(self) -> dict[str, Any]:
        from tearline.taxii.wire import STIX_MEDIA

        return {
            "id": self.id,
            "title": self.agreement.title,
            "description": f"Records shared under agreement {self.agreement.id} "
                           f"({self.agreement.kind}), as the policy releases them to you.",
            "alias": self.agreement.id,
            "can_read": True,
            "can_write": False,
            "media_types": [STIX_MEDIA],
        }


def collection_id(agreement_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"taxii-collection:{agreement_id}"))


def collections(conn: Connection, peer: Peer, own_agency: str) -> list[Collection]:
    """The collections ``peer`` may list: agreements both agencies are party to."""
    wanted = {own_agency, peer.agency}
    shared = sorted((a for a in parties.agreements(conn) if wanted <= a.parties),
                    key=lambda a: a.id)
    bases = tuple(a.id for a in shared)
    return [Collection(collection_id(a.id), a, bases if n == 0 else None)
            for n, a in enumerate(shared)]


def find_collection(conn: Connection, peer: Peer, own_agency: str, cid: str) -> Collection:
    for c in collections(conn, peer, own_agency):
        if c.id == cid:
            return c
    raise NotFound(NO_COLLECTION)
