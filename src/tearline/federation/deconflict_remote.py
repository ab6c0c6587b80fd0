"""Asking peers: their share's evaluation of our blinded elements, and their index.

Over the same pinned mutual-TLS connections and signed answers as the TAXII pull
(:class:`~tearline.federation.client.TaxiiClient`). A peer that cannot be reached, or
refuses (its quota for our unit is spent, no agreement), is reported and skipped:
the check goes on with the other share holders, and fails only when fewer than t
answered.

:class:`PeerClients` keeps one open client per peer for as long as the node's
deconfliction lives (a running API server: the whole process): an SSL context, the
node's client certificate and a TLS handshake cost more than a small request's
evaluation, and a server answering many checks would otherwise pay them per request.
"""

from __future__ import annotations

import binascii
import logging
import threading
import weakref
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

from tearline.deconflict import group, threshold
from tearline.errors import PeerError, PeerRefused, ValidationError, tr
from tearline.federation.client import TaxiiClient
from tearline.federation.deconflict_docs import accept_page
from tearline.federation.partners import partner_from_peer
from tearline.federation.signing import b64url, unb64url
from tearline.store import Peer, Store, deconflict_index

log = logging.getLogger("tearline.federation")

#: Where a peer's listener answers deconfliction (``taxii/deconflict.py`` serves these
#: paths under the TAXII API root of ``taxii/app.py``).
ROOT = "/taxii2/api/"
EVALUATE = "tearline/deconflict/evaluate/"
INDEX = "tearline/deconflict/index/"
#: A peer's answers: share index → its evaluation of each element.
Answers = dict[int, tuple[bytes, ...]]


@dataclass(frozen=True, slots=True)
class ShareAnswer:
    peer: str
    index: int
    threshold: int
    answers: tuple[bytes, ...]


def _close_all(held: dict[str, tuple[Peer, TaxiiClient]]) -> None:
    for _, client in held.values():
        client.close()
    held.clear()


class PeerClients:
    """One open client per peer, shared by the threads of this node's deconfliction.

    A peer whose record changed (address, certificate, verifier key, removal) gets a
    new client; the old one is closed. The clients are closed by :meth:`close`, or when
    the pool is collected or the process exits."""

    def __init__(self, keys_dir: Path, timeout: float) -> None:
        self.keys_dir, self.timeout = keys_dir, timeout
        self._lock = threading.Lock()
        self._held: dict[str, tuple[Peer, TaxiiClient]] = {}
        self._finalizer = weakref.finalize(self, _close_all, self._held)

    def get(self, peer: Peer) -> TaxiiClient:
        with self._lock:
            held = self._held.get(peer.name)
            if held is not None and held[0] == peer:
                return held[1]
            client = partner_from_peer(peer, self.keys_dir).client(self.timeout)
            self._held[peer.name] = (peer, client)
        if held is not None:
            held[1].close()
        return client

    def close(self) -> None:
        self._finalizer()


def evaluate_remote(peer: Peer, client: TaxiiClient, key_id: str, elements: Sequence[bytes]
                    ) -> ShareAnswer:
    """``peer``'s share applied to ``elements`` (asked through ``client``, the peer's);
    :class:`PeerError` if it cannot answer."""
    doc = client.post(ROOT + EVALUATE, {"key_id": key_id,
                                        "elements": [b64url(e) for e in elements]})
    answers = doc.get("answers")
    index, t = doc.get("index"), doc.get("threshold")
    if doc.get("key_id") != key_id:
        raise PeerError(tr(
            "peer {name} holds a share of another key ({doc})",
            name=peer.name, doc=doc.get('key_id')))
    if (not isinstance(answers, list) or len(answers) != len(elements)
            or not isinstance(index, int) or not isinstance(t, int)):
        raise PeerError(tr("peer {name} answered a malformed evaluation", name=peer.name))
    out = []
    for i, item in enumerate(answers):
        try:
            raw = unb64url(item) if isinstance(item, str) else b""
        except (binascii.Error, ValueError):
            raw = b""
        try:
            out.append(group.check_shape(raw, f"answer {i}"))
        except ValidationError as exc:
            raise PeerError(tr("peer {name} answered an invalid element", name=peer.name)) from exc
    return ShareAnswer(peer.name, index, t, tuple(out))


def told(peer: Peer, exc: PeerError) -> str:
    """What a checking unit is told of a peer that could not answer, in this node's
    words only. A refusal's own text is the peer's to write: a hostile peer could put
    anything before this node's analysts; and a quota refusal counts every unit of
    this node at that peer (the peer knows this node as one unit), so its figures
    would tell one unit the others' activity. The whole text goes to this node's log,
    for its administrator."""
    if not isinstance(exc, PeerRefused):
        return exc.message  # not reached, timed out, TLS, a malformed answer: our words
    log.warning("deconfliction: peer %s refused: %s", peer.name, exc.message)
    if exc.status == 429:
        return tr("the peer's daily quota of evaluations for this node is spent")
    return tr("the peer refused (HTTP {status})", status=exc.status)


def ask_peers(clients: PeerClients, current: Sequence[Peer], key_id: str,
              share: threshold.KeyShare, elements: Sequence[bytes], unavailable: dict[str, str],
              pulled: Future[dict[str, str]] | None = None) -> Answers:
    """t − 1 peers' evaluations of ``elements``, asking one peer after another and
    skipping those in ``unavailable`` (and adding those that fail to it). ``pulled``: a
    pull of the index under way; its unreachable peers are added first, once it ends."""
    if pulled is not None:
        unavailable.update(pulled.result())
    answers: Answers = {}
    for peer in current:
        if len(answers) + 1 >= share.threshold:
            break
        if peer.name in unavailable:
            continue
        try:
            got = evaluate_remote(peer, clients.get(peer), key_id, elements)
        except PeerError as exc:
            unavailable[peer.name] = told(peer, exc)
            continue
        if (got.index in answers or got.index == share.index
                or got.threshold != share.threshold):
            unavailable[peer.name] = tr("answered for a share already counted")
            continue
        answers[got.index] = got.answers
    if len(answers) + 1 < share.threshold:
        raise PeerError(
            f"{len(answers) + 1} of the {share.threshold} key-share holders needed "
            "answered: " + "; ".join(f"{k}: {v}" for k, v in sorted(unavailable.items())))
    return answers


def pull_index(store: Store, peer: Peer, client: TaxiiClient, own_agency: str, at: datetime
               ) -> int:
    """Store ``peer``'s new index documents (each page in one transaction, with its
    cursor; an empty page writes nothing); returns how many were new."""
    added = 0
    while True:
        with store.reading() as conn:
            position = deconflict_index.cursor(conn, peer.name)
        query = f"?{urlencode({'next': position})}" if position else ""
        doc = client.get_json(f"{ROOT}{INDEX}{query}")
        documents, nxt = doc.get("documents"), doc.get("next")
        if not isinstance(documents, list) or not isinstance(nxt, str | None):
            raise PeerError(tr("peer {name} answered a malformed index page", name=peer.name))
        if documents or (nxt and nxt != position):
            with store.transaction() as conn:
                added += len(accept_page(conn, peer, own_agency, documents, at))
                if nxt:
                    deconflict_index.set_cursor(conn, peer.name, nxt)
        if doc.get("more") is not True:
            return added
