"""The audit entries of a deconfliction batch, built in bulk and appended at once.

A check of n selectors logs n ``deconflict.query`` entries and one ``deconflict.hit``
per hit; a registration one ``deconflict.registered`` per token. Within a batch they
share their time, actor and most fields, so each kind is built from an
:class:`~tearline.audit.template.EventTemplate`: the shared fields validated once, each
entry's own values checked by the same rules, the same canonical bytes as the event
itself. Entries are kept in the order they are added, so the log holds what it held
when each was an :class:`~tearline.audit.envelope.Event` of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tearline.audit.deconflict_events import DeconflictHit, DeconflictRegistered
from tearline.audit.envelope import Event
from tearline.audit.events import DeconflictQuery
from tearline.audit.template import Columns, EventTemplate
from tearline.deconflict import documents as docs
from tearline.store import Connection, audit_log

#: Placeholders of the varying fields in a template's prototype (valid, never logged).
_REGISTRATION = "dr-" + "0" * 32
_COMMITMENT = "0" * 64


@dataclass
class Entries:
    """Audit entries in the order they are added: canonical bytes and lookup columns."""

    bodies: list[bytes] = field(default_factory=list)
    columns: list[Columns] = field(default_factory=list)

    def event(self, event: Event) -> None:
        self.bodies.append(event.to_canonical())
        self.columns.append((event.kind, event.at, event.actor,
                             getattr(event, "entity_id", None)))

    def add(self, template: EventTemplate, values: Sequence[object]) -> None:
        self.bodies.append(template.body(values))
        self.columns.append(template.columns())

    def append_to(self, conn: Connection) -> None:
        audit_log.append_canonical(conn, self.bodies, self.columns)


def query_template(at: str, actor: str) -> EventTemplate:
    """``deconflict.query`` entries of one check: (kind, commitment, hit count) vary."""
    return EventTemplate(
        DeconflictQuery(at=at, actor=actor, selector_kind="phone",
                        selector_commitment=_COMMITMENT, hit_count=0),
        ("selector_kind", "selector_commitment", "hit_count"))


def checker_hit_template(at: str, actor: str, unit: str, agency: str) -> EventTemplate:
    """The checker's ``deconflict.hit`` entries of one check by ``unit`` of ``agency``:
    (registration, holder unit, holder agency, agreement) vary."""
    return EventTemplate(
        DeconflictHit(at=at, actor=actor, registration_id=_REGISTRATION, role="checker",
                      checker=f"unit:{unit}", checker_agency=agency, holder=f"unit:{unit}",
                      holder_agency=agency, agreement_id=None),
        ("registration_id", "holder", "holder_agency", "agreement_id"))


def registered(entries: Entries, batch: docs.Batch, actor: str, at: str) -> None:
    """The ``deconflict.registered`` entry of each registration of ``batch``."""
    if not batch.entries:
        return
    template = EventTemplate(
        DeconflictRegistered(at=at, actor=actor, registration_id=_REGISTRATION,
                             selector_kind="phone", holder=f"unit:{batch.unit}",
                             origin=f"node:{batch.node}", expires=batch.expires),
        ("registration_id", "selector_kind"))
    for registration_id, _token, kind in batch.entries:
        entries.add(template, (registration_id, kind))
