"""Canary records (``trace/honey.py``)."""

from __future__ import annotations

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.trace.fingerprint import Fingerprinter
from tearline.trace.honey import canary, returned

FP = Fingerprinter(b"h" * 32)


def test_a_canary_is_a_valid_person_the_same_each_time() -> None:
    from datetime import UTC, datetime

    made = canary(FP, "unit:mx.semar.uie", "1")
    assert made == canary(FP, "unit:mx.semar.uie", "1")
    assert made != canary(FP, "unit:mx.semar.uie", "2")
    assert made.entity_id.startswith("tl-") and len(made.entity_id) == 35
    record = build_record(made.entity_id, "Person", made.properties(),
                          Provenance("us.dea", "us.dea.sod", datetime(2026, 1, 1, tzinfo=UTC)),
                          Marking.build("RED", ["unit:mx.semar.uie"], legal_basis="agr-1"),
                          keyer=TEST_KEYER)
    assert record.values("phone") == [made.phone]  # a number FollowTheMoney accepts as is


def test_a_canary_is_found_by_its_phone_or_its_name_in_any_form() -> None:
    made = canary(FP, "unit:mx.fgr.aic", "1")
    digits = made.phone[3:]
    spaced = f"call {digits[:2]} {digits[2:6]}-{digits[6:]} tonight"
    assert returned([made], [spaced]) == [(made, "phone")]
    assert returned([made], [made.name.upper()]) == [(made, "name")]
    assert returned([made], ["nothing here", "+52 55 0000 0000"]) == []
