"""Pull from a partner: fetch, verify, judge, store exactly once, acknowledge.

``tearline sync NAME`` runs :func:`sync`. For every collection the partner offers, it
asks for the objects added after the stored cursor, page by page, and for each page:

1. **verify** — a tearline peer's answer must carry a valid signature over our nonce
   (:class:`~tearline.federation.client.SignedBy`); a failure stops the sync, is
   audited (``federation.refused``, reason ``unverified``) and raises
   :class:`IntegrityError`. Only a standard TAXII *source*, registered as such with
   ``tearline sync add-source``, is read unsigned.
2. **read** — :func:`tearline.stix.importer.read_bundle`: tearline records come back
   losslessly from the record extension, each statement under THIS node's id for it
   (derived with the store's keyer: the sender's ids are keyed with the sender's
   secret, so a statement received again is stored once, and no sender chooses the id
   a statement is stored under); standard STIX is mapped by
   :mod:`tearline.stix.foreign` and, when its creator is not a known agency, is
   attributed to the source's agency. Malformed objects are refused and audited; the
   rest of the page is still read.
3. **judge** — :mod:`tearline.federation.entitlement`: the sender speaks for its own
   agency, or for a third agency whose signed consent travels with the record; a
   record that would take over another agency's record, or speaks for a third agency
   without consent, is refused and audited.
4. **store, once** — in ONE transaction: the accepted records (statements with their
   originator's provenance and markings, exactly as sent), their ``record.created`` /
   ``record.updated`` audit entries, the received object versions, the refusals, the
   marking definitions, the cursor and the signed receipt. A crash (kill -9) at any
   point leaves either all of it or none of it; the next run asks again from the
   cursor and skips object versions it already received.
5. **acknowledge** — after the commit, the signed receipt is POSTed to the peer; one
   that cannot be delivered stays pending and is sent by the next sync, before anything
   is pulled. It names every object version of the page received for the first time,
   whatever became of it here: what we refused, and why, is for our audit log and our
   administrator only. A receipt that left out refused objects would tell the sender
   which of its ids exist here under another agency, hidden records included
   (``docs/federation.md``, *What a puller tells its peer*).

Why the cursor is re-read one microsecond early: TAXII's ``added_after`` is strict,
and several objects may share the ``date_added`` of the last object of a page. Asking
from just before it re-reads those, and the received versions make that harmless.
"""

from __future__ import annotations

import os
import re
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from tearline.audit.events import ConsentRecorded, FederationRefused, RecallPurged, now
from tearline.errors import (
    ConfigError,
    InputError,
    IntegrityError,
    NotFound,
    PeerError,
    Problem,
    ValidationError,
)
from tearline.federation import skipped
from tearline.federation.agreements import no_collection_note
from tearline.federation.client import Collection, Page, SignedBy, TaxiiClient, TlsConfig
from tearline.federation.entitlement import CONSENT_TYPE, Verdict, judge
from tearline.federation.identity import NodeFiles
from tearline.federation.receipts import build_purge_receipt, build_receipt
from tearline.federation.signing import verify_document
from tearline.federation.vetting_receive import keep_vettings
from tearline.federation.witnessing import witness
from tearline.keys import NodeKey
from tearline.model.marking import parse_timestamp
from tearline.model.record import Record
from tearline.model.statement import StatementKeyer
from tearline.stix.extensions import RECORD_EXTENSION_ID
from tearline.stix.foreign import EXTERNAL
from tearline.stix.importer import read_bundle
from tearline.store import (
    Connection,
    Store,
    audit_events,
    audit_log,
    consent_documents,
    holdings,
    parties,
    peers,
    refused_writes,
    stored_schemas,
    write_records,
)
from tearline.store import sync_state as ss

RECEIPTS_PATH = "tearline/receipts/"
RECALLS_PATH = "tearline/recalls/"
PURGE_RECEIPTS_PATH = "tearline/purge-receipts/"
DEFAULT_PAGE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class Partner:
    """Whom we pull from: a tearline peer (signed, mutual TLS) or a standard source."""

    name: str
    agency: str
    url: str
    signed: bool
    verifier_key: str | None = None
    tls: TlsConfig | None = None
    auth: tuple[str, str] | None = None

    @property
    def party(self) -> str:
        return f"node:{self.name}"

    def client(self, timeout: float = 60.0) -> TaxiiClient:
        check = SignedBy(self.verifier_key) if self.signed and self.verifier_key else None
        if self.signed and check is None:
            raise ConfigError(f"peer {self.name} has no verifier key")
        return TaxiiClient(self.url, tls=self.tls, check=check, auth=self.auth,
                           timeout=timeout)


