"""What a secret is made of: actions of other parties, each done through tearline's own
operations (the writer, marking changes, releases, consents, reads).

Statements are added through the writer, as ingest adds them: the API's amend also opens
the record first, and the originator may learn of that read by design (docs/audit.md);
what must stay secret is what was added.

Every action checks that it took effect — a secret the product silently refused would
make the two worlds equal for the wrong reason, and the test could not fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from adversary.cast import prov, subject
from adversary.clock import CLOCK
from tearline.demo import scenario as sc
from tearline.errors import NotFound
from tearline.model.marking import Marking, Selector
from tearline.model.record import Record, build_record, build_statements
from tearline.stix.export import object_id
from tearline.store import audit_query, consent_requests, delivery_receipts, peers, releases
from tearline.store import tables as t
from tearline.store.marking_changes import set_marking
from tearline.store.store import Store


def _props(pairs: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, list[str]]:
    return {k: list(v) for k, v in pairs}


def _said(pairs: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    return ", ".join(f"{k}={'|'.join(v)}" for k, v in pairs)


@dataclass(frozen=True)
class Create:
    """``unit`` creates record ``id`` under ``marking`` (with ``portions`` marked apart)."""

    unit: str
    id: str
    schema: str
    props: tuple[tuple[str, tuple[str, ...]], ...]
    marking: Marking
    portions: tuple[tuple[str, Marking], ...] = ()

    def apply(self, store: Store) -> None:
        rec = build_record(self.id, self.schema, _props(self.props), prov(self.unit, CLOCK.now),
                           self.marking, dict(self.portions) or None, keyer=store.keyer)
        done = store.write([rec])
        assert done.records_new == 1, f"the secret's record {self.id} was not created"

    def __str__(self) -> str:
        return (f"{self.unit} creates {self.schema} {self.id} [{self.marking}] "
                f"{_said(self.props)}" + "".join(f" (portion {p} [{m}])"
                                                 for p, m in self.portions))


@dataclass(frozen=True)
class Amend:
    """``unit`` adds statements to an existing record: its agency's own as ``portions``,
    another agency's under ``marking`` (a statement of another agency has its own)."""

    unit: str
    id: str
    props: tuple[tuple[str, tuple[str, ...]], ...]
    marking: Marking | None = None
    portions: tuple[tuple[str, Marking], ...] = ()

    def apply(self, store: Store) -> None:
        with store.reading() as conn:
            schema = conn.execute(select(t.records.c.schema).where(t.records.c.id == self.id)
                                  ).scalar_one()
        marks = {p: self.marking for p, _ in self.props} if self.marking else {}
        marks.update(self.portions)
        at = CLOCK.now
        statements, problems = build_statements(self.id, schema, _props(self.props),
                                                prov(self.unit, at), marks,
                                                keyer=store.keyer)
        # the record has its required properties already (as the API's amend reasons)
        assert all("needs a value" in p.message for p in problems), problems
        head = Record(self.id, schema, sc.agency_of(self.unit), self.unit, Marking.build("RED"),
                      tuple(statements), created_at=at, modified_at=at)
        done = store.write([head])
        assert (done.records_new, done.records_changed) == (0, 1), f"{self} changed nothing"

    def __str__(self) -> str:
        how = (f" [{self.marking}]" if self.marking else "") + "".join(
            f" (portion {p} [{m}])" for p, m in self.portions)
        return f"{self.unit} adds to {self.id}: {_said(self.props)}{how}"


@dataclass(frozen=True)
class Remark:
    """``unit`` changes the marking of a record, or of one property's statements."""

    unit: str
    id: str
    prop: str | None
    marking: Marking

    def apply(self, store: Store) -> None:
        with store.transaction() as conn:
            changes = set_marking(conn, subject(self.unit), self.id, self.prop, self.marking,
                                  CLOCK.now)
        assert changes, f"the secret re-marked nothing of {self.id}"

    def __str__(self) -> str:
        what = f"{self.id}.{self.prop}" if self.prop else self.id
        return f"{self.unit} re-marks {what} [{self.marking}]"


