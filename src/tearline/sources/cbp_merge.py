"""Merging overlapping CBP publications: each calendar month is taken once.

Rule: a month present in several files is taken **whole** from the file whose
coverage ends latest (ties: the file given last). Reasons:

- CBP republishes earlier fiscal years in each release and revises them as cases
  are adjudicated, so the most recent publication is the better statement of a
  month;
- taking a month whole from one file (rather than row by row) keeps a month
  internally consistent: a row absent from the newer file means "no seizure in that
  cell" in that publication, not "use the older figure".

The merge also compares the overlapping months between files and reports how far
they agree (:class:`OverlapCheck`). For the two published files (FY2019–22 and
FY2020–23) all 7,559 overlapping rows have the same keys and event counts, and the
pounds differ only in the last printed digits of floating-point values (largest
difference about 3e-11 lb), so the choice does not change any published figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from tearline.sources.provenance import FileProvenance

if TYPE_CHECKING:
    from tearline.sources.cbp import CbpRow

#: Pounds are considered equal when they differ by no more than this (relative).
POUNDS_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class OverlapCheck:
    """How two or more files agree on the months they share."""

    months: int  # calendar months present in more than one file
    rows_compared: int  # row keys present in the chosen file or another one, summed
    keys_only_in_chosen: int
    keys_only_in_other: int
    events_differ: int
    pounds_differ: int  # beyond POUNDS_TOLERANCE
    max_pounds_difference: float

    @property
    def agree(self) -> bool:
        return (
            self.keys_only_in_chosen
            == self.keys_only_in_other
            == self.events_differ
            == self.pounds_differ
            == 0
        )

    def to_dict(self) -> dict[str, int | float | bool]:
        return {
            "months": self.months,
            "rows_compared": self.rows_compared,
            "keys_only_in_chosen": self.keys_only_in_chosen,
            "keys_only_in_other": self.keys_only_in_other,
            "events_differ": self.events_differ,
            "pounds_differ": self.pounds_differ,
            "max_pounds_difference": self.max_pounds_difference,
            "agree": self.agree,
        }


def merge_files(
    parsed: Sequence[tuple[FileProvenance, list[CbpRow]]],
) -> tuple[list[CbpRow], dict[date, str], OverlapCheck]:
    """Merge parsed files; return the rows, the source file of each month, the check."""
    by_file: list[dict[date, list[CbpRow]]] = []
    last_month: list[date] = []
    for _, rows in parsed:
        months: dict[date, list[CbpRow]] = defaultdict(list)
        for row in rows:
            months[row.month].append(row)
        by_file.append(months)
        last_month.append(max(months) if months else date.min)
    # Rank files: latest coverage first; among equals, the one given last first.
    ranked = sorted(range(len(parsed)), key=lambda i: (last_month[i], i), reverse=True)
    chosen: dict[date, int] = {}
    for index in ranked:
        for month in by_file[index]:
            chosen.setdefault(month, index)

    merged: list[CbpRow] = []
    for month in sorted(chosen):
        merged.extend(by_file[chosen[month]][month])
    month_source = {month: parsed[index][0].name for month, index in sorted(chosen.items())}
    return merged, month_source, _check(by_file, chosen)


def _check(by_file: list[dict[date, list[CbpRow]]], chosen: dict[date, int]) -> OverlapCheck:
    months = compared = only_chosen = only_other = events = pounds = 0
    max_diff = 0.0
    for month, winner in chosen.items():
        others = [f for i, f in enumerate(by_file) if i != winner and month in f]
        if not others:
            continue
        months += 1
        mine = {row.key: row for row in by_file[winner][month]}
        for other in others:
            theirs = {row.key: row for row in other[month]}
            compared += len(mine.keys() | theirs.keys())
            only_chosen += len(mine.keys() - theirs.keys())
            only_other += len(theirs.keys() - mine.keys())
            for key in mine.keys() & theirs.keys():
                a, b = mine[key], theirs[key]
                events += a.events != b.events
                diff = abs(a.pounds - b.pounds)
                max_diff = max(max_diff, diff)
                pounds += diff > POUNDS_TOLERANCE * max(1.0, abs(a.pounds), abs(b.pounds))
    return OverlapCheck(months, compared, only_chosen, only_other, events, pounds, max_diff)
