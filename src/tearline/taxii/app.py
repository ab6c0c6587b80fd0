"""The TAXII 2.1 ASGI application that peer nodes pull from: its routes.

Every route runs its handler (:mod:`tearline.taxii.handlers`) through
:func:`tearline.taxii.pipeline.endpoint`, which attributes the request to a peer by
its client certificate, runs the handler and answers with canonical JSON signed for
the request's ``Tearline-Nonce``; errors leave the same way, signed too. There is no
other exit: unknown paths and methods are answered by the same function, and a bug
answers a fixed 500 message. This module only wires the three together.

Starlette rather than FastAPI: the TAXII resources are fixed by the specification and
every body must be exactly the bytes that were signed, so routing is all this needs
from a framework.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tearline.federation.deconflict_remote import EVALUATE, INDEX
from tearline.federation.identity import NodeIdentity
from tearline.keys import NodeKey
from tearline.store import Peer, Store
from tearline.taxii import deconflict, service
from tearline.taxii.handlers import (
    DISCOVERY,
    ROOT,
    api_root,
    delete_object,
    discovery,
    get_checkpoint,
    get_collection,
    get_manifest,
    get_object,
    get_objects,
    get_recalls,
    get_status,
    get_versions,
    list_collections,
    not_found,
    post_cosignature,
    post_objects,
    post_purge_receipt,
    post_receipt,
    wrong_method,
)
from tearline.taxii.pipeline import Handler, Node, Reply, endpoint


def deconflict_routes() -> list[Route]:
    """Blind deconfliction on the same listener (:mod:`tearline.taxii.deconflict`)."""

    def wrap(handler: Callable[[Node, Request, Peer], tuple[int, dict[str, Any]]]) -> Handler:
        def run(node: Node, request: Request, peer: Peer) -> Reply:
            status, body = handler(node, request, peer)
            return Reply(status, body, {})

        return run

    return [
        Route(ROOT + EVALUATE, endpoint(wrap(deconflict.evaluate), post=True),
              methods=["POST"]),
        Route(ROOT + INDEX, endpoint(wrap(deconflict.index)), methods=["GET"]),
    ]


def create_app(store: Store, identity: NodeIdentity, key: NodeKey) -> Starlette:
    """The TAXII application of this node, serving ``store`` to its current peers."""
    c = ROOT + "collections/{collection}/"
    routes = [
        Route(DISCOVERY, endpoint(discovery), methods=["GET"]),
        Route(ROOT, endpoint(api_root), methods=["GET"]),
        Route(ROOT + "collections/", endpoint(list_collections), methods=["GET"]),
        Route(c, endpoint(get_collection), methods=["GET"]),
        Route(c + "objects/", endpoint(get_objects), methods=["GET"]),
        Route(c + "objects/", endpoint(post_objects, post=True), methods=["POST"]),
        Route(c + "objects/{object}/", endpoint(get_object), methods=["GET"]),
        Route(c + "objects/{object}/", endpoint(delete_object), methods=["DELETE"]),
        Route(c + "objects/{object}/versions/", endpoint(get_versions), methods=["GET"]),
        Route(c + "manifest/", endpoint(get_manifest), methods=["GET"]),
        Route(ROOT + "status/{status}/", endpoint(get_status), methods=["GET"]),
        Route(ROOT + "tearline/receipts/", endpoint(post_receipt, post=True),
              methods=["POST"]),
        Route(ROOT + "tearline/recalls/", endpoint(get_recalls), methods=["GET"]),
        Route(ROOT + "tearline/purge-receipts/", endpoint(post_purge_receipt, post=True),
              methods=["POST"]),
        Route(ROOT + "tearline/checkpoint/", endpoint(get_checkpoint), methods=["GET"]),
        Route(ROOT + "tearline/cosignatures/", endpoint(post_cosignature, post=True),
              methods=["POST"]),
        *deconflict_routes(),
    ]
    app = Starlette(routes=routes)
    app.router.redirect_slashes = False  # a redirect would leave unsigned
    app.state.node = Node(store, identity, key, service.cursor_box(key))
    answer_not_found = endpoint(not_found)
    answer_wrong_method = endpoint(wrong_method)

    async def on_404(request: Request, exc: Exception) -> Response:
        return await answer_not_found(request)

    async def on_405(request: Request, exc: Exception) -> Response:
        return await answer_wrong_method(request)

    app.add_exception_handler(404, on_404)
    app.add_exception_handler(405, on_405)
    return app
