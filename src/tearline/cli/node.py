"""``tearline node …`` (this node's federation identity, the TAXII listener) and
``tearline peer …`` (the partner nodes it trusts)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from tearline.cli.common import STATE, Format, FormatOption, app, console, emit
from tearline.cli.language import _
from tearline.errors import ValidationError, tr

node_app = typer.Typer(
    help="This node's identity for federation (signing key, TLS certificate) and its "
    "TAXII 2.1 listener.",
    no_args_is_help=True,
)
peer_app = typer.Typer(
    help="Partner nodes this node trusts: added from their identity documents, each bound "
    "to one of our units (what that unit may see is what the peer may pull).",
    no_args_is_help=True,
)
app.add_typer(node_app, name="node")
app.add_typer(peer_app, name="peer")


@node_app.command("init")
def node_init(
    agency: Annotated[str, typer.Option(help="The agency this node belongs to (us.dea).")],
    unit: Annotated[str, typer.Option(help="The unit the node speaks for (us.dea.sod).")],
    name: Annotated[str | None, typer.Option(
        help="Node name, a dotted lowercase id (default: the unit id).")] = None,
    host: Annotated[list[str] | None, typer.Option(
        "--host", help="Extra DNS name or IP address for the certificate (repeat). "
        "localhost and 127.0.0.1 are always included.")] = None,
    url: Annotated[str | None, typer.Option(
        help="The TAXII base URL partners use (default https://127.0.0.1:9443/taxii2/).")] = None,
) -> None:
    """Create the node's identity: Ed25519 signing key, TLS key and self-signed certificate.

    Keys that exist are kept; name, unit and URL can be changed by running init again.
    Needs the workspace (`tearline init`). Then print the public identity with
    `tearline node identity > me.json` and give it to partners out of band.
    """
    from tearline.federation.identity import DEFAULT_URL, init_node
    from tearline.store import audit_checkpoints, node_key_created

    store = STATE.store()
    with store.reading() as conn:
        signed = audit_checkpoints.latest(conn) is not None
    made = init_node(STATE.settings.keys_dir, agency, unit, name, tuple(host or ()),
                     url or DEFAULT_URL, key_signed=signed)
    if made.created_key or made.renamed_from:
        with store.transaction() as conn:
            node_key_created(conn, made.key.key_id(),
                             "rotated" if made.renamed_from else "created")
    ident = made.identity
    console.print(_("node {name} ({unit}) at {url}").format(
        name=ident.name, unit=ident.unit, url=ident.url), highlight=False)
    if made.renamed_from:
        console.print(_("signing key renamed from {old} to {new} (it had signed nothing "
                        "yet)").format(old=made.renamed_from, new=made.key.name),
                      markup=False, highlight=False)
    console.print(_("signing key: {key}").format(key=ident.verifier_key)
                  + (_(" (new)") if made.created_key else _(" (kept)")), markup=False,
                  highlight=False, soft_wrap=True)
    console.print(_("TLS certificate SHA-256: {sha256}").format(sha256=ident.cert_sha256)
                  + (_(" (new)") if made.created_tls else _(" (kept)")), highlight=False)


@node_app.command("identity")
def node_identity() -> None:
    """Print this node's public identity document (JSON) for partners: `> me.json`."""
    from tearline.federation.identity import load_identity

    ident = load_identity(STATE.settings.keys_dir)
    sys.stdout.write(json.dumps(ident.identity_document(), indent=2) + "\n")


@node_app.command("serve")
def node_serve(
    host: Annotated[str | None, typer.Option(
        help="Address to listen on (default: the host of the node URL).")] = None,
    port: Annotated[int | None, typer.Option(
        help="TCP port (default: the port of the node URL, else 9443).")] = None,
) -> None:
    """Serve TAXII 2.1 to the current peers over mutual TLS.

    Only clients presenting a peer's pinned certificate complete the handshake; others
    are refused and audited. Peers added or removed take effect on restart.
    """
    from urllib.parse import urlsplit

    from tearline.federation.identity import load_identity
    from tearline.taxii.listener import serve

    store = STATE.store()
    ident = load_identity(STATE.settings.keys_dir)
    parts = urlsplit(ident.url)
    bind_host = host or parts.hostname or "127.0.0.1"
    bind_port = port or parts.port or 9443
    console.print(_("TAXII 2.1 for peers on https://{host}:{port}/taxii2/ (mutual TLS)").format(
        host=bind_host, port=bind_port), highlight=False)
    serve(store, STATE.settings.keys_dir, bind_host, bind_port)


@peer_app.command("add")
def peer_add(
    document: Annotated[Path, typer.Argument(
        help="The partner's identity document (from `tearline node identity`); - for stdin.")],
    by: Annotated[str | None, typer.Option(help="Who adds it (name@unit.id), for the log.")] = None,
    standard: Annotated[bool, typer.Option(
        "--standard", help="Not a tearline node (MISP, OpenCTI…): portions are served as "
        "objects of their own, never as granular markings.")] = False,
) -> None:
    """Trust a partner node, bound to its unit (which must be one of our parties)."""
    from tearline.federation.identity import NodeIdentity
    from tearline.federation.jsonbody import decode
    from tearline.store import Peer, add_peer

    try:
        text = sys.stdin.read() if str(document) == "-" else document.read_text("utf-8")
        doc = decode(text, "the identity document")
    except (OSError, UnicodeDecodeError, ValidationError) as exc:
        reason = exc.message if isinstance(exc, ValidationError) else str(exc)
        raise ValidationError(tr("{document}: not a readable JSON document ({why})",
                                 document=document, why=reason)) from None
    peer = Peer.from_identity(NodeIdentity.from_document(doc), tearline_node=not standard)
    with STATE.store().transaction() as conn:
        added = add_peer(conn, peer, datetime.now(UTC), by)
    kind = "" if added.tearline_node else _(" (standard STIX: portions as objects)")
    console.print(_("peer {name} added{kind}: pulls as unit {unit}; certificate SHA-256 "
                    "{sha256}").format(name=added.name, kind=kind, unit=added.unit,
                                       sha256=added.cert_sha256), highlight=False)


@peer_app.command("list")
def peer_list(
    all_: Annotated[bool, typer.Option("--all", help="Include removed peers.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """The trusted peers: name, unit, URL, certificate fingerprint, when added (and removed)."""
    from tearline.store import peers

    with STATE.store().reading() as conn:
        rows = [
            {"name": p.name, "agency": p.agency, "unit": p.unit, "url": p.url,
             "cert_sha256": p.cert_sha256, "key_id": p.key_id,
             "added_at": p.added_at.isoformat() if p.added_at else None,
             "removed_at": p.removed_at.isoformat() if p.removed_at else None,
             "stix": "tearline" if p.tearline_node else "standard"}
            for p in peers.peers(conn, include_removed=all_)
        ]
    columns = ["name", "unit", "stix", "url", "cert_sha256", "added_at"]
    columns += ["removed_at"] if all_ else []
    emit(rows, fmt, columns, title=_("peers"))


@peer_app.command("remove")
def peer_remove(
    name: Annotated[str, typer.Argument(help="The peer's name (see `tearline peer list`).")],
    by: Annotated[str | None, typer.Option(
        help="Who removes it (name@unit.id), for the log.")] = None,
) -> None:
    """Stop trusting a peer (its history is kept). A running listener refuses it on restart."""
    from tearline.store import remove_peer

    with STATE.store().transaction() as conn:
        removed = remove_peer(conn, name, datetime.now(UTC), by)
    console.print(_("peer {name} removed").format(name=removed.name), highlight=False)
