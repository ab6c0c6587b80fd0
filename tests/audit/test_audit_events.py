"""Audit event types: validation, canonical round trip, commitments, the catalogue."""

from __future__ import annotations

import hmac
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tearline.audit import events
from tearline.audit.events import REGISTRY, commit_value, event_from_canonical, utc_timestamp
from tearline.errors import ValidationError

AT = "2025-01-31T17:04:05.123456Z"
SALT = b"node salt of sixteen+ bytes"

#: One valid example per kind; a new kind without an example fails the test below.
EXAMPLES: dict[str, dict[str, Any]] = {
    "record.created": {"entity_id": "p-1", "version": 1, "statement_ids": ["s1", "s2"]},
    "record.updated": {"entity_id": "p-1", "version": 2, "statement_ids": ["s3"]},
    "record.retracted": {"entity_id": "p-1", "version": 3, "statement_ids": []},
    "record.read": {
        "subject": "analyst:ana@mx.semar.uie",
        "entity_id": "p-1",
        "version": 2,
        "statement_ids": ["s1"],
        "path": "federation",
    },
    "search.query": {"query_commitment": commit_value(SALT, "beltran"), "result_count": 3},
    "marking.changed": {
        "entity_id": "p-1",
        "statement_ids": ["s1"],
        "marking_id": "m-9",
        "previous_marking_id": None,
    },
    "vetting.changed": {
        "vetter": "us.dea",
        "unit": "mx.semar.uie",
        "action": "granted",
        "valid_from": "2025-01-01",
        "valid_until": "2025-12-31",
    },
    "release.created": {
        "release_id": "r-1",
        "entity_id": "p-1",
        "version": 2,
        "statement_ids": ["s1"],
        "recipient": "unit:mx.semar.uie",
        "legal_basis": "us-mx-2023/art-7",
        "supersedes": None,
    },
    "release.onward": {
        "release_id": "r-2",
        "entity_id": "p-1",
        "version": 2,
        "statement_ids": ["s1"],
        "from_party": "unit:mx.semar.uie",
        "recipient": "vetted-by:us.dea",
        "legal_basis": None,
        "consent_id": "c-1",
        "supersedes": "r-0",
    },
    "consent.recorded": {
        "consent_id": "c-1",
        "entity_id": "p-1",
        "originator": "us.dea",
        "to_agency": "mx.fgr",
        "decision": "granted",
    },
    "recall.issued": {
        "recall_id": "rc-1",
        "entity_id": "p-1",
        "version": 2,
        "release_ids": ["r-1", "r-2"],
        "recipients": ["unit:mx.semar.uie", "agency:mx.fgr"],
    },
    "recall.acknowledged": {
        "recall_id": "rc-1",
        "entity_id": "p-1",
        "recipient": "node:mx.fgr",
        "receipt_digest": "ab" * 32,
    },
    "receipt.recorded": {
        "peer": "node:mx.semar.uie",
        "collection": "0b7c0a3e-6f1c-5d2a-9a57-3f0f6f1c2d4e",
        "receipt_digest": "cd" * 32,
        "object_count": 120,
    },
    "receipt.refused": {"peer": "node:mx.semar.uie", "receipt_digest": "ef" * 32,
                        "reason": "bad-signature"},
    "recall.purged": {"recall_id": "rc-" + "ab" * 16, "entity_id": "p-1",
                      "peer": "node:us.dea.sod", "statement_ids": ["s1", "s2"]},
    "federation.refused": {"peer": "node:mx.semar.uie",
                           "collection": "0b7c0a3e-6f1c-5d2a-9a57-3f0f6f1c2d4e",
                           "object_id": "identity--3f0f6f1c-2d4e-5d2a-9a57-0b7c0a3e6f1c",
                           "originator": "mx.fgr", "reason": "third-agency"},
    "checkpoint.cosigned": {"log": "node:us.dea.sod", "witness": "node:mx.semar.uie",
                            "size": 42, "root": "5d" * 32},
    "checkpoint.refused": {"log": "node:mx.semar.uie", "witness": "node:us.dea.sod",
                           "size": 42, "root": "5d" * 32, "reason": "split-view"},
    "aggregate.read": {"subject": "unit:mx.semar.uie", "path": "stats", "record_count": 12},
    "audit.queried": {"subject": "unit:us.dea.sod", "entity_id": "p-1", "result_count": 3},
    "agreement.recorded": {
        "agreement_id": "mlat/2024-17",
        "agreement_kind": "mlat",
        "parties": ["mx.fgr", "us.dea"],
        "version": 1,
    },
    "party.changed": {"party": "analyst:ana@mx.semar.uie", "action": "created", "version": 1},
    "key.changed": {
        "owner": "node:us.dea",
        "key_id": "c74f20a3",
        "purpose": "node-signing",
        "action": "rotated",
    },
    "auth.failed": {"token_prefix": "tl_3fA9", "reason": "expired", "channel": "api"},
    "policy.changed": {"policy_id": "default", "policy_digest": "cd" * 32, "previous_digest": None},
    "deconflict.query": {
        "selector_kind": "phone",
        "selector_commitment": commit_value(SALT, "+526671234567"),
        "hit_count": 0,
    },
    "deconflict.evaluated": {"requester": "unit:mx.semar.uie", "key_id": "0f1e2d3c4b5a6978",
                             "element_count": 3, "used_today": 17, "channel": "federation"},
    "deconflict.refused": {"requester": "unit:mx.fgr.femdo", "element_count": 50,
                           "used_today": 990, "daily_limit": 1000, "reason": "quota",
                           "channel": "local"},
    "deconflict.registered": {"registration_id": "dr-5f0c9a", "selector_kind": "phone",
                              "holder": "unit:us.dea.sod", "origin": "node:dea",
                              "expires": "2027-06-01T00:00:00.000000Z"},
    "deconflict.withdrawn": {"registration_id": "dr-5f0c9a", "origin": "node:dea"},
    "deconflict.hit": {"registration_id": "dr-5f0c9a", "role": "checker",
                       "checker": "unit:mx.semar.uie", "checker_agency": "mx.semar",
                       "holder": "unit:us.dea.sod", "holder_agency": "us.dea",
                       "agreement_id": "mx-us/bilateral-2024"},
    "trace.copy": {"recipient": "unit:mx.semar.uie", "channel": "taxii",
                   "mark": "TL-ABCD-EFGH-2345", "record_count": 3},
    "trace.planted": {"recipient": "unit:mx.semar.uie", "entity_id": "tl-0a1b2c"},
    "trace.alert": {"recipient": "unit:mx.semar.uie", "entity_id": "tl-0a1b2c",
                    "returned_by": "node:fgr", "path": "federation", "selector": "phone"},
    "contact.logged": {"contact_id": "ct-1a2b", "unit": "unit:mx.semar.uie",
                       "officials": ("analyst:ana@mx.semar.uie",), "foreign_agency": "us.dea",
                       "foreign_unit": "us.dea.sod", "met_at": "2024-05-03T10:00:00.000000Z",
                       "mode": "meeting", "details_digest": "c" * 64},
    "oversight.signed": {"report_id": "or-mx.semar-0-40", "agency": "mx.semar",
                         "officer": "analyst:ana@mx.semar.uie", "first": 0, "size": 40,
                         "exchange_count": 3, "report_digest": "d" * 64},
    "release.requested": {"request_id": "rr-1a2b", "entity_id": "p-1", "version": 1,
                          "recipient": "unit:us.dea.sod", "legal_basis": "mx-us/bilateral-2024",
                          "agency": "mx.semar"},
    "release.approved": {"request_id": "rr-1a2b", "entity_id": "p-1",
                         "requested_by": "analyst:ana@mx.semar.uie", "release_id": "rel-9f"},
    "release.refused": {"request_id": "rr-1a2b", "entity_id": "p-1",
                        "requested_by": "analyst:ana@mx.semar.uie"},
    "consent.requested": {"request_id": "cr-1a2b", "entity_id": "p-1",
                          "statement_ids": ("st-1",), "originator": "us.dea",
                          "to_unit": "unit:us.dea.sod", "recipient": "agency:mx.fgr"},
    "consent.answered": {"request_id": "cr-1a2b", "entity_id": "p-1", "answer": "granted",
                         "consent_id": "con-9f", "asked_by": "unit:mx.semar.uie"},
}


