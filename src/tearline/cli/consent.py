"""``tearline consent``: consents to onward release of ORCON records, and the requests for
them (``store/consent_requests.py``, ``docs/policy.md``).

``tearline consent ENTITY --to AGENCY`` gives a consent (``consent give``, the default
when the first word is no sub-command); ``consent request`` asks the originating
unit for one, ``consent requests`` lists the requests the unit sent and those addressed to
it, ``consent answer`` grants or refuses one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from tearline.cli.common import STATE, AsOption, Format, FormatOption, acting, app, console, emit
from tearline.cli.language import _
from tearline.errors import InputError, tr
from tearline.model.marking import Selector
from tearline.store import consent_requests, releases


class _GiveByDefault(TyperGroup):
    """``tearline consent ENTITY …`` is ``tearline consent give ENTITY …``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["give", *args]
        return super().parse_args(ctx, args)


consent_app = typer.Typer(cls=_GiveByDefault, no_args_is_help=True,
                          help="Consents to onward release of ORCON records, and requests "
                               "for them.")
app.add_typer(consent_app, name="consent")


@consent_app.command("give")
def consent(
    entity_id: str,
    as_: AsOption = None,
    to: Annotated[str | None, typer.Option("--to", help="Agency allowed to release onward.")]
    = None,
    withdraw: Annotated[str | None, typer.Option(help="Withdraw this consent id instead.")]
    = None,
) -> None:
    """Consent (as the originating agency) to onward release of an ORCON record, or withdraw."""
    subject = acting(as_)
    now = datetime.now(UTC)
    with STATE.store().transaction() as conn:
        if withdraw:
            releases.withdraw_consent(conn, subject, withdraw, now, str(subject))
            console.print(_("consent {id} withdrawn").format(id=withdraw))
            return
        if not to:
            raise InputError(tr("say which agency may release onward: --to AGENCY"))
        given = releases.grant_consent(conn, subject, entity_id, to, now, str(subject))
    console.print(_("{consent}: {to} may release {id} onward (consent of {agency})").format(
        consent=given.id, to=to, id=entity_id, agency=subject.agency))


@consent_app.command("request")
def request(
    entity_id: str,
    as_: AsOption = None,
    to: Annotated[str, typer.Option("--to", help="The onward release meant: agency:ID, "
                                    "unit:ID or vetted-by:AGENCY.")] = "",
    reason: Annotated[str, typer.Option("--reason", help="Why (shown to the originating "
                                        "unit).")] = "",
    of: Annotated[str | None, typer.Option("--of", help="The originating agency asked, when "
                                           "the record holds ORCON items of several.")] = None,
    prop: Annotated[list[str] | None, typer.Option(
        "--property", help="Only the items of this property (repeatable).")] = None,
) -> None:
    """Ask the originating unit for consent to release a record's ORCON items onward."""
    subject = acting(as_)
    if not to:
        raise InputError(tr("say to whom you mean to release it onward: --to …"))
    with STATE.store().transaction() as conn:
        made = consent_requests.ask(conn, subject, entity_id, Selector.parse(to), reason,
                                    datetime.now(UTC), origin=of, props=prop or ())
    console.print(_("{request}: asked unit {unit} ({agency}) for consent to release {id} "
                    "onward").format(request=made.id, unit=made.to_unit,
                                     agency=made.origin_agency, id=entity_id))


def _row(direction: str, q: consent_requests.ConsentRequest) -> dict[str, Any]:
    return {"id": q.id, "direction": direction, "state": q.state, "entity_id": q.entity_id,
            "properties": " ".join(q.props), "asked_by": q.asked_by, "to_unit": q.to_unit,
            "recipient": q.recipient, "reason": q.reason, "asked_at": q.asked_at,
            "answered_by": q.answered_by or "", "consent_id": q.consent_id or "",
            "answer_reason": q.answer_reason or ""}


@consent_app.command("requests")
def requests(as_: AsOption = None, fmt: FormatOption = Format.table) -> None:
    """Consent requests your unit sent and those addressed to it, with their answers."""
    subject = acting(as_)
    with STATE.store().transaction() as conn:
        found = consent_requests.listed(conn, subject, datetime.now(UTC))
    emit([_row(d, q) for d, q in found], fmt,
         ["id", "direction", "state", "entity_id", "properties", "asked_by", "to_unit",
          "recipient", "reason", "answered_by", "consent_id", "answer_reason"])


@consent_app.command("answer")
def answer(
    request_id: str,
    as_: AsOption = None,
    grant: Annotated[bool, typer.Option("--grant", help="Give the consent asked for.")]
    = False,
    refuse: Annotated[bool, typer.Option("--refuse", help="Refuse it (say why).")] = False,
    reason: Annotated[str, typer.Option("--reason", help="Why you refuse (shown to the "
                                        "unit that asked).")] = "",
) -> None:
    """Answer, as the unit addressed, a request for consent: --grant, or --refuse --reason."""
    subject = acting(as_)
    if grant == refuse:
        raise InputError(tr("answer with --grant or with --refuse --reason …"))
    with STATE.store().transaction() as conn:
        done = consent_requests.answer(conn, subject, request_id, grant, reason,
                                       datetime.now(UTC))
    if grant:
        console.print(_("{request}: granted; consent {consent} given").format(
            request=request_id, consent=done.consent_id))
    else:
        console.print(_("{request}: refused; no consent given").format(request=request_id))
