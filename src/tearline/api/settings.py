"""Limits and knobs of the HTTP API, from ``TEARLINE_API_*`` environment variables.

Every limit has a safe default; a deployment raises or lowers them explicitly.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, fields, replace
from typing import Any

from tearline.errors import ConfigError, tr


@dataclass(frozen=True, slots=True)
class ApiSettings:
    #: Largest request body accepted, in bytes (413 above it).
    max_body_bytes: int = 1_048_576
    #: Default and largest page sizes of listings and searches.
    default_page: int = 50
    max_page: int = 200
    #: Search query complexity: characters and words.
    max_query_chars: int = 200
    max_query_words: int = 8
    #: A request taking longer than this is answered 503 (the work may still finish).
    request_timeout_seconds: float = 15.0
    #: Failed authentications allowed per client address, and per token prefix at one
    #: address, within the window (who is held back by them: ``api/ratelimit.py``).
    auth_failures_per_address: int = 20
    auth_failures_per_prefix: int = 5
    auth_failure_window_seconds: float = 300.0
    #: Proxies whose ``X-Forwarded-For`` names the client (addresses or networks,
    #: comma-separated in the environment). None by default: the client is the peer
    #: of the connection, and a forwarded header is ignored whoever sends it.
    trusted_proxies: tuple[str, ...] = ()
    #: How long a verified token is remembered before Argon2 runs again.
    token_cache_seconds: float = 60.0
    #: Key sealing pagination cursors (64 hex characters); random per process if unset.
    cursor_key: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> ApiSettings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"TEARLINE_API_{f.name.upper()}")
            if raw is None:
                continue
            try:
                if f.name == "cursor_key":
                    values[f.name] = raw
                elif f.name == "trusted_proxies":
                    values[f.name] = tuple(p.strip() for p in raw.split(",") if p.strip())
                elif isinstance(f.default, float):
                    values[f.name] = float(raw)
                else:
                    values[f.name] = int(raw)
            except ValueError:
                raise ConfigError(tr(
                    "TEARLINE_API_{name}: not a number: {raw!r}",
                    name=f.name.upper(), raw=raw)) from None
        settings = replace(cls(**values), **overrides)
        settings.check()
        return settings

    def check(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int | float) and value <= 0:
                raise ConfigError(tr(
                    "API setting {name} must be positive, not {value}", name=f.name, value=value))
        if self.default_page > self.max_page:
            raise ConfigError(tr("API setting default_page exceeds max_page"))
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy)  # an address alone is a network of one
            except ValueError:
                raise ConfigError(
                    tr(
                        "TEARLINE_API_TRUSTED_PROXIES: {proxy!r} is not an IP address or a "
                        "network (such as 10.0.0.0/8; host bits must be zero)",
                        proxy=proxy)) from None
        if self.cursor_key is not None:
            try:
                key = bytes.fromhex(self.cursor_key)
            except ValueError:
                key = b""
            if len(key) != 32:
                raise ConfigError(tr("TEARLINE_API_CURSOR_KEY must be 64 hex characters"))
