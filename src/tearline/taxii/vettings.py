"""The serving side of vetting attestations (``federation/vetting.py``).

A record served to a peer whose marking, or a portion's, releases it to
``vetted-by:<our agency>`` carries, in its record extension (``extra.vettings``), the
attestation of the peer's unit's vettings by our agency in force now, signed with our
node key — once per page, the same document for every record of the page that depends
on it. Only the peer's own unit is attested: the peer learns nothing about whom else we
vet, and about its own unit only what it can already tell from what it receives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from tearline.federation.vetting import attestation, depends_on
from tearline.keys import NodeKey
from tearline.model.record import Record
from tearline.store import Connection, Peer, parties


def with_vettings(conn: Connection, key: NodeKey, agency: str, peer: Peer,
                  records: Sequence[Record], at: datetime) -> list[Record]:
    """``records``, those that depend on our agency's vetting with its attestation."""
    dependent = {r.id for r in records if depends_on(r, agency)}
    if not dependent:
        return list(records)
    doc = attestation(key, agency, peer.unit, parties.vettings(conn), at)
    return [replace(r, extra={**r.extra, "vettings": [doc]}) if r.id in dependent else r
            for r in records]
