"""A unit's deconfliction on its node: tokens by threshold OPRF, register, check, withdraw.

The node is the client of the protocol for its units: it blinds the selectors (they
never leave it), gets t share evaluations — its own share and its peers' — combines
and finalizes them into tokens, and compares tokens with its copy of the index,
pulled from every peer. A check answers each selector with the pointers of the
registrations in force of *other* units whose agency may deconflict with the
checker's (an agreement in force binds both), and logs each hit as an exchange with
that agency; the holder's node is sent a signed notice. A registration is a check
too: whoever registers second learns of the first, and both are told.

One :class:`Deconfliction` serves every request of a running node (the API keeps
one per process): its identity and key are loaded once, its peers' clients stay
open (:class:`~tearline.federation.deconflict_remote.PeerClients`), and its pulls of
the peers' index run one at a time, so that concurrent checks never store a page
twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tearline.audit.commitments import entry_key
from tearline.audit.deconflict_events import DeconflictHit
from tearline.audit.envelope import commit_value
from tearline.deconflict import documents as docs
from tearline.deconflict import threshold
from tearline.deconflict import tokens as tk
from tearline.deconflict.selectors import Selector
from tearline.errors import (
    ConfigError,
    NotConfigured,
    NotFound,
    PeerError,
    PolicyDenied,
    ValidationError,
    tr,
)
from tearline.federation import deconflict_entries as logs
from tearline.federation.deconflict_docs import logged, sign
from tearline.federation.deconflict_partners import Partners
from tearline.federation.deconflict_remote import (
    Answers,
    PeerClients,
    ask_peers,
    pull_index,
    told,
)
from tearline.federation.identity import load_identity
from tearline.keys import load_node_key
from tearline.policy.subject import Subject
from tearline.store import Store, audit_log, deconflict_index, deconflict_keys, ts

DEFAULT_TERM = timedelta(days=180)
#: Selectors per request to a peer (see :meth:`Deconfliction.tokens`).
SLICE = 2_000


@dataclass(frozen=True, slots=True)
class Hit:
    """A registration met: whom to call. Never the other side's selector or data."""

    registration_id: str
    agency: str
    unit: str
    contact: str
    since: str
    kind: str


@dataclass
class Outcome:
    """Per selector, its hits; and the share holders that could not answer."""

    hits: list[list[Hit]]
    unavailable: dict[str, str] = field(default_factory=dict)
    registered: list[str] = field(default_factory=list)


#: A batch whose peers are asked: its blinds, this node's share, the peers' answers to
#: come, and its own terms if made beforehand.
_Waiting = tuple[tk.BlindBatch, threshold.KeyShare, Future[Answers], tk.LocalTerms | None]