@dataclass(frozen=True)
class Release:
    """``unit`` releases what it sees of a record to ``to`` (or consents, with ``consent``)."""

    unit: str
    id: str
    to: str
    basis: str | None = None
    consent: bool = False

    def apply(self, store: Store) -> None:
        who = subject(self.unit)
        with store.transaction() as conn:
            if self.consent:
                releases.grant_consent(conn, who, self.id, self.to, CLOCK.now, str(who))
            else:
                made = releases.release(conn, who, self.id, Selector.parse(self.to),
                                        self.basis, CLOCK.now, str(who))
                assert made.release.items, f"the secret released nothing of {self.id}"

    def __str__(self) -> str:
        verb = "consents to onward release of" if self.consent else "releases"
        return f"{self.unit} {verb} {self.id} to {self.to}" + (
            f" under {self.basis}" if self.basis else "")


@dataclass(frozen=True)
class AskConsent:
    """``unit`` asks the originating unit for consent to pass its ORCON items of a record
    on to ``to``; that unit refuses it, with ``refused``."""

    unit: str
    id: str
    to: str
    refused: bool = False

    def apply(self, store: Store) -> None:
        with store.transaction() as conn:
            made = consent_requests.ask(conn, subject(self.unit), self.id,
                                        Selector.parse(self.to), "pedido secreto", CLOCK.now)
            if self.refused:
                done = consent_requests.answer(conn, subject(made.to_unit), made.id, False,
                                               "negado en secreto", CLOCK.now)
                assert done.state == "refused", f"{self} was not refused"

    def __str__(self) -> str:
        return (f"{self.unit} asks consent to pass {self.id} on to {self.to}"
                + (", refused" if self.refused else ""))


@dataclass(frozen=True)
class Receipt:
    """The peer node of ``agency`` returns a verified receipt naming a record's object (what
    ``federation/receipts.py`` keeps of one)."""

    agency: str
    id: str

    def apply(self, store: Store) -> None:
        with store.transaction() as conn:
            (peer,) = [p for p in peers.peers(conn) if p.agency == self.agency]
            schema = conn.execute(select(t.records.c.schema).where(t.records.c.id == self.id)
                                  ).scalar_one()
            delivery_receipts.keep(conn, peer.party, "e" * 64,
                                   [(object_id(self.id, schema), "2026-01-07T08:00:00Z")],
                                   CLOCK.now)

    def __str__(self) -> str:
        return f"{self.agency}'s node acknowledges receiving {self.id}"


@dataclass(frozen=True)
class Activity:
    """``unit`` reads: ``search`` TEXT, ``stats``, ``show`` ID, ``list``, ``audit`` (its log)."""

    unit: str
    what: str
    arg: str = ""

    def apply(self, store: Store) -> None:
        who, at = subject(self.unit), CLOCK.now
        if self.what == "search":
            store.search(who, at, self.arg)
        elif self.what == "stats":
            store.stats(who, at)
        elif self.what == "list":
            store.page(who, at)
        elif self.what == "show":
            store.read(who, at, self.arg)  # the action is drawn only where it succeeds
        elif self.what == "audit":
            with store.transaction() as conn:
                audit_query.who_saw(conn, who, at)
        else:
            raise AssertionError(f"unknown activity {self.what!r}")

    def __str__(self) -> str:
        return f"{self.unit} {self.what}{' ' + repr(self.arg) if self.arg else ''}"


Action = Create | Amend | Remark | Release | AskConsent | Receipt | Activity


def apply_all(store: Store, actions: tuple[Any, ...], start: datetime) -> None:
    """Each action at its own instant (one second apart), from its own uuid stream."""
    CLOCK.stream("secret")
    for n, action in enumerate(actions):
        CLOCK.set(start + timedelta(seconds=n))
        try:
            action.apply(store)
        except NotFound as exc:  # pragma: no cover - a broken secret, not a leak
            raise AssertionError(f"secret action {action} found nothing: {exc}") from exc


#: Units that may act in a secret (never a viewer acting as itself: see ``kinds``).
ACTORS = (sc.SOD, sc.HOUSTON, sc.SAN_DIEGO, sc.UIE, sc.NAVAL_POLICE, sc.FEMDO)