def partner_from_peer(peer: peers.Peer, keys_dir: Path) -> Partner:
    files = NodeFiles(keys_dir)
    if not files.tls_cert.exists() or not files.tls_key.exists():
        raise ConfigError(f"no TLS certificate in {keys_dir}: run `tearline node init`")
    tls = TlsConfig(peer.tls_certificate, files.tls_cert, files.tls_key)
    return Partner(peer.name, peer.agency, peer.url, True, peer.verifier_key, tls)


def partner_from_source(source: ss.Source) -> Partner:
    auth = None
    if source.username:
        password = os.environ.get(source.password_env or "", "")
        if source.password_env and not password:
            raise ConfigError(f"source {source.name}: set the password in "
                              f"${source.password_env}")
        auth = (source.username, password)
    tls = TlsConfig(source.tls_certificate) if source.tls_certificate else None
    return Partner(source.name, source.agency, source.url, False, tls=tls, auth=auth)


def resolve_partner(store: Store, name: str, keys_dir: Path) -> Partner:
    """A registered peer (preferred) or source by name; :class:`NotFound` otherwise."""
    with store.reading() as conn:
        try:
            return partner_from_peer(peers.peer_by_name(conn, name), keys_dir)
        except NotFound:
            source = ss.source_by_name(conn, name)
    if source is None:
        raise NotFound(f"no peer or source {name!r}: see `tearline peer list` and "
                       "`tearline sync sources`")
    return partner_from_source(source)


@dataclass
class CollectionResult:
    id: str
    title: str
    pages: int = 0
    objects: int = 0
    records_stored: int = 0
    statements_new: int = 0
    already: int = 0
    echoed: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0
    #: why the skipped objects were skipped (:mod:`tearline.federation.skipped`), counted
    skipped_reasons: Counter[str] = field(default_factory=Counter)


@dataclass
class SyncResult:
    partner: str
    collections: list[CollectionResult] = field(default_factory=list)
    receipts_sent: int = 0
    receipts_pending: int = 0
    #: (recall id, entity id, statements purged) for each recall applied
    purged: list[tuple[str, str, int]] = field(default_factory=list)
    #: what the administrator should know about the run, e.g. why nothing was offered
    notes: list[str] = field(default_factory=list)

    @property
    def records_stored(self) -> int:
        return sum(c.records_stored for c in self.collections)

    @property
    def refused(self) -> list[tuple[str, str]]:
        return [r for c in self.collections for r in c.refused]

    @property
    def skipped_reasons(self) -> Counter[str]:
        return sum((c.skipped_reasons for c in self.collections), Counter())


#: progress(collection title, objects read so far in it, page just stored)
Progress = Callable[[str, int, Page], None]


def version_of(obj: Mapping[str, Any], fallback: str | None) -> str:
    """The version of a STIX object: ``modified``, else ``created``, else the date added."""
    for key in ("modified", "created"):
        value = obj.get(key)
        if isinstance(value, str):
            return value[:40]
    return (fallback or "-")[:40]


def _carries_consents(obj: Mapping[str, Any]) -> bool:
    """Whether a STIX object's tearline record extension carries consent documents."""
    extension = (obj.get("extensions") or {}).get(RECORD_EXTENSION_ID)
    extra = extension.get("extra") if isinstance(extension, dict) else None
    return isinstance(extra, dict) and bool(extra.get("consents"))


