"""Vetting attestations: the vetting agency's node vouches, signed, for a unit it vetted.

A record released ``vetted-by:us.dea`` is visible to a unit only while the DEA's vetting
of that unit is in force. The policy decides that against the vettings *this* node
records, so a record the DEA node served to the vetted navy unit's node was invisible
there until the navy node's administrator recorded the DEA's vetting by hand — a copy
nobody checked, with whatever end date was typed.

Now the vetting travels with the records that depend on it. When a node serves a record
whose marking (or a portion's) names ``vetted-by:<its agency>``, it attaches an
**attestation**: a document signed with its node key naming the vetting agency, the
peer's unit and every vetting of that unit by its agency in force at that moment (id,
start, end), and the moment. The receiving node (:func:`read`) accepts it only if

* the partner that delivered it speaks for the vetting agency — the peer's agency *is*
  the vetter (``federation/entitlement.py``: a partner is believed about its own agency
  and nothing else), and the signature verifies with that peer's pinned key; a node of
  another agency cannot attest a vetting by the DEA, whatever it signs;
* it names one of the receiving node's own agency's units (nobody vets for us what we
  do not hold);
* it is newer than the last attestation applied for that vetter and unit, so an old
  document replayed cannot bring back a longer vetting the vetter has since ended.

It then records exactly the attested vettings, with their dates (never extended: the
dates are the signed ones), attributed to the attesting node (``recorded_by
node:<peer>``), and revokes the vettings an earlier attestation recorded that the new
one no longer lists (``store/vetting_attestations.py``). Vettings the node's own
administrator recorded are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from tearline.audit.envelope import utc_timestamp
from tearline.errors import InputError, IntegrityError
from tearline.federation.signing import sign_document, verify_document
from tearline.keys import NodeKey
from tearline.model.marking import Marking, SelectorKind, parse_timestamp
from tearline.model.parties import Vetting
from tearline.model.record import Record

VETTING_TYPE = "tearline-vetting"
VERSION = 1
#: How many vettings of one unit by one agency an attestation may list.
MAX_VETTINGS = 32


def depends_on(record: Record, agency: str) -> bool:
    """Whether the record's marking, or one of its portions', releases to ``vetted-by:agency``."""
    markings: Iterable[Marking | None] = (record.marking, *(s.marking for s in record.statements))
    return any(s.kind is SelectorKind.VETTED_BY and s.value == agency
               for m in markings if m is not None for s in m.releasable_to)


def attestation(key: NodeKey, vetter: str, unit: str, vettings: Iterable[Vetting],
                at: datetime) -> dict[str, Any]:
    """The signed attestation of ``unit``'s vettings by ``vetter`` in force at ``at``."""
    listed = sorted((v for v in vettings if v.by == vetter and v.unit == unit
                     and v.active_at(at)), key=lambda v: v.id)[:MAX_VETTINGS]
    return sign_document(key, {
        "type": VETTING_TYPE, "version": VERSION, "vetter": vetter, "unit": unit,
        "vettings": [{"id": v.id, "valid_from": utc_timestamp(v.valid_from),
                      "valid_until": utc_timestamp(
                          min(v.valid_until, v.revoked_at or v.valid_until))}
                     for v in listed],
        "at": utc_timestamp(at),
    })


@dataclass(frozen=True, slots=True)
class Attested:
    """A verified attestation: what the vetter's node vouched for, and when."""

    vetter: str
    unit: str
    vettings: tuple[tuple[str, datetime, datetime], ...]  # (vetter's id, from, until)
    at: datetime
    document: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an attestation was not applied; ``reason`` as in ``federation.refused``."""

    reason: Literal["unverified", "third-agency", "malformed"]
    message: str


def read(doc: object, sender_agency: str, sender_key: str,
         own_units: Iterable[str]) -> Attested | Refusal:
    """A verified attestation delivered by a partner of ``sender_agency``, or why not."""
    try:
        body = verify_document(sender_key, doc)
    except IntegrityError as exc:
        return Refusal("unverified", f"not signed by the sending node: {exc.message}")
    vetter, unit, items = body.get("vetter"), body.get("unit"), body.get("vettings")
    if (body.get("type") != VETTING_TYPE or body.get("version") != VERSION
            or not isinstance(vetter, str) or not isinstance(unit, str)
            or not isinstance(items, list) or len(items) > MAX_VETTINGS):
        return Refusal("malformed", "not a vetting attestation (type, version, vetter, "
                       f"unit, at most {MAX_VETTINGS} vettings)")
    if vetter != sender_agency:
        return Refusal("third-agency",
                       f"a node of {sender_agency} may not attest a vetting by {vetter[:128]}")
    if unit not in set(own_units):
        return Refusal("third-agency", f"the attestation names {unit[:128]}, not one of "
                       "our units")
    try:
        at = parse_timestamp(body.get("at"))
        vettings = []
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                return Refusal("malformed", "a vetting of the attestation has no id")
            start = parse_timestamp(item.get("valid_from"))
            end = parse_timestamp(item.get("valid_until"))
            Vetting(item["id"][:64], vetter, unit, start, end)  # the model's own checks
            vettings.append((item["id"][:64], start, end))
    except InputError as exc:
        return Refusal("malformed", f"malformed vetting attestation: {exc.message}")
    assert isinstance(doc, dict)  # verify_document accepts nothing else
    return Attested(vetter, unit, tuple(vettings), at, doc)
