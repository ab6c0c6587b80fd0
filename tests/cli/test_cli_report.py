"""`tearline import-series` and `tearline report assessment`, end to end, on every backend."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from statement_keys import TEST_KEYER
from tearline.cli import app
from tearline.cli.common import STATE
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Unit
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.reports.build import parse_period
from tearline.store import parties
from tearline.store.store import Store

AT = datetime(2024, 5, 3, 12, 0, tzinfo=UTC)
DEA = Provenance("us.dea", "us.dea.sod", AT - timedelta(days=30), Reliability.A,
                 Credibility.CONFIRMED)  # fmt: skip
#: Small CBP files in the published format (the real ones are imported in tests/store).
CBP_FILES = tuple(str(Path(__file__).resolve().parents[1] / "sources" / "data" / name)
                  for name in ("cbp_older.csv", "cbp_newer.csv"))  # fmt: skip
SECTIONS = ("records-summary", "records-origins", "methodology", "sources", "parameters",
            "digest", "aggregates-summary")  # fmt: skip


def _seizure(eid: str, marking: Marking, kg: str, origin: str, day: str) -> Record:
    props = {"drug": ["fentanyl"], "grossWeight": [kg], "originCountry": [origin],
             "date": [day], "region": ["Southwest"], "latitude": ["32.54"],
             "longitude": ["-117.03"]}  # fmt: skip
    return build_record(eid, "Seizure", props, DEA, marking, synthetic=True, keyer=TEST_KEYER)


def _setup(store: Store) -> None:
    with store.transaction() as conn:
        for agency, country in (("us.dea", "us"), ("mx.semar", "mx")):
            parties.put_agency(conn, Agency(agency, agency.upper(), country), AT - timedelta(1))
        for unit in ("us.dea.sod", "mx.semar.pn"):
            agency = unit.rsplit(".", 1)[0]
            parties.put_unit(conn, Unit(unit, agency, unit), AT - timedelta(days=1))
    store.write([
        _seizure("sz-1", Marking.build("CLEAR"), "12.5", "mx", "2023-01-05"),
        _seizure("sz-2", Marking.build("AMBER+STRICT"), "30", "cn", "2023-02-10"),
        _seizure("sz-3", Marking.build("GREEN"), "4", "cn", "2023-03-01"),
    ])  # fmt: skip


def _invoke(runner: CliRunner, db_url: str, *args: str) -> Result:
    """Run the CLI, then close the store it opened (its pooled connections)."""
    try:
        return runner.invoke(app, ["--db-url", db_url, *args])
    finally:
        if STATE._store is not None:
            STATE._store.close()
            STATE._store = None


def _run(runner: CliRunner, db_url: str, *args: str) -> str:
    result = _invoke(runner, db_url, *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_assessments_per_unit_in_every_format(
    store: Store, db_url: str, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEARLINE_DATA_DIR", str(data_dir))
    _setup(store)
    runner = CliRunner()
    first = _run(runner, db_url, "import-series", "cbp", *CBP_FILES)
    assert first.count("imported") == 2
    assert _run(runner, db_url, "import-series", "cbp", *CBP_FILES).count("already stored") == 2
    at = AT.isoformat()
    figures = {}
    for unit in ("us.dea.sod", "mx.semar.pn"):
        out = tmp_path / f"{unit}.json"
        _run(runner, db_url, "report", "assessment", "--as", unit, "--at", at,
             "--period", "FY2023", "--format", "json", "--out", str(out))  # fmt: skip
        figures[unit] = json.loads(out.read_text(encoding="utf-8"))
    sod, pn = figures["us.dea.sod"], figures["mx.semar.pn"]
    assert (sod["records"]["events"], sod["records"]["kg"]) == (3, 46.5)
    assert (pn["records"]["events"], pn["records"]["kg"]) == (2, 16.5)
    assert sod["subject"] == "us.dea.sod" and pn["subject"] == "mx.semar.pn"
    assert sod["inputs_digest"] != pn["inputs_digest"]
    assert sod["synthetic_data"] is True
    assert sod["parameters"]["start"] == "2022-10-01"
    assert sod["aggregates"] == pn["aggregates"]  # public series: the same for every unit
    assert [s["name"] for s in sod["sources"]] == [
        "cbp_newer.csv", "cbp_older.csv", "seizures_1970-2019.csv"]  # fmt: skip
    # the small test files are no published file: cited by name and hash only
    assert [s["citation"] is None for s in sod["sources"]] == [True, True, False]
    assert sod["sources"][2]["citation"]["publisher"].startswith("United Nations Office")
    assert sod["long_run"]["years"][-1] == 2019 and set(sod["long_run"]["kg"]) == {
        "Mexico", "United States"}  # fmt: skip

    html_path, pdf_path = tmp_path / "a.html", tmp_path / "a.pdf"
    for path, fmt in ((html_path, "html"), (pdf_path, "pdf")):
        _run(runner, db_url, "report", "assessment", "--as", "mx.semar.pn", "--at", at,
             "--period", "FY2023", "--format", fmt, "--out", str(path))  # fmt: skip
    html = html_path.read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f'id="{section}"' in html, section
    assert "mx.semar.pn" in html and pn["inputs_digest"] in html and "SYNTHETIC DATA" in html
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is missing: install Debian's poppler-utils")
    text = subprocess.run([pdftotext, str(pdf_path), "-"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip
    for heading in ("Methodology", "Sources", "Parameters and inputs digest", "SYNTHETIC DATA"):
        assert heading in text, heading
    assert "mx.semar.pn" in text


def test_an_assessment_needs_a_subject(db_url: str, store: Store, tmp_path: Path) -> None:
    result = _invoke(CliRunner(), db_url, "report", "assessment", "--out", str(tmp_path / "a.json"))
    assert result.exit_code == 2
    assert not (tmp_path / "a.json").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FY2023", ("2022-10-01", "2023-09-30")),
        ("2023", ("2023-01-01", "2023-12-31")),
        ("2024-02", ("2024-02-01", "2024-02-29")),
        ("2023-05..FY2024", ("2023-05-01", "2024-09-30")),
        ("..2023-03-15", (None, "2023-03-15")),
        ("all", (None, None)),
    ],
)
def test_periods(text: str, expected: tuple[str | None, str | None]) -> None:
    start, end = parse_period(text)
    assert (start and start.isoformat(), end and end.isoformat()) == expected


def _cli_world(store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEARLINE_DATA_DIR", str(data_dir))
    _setup(store)


def test_the_format_follows_the_file_name(
    store: Store, db_url: str, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cli_world(store, data_dir, monkeypatch)
    runner = CliRunner()
    common = ("report", "assessment", "--as", "mx.semar.pn", "--at", AT.isoformat(),
              "--no-cbp", "--no-unodc")  # fmt: skip
    for name, start in (("z.pdf", b"%PDF-"), ("z.HTML", b"<!DOCTYPE html>"), ("z.json", b"{")):
        _run(runner, db_url, *common, "--out", str(tmp_path / name))
        assert (tmp_path / name).read_bytes().startswith(start), name
    _run(runner, db_url, *common, "--format", "json", "--out", str(tmp_path / "given.pdf"))
    assert (tmp_path / "given.pdf").read_bytes().startswith(b"{")  # --format wins
    unknown = _invoke(runner, db_url, *common, "--out", str(tmp_path / "z.txt"))
    assert unknown.exit_code != 0
    assert "cannot tell the format" in unknown.output and "--format" in unknown.output
    assert not (tmp_path / "z.txt").exists()


@pytest.mark.parametrize(("args", "message"), [
    (("--drug", "unobtanium"), "unknown drug"),
    (("--period", "FY2025"), "nothing to report yet"),  # begins 2024-10-01, after --at
    (("--period", "2024-06.."), "nothing to report yet"),
])  # fmt: skip
def test_an_unknown_drug_or_a_future_period_is_an_error_not_zeros(
    store: Store, db_url: str, data_dir: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str,
) -> None:
    _cli_world(store, data_dir, monkeypatch)
    out = tmp_path / "a.json"
    result = _invoke(CliRunner(), db_url, "report", "assessment", "--as", "mx.semar.pn",
                     "--at", AT.isoformat(), "--no-cbp", "--out", str(out), *args)  # fmt: skip
    assert result.exit_code != 0
    assert message in result.output
    assert not out.exists()
