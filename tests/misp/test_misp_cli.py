"""``tearline export --format misp|stix`` and ``tearline ingest`` of a MISP event, end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from misp_checks import event_files, loaded, validate
from typer.testing import CliRunner

from portion_safety import wider
from statement_keys import TEST_KEYER
from tearline.cli import app
from tearline.ingest.entities import Collector, read_jsonl
from tearline.model.marking import Marking
from tearline.model.statement import Provenance

DATA = Path(__file__).parent / "data"
AS = ["--as", "us.dea.sod"]


class Workspace:
    def __init__(self, root: Path, db_url: str) -> None:
        self.env = {"TEARLINE_WORKSPACE": str(root), "TEARLINE_DB_URL": db_url}
        self.runner = CliRunner()

    def run(self, *args: str | Path, code: int = 0) -> str:
        result = self.runner.invoke(app, [str(a) for a in args], env=self.env)
        assert result.exit_code == code, result.output
        return result.output


@pytest.fixture
def ws(tmp_path: Path, db_url: str) -> Iterator[Workspace]:
    w = Workspace(tmp_path / "ws", db_url)
    w.run("init")
    w.run("party", "add-agency", "us.dea", "--name", "DEA", "--country", "us")
    w.run("party", "add-unit", "us.dea.sod", "--agency", "us.dea", "--name", "SOD")
    w.run("party", "add-unit", "us.dea.sdfd", "--agency", "us.dea", "--name", "San Diego")
    w.run("ingest", DATA / "records.jsonl", *AS)
    yield w


def test_export_misp_writes_a_feed_misp_loads(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "feed"
    said = ws.run("export", "--format", "misp", "--out", out, *AS)
    assert "4 records exported to the MISP feed" in said
    files = {p.name: p.read_text("utf-8") for p in out.iterdir()}
    manifest = json.loads(files["manifest.json"])
    assert {f"{k}.json" for k in manifest} == set(event_files(files)) and len(manifest) == 4
    infos = set()
    for text in event_files(files).values():
        event = loaded(text)
        validate(event)
        infos.add(event.info)
    assert "Person: Marco Ruelas Ibarra" in infos
    # written again over itself, the events of records no longer exported leave the feed;
    # a folder holding something else is refused
    ws.run("export", "--format", "misp", "--out", out, "--schema", "Person", *AS)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["hashes.csv", "manifest.json", *(f"{k}.json" for k in json.loads(
            (out / "manifest.json").read_text("utf-8")))]) and len(list(out.iterdir())) == 3
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    assert "not a MISP feed" in ws.run("export", "--format", "misp", "--out", other, *AS,
                                       code=2)


def test_export_stix_is_portion_safe(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    ws.run("export", "--format", "stix", "--out", out, *AS)
    bundle = json.loads(out.read_text("utf-8"))
    assert not any("granular_markings" in o for o in bundle["objects"])
    collector = Collector("records.jsonl", Provenance("us.dea", "us.dea.sod", datetime.now(UTC)),
                          Marking.build("AMBER+STRICT"))
    read_jsonl((DATA / "records.jsonl").read_text("utf-8").splitlines(), collector)
    records = collector.records(TEST_KEYER)
    assert wider(bundle["objects"], records) == []
    assert any(o.get("description") == "alias: El Chapin Correo" for o in bundle["objects"])


def test_an_exported_event_ingests_back_with_its_marking_and_portion(ws: Workspace,
                                                                      tmp_path: Path) -> None:
    out = tmp_path / "feed"
    ws.run("export", "--format", "misp", "--out", out, *AS)
    person = next(p for p in out.glob("*.json") if '"Person: Marco' in p.read_text("utf-8"))
    # the record exists for the San Diego unit: the event adds its statements to it
    said = ws.run("ingest", person, "--as", "us.dea.sdfd")
    assert "us.dea.sod..p-courier (existing)" in said and "3 new" in said
    shown = ws.run("show", "us.dea.sod..p-courier", "--as", "us.dea.sdfd", "-f", "json")
    data, _ = json.JSONDecoder().raw_decode(shown[shown.index("{"):])
    assert data["marking"]["tlp"] == "GREEN"
    assert data["portions"] == {"alias": Marking.build("AMBER").to_dict()}


def test_ingest_of_a_foreign_event_refuses_what_does_not_map(ws: Workspace) -> None:
    said = ws.run("ingest", DATA / "foreign_event.json", "--as", "us.dea.sdfd", code=2)
    assert "foreign_event.json:" in said and "'file'" in said and "PAP:RED" in said
