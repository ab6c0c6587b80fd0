"""``tearline approval``: two-person approval of releases to foreign agencies, per
agreement (``store/release_approvals.py``, ``docs/oversight.md``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from tearline.cli.common import STATE, AsOption, Format, FormatOption, acting, app, console, emit
from tearline.cli.language import _
from tearline.errors import InputError, tr
from tearline.model.marking import Selector
from tearline.store import release_approvals

approval_app = typer.Typer(help="Releases that wait for a second officer.",
                           no_args_is_help=True)
app.add_typer(approval_app, name="approval")


@approval_app.command("require")
def require(agreement: Annotated[str, typer.Argument(help="The agreement id.")],
            off: Annotated[bool, typer.Option("--off", help="No longer require it.")] = False
            ) -> None:
    """Make releases to foreign parties under AGREEMENT wait for a second officer."""
    with STATE.store().transaction() as conn:
        release_approvals.set_required(conn, agreement, not off, "system", datetime.now(UTC))
    console.print((_("{agreement}: two-person approval off") if off
                   else _("{agreement}: two-person approval required")).format(
                       agreement=agreement))


@approval_app.command("request")
def request(entity_id: str, as_: AsOption = None,
            to: Annotated[str, typer.Option("--to", help="agency:ID, unit:ID or "
                                            "vetted-by:AGENCY.")] = "",
            basis: Annotated[str, typer.Option("--basis", help="The agreement.")] = "") -> None:
    """Ask for a release that a second officer of your agency must approve."""
    subject = acting(as_)
    if not to or not basis:
        raise InputError(tr("say to whom and under which agreement: --to … --basis …"))
    with STATE.store().transaction() as conn:
        made = release_approvals.request(conn, subject, entity_id, Selector.parse(to), basis,
                                         datetime.now(UTC))
    console.print(_("{id}: release of {entity_id} to {to} waits for a second officer").format(
        id=made.id, entity_id=entity_id, to=made.recipient))


@approval_app.command("approve")
def approve(request_id: str, as_: AsOption = None) -> None:
    """Approve, as a second officer, a release another officer of your agency asked for."""
    subject = acting(as_)
    with STATE.store().transaction() as conn:
        release_id = release_approvals.approve(conn, subject, request_id, datetime.now(UTC))
    console.print(_("{request}: approved; released as {release}").format(
        request=request_id, release=release_id))


@approval_app.command("refuse")
def refuse(request_id: str, as_: AsOption = None,
           reason: Annotated[str, typer.Option("--reason", help="Why (kept for your "
                                                "agency's officers).")] = "") -> None:
    """Refuse, as a second officer, a release another officer of your agency asked for."""
    subject = acting(as_)
    with STATE.store().transaction() as conn:
        release_approvals.refuse(conn, subject, request_id, reason, datetime.now(UTC))
    console.print(_("{request}: refused; nothing was released").format(request=request_id))


@approval_app.command("list")
def list_requests(as_: AsOption = None, fmt: FormatOption = Format.table) -> None:
    """Pending, approved and refused releases of your agency."""
    subject = acting(as_)
    with STATE.store().transaction() as conn:
        found = release_approvals.listed(conn, subject, datetime.now(UTC))
    emit([{"id": r.id, "state": r.state, "entity_id": r.entity_id, "to": r.recipient,
           "basis": r.legal_basis, "requested_by": r.requested_by, "approved_by":
           r.approved_by or "", "refused_by": r.refused_by or "", "release": r.release_id or ""}
          for r in found], fmt,
         ["id", "state", "entity_id", "to", "basis", "requested_by", "approved_by",
          "refused_by", "release"])
