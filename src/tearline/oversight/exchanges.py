"""Which audit entries are exchanges of an agency with a foreign agency, and how they
group into the exchanges a draft lists.

An exchange is one act as the law counts it: a pull that stores twelve records from a
foreign node is one reception of twelve records, logged as twelve entries of one write.
Consecutive entries of one act (same nature, same foreign agency, same unit of ours,
same actor, same time) are therefore grouped, and the exchange keeps every entry's
index and leaf hash, which is what the completeness proof checks
(:mod:`tearline.oversight.completeness`).

What is read of an entry is metadata: kinds and ids, counts, parties, agreements. The
record kinds come from the directory (a record's schema), never from its statements.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tearline.audit import events as ev
from tearline.audit import oversight_events as oe
from tearline.audit.deconflict_events import DeconflictHit
from tearline.audit.envelope import Event
from tearline.oversight.directory import Directory

#: The natures of exchange, in the words of the report (``reports/oversight_labels.py``).
NATURES = ("records-received", "release-to", "release-from", "onward-release",
           "deconfliction-hit", "federation-sync", "consent", "recall", "contact")


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One entry of the log as the core sees it: its place, leaf hash and event."""

    index: int
    leaf: str
    event: Event


@dataclass(frozen=True, slots=True)
class Part:
    """What one entry contributes to an exchange."""

    nature: str
    at: str
    foreign_agency: str
    foreign_unit: str | None
    unit: str | None
    officials: tuple[str, ...]
    agreement: str | None
    records: tuple[str, ...]  # the kinds of the records exchanged, one per record
    extra_records: int = 0  # records counted without a known kind (a receipt's objects)

    def key(self, actor: str) -> tuple[object, ...]:
        return (self.nature, self.at, self.foreign_agency, self.foreign_unit, self.unit,
                self.agreement, actor)


@dataclass(frozen=True, slots=True)
class Exchange:
    """One exchange with a foreign agency, as a draft lists it."""

    id: str
    entries: tuple[tuple[int, str], ...]  # (index, leaf hash) of every entry it groups
    at: str
    nature: str
    foreign_agency: str
    foreign_unit: str | None
    unit: str | None
    officials: tuple[str, ...]
    agreement: str | None
    record_count: int
    record_kinds: tuple[tuple[str, int], ...]


