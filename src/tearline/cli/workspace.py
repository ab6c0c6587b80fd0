"""``tearline init``: the workspace, its database and the node's key."""

from __future__ import annotations

from typing import Annotated

import typer

from tearline.cli.common import STATE, app, console
from tearline.cli.language import _
from tearline.store import Store, upgrade


@app.command()
def init(
    origin: Annotated[str | None, typer.Option(
        help="Name of the node's log and key (default: <host>/tearline).")] = None,
) -> None:
    """Create (or upgrade) the workspace: the database and the node's files."""
    from tearline.keys import create_node_key
    from tearline.store import node_key_created

    settings = STATE.settings
    settings.make_workspace()
    store = Store.open(settings.db_url, migrate=False)
    upgrade(store.engine)
    key, created = create_node_key(settings.keys_dir, origin)
    if created:
        with store.transaction() as conn:
            node_key_created(conn, key.key_id())
    store.close()
    console.print(_("workspace ready: {workspace} (database {db})").format(
        workspace=settings.workspace, db=_safe(settings.db_url)))
    console.print(_("node verifier key: {key}").format(key=key.verifier_key()), markup=False,
                  highlight=False,
                  soft_wrap=True)


def _safe(url: str) -> str:
    """A database URL without its password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url