def make(kind: str, **changes: Any) -> events.Event:
    fields = {"at": AT, "actor": "analyst:ana@mx.semar.uie", **EXAMPLES[kind], **changes}
    return REGISTRY[kind](**fields)


def test_every_kind_of_the_issue_is_registered_with_an_example() -> None:
    assert set(REGISTRY) == set(EXAMPLES)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_canonical_round_trip(kind: str) -> None:
    event = make(kind)
    data = event.to_canonical()
    assert event_from_canonical(data) == event
    body = json.loads(data)
    assert body["kind"] == kind and body["v"] == 1 and body["at"] == AT
    assert (
        data == json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_unknown_or_missing_fields_are_rejected(kind: str) -> None:
    body = make(kind).to_json()
    with pytest.raises(ValidationError, match="unknown field"):
        event_from_canonical(json.dumps({**body, "extra": 1}, sort_keys=True).encode())
    missing = dict(body)
    missing.pop(next(k for k in body if k not in ("v", "kind", "at", "actor")))
    with pytest.raises(ValidationError, match="missing field"):
        event_from_canonical(json.dumps(missing, sort_keys=True, separators=(",", ":")).encode())


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b'{"v":1,"kind":"nope.nope","at":"x","actor":"system"}', "unknown audit event kind"),
        (b'{"v":2,"kind":"auth.failed"}', "envelope version"),
        (b"[1]", "not a JSON object"),
        (b"{", "not JSON"),
        (b'{"v":1,"v":1}', "not JSON"),
        (b'{"v":NaN}', "not JSON"),
        (b"\xff", "not JSON"),
    ],
)
def test_entries_that_are_not_events_are_rejected(data: bytes, why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        event_from_canonical(data)


def test_a_non_canonical_spelling_of_a_valid_event_is_rejected() -> None:
    data = make("auth.failed").to_canonical()
    spaced = json.dumps(json.loads(data), sort_keys=True).encode()
    with pytest.raises(ValidationError, match="canonical form"):
        event_from_canonical(spaced)


@pytest.mark.parametrize(
    ("kind", "changes", "field"),
    [
        ("record.read", {"path": "printer"}, "path"),
        ("record.read", {"subject": "ana"}, "subject"),
        ("record.read", {"version": 0}, "version"),
        ("record.read", {"version": True}, "version"),
        ("record.read", {"statement_ids": "s1"}, "statement_ids"),
        ("record.read", {"statement_ids": ["s 1"]}, "statement_ids[0]"),
        ("record.read", {"statement_ids": ["st-1", "st-2", "st 3"]}, "statement_ids[2]"),
        ("record.read", {"statement_ids": ["st-1", 7]}, "statement_ids[1]"),
        ("record.read", {"statement_ids": ["st-1", "s" * 129]}, "statement_ids[1]"),
        ("record.created", {"at": "2025-01-31T17:04:05+00:00"}, "at"),
        ("record.created", {"at": "2025-02-30T17:04:05Z"}, "at"),
        ("record.created", {"actor": "analyst:ANA@mx"}, "actor"),
        ("search.query", {"query_commitment": "beltran"}, "query_commitment"),
        ("search.query", {"result_count": -1}, "result_count"),
        ("auth.failed", {"token_prefix": "tl_3fA9xyzSECRET"}, "token_prefix"),
        ("vetting.changed", {"valid_until": None}, "action"),
        ("vetting.changed", {"valid_until": "2024-12-31"}, "valid_until"),
        ("release.created", {"recipient": "node:us.dea"}, "recipient"),
        ("release.created", {"legal_basis": "has space"}, "legal_basis"),
        ("recall.issued", {"recipients": ["everyone"]}, "recipients[0]"),
    ],
)
def test_invalid_fields_are_named(kind: str, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make(kind, **changes)
    assert field in [p.column for p in caught.value.problems]


def test_events_are_frozen_and_lists_become_tuples() -> None:
    event = make("record.created")
    assert event.statement_ids == ("s1", "s2")  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        event.actor = "system"  # type: ignore[misc]


def test_commitments_are_salted_hmacs_and_hide_the_value() -> None:
    value = "BELTRAN LEYVA, Marcos Arturo"
    expected = hmac.new(SALT, value.encode(), "sha256").hexdigest()
    assert commit_value(SALT, value) == expected
    assert commit_value(SALT + b"!", value) != expected
    event = make("search.query", query_commitment=commit_value(SALT, value))
    assert b"BELTRAN" not in event.to_canonical()
    with pytest.raises(ValidationError, match="salt"):
        commit_value(b"short", value)


def test_utc_timestamps() -> None:
    moment = datetime(2025, 1, 31, 11, 4, 5, 123456, tzinfo=timezone(timedelta(hours=-6)))
    assert utc_timestamp(moment) == AT
    assert utc_timestamp(datetime(2025, 1, 1, tzinfo=UTC)) == "2025-01-01T00:00:00.000000Z"
    with pytest.raises(ValidationError):
        utc_timestamp(datetime(2025, 1, 1))


@given(st.text(max_size=40))
def test_any_search_text_round_trips_through_its_commitment(text: str) -> None:
    event = make("search.query", query_commitment=commit_value(SALT, text))
    assert event_from_canonical(event.to_canonical()) == event


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_canonical_bytes_are_the_reference_encoders(kind: str) -> None:
    """The fast path of to_canonical (the instance's own fields) is RFC 8785 exactly."""
    import rfc8785

    event = make(kind, actor="system", at="2025-01-31T17:04:05Z")
    assert event.to_canonical() == rfc8785.dumps(event.to_json())
