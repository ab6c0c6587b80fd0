"""An assessment's charts by kind of region, year-on-year against the year before, cited
sources, the UNODC long run, and its refusals (unknown drug, period not begun)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from tearline.analysis.frame import seizure_frame
from tearline.errors import ValidationError
from tearline.reports.assessment import AssessmentInput, AssessmentParams, render_assessment
from tearline.sources.citations import CITATIONS
from tearline.sources.provenance import FileProvenance
from tearline.sources.unodc import parse_unodc_text

ANALYSIS = Path(__file__).resolve().parents[1] / "analysis" / "data"
WHEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
PARAMS = AssessmentParams(drug="fentanyl", generated_at=WHEN)
CBP_SHA = "5c93d66cf3498ac977064f384e029588f7ad1f410e71db328f7168b40db999db"


def _input(name: str = "seizures.csv", **kwargs: object) -> AssessmentInput:
    frame = seizure_frame(pacsv.read_csv(ANALYSIS / name))
    return AssessmentInput("mx.semar.uie", frame, None, **kwargs)  # type: ignore[arg-type]


def _document(data: AssessmentInput, params: AssessmentParams) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(render_assessment(data, params, "json"))
    return loaded


def test_mexican_states_and_cbp_regions_get_a_chart_each() -> None:
    data = _input("regions_sparse.csv")
    html = render_assessment(data, PARAMS, "html").decode("utf-8")
    alts = re.findall(r'<img class="chart" alt="monthly weight, ([^"]+)"', html)
    assert alts == ["Mexican states", "U.S. CBP regions", "other or unknown regions"]
    monthly = _document(data, PARAMS)["records"]["monthly_by_region"]  # type: ignore[index]
    states = monthly[0]
    assert states["kind"] == "mx-state"
    colima = dict(zip(states["months"], states["kg"]["Colima"], strict=True))
    assert colima["2023-02-01"] == 461.0 and colima["2023-03-01"] == 0.0


def test_fy2023_is_compared_with_fy2022() -> None:
    params = replace(PARAMS, start=date(2022, 10, 1), end=date(2023, 9, 30))
    (row,) = _document(_input(), params)["records"]["year_on_year"]  # type: ignore[index]
    assert (row["year"], row["kg"], row["previous_kg"]) == (2023, 77.75, 15.75)
    html = render_assessment(_input(), params, "html").decode("utf-8")
    assert re.search(r"<td>FY2023</td><td class=\"num\">77\.8</td><td class=\"num\">171</td>"
                     r"<td class=\"num\">15\.8</td><td class=\"num\">62\.0</td>", html)


def test_sources_are_cited_by_publisher_title_url_and_retrieval() -> None:
    known = FileProvenance("nationwide-drugs-fy20-fy23.csv", CBP_SHA, 9924)
    other = FileProvenance("mine.csv", "cd" * 32, 3)
    data = _input(sources=(known, other))
    html = render_assessment(data, PARAMS, "html").decode("utf-8")
    citation = CITATIONS[CBP_SHA]
    for text in (citation.publisher, citation.title, citation.url, citation.retrieved):
        assert text in html
    assert "not a known reference file" in html and "cd" * 32 in html
    sources = _document(data, PARAMS)["sources"]
    assert sources[0]["citation"]["url"] == citation.url  # type: ignore[index]
    assert sources[1]["citation"] is None  # type: ignore[index]


def test_the_unodc_series_gives_the_long_run_section() -> None:
    rows = tuple(parse_unodc_text(
        "Region,country,ISO Code,Drug Group,Drug,Year,KG Equivalent\n"
        "Americas,Mexico,MEX,Opioids,Other illicit opioids,2018,12\n"
        "Americas,United States of America,USA,Opioids,Other illicit opioids,2019,30\n",
        "u.csv"))  # fmt: skip
    data = _input(unodc=rows)
    html = render_assessment(data, PARAMS, "html").decode("utf-8")
    assert 'id="long-run"' in html and "UNODC has no fentanyl category" in html
    run = _document(data, PARAMS)["long_run"]
    assert run == {"drug": "fentanyl",
                   "unodc_drugs": ["Pharmaceutical opioids", "Other illicit opioids"],
                   "years": [2018, 2019],
                   "kg": {"Mexico": [12.0, None], "United States": [None, 30.0]}}
    assert 'id="long-run"' not in render_assessment(_input(), PARAMS, "html").decode("utf-8")


@pytest.mark.parametrize(("params", "column"), [
    (replace(PARAMS, drug="unobtanium"), "drug"),
    (replace(PARAMS, start=date(2024, 1, 3)), "period"),  # the day after generation
])  # fmt: skip
def test_an_unknown_drug_or_a_period_not_begun_is_refused(
    params: AssessmentParams, column: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        render_assessment(_input(), params, "json")
    assert [p.column for p in raised.value.problems] == [column]


def test_a_drug_is_named_as_the_vocabulary_names_it() -> None:
    spanish = _document(_input(), replace(PARAMS, drug="Fentanilo"))
    english = _document(_input(), PARAMS)
    assert spanish["parameters"]["drug"] == "fentanyl"  # type: ignore[index]
    assert spanish["inputs_digest"] == english["inputs_digest"]
    assert replace(PARAMS, start=date(2024, 1, 2)).start == WHEN.date()  # today is allowed
    _document(_input(), replace(PARAMS, start=date(2024, 1, 2)))
