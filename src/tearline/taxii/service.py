"""What the TAXII endpoints answer a peer: collections, pages of objects, one object.

Every answer is computed for the peer's policy subject (``Subject(peer.unit,
peer.agency)``) through the store's compiled queries (:mod:`tearline.store.feed`,
:mod:`tearline.store.reader`): a record the peer may not see is never fetched, and a
record it may see is the tear-line view made of the statements it may see. Each serve
is written to the audit log in the same transaction as the read: one ``record.read``
entry per record version, path ``federation``, actor ``node:<peer>``, with the
statement ids that left the node.

**Collections** (:mod:`tearline.taxii.collection`). One per partner agreement that
both this node's agency and the peer's agency are party to. A record belongs to the
collection of the agreement its marking cites as legal basis, or that one of its
releases cites; a visible record citing none of the peer's agreements (no legal basis,
or an agreement the peer is not party to) belongs to the peer's *default* collection.
Records are served with the consents that let the peer release them onward
(:mod:`tearline.taxii.consents`), and with the peer's fingerprint (``docs/trace.md``):
each non-public record's statements in the peer's keyed order and its copy mark
(``copy`` in the object's record extension), the same on every pull; ids and versions
are unchanged, so receipts and recalls name the same objects.

**Pages.** Ordered by date added (:mod:`tearline.store.feed`); ``limit`` counts
records, and each record comes with the objects it maps to (its object, derived
threat-actors and relationships) and the supporting objects they cite (agency
identities, marking and extension definitions). The ``next`` cursor is the position
of the page's last record, sealed (AES-GCM) together with the peer, the collection and
the filters, under a key derived from the node key so that cursors survive a restart.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from tearline.audit.events import RecordRead, now
from tearline.cursors import CursorBox
from tearline.errors import NotFound
from tearline.keys import NodeKey
from tearline.model.record import Record, entity_properties
from tearline.stix.export import object_id, to_stix
from tearline.stix.extensions import RECORD_EXTENSION_ID
from tearline.store import (
    Connection,
    Peer,
    Relay,
    Store,
    Visibility,
    audit_log,
    feed,
    reader,
    trace_store,
)
from tearline.taxii.collection import Collection
from tearline.taxii.consents import Signer, with_consents
from tearline.taxii.vettings import with_vettings
from tearline.taxii.wire import Query, version_matches
from tearline.trace.copies import for_recipient, is_public

#: Said for every object the peer cannot have: hidden and absent alike.
NO_OBJECT = "no such object"


def cursor_box(key: NodeKey) -> CursorBox:
    """The cursor sealing key, derived from the node key (stable across restarts)."""
    secret = key.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"tearline taxii cursors v1").derive(secret)
    return CursorBox(derived)


@dataclass(frozen=True, slots=True)
class Page:
    objects: list[dict[str, Any]]
    #: (record, date added) of each record on the page, in feed order.
    records: list[tuple[Record, str]]
    more: bool
    next: str | None

    @property
    def first_added(self) -> str | None:
        return self.records[0][1] if self.records else None

    @property
    def last_added(self) -> str | None:
        return self.records[-1][1] if self.records else None

    def added_of(self) -> dict[str, str]:
        """Date added of each object: its record's; supporting objects take the page's first."""
        mains = {object_id(r.id, r.schema): added for r, added in self.records}
        return {o["id"]: mains.get(o["id"], self.first_added or "") for o in self.objects}


def log_serve(conn: Connection, peer: Peer, records: Iterable[Record]) -> None:
    """One ``record.read`` per record version served, with the statements that left."""
    at, actor, subject = now(), peer.party, str(peer.subject)
    audit_log.append(conn, [
        RecordRead(at=at, actor=actor, subject=subject, entity_id=r.id, version=r.version,
                   statement_ids=tuple(s.id for s in r.statements), path="federation")
        for r in records
    ])


@lru_cache(maxsize=256)
def _reference_props(schema: str) -> frozenset[str]:
    return frozenset(entity_properties(schema))


def _refs(conn: Connection, vis: Visibility, records: Sequence[Record]) -> dict[str, str]:
    """The schemas of the records the page's references name, that exist for the peer.

    Whether a referenced record exists is the peer's visibility, not narrowed to what
    this node may pass on (``policy/relay.py``): the reference is served, typed, even
    when the record itself is not ours to pass on (the peer's own, say)."""
    vis = Visibility(vis.subject, vis.at)
    on_page = {r.id for r in records}
    wanted: set[str] = set()
    for r in records:
        props = _reference_props(r.schema)
        wanted.update(s.value for s in r.statements if s.prop in props and s.value not in on_page)
    return feed.schemas_of(conn, vis, sorted(wanted))


def _entities_for(conn: Connection, vis: Visibility, coll: Collection,
                  stix_ids: Sequence[str], relay: tuple[str, str] | None) -> list[str]:
    """The records of a collection whose object has one of ``stix_ids``.

    STIX ids are one-way (UUIDv5) functions of record ids, so the collection's records
    are walked; only records the subject may see are ever considered.
    """
    wanted = set(stix_ids)
    found: list[str] = []
    position = feed.START
    while True:
        batch: list[feed.FeedItem] = feed.feed(
            conn, vis, coll.agreement.id, position, limit=feed.MAX_LIMIT,
            default_of=coll.default_of, relay=relay)
        found.extend(i.entity_id for i in batch if object_id(i.entity_id, i.schema) in wanted)
        if len(batch) < feed.MAX_LIMIT or len(found) == len(wanted):
            return found
        position = batch[-1].position


def _filter(objects: list[dict[str, Any]], query: Query) -> list[dict[str, Any]]:
    out = objects
    if query.types:
        out = [o for o in out if o.get("type") in query.types]
    if query.spec_versions:
        out = [o for o in out if o.get("spec_version", "2.1") in query.spec_versions]
    if query.versions:
        out = [o for o in out if version_matches(o, query.versions)]
    return out



def _mark(conn: Connection, peer: Peer, objects: list[dict[str, Any]],
          records: Sequence[Record], mark: str) -> None:
    """Put the peer's copy mark in the record extension of each non-public record's
    object, and log it."""
    marked = {object_id(r.id, r.schema) for r in records if not is_public(r)}
    for obj in objects:
        payload = (obj.get("extensions") or {}).get(RECORD_EXTENSION_ID)
        if obj["id"] in marked and isinstance(payload, dict) and "statements" in payload:
            payload["copy"] = mark
    if marked:
        trace_store.record_copy(conn, str(peer.subject), "taxii", mark, len(marked),
                                peer.party, datetime.now(UTC))


def visibility(peer: Peer, at: datetime, signer: Signer | None) -> Visibility:
    """What the peer may receive from this node: what its unit may see, narrowed to what
    this node's agency may pass on (each ORCON item of another agency needs its
    originator's consent, ``store/relay.py``)."""
    if signer is None:
        return Visibility(peer.subject, at)
    return Relay(peer.subject, at, signer.agency)


def page(store: Store, peer: Peer, coll: Collection, query: Query, cursors: CursorBox,
         at: datetime, operation: str, signer: Signer | None = None) -> Page:
    """One page of the collection for the peer, logged as served."""
    vis = visibility(peer, at, signer)
    context = {**query.context(), "collection": coll.id}
    position = feed.START
    if query.next is not None:
        sealed = cursors.open(query.next, peer.name, operation, context)
        added_at, _, after_id = sealed.partition("|")
        position = (added_at, after_id)
    # what this node may pass on to the peer: its agency's records, others' with consent
    relay = (signer.agency, peer.agency) if signer is not None else None
    with store.transaction() as conn:
        ids: list[str] | None = None
        if query.ids:
            ids = _entities_for(conn, vis, coll, query.ids, relay)
        items = feed.feed(conn, vis, coll.agreement.id, position, query.added_after, ids,
                          query.limit + 1, coll.default_of, relay)
        more = len(items) > query.limit
        items = items[: query.limit]
        added = {i.entity_id: i.added_at for i in items}
        records = reader.read_records(conn, vis, [i.entity_id for i in items])
        objects: list[dict[str, Any]] = []
        if records:
            shown = with_consents(conn, signer, peer, records, at) if signer else records
            if signer is not None:
                shown = with_vettings(conn, signer.key, signer.agency, peer, shown, at)
            fp, recipient = trace_store.fingerprinter(conn), str(peer.subject)
            shown = [for_recipient(fp, recipient, r) for r in shown]
            # a peer that is not a tearline node may ignore granular markings: its
            # portions travel as objects of their own (stix/standard.py)
            objects = to_stix(shown, _refs(conn, vis, records),
                              granular=peer.tearline_node).bundle["objects"]
            _mark(conn, peer, objects, shown, fp.mark(recipient, "taxii"))
            if query.ids:
                objects = [o for o in objects if o["id"] in set(query.ids)]
            objects = _filter(objects, query)
            log_serve(conn, peer, records)
    cursor = (cursors.seal(f"{items[-1].added_at}|{items[-1].entity_id}", peer.name,
                           operation, context) if more else None)
    return Page(objects, [(r, added[r.id]) for r in records], more, cursor)


def one_object(store: Store, peer: Peer, coll: Collection, stix_id: str, query: Query,
               cursors: CursorBox, at: datetime, signer: Signer | None = None) -> Page:
    """The object ``stix_id``; :class:`NotFound`, worded as for a missing one, if the peer
    cannot have it (hidden, absent, not a record's own object, or filtered out)."""
    found = page(store, peer, coll, Query(limit=1, ids=(stix_id,), versions=query.versions,
                                          spec_versions=query.spec_versions,
                                          added_after=query.added_after),
                 cursors, at, "object", signer)
    if not any(o["id"] == stix_id for o in found.objects):
        raise NotFound(NO_OBJECT)
    return found


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
