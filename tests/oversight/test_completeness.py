"""The completeness check: a report fails for a missing, added or misstated exchange."""

from __future__ import annotations

import json
from typing import Any

from tearline.oversight.completeness import differences
from tearline.oversight.drafts import Draft, draft
from tearline.oversight.exchanges import Exchange
from tearline.oversight.terms import DEFAULT


def exchange(i: int, count: int = 2) -> Exchange:
    return Exchange(f"x{i}", ((i, f"{i:064x}"),), f"2026-01-0{i}T10:00:00.000000Z",
                    "records-received", "us.dea", None, None, (), "basis", count,
                    (("Person", count),))


LOG: list[Draft] = [draft(exchange(i), DEFAULT, "mx") for i in (1, 2, 3)]


def listed(drafts: list[Draft]) -> list[dict[str, Any]]:
    """As read back from the report's JSON file."""
    loaded: list[dict[str, Any]] = json.loads(json.dumps([d.document() for d in drafts]))
    return loaded


def test_a_report_listing_the_log_is_complete_whatever_its_free_text() -> None:
    edited = [draft(d.exchange, DEFAULT, "mx", {"notes": "reviewed"}) for d in LOG]
    assert differences(listed(edited), LOG) == []


def test_removing_any_one_exchange_fails() -> None:
    for k in range(len(LOG)):
        problems = differences(listed(LOG[:k] + LOG[k + 1:]), LOG)
        assert len(problems) == 1 and f"x{k + 1}" in problems[0] and "missing" in problems[0]


def test_adding_duplicating_or_misstating_fails() -> None:
    extra = draft(exchange(4), DEFAULT, "mx")
    assert "no such exchange" in differences(listed([*LOG, extra]), LOG)[0]
    assert "twice" in differences(listed([*LOG, LOG[0]]), LOG)[0]
    fewer = listed(LOG)
    fewer[1]["records"]["count"] = 1
    assert differences(fewer, LOG) == [
        "exchange x2: records is 1 in the report but 2 in the log"]
    moved = listed(LOG)
    moved[2]["entries"][0][1] = "0" * 64
    assert "entries" in differences(moved, LOG)[0]
