"""CBP monthly aggregates: parsing, the overlap rule, and the published totals."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from tearline.analysis.engine import Selection
from tearline.analysis.totals import totals
from tearline.errors import IngestError
from tearline.sources.cbp import (
    CbpSeries,
    cbp_frame,
    default_cbp_paths,
    fiscal_month,
    fiscal_year_of,
    monthly_totals,
    parse_cbp_text,
    read_cbp,
)

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
HERE = Path(__file__).resolve().parent / "data"


def _data_dir() -> Path:
    if not (DATA / "cbp").is_dir():
        pytest.fail(f"reference data missing: {DATA / 'cbp'} (see shared/data/README.md)")
    return DATA


@pytest.fixture(scope="module")
def series() -> CbpSeries:
    return read_cbp(default_cbp_paths(_data_dir()))


def _by_fiscal_year(totals: dict[tuple[date, str], float]) -> dict[int, int]:
    out: dict[int, float] = defaultdict(float)
    for (month, _), pounds in totals.items():
        out[fiscal_year_of(month)] += pounds
    return {year: round(pounds) for year, pounds in sorted(out.items())}


def _plain_csv(drug_label: str, region: str | None = None) -> dict[int, int]:
    """Independent method: csv + sum; FY2019 from the first file, FY2020-23 from the second."""
    folder = _data_dir() / "cbp"
    out: dict[int, float] = defaultdict(float)
    for name, years in (
        ("nationwide-drugs-fy19-fy22.csv", {"2019"}),
        ("nationwide-drugs-fy20-fy23.csv", {"2020", "2021", "2022", "2023"}),
    ):
        with open(folder / name, newline="", encoding="utf-8") as handle:
            for rec in csv.DictReader(handle):
                if rec["FY"] not in years or rec["Drug Type"] != drug_label:
                    continue
                if region is not None and rec["Region"] != region:
                    continue
                out[int(rec["FY"])] += float(rec["Sum Qty (lbs)"])
    return {year: round(pounds) for year, pounds in sorted(out.items())}


def test_fentanyl_national_totals_by_fiscal_year_are_the_published_figures(
    series: CbpSeries,
) -> None:
    published = {2019: 2804, 2020: 4791, 2021: 11201, 2022: 14700, 2023: 27023}
    assert _by_fiscal_year(monthly_totals(series, drug="fentanyl")) == published
    assert _plain_csv("Fentanyl") == published


def test_methamphetamine_national_totals(series: CbpSeries) -> None:
    pinned = {2019: 141970, 2020: 177684, 2021: 191834, 2022: 175410, 2023: 140408}
    assert _by_fiscal_year(monthly_totals(series, drug="Methamphetamine")) == pinned
    assert _plain_csv("Methamphetamine") == pinned


def test_southwest_border_fentanyl_totals(series: CbpSeries) -> None:
    pinned = {2019: 2633, 2020: 4558, 2021: 10586, 2022: 14104, 2023: 26718}
    totals = monthly_totals(series, drug="fentanyl", region="Southwest Border")
    assert _by_fiscal_year(totals) == pinned
    assert _plain_csv("Fentanyl", "Southwest Border") == pinned


def test_each_month_is_taken_once_from_the_newer_file(series: CbpSeries) -> None:
    months = sorted(series.month_source)
    assert months[0] == date(2018, 10, 1) and months[-1] == date(2023, 9, 1)
    assert len(months) == 60
    keys = [row.key for row in series.rows]
    assert len(keys) == len(set(keys))
    newer = "nationwide-drugs-fy20-fy23.csv"
    assert all((src == newer) == (m >= date(2019, 10, 1)) for m, src in series.month_source.items())
    assert series.overlap.months == 36
    assert series.overlap.rows_compared == 7559
    assert series.overlap.agree


def test_provenance_carries_hashes_and_row_counts(series: CbpSeries) -> None:
    assert [(f.name, f.sha256, f.rows) for f in series.files] == [
        (
            "nationwide-drugs-fy19-fy22.csv",
            "daa0806c41367e478d12ed742ac4a55487361b52894f46316396667b9ed3847c",
            10092,
        ),
        (
            "nationwide-drugs-fy20-fy23.csv",
            "5c93d66cf3498ac977064f384e029588f7ad1f410e71db328f7168b40db999db",
            9924,
        ),
    ]


def test_fiscal_months_start_in_october() -> None:
    assert fiscal_month(2020, 10) == date(2019, 10, 1)
    assert fiscal_month(2020, 9) == date(2020, 9, 1)
    assert fiscal_year_of(date(2019, 10, 1)) == 2020
    assert fiscal_year_of(date(2020, 9, 30)) == 2020


def test_malformed_file_lists_every_problem_with_line_and_column() -> None:
    text = (HERE / "cbp_malformed.csv").read_text(encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        parse_cbp_text(text, "cbp_malformed.csv")
    where = {(p.line, p.column) for p in caught.value.problems}
    assert where == {
        (3, "Month (abbv)"),
        (4, "Count of Event"),
        (5, "Sum Qty (lbs)"),
        (6, None),
        (7, "FY"),
        (8, None),
    }
    assert all(p.file == "cbp_malformed.csv" for p in caught.value.problems)


def test_wrong_header_is_rejected() -> None:
    with pytest.raises(IngestError, match="not a CBP"):
        parse_cbp_text("Region,country\nA,B\n", "x.csv")


def test_analytics_on_the_series_give_the_same_published_figures(series: CbpSeries) -> None:
    frame = cbp_frame(series)
    assert frame.grain == "monthly-aggregate"
    assert frame.rows == len(series.rows)  # one row per aggregate, no made-up incidents
    result = totals(frame, ("fiscal_year",), Selection(drugs=("fentanyl",)))
    assert {g.key[0]: round(g.lb) for g in result.groups} == {
        2019: 2804,
        2020: 4791,
        2021: 11201,
        2022: 14700,
        2023: 27023,
    }
    assert sum(g.events for g in result.groups) == sum(
        r.events for r in series.rows if r.drug == "fentanyl"
    )
