"""``tearline serve`` (the HTTP API under uvicorn) and ``tearline token …``."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from tearline.cli.common import STATE, Format, FormatOption, app, console, emit
from tearline.cli.language import _
from tearline.errors import NotFound, ValidationError, tr
from tearline.store import Store

token_app = typer.Typer(help="API tokens: shown once at creation, stored only as a hash.",
                        no_args_is_help=True)
app.add_typer(token_app, name="token")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8700,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (uvicorn "
                                         "workers), sharing one cursor key.")] = 1,
) -> None:
    """Serve the web application (/web/) and the HTTP API (OpenAPI at
    /api/v1/openapi.json, docs at /api/v1/docs) together.

    Limits come from TEARLINE_API_* variables (see docs/api.md). Request lines are not
    logged by the server: query strings may hold search terms. X-Forwarded-For is
    believed only from TEARLINE_API_TRUSTED_PROXIES (none by default).
    """
    store = STATE.store()
    console.print(_("tearline web on http://{host}:{port}/web/, API on "
                    "http://{host}:{port}/api/v1/ (docs: /api/v1/docs)").format(
        host=host, port=port)
        + (_(", {n} worker processes").format(n=workers) if workers > 1 else ""))
    if workers == 1:
        run_server(store, host, port)
        return
    store.close()
    run_workers(STATE.settings.db_url, host, port, workers)


def run_server(store: Store, host: str, port: int) -> None:
    """Serve the API of ``store`` until interrupted; exit 3 if it could not start."""
    from tearline.api.server import serve_store
    from tearline.cli.web import build_site, node_verifier

    site = build_site(store, verifier=node_verifier(STATE.settings.keys_dir))
    # False: the port was taken, say (uvicorn logged why).
    if not serve_store(store, host, port, site):
        raise typer.Exit(3)


def run_workers(db_url: str, host: str, port: int, workers: int) -> None:
    """Serve with ``workers`` processes (``api/server.py``)."""
    from tearline.api.server import serve_workers

    serve_workers(db_url, host, port, workers, "tearline.cli.web:site_from_environment")


_DURATION = re.compile(r"^(\d{1,4})([dh])$")


def parse_lifetime(text: str) -> timedelta:
    match = _DURATION.match(text.strip())
    if match is None:
        raise ValidationError(tr("lifetime {text!r}: expected a number of days or hours (90d, "
                                 "12h)", text=text))
    n, unit = int(match.group(1)), match.group(2)
    return timedelta(days=n) if unit == "d" else timedelta(hours=n)


@token_app.command("create")
def token_create(
    owner: Annotated[str, typer.Argument(help="Analyst (name@unit.id) or unit (service).")],
    scope: Annotated[list[str], typer.Option("--scope", help="read, write or admin (repeat).")],
    expires_in: Annotated[str, typer.Option(help="Lifetime: 90d, 12h (at most 366d).")] = "90d",
    label: Annotated[str, typer.Option(help="What the token is for.")] = "api",
) -> None:
    """Create a token and print it once; only its Argon2 hash is stored."""
    from tearline.api.auth import Scope, issue_token

    try:
        scopes = frozenset(Scope(s) for s in scope)
    except ValueError:
        raise ValidationError(tr("scopes are read, write and admin")) from None
    _require_owner(owner)
    text, row = issue_token(STATE.store(), owner, scopes, parse_lifetime(expires_in),
                            label, created_by="cli")
    console.print(_("token for {owner} (scopes {scopes}, expires {expires:%Y-%m-%d %H:%M}Z); "
                    "it is shown only now:").format(owner=row.owner,
                                                    scopes=", ".join(sorted(row.scopes)),
                                                    expires=row.expires_at), highlight=False)
    print(text)


def _require_owner(owner: str) -> None:
    """A token's owner must be a party; say which command records a missing analyst."""
    try:
        STATE.store().subject(owner)
    except NotFound:
        if "@" not in owner:
            raise
        unit = owner.split("@", 1)[1]
        raise NotFound(tr("no analyst {owner!r}: record them first with `tearline party "
                          "add-analyst {owner} --unit {unit} --name \"FULL NAME\"`",
                          owner=owner, unit=unit)) from None


@token_app.command("list")
def token_list(fmt: FormatOption = Format.table) -> None:
    """List tokens (prefixes, owners, scopes, expiry, revocation; never secrets)."""
    from tearline.store import api_tokens

    with STATE.store().reading() as conn:
        rows = [r.to_public() for r in api_tokens.listing(conn)]
    for row in rows:
        row["scopes"] = ",".join(row["scopes"])  # type: ignore[arg-type]
    emit(rows, fmt, ["prefix", "owner", "scopes", "label", "expires_at", "revoked_at"],
         title=_("API tokens"))


@token_app.command("revoke")
def token_revoke(prefix: Annotated[str, typer.Argument(help="The token's prefix.")]) -> None:
    """Revoke a token from now on."""
    from tearline.store import api_tokens

    with STATE.store().transaction() as conn:
        row = api_tokens.revoke(conn, prefix, datetime.now(UTC))
    console.print(_("token {prefix} of {owner} revoked at {at}").format(
        prefix=row.prefix, owner=row.owner, at=row.revoked_at))
