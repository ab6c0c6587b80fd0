"""Pull from a partner: fetch, verify, judge, store exactly once, acknowledge.

``tearline sync NAME`` runs :func:`sync`. For every collection the partner offers, it
asks for the objects added after the stored cursor, page by page, and for each page:

1. **verify** — a tearline peer's answer must carry a valid signature over our nonce
   (:class:`~tearline.federation.trust.SignedBy`); a failure stops the sync, is
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

Fetching and verifying the next page (step 1) runs in a second thread while a page goes
through steps 2–4, so that the peer serves while we store; pages are stored in order.

Each step has its module: whom we pull from (:mod:`~tearline.federation.partners`),
reading a page (:mod:`~tearline.federation.reading`), judging and storing it
(:mod:`~tearline.federation.admission`, with :mod:`~tearline.federation.consents`),
receipts (:mod:`~tearline.federation.acknowledge`), recalls
(:mod:`~tearline.federation.recalls`), the refusals' audit entries
(:mod:`~tearline.federation.refusals`) and the run's counts
(:mod:`~tearline.federation.results`). This module is the run that puts them in order.

Why the cursor is re-read one microsecond early: TAXII's ``added_after`` is strict,
and several objects may share the ``date_added`` of the last object of a page. Asking
from just before it re-reads those, and the received versions make that harmless.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from tearline.errors import ConfigError, IntegrityError, tr
from tearline.federation import acknowledge, recalls
from tearline.federation.admission import judge_and_store
from tearline.federation.agreements import no_collection_note
from tearline.federation.client import TaxiiClient
from tearline.federation.consents import carries_consents, keep_consents
from tearline.federation.partners import Partner
from tearline.federation.reading import just_before, read_objects, version_of
from tearline.federation.refusals import refused_answer
from tearline.federation.results import CollectionResult, SyncResult
from tearline.federation.taxii_resources import Collection, Page
from tearline.federation.witnessing import witness
from tearline.keys import NodeKey
from tearline.model.record import Record
from tearline.store import Connection, Store, holdings
from tearline.store import sync_state as ss

DEFAULT_PAGE_SIZE = 1000

#: progress(collection title, objects read so far in it, page just stored)
Progress = Callable[[str, int, Page], None]


class Puller:
    """One sync run against one partner (see the module docstring for the steps)."""

    def __init__(self, store: Store, partner: Partner, *, node_key: NodeKey | None,
                 own_agency: str | None, node_name: str | None = None,
                 page_size: int = DEFAULT_PAGE_SIZE,
                 progress: Progress | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        if partner.signed and node_key is None:
            raise ConfigError(tr(
                "pulling from a tearline peer needs this node's key (to sign receipts): run "
                "`tearline node init`"))
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
        """Every page after the stored cursor. The next page is fetched and verified in a
        second thread while this one is stored (the peer serves it meanwhile): storing
        stays one page after the other, in order, each in its own transaction."""
        out = CollectionResult(collection.id, collection.title)
        with self.store.reading() as conn:
            start = ss.cursor(conn, self.partner.name, collection.id)
        added_after = just_before(start) if start else None

        def fetch(token: str | None) -> Page:
            return client.objects(root, collection.id, added_after=added_after,
                                  limit=self.page_size, next_token=token)

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tearline-fetch") as ahead:
            pending: Future[Page] = ahead.submit(fetch, None)
            while True:
                try:
                    page = pending.result()
                except IntegrityError:
                    self._refused_answer(collection.id)
                    raise
                token = page.next if page.more and page.next else None
                if token is not None:
                    pending = ahead.submit(fetch, token)
                self.store_page(root, collection.id, page, out)
                out.pages += 1
                out.objects += len(page.objects)
                if self.progress is not None:
                    self.progress(collection.title or collection.id, out.objects, page)
                if token is None:
                    return out

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
            received = judge_and_store(conn, self.partner, self.own_agency, self.clock,
                                       self.notes, collection_id, fresh, records,
                                       malformed, out)
            # a version we hold may come again with a consent its originator gave since
            carried = [o for o, k in zip(objects, keys, strict=True)
                       if k in already and carries_consents(o)]
            if carried:
                again, _ = self._read(conn, carried, known)
                holding = holdings.originators(conn, list(again))
                keep_consents(conn, self.partner, self.own_agency,
                              [r for r in again.values() if holding.get(r.id) == r.originator],
                              self.clock)
            ss.mark_received(conn, name, collection_id, received, at)
            if page.date_added_last:
                ss.set_cursor(conn, name, collection_id, root, page.date_added_last, at)
            # the receipt acknowledges every object received, whatever became of it here:
            # what we refused (an id that exists here, say) is ours to know, not the sender's
            if fresh and self.partner.signed and self.node_key is not None:
                acknowledge.add_receipt(conn, self.partner, self.node_key, self.node_name,
                                        root, collection_id, [k for _, k in fresh], at)

    def _read(self, conn: Connection, objects: list[dict[str, Any]],
              definitions: Mapping[str, dict[str, Any]]
              ) -> tuple[dict[str, Record], dict[str, str]]:
        """Records by entity id, and malformed objects (:func:`read_objects`)."""
        return read_objects(conn, self.partner, self.store.keyer, objects, definitions)

    def _refused_answer(self, collection_id: str | None) -> None:
        """An answer failed verification: logged in its own transaction, then re-raised."""
        refused_answer(self.store, self.partner, collection_id)

    # -- recalls and receipts ---------------------------------------------------------------

    def apply_recalls(self, client: TaxiiClient, root: str) -> list[tuple[str, str, int]]:
        """Purge what the peer recalls (:func:`tearline.federation.recalls.apply_recalls`)."""
        return recalls.apply_recalls(self.store, self.partner, client, root,
                                     node_key=self.node_key, node_name=self.node_name,
                                     own_agency=self.own_agency, clock=self.clock)

    def send_pending(self, client: TaxiiClient) -> int:
        """POST every pending receipt; one the peer does not accept stays pending."""
        return acknowledge.send_pending(self.store, self.partner, client, self.clock)


def sync(store: Store, partner: Partner, *, node_key: NodeKey | None,
         own_agency: str | None, node_name: str | None = None,
         page_size: int = DEFAULT_PAGE_SIZE, progress: Progress | None = None) -> SyncResult:
    """Pull everything new from ``partner`` (see :class:`Puller`)."""
    return Puller(store, partner, node_key=node_key, own_agency=own_agency,
                  node_name=node_name, page_size=page_size, progress=progress).run()
