"""``tearline deconflict …``: blind deconfliction (``docs/deconfliction.md``).

register | check | events | withdraw | quota, plus the key ceremony (``deal``,
``install-share``) and ``sync`` of the index. Selectors never leave this node in
clear: they are blinded here and only tokens are compared.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tearline.cli import deconflict_input as given
from tearline.cli.common import (
    STATE,
    AsOption,
    Format,
    FormatOption,
    app,
    console,
    emit,
    err,
)
from tearline.cli.language import _
from tearline.cli.trace import check_returned
from tearline.deconflict import events
from tearline.errors import SelectorError, ValidationError, tr

if TYPE_CHECKING:
    from tearline.deconflict.selectors import Selector
    from tearline.federation.deconflict_flow import Deconfliction, Outcome
    from tearline.policy.subject import Subject

deconflict_app = typer.Typer(
    help="Blind deconfliction: is anyone else working this target, or this place and time? "
    "Answered by tokens under a key no node holds.", no_args_is_help=True)
app.add_typer(deconflict_app, name="deconflict")

Kind = Annotated[str | None, typer.Option(help="Selector kind: phone, curp, rfc, passport, "
                                          "identifier, plate, vin, imo, mmsi, aircraft, "
                                          "person, address.")]
Values = Annotated[list[str] | None, typer.Argument(help="Selector values as written.")]
Country = Annotated[str | None, typer.Option(help="Country (phone, plate, passport, address).")]
Scheme = Annotated[str | None, typer.Option(help="Scheme of an `identifier` (ine, imei …).")]
Born = Annotated[str | None, typer.Option("--birth-date", help="Date of birth (person).")]
CsvFile = Annotated[Path | None, typer.Option(
    "--file", help="CSV of kind,value[,country,scheme,birth_date].")]
Records = Annotated[list[str] | None, typer.Option("--record", help="Take the selectors of "
                                                   "this record (repeat).")]
Lat = Annotated[float | None, typer.Option(help="Planned operation: latitude.")]
Lon = Annotated[float | None, typer.Option(help="Planned operation: longitude.")]
Start = Annotated[str | None, typer.Option(help="Planned operation: start (ISO 8601, zone).")]
End = Annotated[str | None, typer.Option(help="Planned operation: end (ISO 8601, zone).")]


#: A registration of more tokens than this prints their count, not their ids.
LIST_IDS = 50


def _service() -> Deconfliction:
    from tearline.federation.deconflict_flow import Deconfliction

    return Deconfliction(STATE.store(), STATE.settings.keys_dir)


def _subject(as_: str | None) -> Subject:
    if not as_:
        raise ValidationError(tr("say which unit acts: --as unit.id (or name@unit.id)"))
    return STATE.store().subject(as_)


def _gather(as_: str | None, kind: str | None, values: list[str] | None, country: str | None,
            scheme: str | None, born: str | None, file: Path | None,
            records: list[str] | None) -> tuple[Subject, list[Selector]]:
    subject = _subject(as_)
    chosen = given.typed(kind, list(values or []), country, scheme, born)
    if file is not None:
        chosen += given.from_csv(file)
    if records:
        chosen += given.from_records(STATE.store(), subject, datetime.now(UTC), records)
    return subject, chosen


def _show_hits(outcome: Outcome, labels: list[str], fmt: Format) -> None:
    rows: list[dict[str, Any]] = []
    for label, hits in zip(labels, outcome.hits, strict=True):
        if not hits:
            rows.append({"selector": label, "result": "no overlap"})
        for hit in hits:
            rows.append({"selector": label, "result": "overlap", "agency": hit.agency,
                         "unit": hit.unit, "contact": hit.contact, "since": hit.since,
                         "registration": hit.registration_id})
    emit(rows, fmt, ["selector", "result", "agency", "unit", "contact", "since",
                     "registration"])
    for peer, why in sorted(outcome.unavailable.items()):
        err.print(_("note: {peer} did not answer ({why})").format(peer=peer, why=why),
                  highlight=False, markup=False)


@deconflict_app.command("register")
def register(as_: AsOption = None, kind: Kind = None, values: Values = None,
             country: Country = None, scheme: Scheme = None, born: Born = None,
             file: CsvFile = None, record: Records = None,
             contact: Annotated[str, typer.Option(help="Point of contact partners call.")] = "",
             expires: Annotated[str | None, typer.Option(help="Expiry (default 180 days).")
                                ] = None,
             lat: Lat = None, lon: Lon = None, start: Start = None, end: End = None,
             fmt: FormatOption = Format.table) -> None:
    """Register targets (or a planned operation) with a pointer to your unit; overlaps
    with partners' registrations are shown, and the partners are told."""
    from tearline.model.marking import parse_timestamp

    subject, chosen = _gather(as_, kind, values, country, scheme, born, file, record)
    op = given.operation(lat, lon, start, end)
    probes: list[Selector] = []
    if op is not None:
        chosen += list(events.registered(op))
        probes = list(events.probes(op))
    if not chosen:
        raise SelectorError(tr("nothing to register: give values, --file, --record or an "
                               "operation"))
    if not contact.strip():
        raise ValidationError(tr("--contact: whom partners should call"))
    outcome = _service().register(
        subject, chosen, contact.strip(),
        expires=parse_timestamp(expires) if expires else None, probes=probes)
    labels = ([f"{p.kind} #{i + 1}" for i, p in enumerate(probes)] if probes
              else [f"{s.kind} #{i + 1}" for i, s in enumerate(chosen)])
    listed = (": " + " ".join(outcome.registered) if len(outcome.registered) <= LIST_IDS
              else _(" (`tearline deconflict events` lists them)"))
    err.print(_("registered {n} token(s)").format(n=f"{len(outcome.registered):,}") + listed,
              highlight=False, soft_wrap=True)
    _show_hits(outcome, labels, fmt)


