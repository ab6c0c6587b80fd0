"""The receiving side of vetting attestations, run by the sync for each page it stores.

Attestations arrive inside the records that depend on them (``extra.vettings``); each
distinct one is read (:func:`tearline.federation.vetting.read`), applied
(``store/vetting_attestations.py``) or refused and audited (``federation.refused``).
What happened is returned as notes for the administrator — and when records released
``vetted-by:X`` were stored that none of our units may see for want of a vetting by X,
the note says what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from tearline.audit.events import FederationRefused, now
from tearline.federation.vetting import Refusal, read
from tearline.model.marking import SelectorKind
from tearline.model.record import Record
from tearline.store import Connection, audit_log, parties, vetting_attestations


class _Partner(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def agency(self) -> str: ...

    @property
    def party(self) -> str: ...

    @property
    def verifier_key(self) -> str | None: ...


def keep_vettings(conn: Connection, partner: _Partner, own_agency: str,
                  records: Sequence[Record], at: datetime) -> list[str]:
    """Apply the attestations the stored ``records`` carry; the notes for the summary."""
    docs: dict[str, dict[str, Any]] = {}
    for record in records:
        for doc in record.extra.get("vettings") or ():
            if isinstance(doc, dict):
                docs.setdefault(str(doc.get("signature")), doc)
    if not docs or not partner.verifier_key:
        return _unseen(conn, own_agency, records, at)
    units = [u.id for u in parties.units(conn) if u.agency == own_agency]
    notes: list[str] = []
    refusals: list[FederationRefused] = []
    read_docs = [read(d, partner.agency, partner.verifier_key, units) for d in docs.values()]
    for item in sorted(read_docs, key=lambda a: (isinstance(a, Refusal), str(
            getattr(a, "at", "")))):
        if isinstance(item, Refusal):
            refusals.append(FederationRefused(
                at=now(), actor="system", peer=partner.party, collection=None,
                object_id=None, originator=None, reason=item.reason))
            notes.append(f"vetting attestation from {partner.name} refused: {item.message}")
            continue
        done = vetting_attestations.apply(conn, partner.party, item.vetter, item.unit,
                                          item.vettings, item.at, dict(item.document), at)
        for vid, start, end in item.vettings:
            if vetting_attestations.local_id(item.vetter, vid) in done.granted:
                notes.append(f"recorded {item.vetter}'s vetting of {item.unit} "
                             f"({start.date()} to {end.date()}), attested by {partner.name}")
        if done.revoked:
            notes.append(f"revoked {len(done.revoked)} vetting(s) of {item.unit} by "
                         f"{item.vetter} that {partner.name} no longer attests")
    if refusals:
        audit_log.append(conn, refusals)
    return notes + _unseen(conn, own_agency, records, at)


def _unseen(conn: Connection, own_agency: str, records: Sequence[Record],
            at: datetime) -> list[str]:
    """A note per vetting agency X for stored records released ``vetted-by:X`` while no
    unit of ours is vetted by X here: nobody here can see them yet."""
    wanted: dict[str, int] = {}
    for record in records:
        for sel in record.marking.releasable_to:
            if sel.kind is SelectorKind.VETTED_BY and sel.value != own_agency:
                wanted[sel.value] = wanted.get(sel.value, 0) + 1
    if not wanted:
        return []
    ours = {u.id for u in parties.units(conn) if u.agency == own_agency}
    vetted = {v.by for v in parties.vettings(conn) if v.unit in ours and v.active_at(at)}
    return [f"{n} record(s) released to vetted-by:{x} arrived that no unit here may see: "
            f"no vetting of our units by {x} is in force here. A node of {x} attests its "
            "vettings with the records it serves; without one, record it: `tearline vet "
            f"UNIT --by {x} --until …` (and check it with {x} first)."
            for x, n in sorted(wanted.items()) if x not in vetted]
