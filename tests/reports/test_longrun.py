"""The long-run context: UNODC's yearly seizures in Mexico and the U.S. for the drug."""

from __future__ import annotations

from pathlib import Path

import pytest

from tearline.reports.longrun import UNODC_DRUGS, long_run
from tearline.sources.unodc import UnodcRow, default_unodc_path, parse_unodc_text, read_unodc

HEADER = "Region,country,ISO Code,Drug Group,Drug,Year,KG Equivalent\n"


def _rows(text: str) -> tuple[UnodcRow, ...]:
    return tuple(parse_unodc_text(HEADER + text, "test.csv"))


def test_years_are_summed_over_the_drugs_and_a_missing_year_is_none() -> None:
    rows = _rows(
        "Americas,Mexico,MEX,Opioids,Pharmaceutical opioids,2015,2.5\n"
        "Americas,Mexico,MEX,Opioids,Other illicit opioids,2015,1.5\n"
        "Americas,Mexico,MEX,Opioids,Heroin,2016,99\n"
        "Americas,Mexico,MEX,Opioids,Other illicit opioids,2017,4\n"
        "Americas,United States of America,USA,Opioids,Other illicit opioids,2016,NULL\n"
        "Americas,Canada,CAN,Opioids,Other illicit opioids,2016,50\n"
    )
    run = long_run(rows, "fentanyl")
    assert run is not None
    assert run.years == (2015, 2016, 2017)
    assert run.kg["Mexico"] == (4.0, None, 4.0)  # heroin is not fentanyl's series
    assert run.kg["United States"] == (None, None, None)  # NULL: not reported, not 0
    assert long_run(rows, "khat") is None  # no UNODC series stands for it
    assert long_run(rows, "cocaine") is None  # none reported


def test_the_reference_file_gives_both_countries_every_year_for_the_mapped_drugs(
    data_dir: Path,
) -> None:
    series = read_unodc(default_unodc_path(data_dir))
    known = {r.drug for r in series.rows}
    for drug, names in UNODC_DRUGS.items():
        assert set(names) <= known, drug  # a misspelt UNODC name would give nothing
    run = long_run(series.rows, "methamphetamine")
    assert run is not None and run.years[-1] == 2019
    mexico = dict(zip(run.years, run.kg["Mexico"], strict=True))
    assert mexico[2019] == pytest.approx(sum(
        r.kg or 0.0 for r in series.rows
        if r.iso3 == "MEX" and r.year == 2019 and r.drug == "Methamphetamine"))  # fmt: skip
    assert mexico[2019] > 10_000  # tonnes, as Mexico reports them
