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

from typing import Any

import uvicorn


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
