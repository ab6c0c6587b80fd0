"""Event templates: the same canonical bytes as the event, the same refusals."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.audit.deconflict_events import DeconflictHit, DeconflictRegistered
from tearline.audit.envelope import Event
from tearline.audit.events import DeconflictQuery, RecordRead, VettingChanged
from tearline.audit.template import EventTemplate
from tearline.errors import ValidationError

AT = "2026-12-07T10:00:00.123456Z"
ACTOR = "analyst:ana@mx.semar.uie"

#: Each case: the kind, the shared fields, and the fields that vary.
CASES: dict[str, tuple[type[Event], dict[str, Any], tuple[str, ...]]] = {
    "query": (DeconflictQuery, {"selector_kind": "phone", "selector_commitment": "a" * 64,
                                "hit_count": 0},
              ("selector_kind", "selector_commitment", "hit_count")),
    "hit": (DeconflictHit, {"registration_id": "dr-1", "role": "checker",
                            "checker": "unit:mx.semar.uie", "checker_agency": "mx.semar",
                            "holder": "unit:us.dea.sod", "holder_agency": "us.dea",
                            "agreement_id": None},
            ("registration_id", "holder", "holder_agency", "agreement_id")),
    "registered": (DeconflictRegistered, {"registration_id": "dr-1", "selector_kind": "curp",
                                          "holder": "unit:us.dea.sod",
                                          "origin": "node:dea", "expires": AT},
                   ("registration_id", "selector_kind")),
    # a kind with a list field and an entity id (a lookup column), varying its list
    "read": (RecordRead, {"subject": ACTOR, "entity_id": "p-1", "version": 2,
                          "statement_ids": ("s1",), "path": "federation"},
             ("statement_ids", "version", "path")),
}

SAMPLES = st.one_of(
    st.text(max_size=70), st.integers(min_value=-5, max_value=2**60), st.none(),
    st.from_regex(r"dr-[0-9a-f]{1,32}", fullmatch=True),
    st.from_regex(r"(unit|node):[a-z]{1,5}(\.[a-z0-9]{1,5}){0,2}", fullmatch=True),
    st.from_regex(r"[a-z]{1,5}\.[a-z]{1,5}", fullmatch=True),
    st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
    st.sampled_from(["phone", "curp", "event", "federation", "web", "checker"]),
    st.lists(st.from_regex(r"s[0-9]{1,4}", fullmatch=True), max_size=3).map(tuple),
)


def _outcome(make: Any) -> tuple[str, Any]:
    try:
        return "bytes", make()
    except ValidationError as exc:
        return "refused", sorted((p.column or "", p.message) for p in exc.problems)


@pytest.mark.parametrize("case", sorted(CASES))
@settings(max_examples=40)
@given(data=st.data())
def test_template_writes_the_events_bytes_or_refuses_as_it_does(case: str,
                                                               data: st.DataObject) -> None:
    cls, shared, varying = CASES[case]
    template = EventTemplate(cls(at=AT, actor=ACTOR, **shared), varying)
    values = [data.draw(SAMPLES, label=name) for name in varying]
    by_event = _outcome(lambda: cls(at=AT, actor=ACTOR, **{
        **shared, **dict(zip(varying, values, strict=True))}).to_canonical())
    by_template = _outcome(lambda: template.body(values))
    assert by_template == by_event


def test_columns_are_the_shared_envelope_and_entity() -> None:
    cls, shared, varying = CASES["read"]
    event = cls(at=AT, actor=ACTOR, **shared)
    assert EventTemplate(event, varying).columns() == ("record.read", AT, ACTOR, "p-1")


def test_a_valid_body_parses_back_to_its_event() -> None:
    cls, shared, varying = CASES["hit"]
    template = EventTemplate(cls(at=AT, actor=ACTOR, **shared), varying)
    body = template.body(("dr-9", "unit:mx.fgr.femdo", "mx.fgr", "us-mx-2023"))
    assert body == cls(at=AT, actor=ACTOR, **{
        **shared, "registration_id": "dr-9", "holder": "unit:mx.fgr.femdo",
        "holder_agency": "mx.fgr", "agreement_id": "us-mx-2023"}).to_canonical()


@pytest.mark.parametrize("varying", [("at",), ("actor",), ("nope",), (), ("hit_count",) * 2])
def test_what_cannot_vary_is_refused(varying: tuple[str, ...]) -> None:
    cls, shared, _ = CASES["query"]
    with pytest.raises(TypeError):
        EventTemplate(cls(at=AT, actor=ACTOR, **shared), varying)


def test_kinds_with_rules_across_fields_have_no_template() -> None:
    event = VettingChanged(at=AT, actor=ACTOR, vetter="us.dea", unit="mx.semar.uie",
                           action="revoked", valid_from=None, valid_until=None)
    with pytest.raises(TypeError):
        EventTemplate(event, ("action",))


def test_the_number_of_values_is_checked() -> None:
    cls, shared, varying = CASES["query"]
    template = EventTemplate(cls(at=AT, actor=ACTOR, **shared), varying)
    with pytest.raises(ValueError):
        template.body(("phone", "a" * 64))
