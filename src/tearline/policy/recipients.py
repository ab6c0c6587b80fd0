"""Recipients hidden from each other: what a named recipient is shown of a RED marking.

A TLP:RED marking names the units that may see the item, and no one else;
shown whole, it would tell every one of them who the others are — which units of which
agencies an originator trusts with a source, the very fact a partner must not learn. So
a viewer of another agency than the originator is shown the marking with only the
selector that names its unit (a RED marking names units only, ``model/marking.py``).
The originating agency sees the whole marking, and so does the node's oversight (the
administrators' views, which read the stored marking, never this one). Other levels
are unchanged: their ``releasable_to`` widens an audience an agency already shares by
design (``docs/policy.md``), and their onward release is decided on it.
"""

from __future__ import annotations

from dataclasses import replace

from tearline.model.marking import Marking, SelectorKind, Tlp
from tearline.model.record import Record
from tearline.policy.subject import Subject


def recipient_view(marking: Marking, viewer: Subject, originator: str) -> Marking:
    """``marking`` as ``viewer`` is shown it on an item ``originator`` made."""
    if marking.tlp is not Tlp.RED or viewer.agency == originator:
        return marking
    kept = frozenset(
        s for s in marking.releasable_to
        if s.kind is SelectorKind.VETTED_BY
        or (s.kind is SelectorKind.UNIT and s.value == viewer.unit)
        or (s.kind is SelectorKind.AGENCY and s.value == viewer.agency))
    if not kept or kept == marking.releasable_to:  # (a RED item is seen only when named)
        return marking
    return replace(marking, releasable_to=kept)


def as_recipient(record: Record, viewer: Subject) -> Record:
    """The record with every RED marking — its own and its portions' — as the viewer is
    shown it (each portion judged by its statement's originating agency)."""
    marking = recipient_view(record.marking, viewer, record.originator)
    statements = tuple(
        s if s.marking is None
        else replace(s, marking=recipient_view(s.marking, viewer, s.origin))
        for s in record.statements)
    if marking is record.marking and all(
            a is b for a, b in zip(statements, record.statements, strict=True)):
        return record
    return replace(record, marking=marking, statements=statements)