def just_before(stamp: str) -> str:
    """``stamp`` minus one microsecond, in TAXII's timestamp form (unchanged if unreadable)."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - timedelta(microseconds=1)).astimezone(UTC).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")


def _entity_of(obj: Mapping[str, Any]) -> str | None:
    ext = (obj.get("extensions") or {}).get(RECORD_EXTENSION_ID)
    if isinstance(ext, Mapping):
        if "derived_from" in ext:
            return None
        entity = ext.get("entity_id")
        return entity if isinstance(entity, str) else None
    return str(obj.get("id"))


def _attributed(record: Record, agency: str, keyer: StatementKeyer) -> Record:
    """A foreign record whose creator we do not know, attributed to the source's agency
    (its statements' ids derived again: they include agency and unit)."""
    if record.originator != EXTERNAL:
        return record
    statements = tuple(
        replace(s, origin=agency, author=agency,
                id=keyer(s.entity_id, s.prop, s.value, agency, agency))
        if s.origin == EXTERNAL else s
        for s in record.statements)
    return replace(record, originator=agency, author=agency, statements=statements)


class Puller:
    """One sync run against one partner (see the module docstring for the steps)."""

    def __init__(self, store: Store, partner: Partner, *, node_key: NodeKey | None,
                 own_agency: str | None, node_name: str | None = None,
                 page_size: int = DEFAULT_PAGE_SIZE,
                 progress: Progress | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        if partner.signed and node_key is None:
            raise ConfigError("pulling from a tearline peer needs this node's key "
                              "(to sign receipts): run `tearline node init`")
        self.store = store
        self.partner = partner
        self.node_key = node_key
        self.own_agency = own_agency
        self.node_name = node_name  # our node's name (the peer knows us by it)
        self.page_size = page_size
        self.progress = progress
        self.clock = clock
        #: what the administrator should know (vettings recorded from attestations, …)
        self.notes: list[str] = []

    # -- the run ---------------------------------------------------------------------------

    def run(self, client: TaxiiClient | None = None) -> SyncResult:
        own = client is None
        client = client or self.partner.client()
        try:
            return self._run(client)
        finally:
            if own:
                client.close()

    def _run(self, client: TaxiiClient) -> SyncResult:
        result = SyncResult(self.partner.name)
        if self.partner.signed and self.node_key is not None:  # a split view stops here
            try:
                witness(self.store, client, self.partner, self.node_key,
                        node_name=self.node_name)
            except IntegrityError:  # an answer that does not verify, audited like the rest
                self._refused_answer(None)
                raise
        result.receipts_sent += self.send_pending(client)
        try:
            roots = client.api_roots()
        except IntegrityError:
            self._refused_answer(None)
            raise
        for root in roots:
            try:
                collections = client.collections(root)
            except IntegrityError:
                self._refused_answer(None)
                raise
            for collection in collections:
                if collection.can_read:
                    result.collections.append(self.pull(client, root, collection))
            result.purged.extend(self.apply_recalls(client, root))
            result.receipts_sent += self.send_pending(client)
        result.notes.extend(self.notes)
        with self.store.reading() as conn:
            result.receipts_pending = len(ss.pending_receipts(conn, self.partner.name))
            if not result.collections:
                result.notes.append(no_collection_note(conn, self.partner, self.own_agency,
                                                       self.clock()))
        return result

    def pull(self, client: TaxiiClient, root: str, collection: Collection) -> CollectionResult:
        out = CollectionResult(collection.id, collection.title)
        with self.store.reading() as conn:
            start = ss.cursor(conn, self.partner.name, collection.id)
        added_after = just_before(start) if start else None
        token: str | None = None
        while True:
            try:
                page = client.objects(root, collection.id, added_after=added_after,
                                      limit=self.page_size, next_token=token)
            except IntegrityError:
                self._refused_answer(collection.id)
                raise
            self.store_page(root, collection.id, page, out)
            out.pages += 1
            out.objects += len(page.objects)
            if self.progress is not None:
                self.progress(collection.title or collection.id, out.objects, page)
            if not page.more or not page.next:
                return out
            token = page.next

    # -- one page, one transaction -----------------------------------------------------------

    def store_page(self, root: str, collection_id: str, page: Page,
                   out: CollectionResult) -> None:
        name, at = self.partner.name, self.clock()
        objects = list(page.objects)
        keys = [(str(o.get("id")), version_of(o, page.date_added_last)) for o in objects]
        with self.store.transaction() as conn:
            already = ss.already_received(conn, name, keys)
            fresh = [(o, k) for o, k in zip(objects, keys, strict=True) if k not in already]
            out.already += len(objects) - len(fresh)
            known = {d["id"]: d for d in ss.definitions(conn, name)}
            records, malformed = self._read(conn, [o for o, _ in fresh], known)
            # kept for later pages only if it read: a malformed one would fail them all
            definitions = [o for o, _ in fresh if o.get("type") == "marking-definition"
                           and str(o.get("id")) not in malformed]
            ss.keep_definitions(conn, name, definitions)
            known.update((d["id"], d) for d in definitions)
            received = self._judge_and_store(conn, collection_id, fresh, records, malformed,
                                             out)
            # a version we hold may come again with a consent its originator gave since
            carried = [o for o, k in zip(objects, keys, strict=True)
                       if k in already and _carries_consents(o)]
            if carried:
                again, _ = self._read(conn, carried, known)
                holding = holdings.originators(conn, list(again))
                self._keep_consents(conn, [r for r in again.values()
                                           if holding.get(r.id) == r.originator])
            ss.mark_received(conn, name, collection_id, received, at)
            if page.date_added_last:
                ss.set_cursor(conn, name, collection_id, root, page.date_added_last, at)
            # the receipt acknowledges every object received, whatever became of it here:
            # what we refused (an id that exists here, say) is ours to know, not the sender's
            if fresh and self.partner.signed and self.node_key is not None:
                self._add_receipt(conn, root, collection_id, [k for _, k in fresh], at)

    def _read(self, conn: Connection, objects: list[dict[str, Any]],
              definitions: Mapping[str, dict[str, Any]]
              ) -> tuple[dict[str, Record], dict[str, str]]:
        """Records by entity id, and malformed objects (id → problem); never raises for
        a malformed object, only leaves it out: the rest of the page is still read.

        A kept marking definition that does not read (kept before this check existed)
        is left out too, rather than failing every page after it."""
        agencies = sorted({a.id for a in parties.agencies(conn)})
        keyer = self.store.keyer
        present = {str(o.get("id")) for o in objects}
        extra = {i: d for i, d in definitions.items() if i not in present}
        malformed: dict[str, str] = {}
        for _attempt in range(3):
            usable = [o for o in objects if str(o.get("id")) not in malformed]
            listed = [*extra.values(), *usable]
            bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": listed}
            try:
                imported = read_bundle(bundle, agencies, keyer=keyer)
            except ValidationError as exc:
                bad, stale = _problem_ids(exc.problems, listed, present, set(extra))
                if not (set(bad) - set(malformed)) and not stale:
                    malformed.update({str(o.get("id")): exc.message for o in usable})
                    return {}, malformed
                for key in bad:
                    malformed.setdefault(key, bad[key])
                for key in stale:
                    extra.pop(key, None)
                continue
            records: dict[str, Record] = {}
            for record in imported.records:
                if not self.partner.signed:
                    record = _attributed(record, self.partner.agency, keyer)
                records[record.id] = record
            return records, malformed
        return {}, {str(o.get("id")): "unreadable" for o in objects}

    def _judge_and_store(self, conn: Connection, collection_id: str,
                         fresh: Sequence[tuple[dict[str, Any], tuple[str, str]]],
                         records: Mapping[str, Record], malformed: Mapping[str, str],
                         out: CollectionResult) -> list[ss.Received]:
        existing = holdings.originators(conn, list(records))
        keys = _consent_keys(conn)
        verdicts = {rid: judge(rec, self.partner.agency, self.own_agency, existing.get(rid),
                               keys, verify_document) for rid, rec in records.items()}
        accepted = [v.record for v in verdicts.values() if v.record is not None]
        # What the store refuses whoever writes (a record in one of our units'
        # namespaces, another schema under an existing id) is refused here one record at
        # a time, like any other refusal: failing the page would tell the sender, by the
        # missing receipt, that the id is free here, and stop its collection for good.
        schemas = stored_schemas(conn, [r.id for r in accepted])
        for rec in accepted:
            problems = refused_writes([rec], schemas)
            if problems:
                verdicts[rec.id] = Verdict("unstorable", "; ".join(p.message for p in problems))
        accepted = [v.record for v in verdicts.values() if v.record is not None]
        if accepted:
            summary = write_records(conn, accepted)
            audit_events.writes(conn, accepted, summary.changes, summary.records_new,
                                self.partner.party)
            out.records_stored += summary.records_new + summary.records_changed
            out.statements_new += summary.statements_new
            self._keep_consents(conn, accepted)
            if self.partner.signed and self.own_agency:
                self.notes.extend(keep_vettings(conn, self.partner, self.own_agency, accepted,
                                                self.clock()))
        received: list[ss.Received] = []
        refusals: list[FederationRefused] = []
        for obj, (object_id, version) in fresh:
            entity = _entity_of(obj)
            verdict = verdicts.get(entity) if entity else None
            if object_id in malformed:
                received.append(ss.Received(object_id, version, entity, "refused"))
                refusals.append(self._refusal(collection_id, object_id, None, "malformed"))
                out.refused.append((object_id, malformed[object_id]))
            elif verdict is None:
                received.append(ss.Received(object_id, version, entity, "skipped"))
                out.skipped += 1
                out.skipped_reasons[skipped.reason(obj)] += 1
            elif verdict.accepted:
                received.append(ss.Received(object_id, version, entity, "stored"))
            elif verdict.kind == "echo":
                received.append(ss.Received(object_id, version, entity, "echo"))
                out.echoed += 1
            else:
                received.append(ss.Received(object_id, version, entity, "refused"))
                origin = records[entity].originator if entity and entity in records else None
                reason: Literal["overwrite", "malformed", "third-agency"] = (
                    "overwrite" if verdict.kind == "overwrite"
                    else "malformed" if verdict.kind == "unstorable" else "third-agency")
                refusals.append(self._refusal(collection_id, object_id, origin, reason))
                out.refused.append((object_id, verdict.reason))
        if refusals:
            audit_log.append(conn, refusals)
        return received

    def _keep_consents(self, conn: Connection, records: Sequence[Record]) -> None:
        """Consents the sender (as originator) gave OUR agency to release its records
        onward: kept as signed (so that they travel on when we serve the record) and
        recorded as consents our policy consults. Only documents that verify with the
        sender's key, name the record, the sender's agency as the consenting originator
        and our agency as recipient are kept."""
        if not (self.partner.signed and self.partner.verifier_key and self.own_agency):
            return
        kept: list[dict[str, Any]] = []
        for record in records:
            for doc in record.extra.get("consents") or ():
                try:
                    body = verify_document(self.partner.verifier_key, doc)
                except IntegrityError:
                    continue
                if (body.get("type") == CONSENT_TYPE and body.get("entity_id") == record.id
                        and body.get("by_agency") == record.originator == self.partner.agency
                        and body.get("to_agency") == self.own_agency
                        and isinstance(body.get("consent_id"), str)):
                    kept.append(doc)
        if not kept:
            return
        consent_documents.keep(conn, kept, self.partner.name, self.clock())
        known = consent_documents.recorded_consents(conn, [d["consent_id"] for d in kept])
        entries: list[ConsentRecorded] = []
        for doc in kept:
            if doc["consent_id"] in known:
                continue
            known.add(doc["consent_id"])
            try:
                granted = parse_timestamp(doc.get("at"))
            except (InputError, ValueError):
                granted = self.clock()
            consent_documents.record_received_consent(conn, doc, granted, self.partner.party)
            # logged like a consent recorded here: the entry is also what moves the record
            # in our own feed, so partners that could not have it before now receive it
            entries.append(ConsentRecorded(
                at=now(), actor=self.partner.party, consent_id=doc["consent_id"][:64],
                entity_id=doc["entity_id"], originator=doc["by_agency"],
                to_agency=doc["to_agency"], decision="granted"))
        if entries:
            audit_log.append(conn, entries)

    def _refusal(self, collection_id: str | None, object_id: str | None,
                 originator: str | None, reason: Any) -> FederationRefused:
        return FederationRefused(
            at=now(), actor="system", peer=self.partner.party, collection=collection_id,
            object_id=object_id[:128] if object_id else None,
            originator=originator if originator and originator != EXTERNAL else None,
            reason=reason)

    def _refused_answer(self, collection_id: str | None) -> None:
        """An answer failed verification: logged in its own transaction, then re-raised."""
        with self.store.transaction() as conn:
            audit_log.append(conn, [self._refusal(collection_id, None, None, "unverified")])

    # -- receipts ----------------------------------------------------------------------------

    def _add_receipt(self, conn: Connection, root: str, collection_id: str,
                     objects: Sequence[tuple[str, str]], at: datetime) -> None:
        assert self.node_key is not None
        receipt_id = f"rcpt-{uuid.uuid4().hex}"
        body = build_receipt(self.node_key, self.node_name or self.node_key.name,
                             collection_id, objects, at)
        url = (root if root.endswith("/") else root + "/") + RECEIPTS_PATH
        ss.add_receipt(conn, receipt_id, self.partner.name, url, body, at)

    # -- recalls ------------------------------------------------------------------------------

    def apply_recalls(self, client: TaxiiClient, root: str) -> list[tuple[str, str, int]]:
        """Purge what the peer recalls, each in one transaction with its audit entry and
        its signed purge receipt (sent after the commit, like delivery receipts).

        A peer can only make us purge what *it* delivered and we stored
        (``sync_received``), and never statements of our own agency. The purge receipt
        is the same whatever we held: it names the recall, not what was deleted here,
        and the versions the peer delivered are forgotten whatever became of them (so a
        later release is received, and acknowledged, afresh). Whether we had stored the
        record, refused it (its id exists here as another agency's record) or never
        received it is ours to know, not the peer's. A recall seen again before the peer
        recorded our receipt is not applied twice: the receipt id is derived from the
        recall id."""
        if not self.partner.signed or self.node_key is None:
            return []
        base = root if root.endswith("/") else root + "/"
        try:
            doc = client.get_json(base + RECALLS_PATH)
        except IntegrityError:
            self._refused_answer(None)
            raise
        items = doc.get("recalls")
        if not isinstance(items, list):
            raise PeerError("malformed recalls answer: 'recalls' must be a list")
        done: list[tuple[str, str, int]] = []
        for item in items:
            if not (isinstance(item, dict) and isinstance(item.get("recall_id"), str)
                    and isinstance(item.get("entity_id"), str)):
                raise PeerError("malformed recall: recall_id and entity_id are required")
            recall_id, entity_id = item["recall_id"][:100], item["entity_id"]
            receipt_id = f"purge-{recall_id}"
            at = self.clock()
            with self.store.transaction() as conn:
                if ss.has_receipt(conn, receipt_id):
                    continue
                purged: list[str] = []
                if ss.delivered_by(conn, self.partner.name, entity_id):
                    purged = ss.purge_delivered(conn, self.partner.name, entity_id,
                                                self.own_agency)
                ss.forget_received(conn, self.partner.name, entity_id)
                audit_log.append(conn, [RecallPurged(
                    at=now(), actor="system", recall_id=recall_id, entity_id=entity_id[:128],
                    peer=self.partner.party, statement_ids=tuple(purged))])
                body = build_purge_receipt(self.node_key, self.node_name or self.node_key.name,
                                           item, at)
                ss.add_receipt(conn, receipt_id, self.partner.name,
                               base + PURGE_RECEIPTS_PATH, body, at)
            done.append((recall_id, entity_id, len(purged)))
        return done

    # -- receipts ----------------------------------------------------------------------------

    def send_pending(self, client: TaxiiClient) -> int:
        """POST every pending receipt; one the peer does not accept stays pending."""
        if not self.partner.signed:
            return 0
        with self.store.reading() as conn:
            pending = ss.pending_receipts(conn, self.partner.name)
        sent = 0
        for receipt_id, url, body in pending:
            try:
                client.post(url, body)
            except PeerError:
                continue  # kept pending: the next sync sends it again
            with self.store.transaction() as conn:
                ss.receipt_sent(conn, receipt_id, self.clock())
            sent += 1
        return sent


_POSITION = re.compile(r"objects\[(\d+)\]")


def _problem_ids(problems: Sequence[Problem], listed: Sequence[Mapping[str, Any]],
                 present: set[str], kept: set[str]) -> tuple[dict[str, str], set[str]]:
    """(page object id → its problem, kept definitions that do not read) named by
    ``problems``; a problem located by position (``objects[N]``, for an object whose id
    is itself unreadable) names the object at that position of ``listed``."""
    bad: dict[str, str] = {}
    stale: set[str] = set()
    for p in problems:
        column = p.column
        at = _POSITION.fullmatch(column or "")
        if at is not None and int(at.group(1)) < len(listed):
            column = str(listed[int(at.group(1))].get("id"))
        if column in present:
            bad.setdefault(column, p.message)
        elif column in kept:
            stale.add(column)
    return bad, stale


def _consent_keys(conn: Connection) -> dict[str, list[str]]:
    """Verifier keys by agency, of the peers this node trusts: who can sign a consent."""
    out: dict[str, list[str]] = {}
    for peer in peers.peers(conn):
        out.setdefault(peer.agency, []).append(peer.verifier_key)
    return out


def sync(store: Store, partner: Partner, *, node_key: NodeKey | None,
         own_agency: str | None, node_name: str | None = None,
         page_size: int = DEFAULT_PAGE_SIZE, progress: Progress | None = None) -> SyncResult:
    """Pull everything new from ``partner`` (see :class:`Puller`)."""
    return Puller(store, partner, node_key=node_key, own_agency=own_agency,
                  node_name=node_name, page_size=page_size, progress=progress).run()
