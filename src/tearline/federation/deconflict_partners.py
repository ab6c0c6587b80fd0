"""Which peers this node deconflicts with: the agreements, kept per process.

Two agencies exchange evaluations, index documents and pointers only under an
agreement in force that binds both (within one agency none is needed). A peer bound
by none would refuse both the index pull and the evaluation (its listener checks the
same agreements), so asking it costs a round trip and a logged refusal on the peer
per check, and brings nothing: a check pulls from and asks only the peers
:meth:`Partners.peers` names.

The agreements are read once per process and read again whenever one is recorded
(:func:`~tearline.store.deconflict_index.agreements_version`: the table is
append-only, so its row count and newest row change with every change), as
:class:`~tearline.federation.deconflict_remote.PeerClients` renews a peer's client
when the peer's record changes. Whether an agreement is in force is decided at each
call's own time, so one that begins or lapses is seen without a new read.
"""

from __future__ import annotations

import threading
from datetime import datetime

from tearline.federation.deconflict_docs import bound_by
from tearline.model.parties import Agreement
from tearline.store import Connection, Peer, deconflict_index, parties, peers


class Partners:
    """The agreements recorded on this node, read again only when they change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple[int, int] | None = None
        self._agreements: tuple[Agreement, ...] = ()

    def agreements(self, conn: Connection) -> tuple[Agreement, ...]:
        """Every agreement recorded, as of ``conn``'s view of the store."""
        version = deconflict_index.agreements_version(conn)
        with self._lock:
            if version != self._version:
                self._agreements = tuple(parties.agreements(conn))
                self._version = version
            return self._agreements

    def between(self, conn: Connection, first: str, second: str, at: datetime) -> str | None:
        """The id of an agreement in force at ``at`` binding both agencies ("" for one
        agency); None when they may not deconflict (as
        :func:`~tearline.federation.deconflict_docs.agreement_between` decides it)."""
        return bound_by(self.agreements(conn), first, second, at)

    def peers(self, conn: Connection, own_agency: str, at: datetime) -> list[Peer]:
        """The registered peers whose agency may deconflict with ``own_agency`` at
        ``at``, in the store's order."""
        agreements = self.agreements(conn)
        return [peer for peer in peers.peers(conn)
                if bound_by(agreements, own_agency, peer.agency, at) is not None]
