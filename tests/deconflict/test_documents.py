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
