"""`tearline ingest` and `tearline import-ofac` end to end, on every backend.

Each bad input gets a typed, located message and a non-zero exit status, and the
store is left exactly as it was — including what it held before.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model as ftm_model
from typer.testing import CliRunner

from pgserver import pg_url
from tearline.cli import app
from tearline.ingest.ofac_inferred import INFERRED_ROLE
from tearline.model.marking import Marking
from tearline.store.store import Store

pytestmark = pytest.mark.slow  # handed out first in a parallel run (tests/conftest.py)

DATA = Path(__file__).resolve().parents[1] / "ingest" / "data"
OFAC = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ofac"
AS = ["--as", "us.dea.sod"]


class Workspace:
    def __init__(self, root: Path, db_url: str) -> None:
        self.env = {"TEARLINE_WORKSPACE": str(root), "TEARLINE_DB_URL": db_url}
        self.db_url = db_url
        self.runner = CliRunner()

    def run(self, *args: str | Path, code: int = 0) -> str:
        result = self.runner.invoke(app, [str(a) for a in args], env=self.env)
        assert result.exit_code == code, result.output
        return result.output

    def snapshot(self) -> tuple[dict[str, int], list[tuple[object, ...]]]:
        store = Store.open(self.db_url)
        try:
            with store.reading() as conn:
                rows = conn.exec_driver_sql(
                    "SELECT id, value, last_seen, marking_id FROM statements ORDER BY id"
                ).all()
            return store.counts(), [tuple(r) for r in rows]
        finally:
            store.close()


@pytest.fixture
def ws(tmp_path: Path, current_db_url: str) -> Iterator[Workspace]:
    """A workspace with the DEA, its unit and a legal basis; its database a copy of the
    migrated template: ``init`` then migrates nothing (the OFAC workspaces below run it
    on an empty database)."""
    w = Workspace(tmp_path, current_db_url)
    w.run("init")
    w.run("party", "add-agency", "us.dea", "--name", "DEA", "--country", "us")
    w.run("party", "add-unit", "us.dea.sod", "--agency", "us.dea", "--name", "SOD")
    # the mapping's marking cites this agreement: a legal basis is recorded first
    w.run("party", "add-agency", "us.cbp", "--name", "CBP", "--country", "us")
    w.run("party", "add-agreement", "us-interagency-mou-2019", "--title", "DEA-CBP MOU",
          "--kind", "memorandum", "--party", "us.dea", "--party", "us.cbp")
    yield w


def _ofac(name: str) -> Path:
    path = OFAC / name
    if not path.exists():
        pytest.fail(f"reference data missing: {path} (see shared/data/README.md)")
    return path


BAD_JSONL = [
    ("entities_truncated.jsonl", "entities_truncated.jsonl:1:", "is the file truncated?"),
    ("entities_latin1.jsonl", "entities_latin1.jsonl:1:", "not valid utf-8"),
    ("entities_unknown_schema.jsonl", "entities_unknown_schema.jsonl:2:schema:",
     "unknown schema 'Smuggler'"),
    ("entities_unknown_property.jsonl", "entities_unknown_property.jsonl:2:favouriteDrug:",
     "no property 'favouriteDrug'"),
    ("entities_bad_date.jsonl", "entities_bad_date.jsonl:2:birthDate:", "invalid date"),
    ("entities_bad_country.jsonl", "entities_bad_country.jsonl:2:nationality:",
     "invalid country 'Atlantis'"),
    ("seizures_values_bad.jsonl", "seizures_values_bad.jsonl:2:grossWeight:",
     "weight 'abc' is not a number with a unit"),
    ("seizures_values_bad.jsonl", "seizures_values_bad.jsonl:3:netWeight:",
     "weight '-5' is negative"),
    ("seizures_values_bad.jsonl", "seizures_values_bad.jsonl:5:drug:", "unknown drug 'tea'"),
    ("seizures_future.jsonl", "seizures_future.jsonl:1:date:",
     "date 2999-01-01 is in the future"),
]
BAD_CSV = [
    ("seizures_formula.csv", "seizures_mapping.yaml", "seizures_formula.csv:3:drug_type:",
     "spreadsheet formula"),
    ("seizures.csv", "mapping_missing_columns.yaml", "seizures.csv:1:destination:",
     "no column 'destination'"),
    ("seizures_truncated.csv", "seizures_mapping.yaml", "seizures_truncated.csv:3:",
     "malformed CSV"),
    ("seizures_latin1.csv", "seizures_mapping.yaml", "seizures_latin1.csv:2:", "not valid utf-8"),
    ("seizures_bad_values.csv", "seizures_mapping.yaml", "seizures_bad_values.csv:4:originCountry:",
     "invalid country 'Narnia'"),
    ("seizures_units.csv", "seizures_mapping.yaml", "seizures_units.csv:4:grossWeight:",
     "weight 'abc' is not a number with a unit"),
    ("seizures_units.csv", "seizures_mapping.yaml", "seizures_units.csv:7:drug:",
     "unknown drug 'chocolate'"),
]


def test_bad_inputs_exit_non_zero_and_store_nothing(ws: Workspace, tmp_path: Path) -> None:
    ws.run("ingest", DATA / "entities_ok.jsonl", *AS)
    ws.run("ingest", DATA / "seizures.csv", "--mapping", DATA / "seizures_mapping.yaml", *AS)
    before = ws.snapshot()
    assert before[0]["records"] == 7
    big = tmp_path / "big.jsonl"
    big.write_text('{"id": "x-1", "schema": "Person", "properties": {"name": ["ok"]}}\n'
                   + '{"id": "x-2", "schema": "Person", "properties": {"name": ["'
                   + "x" * 10_000_000 + '"]}}\n', encoding="utf-8")
    big_csv = tmp_path / "big.csv"
    big_csv.write_text((DATA / "seizures.csv").read_text(encoding="utf-8")
                       + "CBP-9," + "y" * 10_000_000 + ",1,2024-01-01,MX,x\n", encoding="utf-8")
    cases: list[tuple[list[str | Path], str, str]] = [
        ([DATA / name], where, why) for name, where, why in BAD_JSONL
    ]
    cases += [([DATA / name, "--mapping", DATA / spec], where, why)
              for name, spec, where, why in BAD_CSV]
    cases.append(([big], "big.jsonl:2:", "exceeds"))
    cases.append(([big_csv, "--mapping", DATA / "seizures_mapping.yaml"], "big.csv:5:drug_type:",
                  "10,000,000 characters exceeds"))
    for args, where, why in cases:
        out = " ".join(ws.run("ingest", *args, *AS, code=2).split())
        assert out.startswith("error: "), out
        assert where in out and why in out, out
        assert ws.snapshot() == before, args


def test_reingest_is_idempotent_and_growth_bumps_the_version(ws: Workspace) -> None:
    first = ws.run("ingest", DATA / "entities_ok.jsonl", *AS)
    assert "4 new records" in first and "13 new statements" in first
    counts, statements = ws.snapshot()
    again = ws.run("ingest", DATA / "entities_ok.jsonl", *AS)
    assert "0 new records, 0 changed, 0 new statements (13 read)" in " ".join(again.split())
    counts_again, statements_again = ws.snapshot()
    assert counts_again == counts
    # Only last_seen moves (forward): the same facts were seen again.
    assert [r[:2] + r[3:] for r in statements_again] == [r[:2] + r[3:] for r in statements]
    assert all(str(a[2]) >= str(b[2]) for a, b in zip(statements_again, statements, strict=True))
    more = ws.run("ingest", DATA / "entities_more.jsonl", *AS)
    assert "1 changed, 1 new statements" in " ".join(more.split())
    assert ws.snapshot()[0]["statements"] == counts["statements"] + 1
    store = Store.open(ws.db_url)
    try:
        with store.reading() as conn:
            rows = conn.exec_driver_sql(
                "SELECT prop, value, marking_id FROM statements "
                "WHERE entity_id = 'us.dea.sod..dea-p-1' "
                "AND prop IN ('weakAlias', 'phone') ORDER BY prop").all()
            (version,) = conn.exec_driver_sql(
                "SELECT version FROM records WHERE id = 'us.dea.sod..dea-p-1'").one()
    finally:
        store.close()
    assert [(r[0], r[1], r[2] is not None) for r in rows] == [
        ("phone", "+526671234567", True),  # the RED portion has its own marking
        ("weakAlias", "EL BARBAS", False),
    ]
    assert version == 2


def test_csv_with_a_mapping(ws: Workspace) -> None:
    out = ws.run("ingest", DATA / "seizures.csv", "--mapping", DATA / "seizures_mapping.yaml", *AS)
    assert "3 new records" in out and "12 new statements" in out
    out = ws.run("ingest", DATA / "seizures.csv", "--mapping", DATA / "seizures_mapping.yaml", *AS)
    assert "0 new records" in out


def test_missing_mapping_file(ws: Workspace) -> None:
    out = ws.run("ingest", DATA / "seizures.csv", "--mapping", DATA / "nope.yaml", *AS, code=2)
    assert "does not exist" in out


# -- OFAC acceptance (SQLite: the CLI round trip through export is the point here) ----------


@pytest.fixture(scope="module")
def ofac_export(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    root = tmp_path_factory.mktemp("ofac")
    w = Workspace(root, f"sqlite:///{root / 'tearline.sqlite'}")
    w.run("init")
    w.run("party", "add-agency", "us.treasury", "--name", "Treasury", "--country", "us")
    w.run("party", "add-unit", "us.treasury.ofac", "--agency", "us.treasury", "--name", "OFAC")
    out = w.run("import-ofac", _ofac("sdn_2024-05-03.csv"), "--as", "us.treasury.ofac")
    assert "new records" in out
    again = w.run("import-ofac", _ofac("sdn_2024-05-03.csv"), "--as", "us.treasury.ofac")
    assert "0 new records, 0 changed, 0 new statements" in " ".join(again.split())
    target = root / "export.jsonl"
    w.run("export", "--out", target, "--as", "us.treasury.ofac")
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]


def _named(entities: list[dict[str, object]], name: str) -> dict[str, object]:
    (found,) = [e for e in entities if name in e["properties"].get("alias", [])  # type: ignore
                or name in e["properties"].get("name", [])]  # type: ignore
    return found


def test_ofac_every_narcotics_party(ofac_export: list[dict[str, object]]) -> None:
    sanctions = [e for e in ofac_export if e["schema"] == "Sanction"]
    assert len(sanctions) == 1930
    parties = [e for e in ofac_export if e["schema"] in
               ("Person", "Organization", "Vessel", "Airplane")]
    assert len({e["id"] for e in parties}) == 1930


def test_ofac_beltran_leyva(ofac_export: list[dict[str, object]]) -> None:
    person = _named(ofac_export, "BELTRAN LEYVA, Marcos Arturo")
    props: dict[str, list[str]] = person["properties"]  # type: ignore[assignment]
    assert sorted(props["birthDate"]) == ["1958-02-05", "1961-09-21", "1961-09-27", "1962-06-05"]
    assert props["nationality"] == ["mx"]
    assert sorted(props["weakAlias"]) == ["EL BARBAS", "EL FANTASMA"]
    org = _named(ofac_export, "BELTRAN LEYVA ORGANIZATION")
    links = [e for e in ofac_export if e["schema"] == "UnknownLink"
             and e["properties"]["subject"] == [person["id"]]]  # type: ignore[index]
    assert [(k["properties"]["object"], k["properties"]["role"]) for k in links] == [  # type: ignore
        ([org["id"]], [INFERRED_ROLE])
    ]


def test_ofac_export_validates_with_followthemoney(
    ofac_export: list[dict[str, object]],
) -> None:
    for entity in ofac_export:
        schema = ftm_model.get(str(entity["schema"]))
        assert schema is not None, entity["schema"]
        data: Any = {k: entity[k] for k in ("id", "schema", "properties")}
        assert schema.validate(data) is None, entity["id"]
        proxy = ftm_model.get_proxy(data, cleaned=False)
        assert proxy.to_dict()["properties"] == entity["properties"], entity["id"]


def test_all_programs(tmp_path: Path) -> None:
    w = Workspace(tmp_path, f"sqlite:///{tmp_path / 'tearline.sqlite'}")
    w.run("init")
    w.run("party", "add-agency", "us.treasury", "--name", "Treasury", "--country", "us")
    w.run("party", "add-unit", "us.treasury.ofac", "--agency", "us.treasury", "--name", "OFAC")
    w.run("import-ofac", _ofac("sdn_2024-05-03.csv"), "--all-programs", "--no-inferred",
          "--as", "us.treasury.ofac")
    store = Store.open(w.db_url)
    try:
        with store.reading() as conn:
            (count,) = conn.exec_driver_sql(
                "SELECT count(*) FROM records WHERE schema = 'Sanction'").one()
            (inferred,) = conn.exec_driver_sql(
                "SELECT count(*) FROM records WHERE id LIKE 'us.treasury.ofac..ofac-inferred-%'"
            ).one()
    finally:
        store.close()
    assert (count, inferred) == (14965, 0)


# -- legal bases: an agreement in force that binds the parties --------------------------

SHARED = ["--tlp", "AMBER", "--rel-to", "agency:mx.semar"]


@pytest.fixture
def partners(ws: Workspace) -> Workspace:
    ws.run("party", "add-agency", "mx.semar", "--name", "SEMAR", "--country", "mx")
    ws.run("party", "add-agency", "mx.fgr", "--name", "FGR", "--country", "mx")
    ws.run("party", "add-agreement", "us-mx-2021", "--title", "Framework", "--kind",
           "bilateral", "--party", "us.dea", "--party", "mx.semar")
    ws.run("party", "add-agreement", "us-mx-2001", "--title", "Old framework", "--kind",
           "bilateral", "--party", "us.dea", "--party", "mx.semar",
           "--until", "2005-01-01T00:00:00Z")
    ws.run("party", "add-agreement", "us-fgr-mlat", "--title", "MLAT", "--kind", "mlat",
           "--party", "us.dea", "--party", "mx.fgr")
    listed = ws.run("party", "list", "--format", "json")
    assert {"kind": "agreement", "id": "us-mx-2001", "name": "Old framework",
            "detail": "bilateral: mx.semar, us.dea (… – 2005-01-01)"} in json.loads(listed)
    return ws


@pytest.mark.parametrize(("basis", "why"), [
    ("made-up-basis", "legal basis 'made-up-basis' is not an agreement recorded on this node"),
    ("us-mx-2001", "agreement 'us-mx-2001' is not in force at "),
    ("us-fgr-mlat", "agreement 'us-fgr-mlat' does not bind mx.semar, reached by agency:mx.semar"),
])
def test_a_legal_basis_that_is_no_agreement_in_force_binding_the_parties_is_refused(
        partners: Workspace, basis: str, why: str) -> None:
    before = partners.snapshot()
    out = " ".join(partners.run("ingest", DATA / "entities_ok.jsonl", *AS, *SHARED,
                                "--legal-basis", basis, code=2).split())
    assert "legal basis refused" in out and why in out and "--legal-basis" in out
    assert partners.snapshot() == before
    partners.run("ingest", DATA / "entities_ok.jsonl", *AS, *SHARED, "--legal-basis",
                 "us-mx-2021")


def test_a_lines_marking_is_judged_at_its_line_and_field(partners: Workspace,
                                                         tmp_path: Path) -> None:
    lines = [
        {"id": "ok-1", "schema": "Person", "properties": {"name": ["Ana"]},
         "marking": {"tlp": "AMBER", "releasable_to": ["agency:mx.semar"],
                     "legal_basis": "us-mx-2021"}},
        {"id": "bad-1", "schema": "Person", "properties": {"name": ["Bea"]},
         "marking": {"tlp": "AMBER", "releasable_to": ["agency:mx.fgr"],
                     "legal_basis": "us-mx-2021"}},
        {"id": "bad-2", "schema": "Person", "properties": {"name": ["Cy"], "notes": ["x"]},
         "marking": {"tlp": "AMBER"},
         "portions": {"notes": {"tlp": "RED", "releasable_to": ["unit:us.dea.sod"],
                                "legal_basis": "treaty-of-nowhere"}}},
    ]
    path = tmp_path / "lines.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    before = partners.snapshot()
    out = " ".join(partners.run("ingest", path, *AS, code=2).split())
    assert ("lines.jsonl:2:marking: agreement 'us-mx-2021' does not bind mx.fgr, reached by "
            "agency:mx.fgr") in out
    assert "lines.jsonl:3:portions.notes: legal basis 'treaty-of-nowhere'" in out
    assert partners.snapshot() == before


def test_a_mappings_marking_is_judged(ws: Workspace, tmp_path: Path) -> None:
    spec = (DATA / "seizures_mapping.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "mapping.yaml"
    bad.write_text(spec.replace("us-interagency-mou-2019", "no-such-mou"), encoding="utf-8")
    out = " ".join(ws.run("ingest", DATA / "seizures.csv", "--mapping", bad, *AS,
                          code=2).split())
    assert "mapping.yaml:marking: legal basis 'no-such-mou' is not an agreement" in out


def test_a_bidirectional_control_in_a_csv_cell_is_refused_where_it_is(
        ws: Workspace, tmp_path: Path) -> None:
    rows = (DATA / "seizures.csv").read_text(encoding="utf-8").splitlines()
    rows[2] = rows[2].replace(",", ",\u202e", 1)
    path = tmp_path / "rlo.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    column = rows[2].index("\u202e") + 1
    out = " ".join(ws.run("ingest", path, "--mapping", DATA / "seizures_mapping.yaml", *AS,
                          code=2).split())
    assert f"rlo.csv:3:{column}: bidirectional control character U+202E" in out


# -- a file's ids: hidden records answer like free ids (docs/ingest.md) ---------------------

FEMDO = ["--as", "mx.fgr.femdo"]


def _two_agencies(w: Workspace) -> Workspace:
    w.run("init")
    for agency, unit, country in (("us.dea", "us.dea.sod", "us"), ("mx.fgr", "mx.fgr.femdo", "mx")):
        w.run("party", "add-agency", agency, "--name", agency.upper(), "--country", country)
        w.run("party", "add-unit", unit, "--agency", agency, "--name", unit.upper())
    w.run("ingest", DATA / "dea_visible.jsonl", *AS)
    return w


@pytest.fixture
def worlds(tmp_path: Path, db_url: str, request: pytest.FixtureRequest
           ) -> tuple[Workspace, Workspace]:
    """Two workspaces differing only in a DEA record hidden from mx.fgr.femdo."""
    other = (f"sqlite:///{tmp_path / 'other.sqlite'}" if db_url.startswith("sqlite")
             else pg_url(request.getfixturevalue("pg_server")))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    hidden = _two_agencies(Workspace(tmp_path / "a", db_url))
    hidden.run("ingest", DATA / "dea_hidden.jsonl", *AS)  # TLP:AMBER+STRICT, the default
    return hidden, _two_agencies(Workspace(tmp_path / "b", other))


def _fgr_view(w: Workspace) -> list[object]:
    return [w.run("list", *FEMDO, "--format", "json"),
            w.run("search", "lancha", *FEMDO, "--format", "json"),
            *(_comparable(w.run("show", entity, *FEMDO, "--format", "json")) for entity in (
                "mx.fgr.femdo..p-9", "mx.fgr.femdo..m-1", "mx.fgr.femdo..us.dea.sod..p-9"))]


def _comparable(shown: str) -> object:
    """A record object without what differs between two workspaces whatever they hold:
    the instants each wrote at, and statement ids (keyed by each node's own secret)."""
    record = json.loads(shown)
    for key in ("created_at", "modified_at"):
        record.pop(key)
    for statement in record["statements"]:
        for key in ("id", "first_seen", "last_seen"):
            statement.pop(key)
    return record


def test_an_id_hidden_from_the_writer_answers_like_a_free_one(
    worlds: tuple[Workspace, Workspace], tmp_path: Path,
) -> None:
    hidden, free = worlds
    dea_before = hidden.run("show", "us.dea.sod..p-9", *AS, "--format", "json")
    out = hidden.run("ingest", DATA / "fgr_names_dea_ids.jsonl", *FEMDO)
    assert out == free.run("ingest", DATA / "fgr_names_dea_ids.jsonl", *FEMDO)
    assert "3 new records, 0 changed" in " ".join(out.split())
    assert "us.dea.sod..p-9 → mx.fgr.femdo..us.dea.sod..p-9 (new)" in out
    assert _fgr_view(hidden) == _fgr_view(free)
    # the Vessel's and the planted name went to the writer's own records, not the DEA's
    assert hidden.run("show", "us.dea.sod..p-9", *AS, "--format", "json") == dea_before
    again = hidden.run("ingest", DATA / "fgr_names_dea_ids.jsonl", *FEMDO, "--ids",
                       tmp_path / "ids.jsonl")
    assert again == free.run("ingest", DATA / "fgr_names_dea_ids.jsonl", *FEMDO, "--ids",
                             tmp_path / "ids.jsonl")
    assert "0 new records, 0 changed, 0 new statements" in " ".join(again.split())
    assert [json.loads(line) for line in (tmp_path / "ids.jsonl").read_text().splitlines()] == [
        {"file_id": "p-9", "id": "mx.fgr.femdo..p-9", "record": "existing"},
        {"file_id": "us.dea.sod..p-9", "id": "mx.fgr.femdo..us.dea.sod..p-9",
         "record": "existing"},
        {"file_id": "m-1", "id": "mx.fgr.femdo..m-1", "record": "existing"},
    ]


def test_statements_for_a_visible_record_of_another_agency_are_checked_like_amend(
    worlds: tuple[Workspace, Workspace],
) -> None:
    w = worlds[1]
    before = w.snapshot()
    refused = " ".join(w.run("ingest", DATA / "fgr_amends_dea.jsonl", *FEMDO, "--tlp", "CLEAR",
                             code=2).split())
    assert ("fgr_amends_dea.jsonl:1:marking: us.dea.sod..o-1: you may not amend it: TLP:CLEAR "
            "is wider than the record's TLP:GREEN; added statements may only narrow") in refused
    schema = " ".join(w.run("ingest", DATA / "fgr_amends_dea_bad_schema.jsonl", *FEMDO,
                            "--tlp", "GREEN", code=2).split())
    assert ("fgr_amends_dea_bad_schema.jsonl:1:tonnage: us.dea.sod..o-1: schema Organization "
            "has no property 'tonnage'") in schema
    vessel = " ".join(w.run("ingest", DATA / "fgr_amends_dea_vessel.jsonl", *FEMDO,
                            "--tlp", "GREEN", code=2).split())
    assert ("fgr_amends_dea_vessel.jsonl:1:schema: us.dea.sod..o-1: it is a record of schema "
            "Organization; Vessel properties cannot be added to it") in vessel
    assert w.snapshot() == before
    out = w.run("ingest", DATA / "fgr_amends_dea.jsonl", *FEMDO, "--tlp", "GREEN")
    assert "0 new records, 1 changed, 1 new statements" in " ".join(out.split())
    shown = json.loads(w.run("show", "us.dea.sod..o-1", *AS, "--format", "json"))
    assert shown["properties"] == {"country": ["mx"], "name": ["Visible Organization"]}
    assert shown["portions"] == {"country": Marking.build("GREEN").to_dict()}


def test_seizure_values_are_normalized_at_ingest(ws: Workspace) -> None:
    ws.run("ingest", DATA / "seizures_spanish.jsonl", *AS)
    shown = json.loads(ws.run("show", "us.dea.sod..sz-3", *AS, "--format", "json"))
    assert shown["properties"]["drug"] == ["methamphetamine"]
    assert shown["properties"]["grossWeight"] == ["0.90718474"]


def _small_sdn(path: Path) -> Path:
    """The first 40 narcotics rows of the OFAC snapshot (derived; the snapshot is kept)."""
    rows = [line for line in _ofac("sdn_2024-05-03.csv").read_text("utf-8").splitlines()
            if '"SDNT' in line][:40]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_an_ofac_import_does_not_merge_into_an_import_hidden_from_the_importer(
    worlds: tuple[Workspace, Workspace], tmp_path: Path,
) -> None:
    hidden, free = worlds
    sdn = _small_sdn(tmp_path / "sdn.csv")
    # the DEA's own import of the list, marked for the DEA only, in one world
    hidden.run("import-ofac", sdn, *AS, "--tlp", "AMBER+STRICT")
    dea = _export(hidden, tmp_path, AS, "us.dea.sod..")
    out = hidden.run("import-ofac", sdn, *FEMDO)
    assert out == free.run("import-ofac", sdn, *FEMDO)
    assert " 0 changed" in " ".join(out.split()) and "→ mx.fgr.femdo..ofac-" in out
    assert _export(hidden, tmp_path, AS, "us.dea.sod..") == dea
    assert _export(hidden, tmp_path, FEMDO) == _export(free, tmp_path, FEMDO)


def _export(w: Workspace, tmp_path: Path, acting: list[str], prefix: str = "") -> list[str]:
    """The exported records (as the acting unit sees them) whose ids start with ``prefix``,
    without each value's provenance (its statement ids are keyed by each node's secret,
    its times are when each workspace wrote) and the copy mark (each node's own)."""
    w.run("export", "--out", tmp_path / "out.jsonl", *acting, "--force")
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    entities = [json.loads(line) for line in lines]
    return [json.dumps({k: v for k, v in e.items() if k not in ("statements", "copy")})
            for e in entities if e["id"].startswith(prefix)]
