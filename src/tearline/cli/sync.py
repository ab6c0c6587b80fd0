"""``tearline sync NAME`` (pull from a partner), ``tearline recalls`` (which nodes purged
what we recalled) and ``tearline source …`` (standard TAXII servers this node reads
without signatures)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from tearline.cli.common import (
    STATE,
    Format,
    FormatOption,
    app,
    console,
    emit,
    err,
    labelled,
)
from tearline.cli.language import _
from tearline.errors import ValidationError, tr

source_app = typer.Typer(
    help="Standard TAXII 2.1 servers (medallion, OpenCTI, MISP) this node pulls from "
    "without signatures. Tearline partners are peers (`tearline peer add`), never sources: "
    "their answers must be signed.",
    no_args_is_help=True,
)
app.add_typer(source_app, name="source")


@app.command("sync")
def sync_command(
    name: Annotated[str, typer.Argument(
        help="The peer (`tearline peer list`) or source (`tearline source list`) to pull from.")],
    page_size: Annotated[int, typer.Option(
        "--page-size", min=1, max=10_000, help="Objects asked for per page.")] = 1000,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Pull everything new from a partner, verify it, store it once, send a signed receipt.

    For each collection the partner offers, asks for the objects added since the last
    sync (a cursor kept per partner and collection). A peer's answers must be signed by
    its key over our nonce (a tampered, replayed or unsigned answer stops the sync with
    an error and is audited). Each record is judged: a partner speaks for its own agency,
    or for a third agency whose signed consent travels with the record; anything else is
    refused and audited. Each page is stored in one transaction with the cursor, so an
    interrupted sync (even kill -9) resumes where it stopped and stores nothing twice.

    Exit status: 0 done, 1 verification failed or the partner is unreachable, 3 unknown
    partner.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from tearline.federation.identity import NodeFiles, load_identity
    from tearline.federation.partners import resolve_partner
    from tearline.federation.sync import Puller
    from tearline.federation.taxii_resources import Page
    from tearline.keys import load_node_key

    store = STATE.store()
    keys_dir = STATE.settings.keys_dir
    partner = resolve_partner(store, name, keys_dir)
    identity = load_identity(keys_dir) if NodeFiles(keys_dir).node_file.exists() else None
    key = load_node_key(keys_dir) if partner.signed else None
    bar = Progress(TextColumn("{task.description}"), BarColumn(),
                   TextColumn(_("{task.completed:,} objects")), TimeElapsedColumn(),
                   console=err, disable=quiet or not err.is_terminal, transient=True)
    tasks: dict[str, Any] = {}

    def progress(title: str, count: int, _page: Page) -> None:
        if title not in tasks:
            tasks[title] = bar.add_task(title, total=None)
        bar.update(tasks[title], completed=count)

    with bar:
        result = Puller(store, partner, node_key=key,
                        own_agency=identity.agency if identity else None,
                        node_name=identity.name if identity else None,
                        page_size=page_size, progress=progress).run()
    rows = [{"collection": c.title or c.id, "objects": c.objects, "stored": c.records_stored,
             "statements": c.statements_new, "already": c.already, "echo": c.echoed,
             "refused": len(c.refused), "skipped": c.skipped,
             "skipped_reasons": dict(c.skipped_reasons)} for c in result.collections]
    for note in result.notes:  # on stderr: a JSON listing on stdout stays a listing
        err.print(note, markup=False, highlight=False, soft_wrap=True)
    if rows or fmt is not Format.table:  # no empty table: the note above says why
        emit(rows, fmt, ["collection", "objects", "stored", "statements", "already", "echo",
                         "refused", "skipped"], title=_("sync {name} ({agency})").format(
                             name=partner.name, agency=partner.agency))
    if fmt is Format.table:
        from tearline.federation.skipped import describe

        reasons = result.skipped_reasons
        if reasons:
            console.print(_("skipped {n:,} object(s) that are not records of their own:"
                            ).format(n=sum(reasons.values())), highlight=False)
            for line in describe(reasons):
                console.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
        for object_id, reason in result.refused[:20]:
            err.print(_("refused {id}: {why}").format(id=object_id, why=reason), markup=False,
                      highlight=False)
        if len(result.refused) > 20:
            err.print(_("… {n} more refusals (see `tearline audit`)").format(
                n=len(result.refused) - 20))
        for recall_id, entity_id, count in result.purged:
            console.print(_("recalled {id} ({recall}): {n} statement(s) purged").format(
                id=entity_id, recall=recall_id, n=count),
                          highlight=False)
        if partner.signed:
            console.print(_("receipts sent: {sent}, pending: {pending}").format(
                sent=result.receipts_sent, pending=result.receipts_pending), highlight=False)


@source_app.command("add")
def source_add(
    name: Annotated[str, typer.Argument(help="A dotted lowercase name (ofac.feed).")],
    agency: Annotated[str, typer.Option(
        help="The agency the source speaks for: its objects are attributed to it, and "
        "objects it serves in another known agency's name are refused.")],
    url: Annotated[str, typer.Option(help="The TAXII 2.1 discovery URL (…/taxii2/).")],
    username: Annotated[str | None, typer.Option(help="HTTP basic user, if any.")] = None,
    password_env: Annotated[str | None, typer.Option(
        "--password-env", help="The environment variable holding the password (never "
        "stored).")] = None,
    server_cert: Annotated[typer.FileText | None, typer.Option(
        "--server-cert", help="PEM certificate to pin instead of the system trust store.")
    ] = None,
) -> None:
    """Register a standard TAXII server to pull from (unsigned answers accepted)."""
    from tearline.keys import check_node_name
    from tearline.store import parties, peers
    from tearline.store import sync_state as ss

    check_node_name(name)
    store = STATE.store()
    with store.transaction() as conn:
        if agency not in {a.id for a in parties.agencies(conn)}:
            raise ValidationError(tr("unknown agency {agency!r}; see `tearline party list`",
                                     agency=agency))
        if name in {p.name for p in peers.peers(conn)}:
            raise ValidationError(tr("{name} is a peer: a peer's answers must be signed",
                                     name=name))
        ss.add_source(conn, ss.Source(name, agency, url, username, password_env,
                                      server_cert.read() if server_cert else None),
                      datetime.now(UTC), "system")
    console.print(_("source {name} ({agency}) at {url}").format(name=name, agency=agency,
                                                                 url=url), highlight=False)


@source_app.command("list")
def source_list(fmt: FormatOption = Format.table) -> None:
    """The registered sources and their cursors."""
    from tearline.store import sync_state as ss

    with STATE.store().reading() as conn:
        found = ss.sources(conn)
        cursors = ss.cursors(conn)
    rows = [{"name": s.name, "agency": s.agency, "url": s.url, "user": s.username,
             "pinned": bool(s.tls_certificate),
             "cursors": [c["date_added"] for c in cursors if c["partner"] == s.name]}
            for s in found]
    emit(rows, fmt, ["name", "agency", "url", "user", "pinned", "cursors"], title=_("sources"))


@source_app.command("remove")
def source_remove(name: Annotated[str, typer.Argument(help="The source to forget.")]) -> None:
    """Stop pulling from a source (what was stored from it stays)."""
    from tearline.store import sync_state as ss

    with STATE.store().transaction() as conn:
        if not ss.remove_source(conn, name, datetime.now(UTC), "system"):
            err.print(labelled(_("not found:"), _("no source {name!r}").format(name=name)),
                      highlight=False)
            raise typer.Exit(3)
    sys.stdout.write(f"source {name} removed\n")


@app.command("recalls")
def recalls_command(
    pending: Annotated[bool, typer.Option("--pending", help="Only recalls some node has not "
                                          "acknowledged yet.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Per recalled record: the peer nodes that acknowledged it (signed purge receipt) and
    those still pending.

    A record is recalled from a peer when it was served to that peer and no longer exists
    for it (release revoked, marking narrowed, record retracted, vetting or consent ended).
    The peer learns of it at its next sync, purges the statements it received and returns
    a signed purge receipt, recorded here as `recall.acknowledged`.
    """
    from tearline.store import peers, recalls_for

    now = datetime.now(UTC)
    by_entity: dict[str, dict[str, Any]] = {}
    with STATE.store().reading() as conn:
        for peer in peers.peers(conn):
            open_ids = {r.id for r in recalls_for(conn, peer, now, pending_only=True)}
            for r in recalls_for(conn, peer, now, pending_only=False):
                row = by_entity.setdefault(r.entity_id, {
                    "entity_id": r.entity_id, "object_id": r.object_id,
                    "acknowledged": [], "pending": []})
                row["pending" if r.id in open_ids else "acknowledged"].append(peer.name)
    rows = sorted(by_entity.values(), key=lambda row: str(row["entity_id"]))
    if pending:
        rows = [row for row in rows if row["pending"]]
    emit(rows, fmt, ["entity_id", "acknowledged", "pending"], title=_("recalls"))
