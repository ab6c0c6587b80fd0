"""Text one unit writes is never markup in what another unit gets from the command line.

The lowest-trust unit (``mx.semar.pn``: not vetted, never named in a release) ingests
CLEAR records whose every text value is a hostile string (``tests/reports/data``):
Seizures with such a region, port, conveyance and concealment, and Persons with such
names. Every unit's assessment must still be produced, as HTML and as PDF, and the
listings must show the text as text: in a terminal table (no console markup), and in
CSV (no spreadsheet formula).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from hostile import hostile_strings
from tearline.cli import app
from tearline.cli.common import STATE, console
from tearline.model.parties import Agency, Unit
from tearline.store import parties
from tearline.store.store import Store

AT = datetime(2024, 5, 3, 12, 0, tzinfo=UTC)
UNITS = ("us.dea.sod", "mx.semar.uie", "mx.semar.pn")
WRITER = "mx.semar.pn"


def _invoke(db_url: str, *args: str) -> Result:
    width, console.width = console.width, 250
    try:
        return CliRunner().invoke(app, ["--db-url", db_url, *args])
    finally:
        console.width = width
        STATE.close()


def _ok(db_url: str, *args: str) -> str:
    result = _invoke(db_url, *args)
    assert result.exit_code == 0, result.output
    return result.output


def _entities() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for n, text in enumerate(hostile_strings()):
        out.append({"id": f"hostile-seizure-{n}", "schema": "Seizure", "properties": {
            "drug": ["fentanyl"], "grossWeight": ["5"], "date": ["2023-03-01"],
            "originCountry": ["mx"], "region": [text], "portOfEntry": [text],
            "conveyance": [text], "concealment": [text], "latitude": ["32.5"],
            "longitude": ["-117.0"]}})
        out.append({"id": f"hostile-person-{n}", "schema": "Person",
                    "properties": {"name": [text[:400]]}})
    return out


@pytest.fixture
def written(store: Store, db_url: str, tmp_path: Path) -> str:
    with store.transaction() as conn:
        for agency, country in (("us.dea", "us"), ("mx.semar", "mx")):
            parties.put_agency(conn, Agency(agency, agency.upper(), country), AT - timedelta(1))
        for unit in UNITS:
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), AT - timedelta(1))
    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in _entities()),
                    encoding="utf-8")
    _ok(db_url, "ingest", str(path), "--as", WRITER, "--tlp", "CLEAR")
    return db_url


@pytest.mark.parametrize("unit", UNITS)
def test_every_units_assessment_is_produced_in_html_and_pdf(
        written: str, tmp_path: Path, unit: str) -> None:
    for fmt in ("html", "pdf"):
        out = tmp_path / f"{unit}.{fmt}"
        _ok(written, "report", "assessment", "--as", unit, "--format", fmt, "--out", str(out),
            "--no-cbp")
        assert out.stat().st_size > 0
    html = (tmp_path / f"{unit}.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_listings_show_text_as_text(written: str) -> None:
    reader = "us.dea.sod"
    listed = _ok(written, "list", "--as", reader, "--schema", "Person", "--limit", "100")
    assert "[/bold]" in listed and "[link=http://127.0.0.1:9/]click[/link]" in listed
    records = json.loads(_ok(written, "list", "--as", reader, "--schema", "Person",
                             "--limit", "100", "--format", "json"))
    assert len(records) == len(hostile_strings())
    for rec in records:
        _ok(written, "show", rec["id"], "--as", reader)
    assert "[/bold]" in _ok(written, "search", "bold link", "--as", reader)


def test_csv_listings_neutralize_formulas(written: str) -> None:
    out = _ok(written, "list", "--as", "mx.semar.uie", "--schema", "Person", "--limit", "100",
              "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    captions = {r["caption"] for r in rows}
    formula = '=HYPERLINK("http://127.0.0.1:9/","x")'
    assert "'" + formula in captions and formula not in captions
    assert all(not c.startswith(("=", "+", "-", "@")) for c in captions)
