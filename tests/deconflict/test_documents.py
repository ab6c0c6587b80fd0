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


NOTICES = docs.NoticeBatch(docs.new_id("dh"), "us.dea", "mx.semar", "mx.semar.uie",
                           "us-mx/bicentennial-framework-2021", REG.since, "mx.semar.uie",
                           tuple((docs.new_id("dn"), docs.new_id("dr")) for _ in range(3)))


def test_a_notice_batch_round_trips_and_names_each_notice() -> None:
    assert docs.parse(NOTICES.to_document()) == NOTICES
    told = NOTICES.notices
    assert [(n.id, n.registration_id) for n in told] == list(NOTICES.entries)
    assert {(n.holder_agency, n.checker_agency, n.checker_unit, n.agreement_id, n.at, n.node)
            for n in told} == {("us.dea", "mx.semar", "mx.semar.uie",
                                "us-mx/bicentennial-framework-2021", REG.since,
                                "mx.semar.uie")}


def _told(*entries: object) -> dict[str, object]:
    return {**NOTICES.to_document(), "entries": list(entries)}


@pytest.mark.parametrize(("document", "why"), [
    (_told(), "entries"),
    (_told({"id": docs.new_id("dn")}), r"entries\[0\]"),
    (_told({"id": docs.new_id("dn"), "registration_id": "dn-" + "0" * 32}), r"entries\[0\]"),
    (_told({"id": REG.id, "registration_id": REG.id}), r"entries\[0\]"),
    (_told({"id": docs.new_id("dn"), "registration_id": REG.id, "token": "ab" * 32}),
     r"entries\[0\]"),
    (_told({"id": "dn-" + "1" * 32, "registration_id": REG.id},
           {"id": "dn-" + "1" * 32, "registration_id": REG.id}), "repeat"),
    (_told(*[{"id": docs.new_id("dn"), "registration_id": REG.id}] * (docs.MAX_ENTRIES + 1)),
     "entries"),
    ({**NOTICES.to_document(), "id": docs.new_id("dn")}, "id"),
    ({**NOTICES.to_document(), "at": "2026-01-01"}, "at"),
    ({**NOTICES.to_document(), "selector": "+52"}, "unknown members"),
    ({**NOTICES.to_document(), "checker_unit": "mx.fgr.femdo"},
     "checker_unit: not a unit of the agency"),
])
def test_malformed_notice_batches_are_refused(document: dict[str, object], why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        docs.parse(document)


def test_a_notice_names_a_unit_of_its_checker_agency() -> None:
    notice = docs.Notice(docs.new_id("dn"), REG.id, "us.dea", "mx.semar", "mx.fgr.femdo",
                         None, REG.since, "mx.semar.uie")
    with pytest.raises(ValidationError, match="checker_unit: not a unit of the agency"):
        docs.parse(notice.to_document())
