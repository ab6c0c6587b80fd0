"""May this sender speak for the originator of this record? (pure: no I/O)

A node pulls records from a partner. The partner is trusted for what it says about
its *own* agency's records; it is not trusted to speak for anyone else. So, for each
record it delivers:

* **own** — the record and every statement originate from the sender's agency:
  accepted.
* **consent** — some of it originates from a third agency ``X``: accepted only if,
  for every such ``X``, a consent travels with the record (``Record.extra["consents"]``)
  that ``X`` signed with the key of a node this node registered as a peer of agency
  ``X``, letting the sender's agency (``to_agency``) release this entity onward. A
  consent the sender merely *claims* proves nothing, since the sender could write it
  itself; an agency whose node we do not know cannot consent in a way we can check.
* **echo** — the record is our own agency's (the sender holds a copy we released):
  not stored, we hold the original; statements of our own agency inside a partner's
  record are dropped for the same reason.
* **overwrite** — a record with this id exists here with another originator: refused,
  a peer never takes over another agency's record.
* **third-agency** — anything else: refused.

Refusals are reported with a reason; the caller logs them in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from tearline.errors import IntegrityError
from tearline.model.record import Record

Kind = Literal["own", "consent", "echo", "overwrite", "third-agency", "unstorable"]
CONSENT_TYPE = "tearline-consent"

#: verify(verifier key, signed document) -> the document without its signature;
#: raises :class:`IntegrityError` (``federation.signing.verify_document``).
Verify = Callable[[str, object], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: Kind
    reason: str
    #: The record to store (own statements dropped for an accepted record), else None.
    record: Record | None = None

    @property
    def accepted(self) -> bool:
        return self.record is not None


def _consented(record: Record, origin: str, sender_agency: str,
               keys: Mapping[str, Iterable[str]], verify: Verify) -> bool:
    for doc in record.extra.get("consents") or ():
        for key in keys.get(origin, ()):
            try:
                body = verify(key, doc)
            except IntegrityError:
                continue
            if (body.get("type") == CONSENT_TYPE and body.get("entity_id") == record.id
                    and body.get("by_agency") == origin
                    and body.get("to_agency") == sender_agency):
                return True
    return False


def judge(record: Record, sender_agency: str, own_agency: str | None,
          existing_originator: str | None, consent_keys: Mapping[str, Iterable[str]],
          verify: Verify) -> Verdict:
    """The verdict on one delivered record (see the module docstring)."""
    if own_agency is not None and record.originator == own_agency:
        return Verdict("echo", f"{record.id} is a record of our own agency {own_agency}")
    if existing_originator is not None and existing_originator != record.originator:
        return Verdict("overwrite", f"{record.id} exists here as a record of "
                       f"{existing_originator}, not of {record.originator}")
    statements = tuple(s for s in record.statements if s.origin != own_agency)
    if not statements:
        return Verdict("echo", f"{record.id} holds only statements of our own agency")
    origins = {record.originator} | {s.origin for s in statements}
    third = sorted(origins - {sender_agency})
    unconsented = [o for o in third
                   if not _consented(record, o, sender_agency, consent_keys, verify)]
    if unconsented:
        return Verdict("third-agency", f"{sender_agency} may not speak for "
                       f"{', '.join(unconsented)} about {record.id}: no consent signed by "
                       "a registered node of that agency travels with it")
    kept = record if len(statements) == len(record.statements) else replace(
        record, statements=statements)
    if third:
        return Verdict("consent", f"consent of {', '.join(third)} to {sender_agency}", kept)
    return Verdict("own", f"a record of {sender_agency}", kept)
