"""Whom a sync pulls from: a registered tearline peer or a standard TAXII source.

A :class:`Partner` is the one shape the pull works with, whichever table the partner
was registered in (``peers`` for a tearline peer, signed and over mutual TLS;
``sync_sources`` for a standard TAXII source, read unsigned). Kept apart from the pull
(:mod:`tearline.federation.sync`) because the command line and the remote
deconfliction resolve partners without pulling anything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tearline.errors import ConfigError, NotFound, tr
from tearline.federation.client import TaxiiClient
from tearline.federation.identity import NodeFiles
from tearline.federation.trust import SignedBy, TlsConfig
from tearline.store import Store, peers
from tearline.store import sync_state as ss


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
            raise ConfigError(tr("peer {name} has no verifier key", name=self.name))
        return TaxiiClient(self.url, tls=self.tls, check=check, auth=self.auth,
                           timeout=timeout)


def partner_from_peer(peer: peers.Peer, keys_dir: Path) -> Partner:
    files = NodeFiles(keys_dir)
    if not files.tls_cert.exists() or not files.tls_key.exists():
        raise ConfigError(tr(
            "no TLS certificate in {keys_dir}: run `tearline node init`", keys_dir=keys_dir))
    tls = TlsConfig(peer.tls_certificate, files.tls_cert, files.tls_key)
    return Partner(peer.name, peer.agency, peer.url, True, peer.verifier_key, tls)


def partner_from_source(source: ss.Source) -> Partner:
    auth = None
    if source.username:
        password = os.environ.get(source.password_env or "", "")
        if source.password_env and not password:
            raise ConfigError(tr(
                "source {name}: set the password in ${password_env}",
                name=source.name, password_env=source.password_env))
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
        raise NotFound(tr(
            "no peer or source {name!r}: see `tearline peer list` and `tearline sync sources`",
            name=name))
    return partner_from_source(source)
