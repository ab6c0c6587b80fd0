"""The web application with the API (``tearline serve``), and ``tearline web password``.

The API and the web package sit on one floor and do not import each other; the site —
the API's application with the web pages installed on it, the web signing in API tokens
through the API's own authenticator — is composed here, for ``serve``, its worker
processes, the benchmarks and the tests.
"""

from __future__ import annotations

import getpass
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from tearline.api.settings import ApiSettings
from tearline.cli.common import STATE, app, console
from tearline.cli.language import _
from tearline.errors import ConfigError, InputError, StoreError, tr
from tearline.settings import Settings
from tearline.store import Store, require_current, web_accounts
from tearline.web.settings import WebSettings

web_app = typer.Typer(help="The web application's accounts: passwords set by the node's "
                      "administrator.", no_args_is_help=True)
app.add_typer(web_app, name="web")


def node_verifier(keys_dir: Path) -> Any:
    """The node's checkpoint verifier key (name, public key) from the workspace, or None
    where the node has none yet: the audit page then checks proofs without it."""
    from tearline.keys import load_verifier_key

    try:
        return load_verifier_key(keys_dir)
    except ConfigError:
        return None


def build_site(store: Store, api: ApiSettings | None = None,
               web: WebSettings | None = None, verifier: Any = None) -> Any:
    """The API of ``store`` (a FastAPI app) with the web application installed on it;
    ``verifier`` lets the audit page check checkpoint signatures (:func:`node_verifier`)."""
    from tearline.api.app import create_app
    from tearline.web.site import install

    made = create_app(store, api or ApiSettings.from_env())
    install(made, made.state.authenticator, web or WebSettings.from_env(),
            issue=token_issuer(store), verifier=verifier)
    return made


def token_issuer(store: Store) -> Any:
    """The API's ``issue_token`` on ``store``, for the web's administration page."""
    from datetime import timedelta

    from tearline.api.auth import Scope, issue_token

    def issue(owner: str, scopes: frozenset[str], lifetime: timedelta, label: str,
              created_by: str) -> tuple[str, Any]:
        return issue_token(store, owner, frozenset(Scope(s) for s in scopes), lifetime,
                           label, created_by)

    return issue


def site_from_environment() -> Any:
    """The factory each worker process calls (``tearline serve --workers N``)."""
    from tearline.api.app import settle_heap

    store = Store.open(Settings.load().db_url, migrate=False)
    try:
        require_current(store.engine)
    except StoreError:
        store.close()
        raise
    made = build_site(store, verifier=node_verifier(Settings.load().keys_dir))
    settle_heap()
    return made


@web_app.command("password")
def password(
    owner: Annotated[str, typer.Argument(help="Analyst (name@unit.id), or a unit.")],
    scope: Annotated[list[str], typer.Option("--scope", help="read, write or admin (repeat).")
                     ] = ["read", "write"],  # noqa: B006  # Typer's way to default a list
    remove: Annotated[bool, typer.Option(help="Remove the password instead.")] = False,
    stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")]
    = False,
) -> None:
    """Set (or remove) OWNER's web password; their open sessions end. Only its Argon2id
    hash is stored; the password is asked for twice, or read from standard input."""
    from tearline.web.passwords import set_password

    store, now = STATE.store(), datetime.now(UTC)
    if remove:
        with store.transaction() as conn:
            web_accounts.remove_password(conn, owner, now, "cli")
        console.print(_("web password of {owner} removed").format(owner=owner))
        return
    if stdin:
        text = sys.stdin.readline().rstrip("\n")
    else:
        text = getpass.getpass("password: ")
        if getpass.getpass("again: ") != text:
            raise InputError(tr("the two passwords differ"))
    set_password(store, owner, text, frozenset(scope), now, "cli",
                 WebSettings.from_env().min_password_chars)
    console.print(_("web password of {owner} set ({scopes})").format(
        owner=owner, scopes=", ".join(sorted(scope))))
