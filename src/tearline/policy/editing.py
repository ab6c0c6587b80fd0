"""Who may change a record: amend it with statements, or retract it. Pure decisions.

These rules apply only to records the subject can already see (a record hidden from
them does not exist for them and answers "not found" before any rule is asked).
"""

from __future__ import annotations

from tearline.errors import tr
from tearline.model.marking import Marking
from tearline.policy.decision import Decision
from tearline.policy.subject import Subject


def may_retract(subject: Subject, originator: str) -> Decision:
    """Only a unit of the originating agency retracts a record (for everyone)."""
    if subject.agency == originator:
        return Decision.allow(tr("{unit} belongs to the originator {originator}",
                                 unit=subject.unit, originator=originator))
    return Decision.deny(tr(
        "{unit} is not a unit of the originator {originator}; ask the originator to "
        "retract it", unit=subject.unit, originator=originator))


def may_amend(
    subject: Subject, originator: str, record_marking: Marking, marking: Marking | None
) -> Decision:
    """Statements added to a visible record.

    The originator's units may add statements under the record's own marking. Another
    agency's statements must carry an explicit marking of their own — the record's
    marking is the originator's to change, not theirs to borrow. No added statement
    may be marked wider than the record.
    """
    if marking is not None and not marking.is_narrower_or_equal(record_marking):
        return Decision.deny(tr(
            "TLP:{tlp} is wider than the record's TLP:{record_tlp}; added statements may "
            "only narrow", tlp=marking.tlp.value, record_tlp=record_marking.tlp.value))
    if subject.agency == originator:
        return Decision.allow(tr("{unit} belongs to the originator {originator}",
                                 unit=subject.unit, originator=originator))
    if marking is None:
        return Decision.deny(tr(
            "{agency} is not the originator {originator}: statements it adds need their "
            "own marking", agency=subject.agency, originator=originator))
    return Decision.allow(tr("statements of {agency} carry their own marking",
                             agency=subject.agency))
