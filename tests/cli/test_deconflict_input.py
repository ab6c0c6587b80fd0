"""Reading a CSV of selectors: the same selectors and problems serially or by a process
per core."""

from __future__ import annotations

from pathlib import Path

import pytest

from tearline.cli import deconflict_input as given
from tearline.errors import SelectorError, Text

ROWS: list[given.Row] = [
    ("phone", "+52 667 200 0001", None, None, None),
    ("phone", "667 200 0002", "MX", None, None),
    ("phone", "not a phone", None, None, None),
    ("curp", "HEGG560427MVZRRL04", None, None, None),
    ("plate", "ABC-12-34", None, None, None),  # no country
    ("phone", "+526672000003", None, None, None),
    ("nope", "x", None, None, None),
]


def test_a_process_per_core_reads_the_rows_as_one_process_does() -> None:
    serial = given.normalized(ROWS, least=len(ROWS) + 1)
    forked = given.normalized(ROWS, least=2)
    assert forked == serial
    assert [type(r) for r in serial] == [tuple, tuple, Text, tuple, Text, tuple, Text]
    assert serial[0] == ("phone", "+526672000001")
    assert [r.template for r in forked if isinstance(r, Text)] == [
        r.template for r in serial if isinstance(r, Text)]


def test_every_bad_row_is_located_and_nothing_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "selectors.csv"
    path.write_text("kind,value,country\n" + "".join(
        f"{kind},{value},{country or ''}\n" for kind, value, country, _, _ in ROWS))
    with pytest.raises(SelectorError) as caught:
        given.from_csv(path)
    assert [p.line for p in caught.value.problems] == [4, 6, 8]