def _kinds(d: Directory, ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(d.schemas.get(i, "Unknown") for i in ids)


def _release(e: ev.ReleaseCreated | ev.ReleaseOnward, own: str, d: Directory) -> Part | None:
    giver = e.from_party if isinstance(e, ev.ReleaseOnward) else e.actor
    gives, gets = d.agency_of(giver), d.agency_of(e.recipient)
    if gives == own and d.foreign(gets, own) and gets is not None:
        nature = "onward-release" if isinstance(e, ev.ReleaseOnward) else "release-to"
        return Part(nature, e.at, gets, d.unit_of(e.recipient), d.unit_of(giver),
                    _officials(e.actor), e.legal_basis, _kinds(d, [e.entity_id]))
    if gets == own and d.foreign(gives, own) and gives is not None:
        return Part("release-from", e.at, gives, d.unit_of(giver), d.unit_of(e.recipient),
                    (), e.legal_basis, _kinds(d, [e.entity_id]))
    return None


def _officials(*parties: str) -> tuple[str, ...]:
    return tuple(p for p in parties if p.startswith("analyst:"))


def _hit(e: DeconflictHit, own: str, d: Directory) -> Part | None:
    # Both sides' entries may be on one node: each side reports the entry logged for it.
    if e.role == "checker" and e.checker_agency == own and d.foreign(e.holder_agency, own):
        return Part("deconfliction-hit", e.at, e.holder_agency, e.holder, e.checker,
                    _officials(e.actor), e.agreement_id, ())
    if e.role == "holder" and e.holder_agency == own and d.foreign(e.checker_agency, own):
        return Part("deconfliction-hit", e.at, e.checker_agency, e.checker, e.holder,
                    _officials(e.actor), e.agreement_id, ())
    return None


def part_of(event: Event, own: str, d: Directory) -> Part | None:
    """What ``event`` adds to ``own``'s exchanges with foreign agencies, if anything."""
    if isinstance(event, ev.RecordCreated | ev.RecordUpdated):
        sender = d.agency_of(event.actor) if event.actor.startswith("node:") else None
        if sender is None or not d.foreign(sender, own) or not d.node_exchange_of(own):
            return None
        return Part("records-received", event.at, sender, None, None, (),
                    d.agreement(own, sender, event.at), _kinds(d, [event.entity_id]))
    if isinstance(event, ev.ReleaseCreated | ev.ReleaseOnward):
        return _release(event, own, d)
    if isinstance(event, DeconflictHit):
        return _hit(event, own, d)
    if isinstance(event, ev.ReceiptRecorded):
        peer = d.agency_of(event.peer)
        if peer is None or not d.foreign(peer, own) or not d.node_exchange_of(own):
            return None
        return Part("federation-sync", event.at, peer, None, None, (),
                    d.agreement(own, peer, event.at), (), event.object_count)
    if isinstance(event, ev.ConsentRecorded):
        other = (event.to_agency if event.originator == own
                 else event.originator if event.to_agency == own else None)
        if other is None or not d.foreign(other, own):
            return None
        return Part("consent", event.at, other, None, None, _officials(event.actor),
                    d.agreement(own, other, event.at), _kinds(d, [event.entity_id]))
    if isinstance(event, ev.RecallPurged):
        peer = d.agency_of(event.peer)
        if peer is None or not d.foreign(peer, own) or not d.node_exchange_of(own):
            return None
        return Part("recall", event.at, peer, None, None, (), d.agreement(own, peer, event.at),
                    _kinds(d, [event.entity_id]))
    if isinstance(event, ev.RecallIssued):
        if d.agency_of(event.actor) != own:
            return None
        others = sorted({a for a in map(d.agency_of, event.recipients)
                         if a is not None and d.foreign(a, own)})
        if not others:
            return None
        return Part("recall", event.at, others[0], None, d.unit_of(event.actor),
                    _officials(event.actor), d.agreement(own, others[0], event.at),
                    _kinds(d, [event.entity_id]))
    if isinstance(event, oe.ContactLogged):
        if d.agency_of(event.unit) != own or not d.foreign(event.foreign_agency, own):
            return None
        unit = f"unit:{event.foreign_unit}" if event.foreign_unit else None
        return Part("contact", event.met_at, event.foreign_agency, unit, event.unit,
                    event.officials, d.agreement(own, event.foreign_agency, event.met_at), ())
    return None


def exchanges(entries: Sequence[LogEntry], own: str, d: Directory) -> list[Exchange]:
    """The exchanges of agency ``own`` among ``entries`` (in log order), grouped."""
    groups: list[tuple[tuple[object, ...], list[tuple[LogEntry, Part]]]] = []
    for entry in entries:
        part = part_of(entry.event, own, d)
        if part is None:
            continue
        key = part.key(entry.event.actor)
        if groups and groups[-1][0] == key:
            groups[-1][1].append((entry, part))
        else:
            groups.append((key, [(entry, part)]))
    return [_exchange(members) for _, members in groups]


def _exchange(members: list[tuple[LogEntry, Part]]) -> Exchange:
    first = members[0][1]
    kinds = Counter(k for _, p in members for k in p.records)
    officials = tuple(sorted({o for _, p in members for o in p.officials}))
    count = sum(len(p.records) + p.extra_records for _, p in members)
    return Exchange(
        id=f"x{members[0][0].index}",
        entries=tuple((e.index, e.leaf) for e, _ in members),
        at=first.at, nature=first.nature, foreign_agency=first.foreign_agency,
        foreign_unit=first.foreign_unit, unit=first.unit, officials=officials,
        agreement=first.agreement, record_count=count,
        record_kinds=tuple(sorted(kinds.items())),
    )
