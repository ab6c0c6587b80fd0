"""Why a peer offered no collection, and what the administrator does about it.

A peer serves one collection per agreement that both its agency and ours are party to
(``taxii/collection.py``): no agreement on the peer's node, no collection, and a sync
that reads nothing. That is the usual first-day state of a federation, and a sync
that printed an empty table left the administrator guessing. The note names the cause
and the command that fixes it, and says whether this node records such an agreement
(the peer's node must record it too: each node judges its own releases).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from tearline.store import Connection, parties


class _Partner(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def agency(self) -> str: ...

    @property
    def signed(self) -> bool: ...


def shared_agreements(conn: Connection, ours: str, theirs: str, at: datetime) -> list[str]:
    """Ids of the agreements in force here that bind both agencies."""
    return sorted(a.id for a in parties.agreements(conn)
                  if {ours, theirs} <= a.parties and a.in_force(at))


def no_collection_note(conn: Connection, partner: _Partner, own_agency: str | None,
                       at: datetime) -> str:
    """The note for a sync that found no readable collection at ``partner``."""
    if not partner.signed:
        return (f"source {partner.name} offers no collection this node may read: "
                "nothing was pulled (ask its operator which collections it grants you)")
    ours = own_agency or "<our agency>"
    head = (f"peer {partner.name} offers no collection: nothing was pulled. A node shares "
            f"through one collection per agreement that binds both agencies, and "
            f"{partner.name}'s node records none between {partner.agency} and {ours}.")
    shared = shared_agreements(conn, ours, partner.agency, at) if own_agency else []
    if shared:
        return (f"{head} This node records {', '.join(shared)}: its administrator "
                f"must record the same agreement on {partner.name}'s node "
                f"(`tearline party add-agreement {shared[0]} --kind … --title … "
                f"--party {partner.agency} --party {ours}`), then sync again.")
    return (f"{head} Record the agreement on both nodes — `tearline party add-agreement "
            f"ID --kind bilateral --title TITLE --party {partner.agency} --party {ours}` — "
            "then sync again.")
