"""Index documents: parsed strictly, every problem named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tearline.deconflict import documents as docs
from tearline.errors import ValidationError

REG = docs.Registration(docs.new_id("dr"), "ab" * 32, "phone", "us.dea", "us.dea.sod",
                        "duty desk", docs.stamp(datetime(2026, 1, 1, tzinfo=UTC)),
                        "2026-07-01T00:00:00.000000Z", "us.dea.sod")


def test_documents_round_trip() -> None:
    withdrawal = docs.Withdrawal(docs.new_id("dw"), REG.id, REG.since, REG.node)
    notice = docs.Notice(docs.new_id("dn"), REG.id, "us.dea", "mx.semar", "mx.semar.uie",
                         None, REG.since, "mx.semar.uie")
    for document in (REG, withdrawal, notice):
        assert docs.parse(document.to_document()) == document


@pytest.mark.parametrize(("changes", "why"), [
    ({"token": "AB" * 32}, "token"),
    ({"kind": "ssn"}, "kind"),
    ({"unit": "mx.semar.uie"}, "not a unit of the agency"),
    ({"contact": ""}, "contact"),
    ({"contact": "x" * 201}, "contact"),
    ({"expires": "2026-07-01"}, "expires"),
    ({"selector": "+526671234567"}, "unknown members"),
    ({"v": 2}, "version 1"),
])
def test_malformed_registrations_are_refused(changes: dict[str, object], why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        docs.parse({**REG.to_document(), **changes})


def test_times_need_a_zone() -> None:
    with pytest.raises(ValidationError, match="time zone"):
        docs.stamp(datetime(2026, 1, 1))


BATCH = docs.Batch(docs.new_id("db"), "us.dea", "us.dea.sod", "duty desk", REG.since,
                   REG.expires, "us.dea.sod",
                   tuple((docs.new_id("dr"), f"{i:064x}", "phone") for i in range(3)))


def test_a_batch_round_trips_and_names_each_registration() -> None:
    assert docs.parse(BATCH.to_document()) == BATCH
    made = BATCH.registrations
    assert [r.id for r in made] == [i for i, _, _ in BATCH.entries]
    assert {(r.agency, r.unit, r.contact, r.expires, r.node) for r in made} == {
        ("us.dea", "us.dea.sod", "duty desk", REG.expires, "us.dea.sod")}


def _entries(*entries: object) -> dict[str, object]:
    return {**BATCH.to_document(), "entries": list(entries)}


@pytest.mark.parametrize(("document", "why"), [
    (_entries(), "entries"),
    (_entries({"id": REG.id, "token": "ab" * 32}), r"entries\[0\]"),
    (_entries({"id": REG.id, "token": "ab" * 32, "kind": "phone", "selector": "+52"}),
     r"entries\[0\]"),
    (_entries({"id": "dw-" + "0" * 32, "token": "ab" * 32, "kind": "phone"}), r"entries\[0\]"),
    (_entries({"id": REG.id, "token": "ab" * 32, "kind": "phone"},
              {"id": REG.id, "token": "cd" * 32, "kind": "phone"}), "repeat"),
    ({**BATCH.to_document(), "unit": "mx.semar.uie"}, "not a unit of the agency"),
    ({**BATCH.to_document(), "token": "ab" * 32}, "unknown members"),
])
def test_malformed_batches_are_refused(document: dict[str, object], why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        docs.parse(document)


def test_a_batch_carries_at_most_max_entries() -> None:
    entry = {"id": REG.id, "token": "ab" * 32, "kind": "phone"}
    with pytest.raises(ValidationError, match="entries"):
        docs.parse(_entries(*[entry] * (docs.MAX_ENTRIES + 1)))