@deconflict_app.command("check")
def check(as_: AsOption = None, kind: Kind = None, values: Values = None,
          country: Country = None, scheme: Scheme = None, born: Born = None,
          file: CsvFile = None, record: Records = None, lat: Lat = None, lon: Lon = None,
          start: Start = None, end: End = None, fmt: FormatOption = Format.table) -> None:
    """Is anyone else working these selectors (or this place and time)? Only pointers."""
    subject, chosen = _gather(as_, kind, values, country, scheme, born, file, record)
    op = given.operation(lat, lon, start, end)
    if op is not None:
        chosen += list(events.probes(op))
    if not chosen:
        raise SelectorError(tr("nothing to check: give values, --file, --record or an "
                               "operation"))
    check_returned(str(subject), "deconfliction", [s.value for s in chosen])
    outcome = _service().check(subject, chosen)
    labels = [f"{s.kind} #{i + 1}" for i, s in enumerate(chosen)]
    _show_hits(outcome, labels, fmt)


@deconflict_app.command("events")
def list_events(as_: AsOption = None, fmt: FormatOption = Format.table) -> None:
    """Your unit's registrations and the partners who met them (hits on your side)."""
    from tearline.store import deconflict_index

    subject = _subject(as_)
    service = _service()
    service.sync()
    with STATE.store().reading() as conn:
        mine = deconflict_index.of_unit(conn, subject.unit)
        notices = deconflict_index.notices_for_unit(conn, subject.unit)
    rows: list[dict[str, Any]] = [{"event": "registered", "registration": s.registration.id,
             "kind": s.registration.kind, "since": s.registration.since,
             "expires": s.registration.expires, "withdrawn": s.withdrawn_at or ""}
            for s in mine]
    rows += [{"event": "hit", "registration": n.registration_id, "at": n.at,
              "by": f"{n.checker_unit} ({n.checker_agency})", "agreement": n.agreement_id}
             for n in notices]
    emit(rows, fmt, ["event", "registration", "kind", "since", "expires", "withdrawn", "at",
                     "by", "agreement"])


@deconflict_app.command("withdraw")
def withdraw(registration: Annotated[str, typer.Argument(help="The registration id.")],
             as_: AsOption = None) -> None:
    """Withdraw one of your unit's registrations: it no longer matches, anywhere."""
    _service().withdraw(_subject(as_), registration)
    console.print(_("withdrawn {registration}").format(registration=registration),
                  highlight=False)


@deconflict_app.command("quota")
def quota(unit: Annotated[str, typer.Argument(help="The unit (this node's or a peer's).")],
          daily: Annotated[int | None, typer.Option("--set", help="Set its daily quota.")
                           ] = None,
          by: Annotated[str, typer.Option(help="Who sets it (for the record).")] = "admin",
          fmt: FormatOption = Format.table) -> None:
    """A unit's daily quota of evaluations on this node, and its use today."""
    from tearline.store import deconflict_keys as keys

    now = datetime.now(UTC)
    with STATE.store().transaction() as conn:
        if daily is not None:
            keys.set_quota(conn, unit, daily, now, by)
        row = {"unit": unit, "day": now.date().isoformat(),
               "used": keys.used(conn, unit, now.date().isoformat()),
               "daily_limit": keys.daily_limit(conn, unit)}
    emit([row], fmt, ["unit", "day", "used", "daily_limit"])


@deconflict_app.command("sync")
def sync() -> None:
    """Pull the partners' signed index documents (check and register also do)."""
    failed = _service().sync()
    for peer, why in sorted(failed.items()):
        err.print(_("note: {peer}: {why}").format(peer=peer, why=why), highlight=False,
                  markup=False)


@deconflict_app.command("deal")
def deal(threshold_t: Annotated[int, typer.Option("--threshold", help="t")] = 2,
         count: Annotated[int, typer.Option(help="n")] = 3,
         out: Annotated[Path, typer.Option(help="Folder for the share files.")] = Path(".")
         ) -> None:
    """Make a key, split it t of n into share files, forget it (the key ceremony)."""
    key_id, paths = given.deal(threshold_t, count, out)
    console.print(_("key {key}: {n} shares, any {t} evaluate").format(
        key=key_id, n=len(paths), t=threshold_t), highlight=False)
    for path in paths:
        console.print(str(path), highlight=False, markup=False)


@deconflict_app.command("install-share")
def install_share(path: Annotated[Path, typer.Argument(help="This node's share file.")],
                  by: Annotated[str, typer.Option(help="Who installs it.")] = "admin") -> None:
    """Keep this node's share of the deconfliction key (then delete the file)."""
    from tearline.store import deconflict_keys

    key_id, share = given.read_share(path)
    with STATE.store().transaction() as conn:
        deconflict_keys.install_share(conn, key_id, share, datetime.now(UTC), by)
    console.print(_("share {index} of key {key} installed ({t} of {n})").format(
        index=share.index, key=key_id, t=share.threshold, n=share.count), highlight=False)
