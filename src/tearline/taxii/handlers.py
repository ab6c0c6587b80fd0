"""The TAXII 2.1 resources a peer reads, and tearline's own: one handler each.

Each handler takes the node, the request and the authenticated peer and returns a
:class:`~tearline.taxii.pipeline.Reply`; it never signs, authenticates or formats an
error itself (:mod:`tearline.taxii.pipeline` does, for all of them). What a peer may
see is decided in :mod:`tearline.taxii.service`; the handlers parse the query, call it
and shape the TAXII envelope. Kept apart from the routing (:mod:`tearline.taxii.app`)
and the pipeline, so that each resource reads as what it answers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from tearline.errors import NotFound, PolicyDenied, UnsupportedMethod, ValidationError, tr
from tearline.federation.receipts import record_receipt
from tearline.store import Peer, recalls_for
from tearline.taxii import collection, recalls, service, witnessing
from tearline.taxii.pipeline import Node, Reply
from tearline.taxii.wire import (
    MAX_CONTENT_LENGTH,
    STIX_MEDIA,
    TAXII_MEDIA,
    Query,
    parse_query,
)

DISCOVERY = "/taxii2/"
ROOT = "/taxii2/api/"
_COLLECTION_PARAMS: frozenset[str] = frozenset()
_OBJECT_PARAMS = frozenset({"match[version]", "match[spec_version]", "added_after", "limit",
                            "next"})
_VERSIONS_PARAMS = frozenset({"match[spec_version]", "added_after", "limit", "next"})


def _query(request: Request, allowed: frozenset[str] | None = None) -> Query:
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        params.setdefault(name, []).append(value)
    return parse_query(params, allowed)


def _page_headers(page: service.Page) -> dict[str, str]:
    headers = {}
    if page.first_added:
        headers["X-TAXII-Date-Added-First"] = page.first_added
    if page.last_added:
        headers["X-TAXII-Date-Added-Last"] = page.last_added
    return headers


def _envelope(page: service.Page, key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    body: dict[str, Any] = {"more": page.more}
    if page.next:
        body["next"] = page.next
    if items:
        body[key] = items
    return body


# -- endpoints --------------------------------------------------------------------------


def discovery(node: Node, request: Request, peer: Peer) -> Reply:
    _query(request, _COLLECTION_PARAMS)
    ident = node.identity
    return Reply(200, {
        "title": f"tearline node {ident.name}",
        "description": f"{ident.agency} ({ident.unit}): records released to your unit "
                       "by the dissemination policy, signed.",
        "default": ROOT,
        "api_roots": [ROOT],
    }, {})


def api_root(node: Node, request: Request, peer: Peer) -> Reply:
    _query(request, _COLLECTION_PARAMS)
    return Reply(200, {
        "title": f"tearline {node.identity.name}",
        "description": "One collection per agreement between your agency and ours.",
        "versions": [TAXII_MEDIA],
        "max_content_length": MAX_CONTENT_LENGTH,
    }, {})


def list_collections(node: Node, request: Request, peer: Peer) -> Reply:
    _query(request, _COLLECTION_PARAMS)
    with node.store.reading() as conn:
        found = collection.collections(conn, peer, node.identity.agency)
    body: dict[str, Any] = {}
    if found:
        body["collections"] = [c.resource() for c in found]
    return Reply(200, body, {})


def _collection(node: Node, request: Request, peer: Peer) -> collection.Collection:
    with node.store.reading() as conn:
        return collection.find_collection(conn, peer, node.identity.agency,
                                          request.path_params["collection"])


def get_collection(node: Node, request: Request, peer: Peer) -> Reply:
    _query(request, _COLLECTION_PARAMS)
    return Reply(200, _collection(node, request, peer).resource(), {})


def get_objects(node: Node, request: Request, peer: Peer) -> Reply:
    coll = _collection(node, request, peer)
    page = service.page(node.store, peer, coll, _query(request), node.cursors,
                        datetime.now(UTC), "objects", node.signer)
    return Reply(200, _envelope(page, "objects", page.objects), _page_headers(page))


def post_objects(node: Node, request: Request, peer: Peer) -> Reply:
    _collection(node, request, peer)
    raise PolicyDenied(
        tr("this collection is read-only for your node: no agreement grants it write access"),
        [tr("can_write is false")])


def get_manifest(node: Node, request: Request, peer: Peer) -> Reply:
    coll = _collection(node, request, peer)
    page = service.page(node.store, peer, coll, _query(request), node.cursors,
                        datetime.now(UTC), "manifest", node.signer)
    added = page.added_of()
    items = [{"id": o["id"], "date_added": added[o["id"]],
              "version": o.get("modified", o.get("created")), "media_type": STIX_MEDIA}
             for o in page.objects]
    return Reply(200, _envelope(page, "objects", items), _page_headers(page))


def get_object(node: Node, request: Request, peer: Peer) -> Reply:
    coll = _collection(node, request, peer)
    query = _query(request, _OBJECT_PARAMS)
    stix_id = request.path_params["object"]
    page = service.one_object(node.store, peer, coll, stix_id, query, node.cursors,
                              datetime.now(UTC), node.signer)
    objects = [o for o in page.objects if o["id"] == stix_id]
    return Reply(200, {"more": False, "objects": objects}, _page_headers(page))


def delete_object(node: Node, request: Request, peer: Peer) -> Reply:
    _collection(node, request, peer)
    raise PolicyDenied(tr("objects are never deleted by a peer; the originator recalls them"),
                       [tr("can_write is false")])


def get_versions(node: Node, request: Request, peer: Peer) -> Reply:
    coll = _collection(node, request, peer)
    query = _query(request, _VERSIONS_PARAMS)
    stix_id = request.path_params["object"]
    page = service.one_object(node.store, peer, coll, stix_id, query, node.cursors,
                              datetime.now(UTC), node.signer)
    versions = sorted({str(o.get("modified", o.get("created"))) for o in page.objects
                       if o["id"] == stix_id})
    return Reply(200, {"more": False, "versions": versions}, _page_headers(page))


def get_status(node: Node, request: Request, peer: Peer) -> Reply:
    # No POST is ever accepted (every collection is read-only), so no status exists.
    raise NotFound(tr("no such status"))


def post_receipt(node: Node, request: Request, peer: Peer) -> Reply:
    receipt = record_receipt(node.store, peer, request.state.body)
    return Reply(200, {"type": "tearline-receipt-recorded", "digest": receipt.digest,
                       "objects": len(receipt.objects)}, {})


def get_recalls(node: Node, request: Request, peer: Peer) -> Reply:
    _query(request, _COLLECTION_PARAMS)
    with node.store.reading() as conn:
        pending = recalls_for(conn, peer, datetime.now(UTC))
    return Reply(200, {"recalls": [r.resource() for r in pending]}, {})


def post_purge_receipt(node: Node, request: Request, peer: Peer) -> Reply:
    recall_id = recalls.record_purge_receipt(node.store, peer, request.state.body,
                                             datetime.now(UTC))
    return Reply(200, {"type": "tearline-purge-recorded", "recall_id": recall_id}, {})


def get_checkpoint(node: Node, request: Request, peer: Peer) -> Reply:
    params = request.query_params
    unknown = set(params.keys()) - {"from"}
    if unknown:
        raise ValidationError(tr(
            "unknown parameter(s): {unknown}", unknown=', '.join(sorted(unknown))))
    from_size = witnessing.parse_from(params.getlist("from"))
    return Reply(200, witnessing.checkpoint_answer(node.store, node.key, from_size), {})


def post_cosignature(node: Node, request: Request, peer: Peer) -> Reply:
    kept = witnessing.record_cosignature(node.store, node.key, node.identity.name, peer,
                                         request.state.body)
    return Reply(200, {"type": "tearline-cosignature-recorded", "size": kept.size,
                       "root": kept.root.hex(), "new": kept.new}, {})


def not_found(node: Node, request: Request, peer: Peer) -> Reply:
    raise NotFound(tr("no such resource"))


def wrong_method(node: Node, request: Request, peer: Peer) -> Reply:
    raise UnsupportedMethod(tr("{method} is not allowed here", method=request.method))
