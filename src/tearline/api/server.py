"""How uvicorn serves the API: the options every API server process of the node shares.

``proxy_headers=False`` always. uvicorn's default trusts ``X-Forwarded-For`` from
loopback (``forwarded_allow_ips``, or the ``FORWARDED_ALLOW_IPS`` variable), so any
local client — or anything behind a local proxy — could name itself whatever address
it liked: spread its failed sign-ins over invented addresses, or charge them to
someone else's. Whether a forwarded header is believed is the app's decision, made
from ``TEARLINE_API_TRUSTED_PROXIES`` (:func:`tearline.api.app.create_app`), the same
under any server.
"""

from __future__ import annotations

import os
import secrets
import socket
from typing import Any

import uvicorn

from tearline.store import Store


def server_config(app: Any, host: str, port: int, **options: Any) -> uvicorn.Config:
    """A uvicorn configuration for the API app (an app, or an import string with
    ``factory=True``) on ``host:port``; ``options`` add to or override the rest."""
    settings: dict[str, Any] = {
        "proxy_headers": False,
        "access_log": False,  # request lines are not logged: query strings hold search terms
        "log_level": "info",
        "server_header": False,
        "timeout_graceful_shutdown": 5,
    }
    settings.update(options)
    if settings["proxy_headers"]:
        raise ValueError("forwarded headers are trusted by the app, never by the server")
    return uvicorn.Config(app, host=host, port=port, **settings)


def serve_store(store: Store, host: str, port: int, application: Any = None) -> bool:
    """Serve the API of ``store`` (or ``application``, an app built on it: the API with
    the web pages) until interrupted; ``False`` if it never started (the port was taken,
    say: uvicorn logged why)."""
    from tearline.api.app import create_app, settle_heap
    from tearline.api.settings import ApiSettings

    if application is None:
        application = create_app(store, ApiSettings.from_env())
    settle_heap()
    server = uvicorn.Server(server_config(application, host, port))
    server.run()
    return bool(server.started)


def serve_workers(db_url: str, host: str, port: int, workers: int,
                  factory: str = "tearline.api.app:from_environment") -> None:
    """Serve with ``workers`` processes, each building the app from the environment.

    The workers find the database through ``TEARLINE_DB_URL``. They must seal cursors
    with one key, or a cursor made by one would be refused by another: unless
    ``TEARLINE_API_CURSOR_KEY`` is set, a random key is made here and handed to them in
    their environment (which only this user can read). Failed-authentication counters
    and the verified-token cache stay per process (see docs/api.md).
    """
    from uvicorn.supervisors import Multiprocess

    from tearline.api.settings import ApiSettings

    os.environ["TEARLINE_DB_URL"] = db_url
    os.environ.setdefault("TEARLINE_API_CURSOR_KEY", secrets.token_hex(32))
    ApiSettings.from_env()  # refuse bad limits here, once, not in every worker
    config = server_config(factory, host, port, factory=True, workers=workers)
    Multiprocess(config, sockets=[_tcp(config.bind_socket())]).run()


def _tcp(sock: socket.socket) -> socket.socket:
    """The listening socket, marked as TCP.

    uvicorn makes it with protocol 0, and asyncio sets TCP_NODELAY only on connections
    accepted from a socket whose protocol is IPPROTO_TCP: without it, every answer
    written in two parts (head, body) waits for the client's delayed ACK, ~40 ms.
    """
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return sock
    tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    tcp.set_inheritable(True)
    return tcp
