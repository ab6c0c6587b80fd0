"""``Event.derive``: the event constructed whole, or the same refusal, checking only
what changes; and a read's entries built that way are the entries built one by one."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.audit.envelope import Event
from tearline.audit.events import RecordRead, VettingChanged
from tearline.errors import ValidationError
from tearline.policy.subject import Subject
from tearline.store import audit_events

AT = "2026-12-07T10:00:00.123456Z"
ACTOR = "analyst:ana@mx.semar.uie"
BASE = RecordRead(at=AT, actor=ACTOR, subject=ACTOR, entity_id="p-1", version=2,
                  statement_ids=("s1",), path="search")

IDS = st.one_of(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,20}", fullmatch=True),
                st.text(max_size=12), st.integers(min_value=-3, max_value=3))
VALUES = {
    "entity_id": IDS,
    "version": st.one_of(st.integers(min_value=-2, max_value=2**40), st.text(max_size=3)),
    "statement_ids": st.one_of(st.lists(IDS, max_size=4).map(tuple), st.lists(IDS, max_size=3),
                               st.text(max_size=3)),
    "subject": st.one_of(st.sampled_from([ACTOR, "unit:us.dea.sod", "system", "nobody"]),
                         st.text(max_size=8)),
    "path": st.one_of(st.sampled_from(["search", "web", "api", "nowhere"]), st.none()),
}


def _outcome(make: Any) -> tuple[str, Any]:
    try:
        event = make()
    except ValidationError as exc:
        return "refused", sorted((p.column or "", p.message) for p in exc.problems)
    return "event", (event, event.to_canonical(), vars(event))


@settings(max_examples=60)
@given(changes=st.fixed_dictionaries({}, optional=VALUES))
def test_derive_is_construction(changes: dict[str, Any]) -> None:
    """Same event (equal, same bytes, same fields) or the same problems as constructing
    it whole with the changed values."""
    whole = {**{k: v for k, v in vars(BASE).items()}, **changes}
    assert _outcome(lambda: BASE.derive(**changes)) == _outcome(lambda: RecordRead(**whole))


def test_derive_refuses_unknown_field() -> None:
    with pytest.raises(TypeError):
        BASE.derive(colour="red")


def test_kinds_with_rules_across_fields_are_constructed_whole() -> None:
    """A kind whose ``check`` relates fields is checked whole: a grant of vetting needs
    its dates (VettingChanged's rule), so a revocation derived into a grant without
    them is refused as construction refuses it."""
    revoked = VettingChanged(at=AT, actor=ACTOR, vetter="us.dea", unit="mx.semar.uie",
                             action="revoked", valid_from=None, valid_until=None)
    with pytest.raises(ValidationError) as derived:
        revoked.derive(action="granted")
    with pytest.raises(ValidationError) as whole:
        VettingChanged(**{**vars(revoked), "action": "granted"})
    assert ([(p.column, p.message) for p in derived.value.problems]
            == [(p.column, p.message) for p in whole.value.problems])


def test_a_new_time_is_parsed() -> None:
    with pytest.raises(ValidationError):
        BASE.derive(at="2026-02-30T10:00:00Z")  # the pattern holds; the date does not


def test_read_entries_are_each_constructed_alike() -> None:
    """A search's ``record.read`` entries, the first constructed and the rest derived,
    are the events constructed one by one, in order."""
    subject = Subject(unit="mx.semar.uie", agency="mx.semar", analyst="ana@mx.semar.uie")
    shown = [("p-1", 1, ["s1", "s2"]), ("p-2", 3, []), ("p-3", 2, ["s9"])]
    built = audit_events.read_events(subject, shown, "web")
    expected = [RecordRead(at=built[0].at, actor=str(subject), subject=str(subject),
                           entity_id=e, version=v, statement_ids=tuple(s), path="web")
                for e, v, s in shown]
    assert built == expected
    assert [e.to_canonical() for e in built] == [e.to_canonical() for e in expected]
    with pytest.raises(ValidationError):
        audit_events.read_events(subject, [("p-1", 1, []), ("bad id!", 1, [])], "web")


def test_derive_keeps_the_prototype() -> None:
    copy: Event = BASE.derive(entity_id="p-2")
    assert (BASE.entity_id, copy.entity_id) == ("p-1", "p-2")  # type: ignore[attr-defined]
    assert copy == RecordRead(**{**vars(BASE), "entity_id": "p-2"})
