"""The audit events of leak tracing (``docs/trace.md``).

A copy that leaves the node is logged with the copy mark it carries (``trace.copy``),
once per release act, beside the reads that the release logs anyway; a canary record
when it is planted (``trace.planted``) and when one comes back (``trace.alert``). None
holds a record's content or the node's trace secret. None is shown to any unit: only
the node's oversight sees them (``audit/views.py`` names them nowhere), since a
recipient told its copy mark could strip it, and a unit told of a canary could avoid it.
Registered from :mod:`tearline.audit.events`, so that the catalogue holds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from tearline.audit.envelope import Event, register
from tearline.audit.fields import Count, Id, Rule, Subject

CopyMark = Annotated[str, Rule("copy mark (TL-XXXX-XXXX-XXXX)",
                               re.compile(r"TL-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}"))]
TraceChannel = Literal["taxii", "json", "csv", "stix", "report"]
ReturnPath = Literal["federation", "deconfliction", "search", "import"]


def doc(text: str) -> Any:
    return field(metadata={"doc": text})


@register("trace.copy")
@dataclass(frozen=True, kw_only=True)
class TraceCopy(Event):
    """A copy left the node carrying a recipient's fingerprint: its copy mark (the same
    for that recipient and channel on every release) and, in the order of each record's
    values, the recipient's keyed order."""

    recipient: Subject = doc("who the copy was made for")
    channel: TraceChannel = doc("how it left: a TAXII answer, an export (json, csv, "
                                "stix) or a report")
    mark: CopyMark = doc("the copy mark it carries")
    record_count: Count = doc("how many marked records (or report inputs) it holds")


@register("trace.planted")
@dataclass(frozen=True, kw_only=True)
class TracePlanted(Event):
    """A canary record was written for one recipient only (a honeytoken)."""

    recipient: Subject = doc("the only recipient the canary is released to")
    entity_id: Id = doc("the canary record")


@register("trace.alert")
@dataclass(frozen=True, kw_only=True)
class TraceAlert(Event):
    """A canary came back from someone it was not given to: the alert names the
    recipient it was given to. ``actor`` is whoever brought it back."""

    recipient: Subject = doc("the recipient the canary was given to")
    entity_id: Id = doc("the canary record")
    returned_by: Subject = doc("who brought it back (a unit, an analyst or a peer node)")
    path: ReturnPath = doc("where it came back: a peer's feed, a deconfliction check, "
                           "a search or an imported file")
    selector: Literal["record", "phone", "name"] = doc("what matched: the canary's record id, "
                                                       "its phone number or its name")
