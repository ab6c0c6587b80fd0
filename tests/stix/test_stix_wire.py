"""The record extension payload: a well-formed statement is read whole, anything else
field by field; both readings give the same statement, or the same problems."""

from __future__ import annotations

from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance, Statement, StatementKeyer
from tearline.stix.wire import _Reader, _statement, record_payload, statement_payload

MARKING = Marking.build("AMBER", ["agency:mx.semar"], legal_basis="us-mx-2021")
SEEN = datetime(2024, 5, 3, 12, 0, 1, 250, tzinfo=UTC)


def good() -> dict[str, Any]:
    record = build_record("p-1", "Person", {"name": ["Ana Pérez"]},
                          Provenance("us.dea", "us.dea.sod", SEEN), MARKING, keyer=TEST_KEYER)
    return statement_payload(record, record.statements[0])


texts = st.one_of(st.just(""), st.just("x"), st.integers(0, 9), st.none(), st.lists(st.just("a")))
changes = st.dictionaries(
    st.sampled_from(["id", "schema", "prop", "value", "original_value", "origin", "author",
                     "reliability", "credibility", "first_seen", "last_seen", "surplus"]),
    st.one_of(
        texts,
        st.sampled_from(["A", "a", " B ", "G", "1", "6", "7", 3, "Company", "Person", "x"]),
        st.sampled_from(["2024-05-03T12:00:01.000250Z", "2024-05-03T14:00:01+02:00",
                         "2024-05-03T12:00:01.123456789Z", "2024-05-03T12:00:01",
                         "yesterday", "2024-13-01T00:00:00Z"]),
    ),
    max_size=3,
)
removals = st.sets(st.sampled_from(sorted(good())), max_size=2)


def read(data: Any, portion: Marking | None,
         entity_id: str = "p-1") -> tuple[Statement | None, list[str]]:
    reader = _Reader("obj")
    stmt = _statement(reader, entity_id, "Person", data, portion, TEST_KEYER)
    return stmt, [p.message for p in reader.problems]


@given(changes, removals, st.sampled_from([None, Marking.build("RED")]))
def test_the_whole_reading_equals_the_field_by_field_one(
        change: dict[str, Any], removed: set[str], portion: Marking | None) -> None:
    data = {k: v for k, v in {**good(), **change}.items() if k not in removed}
    fast = read(data, portion)
    slow = read(MappingProxyType(data), portion)  # not a dict: read field by field
    assert fast == slow
    stmt = fast[0]
    if stmt is not None:  # every slot set, and set as Statement(...) sets it
        assert stmt == Statement(
            entity_id=stmt.entity_id, schema=stmt.schema, prop=stmt.prop, value=stmt.value,
            origin=stmt.origin, author=stmt.author, first_seen=stmt.first_seen,
            last_seen=stmt.last_seen, reliability=stmt.reliability,
            credibility=stmt.credibility, original_value=data.get("original_value"),
            marking=portion,
            id=TEST_KEYER(stmt.entity_id, stmt.prop, stmt.value, stmt.origin, stmt.author))


def test_a_payload_statement_reads_back_equal() -> None:
    record = build_record("p-2", "Person", {"name": ["José", "Pepe"], "nationality": ["mx"]},
                          Provenance("us.dea", "us.dea.sod", SEEN), MARKING, keyer=TEST_KEYER)
    payload = record_payload(record)
    for stmt, data in zip(record.statements, payload["statements"], strict=True):
        assert read(data, None, "p-2") == (stmt, [])


def test_an_original_value_equal_to_the_value_is_dropped() -> None:
    data = {**good(), "original_value": good()["value"]}
    stmt, problems = read(data, None)
    assert problems == [] and stmt is not None and stmt.original_value is None


def test_the_id_on_the_wire_is_the_senders_and_the_reader_derives_its_own() -> None:
    """A sender's ids are keyed with its secret: the receiver derives the id from the
    content with its own keyer, whatever id the payload carries."""
    sender = StatementKeyer(b"the sender node's own secret key")
    record = build_record("p-3", "Person", {"name": ["Ana"]},
                          Provenance("us.dea", "us.dea.sod", SEEN), MARKING, keyer=sender)
    data = statement_payload(record, record.statements[0])
    assert data["id"] == record.statements[0].id  # the sender's, as it sent it
    for wire_id in (data["id"], "st-" + "0" * 40, "anything"):
        stmt, problems = read({**data, "id": wire_id}, None, "p-3")
        assert problems == [] and stmt is not None
        assert stmt.id == TEST_KEYER("p-3", "name", "Ana", "us.dea", "us.dea.sod") != data["id"]
