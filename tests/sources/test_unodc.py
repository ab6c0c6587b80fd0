"""UNODC annual series: NULL is missing, several rows per country-year add up."""

from __future__ import annotations

from pathlib import Path

import pytest

from tearline.errors import IngestError
from tearline.sources.unodc import annual_totals, default_unodc_path, parse_unodc_text, read_unodc

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def test_reads_the_published_file_with_provenance() -> None:
    if not (DATA / "unodc").is_dir():
        pytest.fail(f"reference data missing: {DATA / 'unodc'} (see shared/data/README.md)")
    series = read_unodc(default_unodc_path(DATA))
    assert len(series.rows) == 51201
    (prov,) = series.files
    assert prov.sha256 == "100665c194442f60dbd5e064881e07b774816bfecb0c5e2100fe5a563c452016"
    assert sum(row.kg is None for row in series.rows) == 507
    assert sum(row.iso3 is None for row in series.rows) == 268
    heroin = annual_totals(series.rows, iso3="usa", drug="Heroin")
    # 2018 is published as six rows: 5756.36 + 86.368 + 1239.95 + 0.09 + 1874.87 + 0.137…
    assert round(heroin[(2018, "USA", "Heroin")], 3) == 8957.775
    assert round(heroin[(2019, "USA", "Heroin")], 3) == 8282.217


def test_null_is_missing_not_zero() -> None:
    text = (
        "Region,country,ISO Code,Drug Group,Drug,Year,KG Equivalent\n"
        "Europe,USSR,NULL,Opioids,Opium,1980,1\n"
        "Africa,Algeria,DZA,Opioids,Heroin,1980,NULL\n"
        "Africa,Algeria,DZA,Opioids,Heroin,1980,2.5E-1\n"
    )
    rows = parse_unodc_text(text, "t.csv")
    assert rows[0].iso3 is None and rows[0].kg == 1.0
    assert rows[1].kg is None
    assert annual_totals(rows, iso3="DZA") == {(1980, "DZA", "Heroin"): 0.25}


def test_malformed_rows_are_all_reported() -> None:
    text = (
        "Region,country,ISO Code,Drug Group,Drug,Year,KG Equivalent\n"
        "Europe,France,FR,Opioids,Opium,1980,1\n"
        "Europe,France,FRA,Opioids,Opium,19x0,1\n"
        "Europe,France,FRA,Opioids,Opium,1980,-3\n"
        "Europe,France,FRA,Opioids\n"
    )
    with pytest.raises(IngestError) as caught:
        parse_unodc_text(text, "bad.csv")
    assert [(p.line, p.column) for p in caught.value.problems] == [
        (2, "ISO Code"),
        (3, "Year"),
        (4, "KG Equivalent"),
        (5, None),
    ]


def test_a_file_read_again_is_the_same_series_and_a_changed_one_is_read_anew(
        tmp_path: Path) -> None:
    head = "Region,country,ISO Code,Drug Group,Drug,Year,KG Equivalent\n"
    path = tmp_path / "seizures_1970-2019.csv"
    path.write_text(head + "Africa,Algeria,DZA,Opioids,Heroin,1980,1\n", encoding="utf-8")
    first = read_unodc(path)
    assert read_unodc(path) == first
    path.write_text(head + "Africa,Algeria,DZA,Opioids,Heroin,1980,2\n", encoding="utf-8")
    changed = read_unodc(path)
    assert [row.kg for row in changed.rows] == [2.0]
    assert changed.files[0].sha256 != first.files[0].sha256
    path.write_text(head + "Africa,Algeria,DZA,Opioids,Heroin,1980,x\n", encoding="utf-8")
    with pytest.raises(IngestError):
        read_unodc(path)