@dataclass
class Deconfliction:
    store: Store
    keys_dir: Path
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    timeout: float = 60.0  # a peer that does not answer within it counts as offline

    def __post_init__(self) -> None:
        try:
            self.identity = load_identity(self.keys_dir)
            self.key = load_node_key(self.keys_dir)
        except ConfigError as exc:
            raise NotConfigured(tr(
                "deconfliction needs this node's identity: {message}", message=exc.message)
                                ) from exc
        self.clients = PeerClients(self.keys_dir, self.timeout)
        self.partners = Partners()
        self._pulling = threading.Lock()
        #: The share indices that answered the last batch: the next batch's own terms
        #: are made for them while the peers evaluate (see :meth:`tokens`).
        self._answering: tuple[int, ...] | None = None

    def close(self) -> None:
        """Close the peers' clients (also done when collected, or at exit)."""
        self.clients.close()

    def sync(self) -> dict[str, str]:
        """Pull every partner's index; returns the peers that could not be pulled, and
        why. One pull at a time: a check that arrives during another's pull waits for it
        and then pulls what came since."""
        failed = {}
        with self.store.reading() as conn:
            current = self.partners.peers(conn, self.identity.agency, self.clock())
        with self._pulling:
            for peer in current:
                try:
                    pull_index(self.store, peer, self.clients.get(peer), self.identity.agency,
                               self.clock())
                except PeerError as exc:
                    failed[peer.name] = told(peer, exc)
                except PolicyDenied as exc:
                    failed[peer.name] = exc.message
        return failed

    def tokens(self, subject: Subject, selectors: Sequence[Selector],
               unavailable: dict[str, str], pulled: Future[dict[str, str]] | None = None
               ) -> tuple[str, ...]:
        """Tokens of ``selectors`` from t share holders: this node's own share, applied
        here, and t − 1 peers' evaluations of the blinded elements.

        Requests go in slices of :data:`SLICE`, pipelined: a peer evaluates one slice
        while this node blinds the next and combines the one before, so that this
        node's cores and the peer's work at the same time; this node's own share is
        applied while the peer evaluates, for the holders that answered the batch
        before (again afterwards if others answer). ``pulled``: a pull of the index
        under way (:meth:`check`); no peer is asked before it ends, and the peers it
        could not reach are added to ``unavailable`` and not asked."""
        with self.store.reading() as conn:
            current = self.partners.peers(conn, self.identity.agency, self.clock())
        out: list[str] = []
        waiting: _Waiting | None = None
        with ThreadPoolExecutor(max_workers=1) as asker:
            for start in range(0, len(selectors), SLICE):
                batch = tk.blind_batch(selectors[start:start + SLICE])
                key_id, share = deconflict_keys.local_share(
                    self.store, str(subject), subject.unit, len(batch.inputs), self.clock())
                asked = asker.submit(ask_peers, self.clients, current, key_id, share,
                                     batch.elements, unavailable, pulled)
                pulled = None  # the asker thread waits for it once, before its first ask
                expected = self._answering
                ready = (tk.local_terms(batch, share, expected)
                         if expected is not None and share.index in expected else None)
                if waiting is not None:
                    out += self._finish(*waiting)
                waiting = (batch, share, asked, ready)
            if waiting is not None:
                out += self._finish(*waiting)
        return tuple(out)

    def _finish(self, batch: tk.BlindBatch, share: threshold.KeyShare,
                asked: Future[Answers], ready: tk.LocalTerms | None) -> tuple[str, ...]:
        answers = asked.result()
        self._answering = tuple(sorted([*answers, share.index]))
        return tk.finish(batch, answers, share.threshold, local=share, ready=ready)

    def compare(self, subject: Subject, selectors: Sequence[Selector],
                 tokens: Sequence[str], at: datetime, queries: bool = True
                 ) -> list[list[Hit]]:
        """Hits of each token; logs each hit and a notice per hit (signed per holder
        agency, see :class:`~tearline.deconflict.documents.NoticeBatch`), and the query of each
        selector unless ``queries`` is false: a registration's check of its own
        selectors, whose ``deconflict.registered`` entries already record them."""
        out: list[list[Hit]] = []
        entries = logs.Entries()
        notices: dict[str, list[tuple[str, str]]] = {}  # holder agency → (notice, registration)
        stamp, actor = ts(at), str(subject)
        query = logs.query_template(stamp, actor)
        hit = logs.checker_hit_template(stamp, actor, subject.unit, subject.agency)
        with self.store.transaction() as conn:
            found = deconflict_index.in_force(conn, tokens, at)
            # every query entry of the batch has the same kind, time and actor: one key
            key = entry_key(audit_log.salt(conn), "deconflict.query", stamp, actor)
            bases: dict[str, str | None] = {}
            for selector, token in zip(selectors, tokens, strict=True):
                met = [reg for reg in found.get(token, ()) if reg.unit != subject.unit]
                for reg in met:
                    if reg.agency not in bases:  # one lookup per agency, not per hit
                        bases[reg.agency] = self.partners.between(conn, subject.agency,
                                                                  reg.agency, at)
                # these agencies do not deconflict: as if absent
                met = [reg for reg in met if bases[reg.agency] is not None]
                if queries:
                    entries.add(query, (selector.kind, commit_value(
                        key, f"{selector.kind}:{selector.value}"), len(met)))
                for reg in met:
                    basis = bases[reg.agency] or None
                    entries.add(hit, (reg.id, f"unit:{reg.unit}", reg.agency, basis))
                    if reg.node == self.identity.name:  # the holder is on this node
                        entries.event(DeconflictHit(
                            at=stamp, actor=f"unit:{reg.unit}", registration_id=reg.id,
                            role="holder", checker=f"unit:{subject.unit}",
                            checker_agency=subject.agency, holder=f"unit:{reg.unit}",
                            holder_agency=reg.agency, agreement_id=basis))
                    notices.setdefault(reg.agency, []).append((docs.new_id("dn"), reg.id))
                out.append([Hit(reg.id, reg.agency, reg.unit, reg.contact, reg.since, reg.kind)
                            for reg in met])
            told = [docs.NoticeBatch(docs.new_id("dh"), agency, subject.agency, subject.unit,
                                     bases[agency] or None, stamp, self.identity.name,
                                     tuple(pairs[i:i + docs.MAX_ENTRIES]))
                    for agency, pairs in sorted(notices.items())
                    for i in range(0, len(pairs), docs.MAX_ENTRIES)]
            deconflict_index.store_documents(
                conn, [(n, sign(self.key, n)) for n in told], self.identity.name, at)
            entries.append_to(conn)
        return out

    def _synced_tokens(self, subject: Subject, selectors: Sequence[Selector]
                       ) -> tuple[tuple[str, ...], dict[str, str]]:
        """The peers' index pulled and the tokens made at the same time: only the
        comparison needs the index, and the pull is mostly waiting for the peers, so
        this node blinds the first slice meanwhile. The peers the pull could not reach
        are not asked for evaluations, as when the pull came first."""
        unavailable: dict[str, str] = {}
        with ThreadPoolExecutor(max_workers=1) as puller:  # on leaving, the pull has ended
            pulled = puller.submit(self.sync)
            tokens = self.tokens(subject, selectors, unavailable, pulled)
            for name, why in pulled.result().items():  # already there once a peer was asked
                unavailable.setdefault(name, why)
        return tokens, unavailable

    def check(self, subject: Subject, selectors: Sequence[Selector]) -> Outcome:
        tokens, unavailable = self._synced_tokens(subject, selectors)
        return Outcome(self.compare(subject, selectors, tokens, self.clock()), unavailable)

    def register(self, subject: Subject, selectors: Sequence[Selector], contact: str,
                 since: datetime | None = None, expires: datetime | None = None,
                 probes: Sequence[Selector] = ()) -> Outcome:
        """Register ``selectors`` for the subject's unit and check ``probes`` (the
        selectors themselves when none are given) against the index."""
        at = self.clock()
        since = since or at
        expires = expires or at + DEFAULT_TERM
        if expires <= at:
            raise ValidationError(tr("a registration must expire in the future"))

        def batch(entries: tuple[tuple[str, str, str], ...]) -> docs.Batch:
            return docs.Batch(id=docs.new_id("db"), agency=subject.agency, unit=subject.unit,
                              contact=contact, since=docs.stamp(since),
                              expires=docs.stamp(expires), node=self.identity.name,
                              entries=entries)

        # the pointer is checked before any evaluation is spent on it
        docs.parse(batch(((docs.new_id("dr"), "0" * 64, "phone"),)).to_document())
        tokens, unavailable = self._synced_tokens(subject, list(selectors) + list(probes))
        mine, probe_tokens = tokens[:len(selectors)], tokens[len(selectors):]
        outcome = Outcome(self.compare(subject, list(probes) or list(selectors),
                                        list(probe_tokens) or list(mine), at,
                                        queries=bool(probes)), unavailable)
        made: list[tuple[docs.Document, dict[str, Any]]] = []
        entries = logs.Entries()
        step = docs.MAX_ENTRIES
        for start in range(0, len(selectors), step):
            document = batch(tuple(
                (docs.new_id("dr"), token, selector.kind) for selector, token in
                zip(selectors[start:start + step], mine[start:start + step], strict=True)))
            made.append((document, sign(self.key, document)))
            logs.registered(entries, document, str(subject), ts(at))
            outcome.registered += [i for i, _, _ in document.entries]
        with self.store.transaction() as conn:
            deconflict_index.store_documents(conn, made, self.identity.name, at)
            entries.append_to(conn)
        return outcome

    def withdraw(self, subject: Subject, registration_id: str) -> None:
        at = self.clock()
        with self.store.transaction() as conn:
            try:
                stored = deconflict_index.registration(conn, registration_id)
            except NotFound:
                stored = None
            if (stored is None or stored.registration.unit != subject.unit
                    or stored.registration.node != self.identity.name):
                raise NotFound(tr(
                    "no registration {registration_id} of unit {unit}",
                    registration_id=registration_id, unit=subject.unit))
            if stored.withdrawn_at is not None:
                return
            withdrawal = docs.Withdrawal(docs.new_id("dw"), registration_id, docs.stamp(at),
                                         self.identity.name)
            deconflict_index.store_document(conn, withdrawal, sign(self.key, withdrawal),
                                            self.identity.name, at)
            audit_log.append(conn, logged(withdrawal, str(subject), at))
