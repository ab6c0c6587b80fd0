"""Every error code tearline can answer is documented, with its status.

The codes are those of the error classes the code defines (found by importing every
module), so a new error class fails here until ``docs/api.md`` lists its code."""

from __future__ import annotations

import re

import pytest
from docs_text import ROOT

from tearline.errors import TearlineError, http_status, taxii_status
from tree_walk import tearline_error_classes

_TABLE_ROW = re.compile(
    r"^\|\s*`(?P<code>\w+)`\s*\|\s*(?P<http>\d{3})\s*\|\s*(?P<taxii>\d{3})\s*\|")


def documented_codes() -> dict[str, tuple[int, int]]:
    """The rows of the error codes table of ``docs/api.md``: code → (HTTP, TAXII)."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    rows = (_TABLE_ROW.match(line) for line in text.splitlines())
    return {row["code"]: (int(row["http"]), int(row["taxii"])) for row in rows if row}


@pytest.mark.parametrize("cls", tearline_error_classes(), ids=lambda cls: cls.code)
def test_error_code_is_documented_with_its_statuses(cls: type[TearlineError]) -> None:
    documented = documented_codes()
    assert cls.code in documented, f"docs/api.md does not list the error code {cls.code!r}"
    assert documented[cls.code] == (http_status(cls("x")), taxii_status(cls("x")))
