"""Federation peers: the partner nodes this node trusts, as append-only history.

A peer is added from its identity document (``tearline peer add``) and bound to the
unit it serves: when it pulls, the policy subject is ``Subject(peer.unit, peer.agency)``,
so it sees exactly what that unit would see. Its TLS certificate is pinned by the
SHA-256 of its DER bytes, the only way a connection is attributed to it. A removal is
a row of its own; re-adding a peer (a renewed certificate) adds a new row, so the
history of whom the node trusted, and when, is never rewritten. Each change is in the
audit log as a party change (``node:<name>``) and a key change (its signing key).

A peer is a tearline node unless declared otherwise (``tearline peer add --standard``):
a tearline node honours granular markings, so a portion travels inside its record's
object; any other consumer (MISP, OpenCTI behind a TAXII client) receives each portion
as an object of its own with its own object-level marking (``stix/standard.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    select,
    true,
)

from tearline.audit.envelope import Event
from tearline.audit.events import KeyChanged, PartyChanged, now
from tearline.audit.note import parse_verifier_key
from tearline.errors import Conflict, NotFound, Problem, ProofError, ValidationError, tr
from tearline.keys import cert_sha256, identity_problems
from tearline.policy.subject import Subject
from tearline.store import audit_log, parties
from tearline.store import tables as t
from tearline.store.audit_events import actor_of
from tearline.store.tables import TS, metadata

peers_table = Table(
    "peers",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False),
    Column("agency", String(128), nullable=False),
    Column("unit", String(128), nullable=False),
    Column("verifier_key", String(400), nullable=False),
    Column("cert_sha256", String(64), nullable=False),
    Column("tls_certificate", Text, nullable=False),
    Column("url", String(400), nullable=False),
    Column("added_at", TS, nullable=False),
    Column("added_by", String(200), nullable=False),
    Column("tearline_node", Boolean, nullable=False, server_default=true()),
    Index("ix_peers_name", "name"),
    Index("ix_peers_cert", "cert_sha256"),
)

peer_removals = Table(
    "peer_removals",
    metadata,
    Column("peer_seq", Integer, ForeignKey("peers.seq"), primary_key=True),
    Column("removed_at", TS, nullable=False),
    Column("removed_by", String(200), nullable=False),
)


class Identity(Protocol):
    """What a peer is made from: a node's identity (``federation.identity.NodeIdentity``)."""

    @property
    def name(self) -> str: ...
    @property
    def agency(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def verifier_key(self) -> str: ...
    @property
    def cert_sha256(self) -> str: ...
    @property
    def tls_certificate(self) -> str: ...
    @property
    def url(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Peer:
    """A partner node as this node knows it."""

    name: str
    agency: str
    unit: str
    verifier_key: str
    cert_sha256: str
    tls_certificate: str
    url: str
    added_at: datetime | None = None
    removed_at: datetime | None = None
    #: Honours granular markings (a tearline node); else portions travel as objects.
    tearline_node: bool = True

    @classmethod
    def from_identity(cls, identity: Identity, tearline_node: bool = True) -> Peer:
        return cls(
            tearline_node=tearline_node,
            name=identity.name,
            agency=identity.agency,
            unit=identity.unit,
            verifier_key=identity.verifier_key,
            cert_sha256=identity.cert_sha256,
            tls_certificate=identity.tls_certificate,
            url=identity.url,
        )

    @property
    def subject(self) -> Subject:
        """Who the peer is for the policy when it pulls from this node."""
        return Subject(unit=self.unit, agency=self.agency)

    @property
    def party(self) -> str:
        """The peer as an audit party: ``node:<name>``."""
        return f"node:{self.name}"

    @property
    def key_id(self) -> str:
        return self.verifier_key.split("+")[1]

    @property
    def active(self) -> bool:
        return self.removed_at is None


def _peer(row: Any) -> Peer:
    return Peer(
        name=row.name, agency=row.agency, unit=row.unit, verifier_key=row.verifier_key,
        cert_sha256=row.cert_sha256, tls_certificate=row.tls_certificate, url=row.url,
        added_at=t.from_ts(row.added_at),
        removed_at=t.from_ts(row.removed_at) if row.removed_at else None,
        tearline_node=bool(row.tearline_node),
    )


def _rows(conn: Connection, *where: Any) -> list[Peer]:
    p, rm = peers_table, peer_removals
    query = (
        select(p, rm.c.removed_at)
        .outerjoin(rm, rm.c.peer_seq == p.c.seq)
        .where(*where)
        .order_by(p.c.name, p.c.seq)
    )
    return [_peer(row) for row in conn.execute(query)]


def _audit(conn: Connection, peer: Peer, action: Literal["created", "updated", "disabled"],
           by: str | None) -> None:
    history = _rows(conn, peers_table.c.name == peer.name)
    versions = len(history) + sum(1 for h in history if h.removed_at is not None)
    at, actor = now(), actor_of(by)
    events: list[Event] = [
        PartyChanged(at=at, actor=actor, party=peer.party, action=action, version=versions),
        KeyChanged(at=at, actor=actor, owner=peer.party, key_id=peer.key_id,
                   purpose="node-signing",
                   action="revoked" if action == "disabled" else "created"),
    ]
    audit_log.append(conn, events)


def _check(conn: Connection, peer: Peer) -> None:
    """The peer's values are well-formed and its unit is one of our parties."""
    values = {"name": peer.name, "agency": peer.agency, "unit": peer.unit,
              "verifier_key": peer.verifier_key, "tls_certificate": peer.tls_certificate,
              "url": peer.url}
    problems = [Problem(tr(
        "missing or not a string"), column=k) for k, v in values.items() if not v]
    problems = problems or identity_problems(values)
    if problems:
        raise ValidationError(tr("invalid node identity document"), problems)
    try:
        parse_verifier_key(peer.verifier_key)
    except ProofError as exc:  # pragma: no cover - from_document checked it
        raise ValidationError(exc.message) from exc
    if cert_sha256(peer.tls_certificate) != peer.cert_sha256:
        raise ValidationError(tr("cert_sha256 is not the SHA-256 of the peer's certificate"))
    unit = {u.id: u for u in parties.units(conn)}.get(peer.unit)
    if unit is None:
        raise ValidationError(
            tr(
                "unknown unit {unit!r}: a peer is bound to one of our units; add it first "
                "(`tearline party`)", unit=peer.unit)
        )
    if unit.agency != peer.agency:
        raise ValidationError(tr(
            "unit {unit!r} belongs to {agency!r}, not {agency2!r}",
            unit=peer.unit, agency=unit.agency, agency2=peer.agency))


def add_peer(conn: Connection, peer: Peer, at: datetime, by: str | None = None) -> Peer:
    """Trust a partner node from ``at``; :class:`Conflict` if its name or certificate is
    already trusted (remove the old entry first)."""
    _check(conn, peer)
    current = peers(conn)
    if any(p.name == peer.name for p in current):
        raise Conflict(tr("peer {name!r} exists; remove it first to replace it", name=peer.name))
    clash = [p.name for p in current if p.cert_sha256 == peer.cert_sha256]
    if clash:
        raise Conflict(tr("peer {clash!r} already uses this certificate", clash=clash[0]))
    known = [p.name for p in current if p.verifier_key == peer.verifier_key]
    if known:
        raise Conflict(tr("peer {known!r} already uses this signing key", known=known[0]))
    earlier = bool(_rows(conn, peers_table.c.name == peer.name))
    conn.execute(peers_table.insert().values(
        name=peer.name, agency=peer.agency, unit=peer.unit, verifier_key=peer.verifier_key,
        cert_sha256=peer.cert_sha256, tls_certificate=peer.tls_certificate, url=peer.url,
        added_at=t.ts(at), added_by=by or "system", tearline_node=peer.tearline_node,
    ))
    _audit(conn, peer, "updated" if earlier else "created", by)
    return peer_by_name(conn, peer.name)


def remove_peer(conn: Connection, name: str, at: datetime, by: str | None = None) -> Peer:
    """Stop trusting a peer from ``at``; :class:`NotFound` if it is not a current peer."""
    p, rm = peers_table, peer_removals
    seq = conn.execute(
        select(p.c.seq).where(p.c.name == name, p.c.seq.notin_(select(rm.c.peer_seq)))
    ).scalar()
    if seq is None:
        raise NotFound(tr("no peer {name!r}", name=name))
    conn.execute(rm.insert().values(peer_seq=seq, removed_at=t.ts(at), removed_by=by or "system"))
    removed = _rows(conn, p.c.seq == seq)[0]
    _audit(conn, removed, "disabled", by)
    return removed


def peers(conn: Connection, include_removed: bool = False) -> list[Peer]:
    """Current peers by name (with ``include_removed``, every entry ever recorded)."""
    if include_removed:
        return _rows(conn)
    return _rows(conn, peer_removals.c.peer_seq.is_(None))


def peer_by_name(conn: Connection, name: str) -> Peer:
    """The current peer called ``name``; :class:`NotFound` otherwise."""
    found = _rows(conn, peers_table.c.name == name, peer_removals.c.peer_seq.is_(None))
    if not found:
        raise NotFound(tr("no peer {name!r}; see `tearline peer list`", name=name))
    return found[0]


def peer_by_certificate(conn: Connection, cert_sha256: str) -> Peer | None:
    """The current peer whose pinned certificate has this SHA-256, or ``None``."""
    found = _rows(conn, peers_table.c.cert_sha256 == cert_sha256.lower(),
                  peer_removals.c.peer_seq.is_(None))
    return found[0] if found else None
