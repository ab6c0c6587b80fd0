"""CSV files with a mapping file → records; every bad cell located, nothing half-read."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from statement_keys import TEST_KEYER
from tearline.errors import IngestError, InputError, MappingError
from tearline.ingest.csvmap import cell_problem, parse_mapping, read_csv
from tearline.ingest.entities import Collector
from tearline.ingest.files import decode_input
from tearline.model.marking import Marking
from tearline.model.record import MAX_VALUE_LENGTH, Record
from tearline.model.statement import Provenance
from tearline.store.store import Store

DATA = Path(__file__).parent / "data"
PROV = Provenance("us.dea", "us.dea.sod", datetime(2024, 5, 3, tzinfo=UTC))
HEADER = "case_number,drug_type,weight_kg,seizure_date,origin,port\n"


def mapping(name: str = "seizures_mapping.yaml") -> object:
    return parse_mapping((DATA / name).read_text(encoding="utf-8"), name)


def read(name: str, text: str | None = None, spec: str = "seizures_mapping.yaml") -> list[Record]:
    if text is None:
        text = decode_input((DATA / name).read_bytes(), name)
    collector = Collector(name, PROV, Marking.build("AMBER+STRICT"))
    read_csv(text.splitlines(), mapping(spec), collector)  # type: ignore[arg-type]
    return collector.records(TEST_KEYER)


def test_rows_become_mapped_records() -> None:
    records = read("seizures.csv")
    assert len(records) == 3
    assert all(r.id.startswith("cbp-seizure-") and r.schema == "Seizure" for r in records)
    first = next(r for r in records if r.values("drug") == ["fentanyl"])
    assert first.values("originCountry") == ["mx"]
    assert first.values("date") == ["2024-03-02"]
    assert first.values("grossWeight") == ["12.5"]
    assert first.marking == Marking.build("AMBER", ["agency:us.cbp"],
                                          legal_basis="us-interagency-mou-2019")
    assert {s.prop for r in records for s in r.statements} == {
        "drug", "grossWeight", "date", "originCountry"
    }  # the unmapped column "port" is not read
    assert [r.id for r in read("seizures.csv")] == [r.id for r in records]  # stable ids


def test_mapping_that_names_missing_columns() -> None:
    with pytest.raises(MappingError) as info:
        read("seizures.csv", spec="mapping_missing_columns.yaml")
    assert [(p.file, p.line, p.column) for p in info.value.problems] == [
        ("seizures.csv", 1, "destination"),
        ("seizures.csv", 1, "net_weight_kg"),
    ]
    assert "the header has: case_number" in info.value.problems[0].message


def test_unusable_mapping_lists_every_problem() -> None:
    text = "schema: Smuggler\nid_columns: case\nproperties: {}\ncolour: red\n"
    with pytest.raises(MappingError) as info:
        parse_mapping(text, "bad.yaml")
    messages = " | ".join(p.message for p in info.value.problems)
    assert "unknown schema 'Smuggler'" in messages
    assert "id_columns must be" in messages and "properties must map" in messages
    assert "unknown keys: colour" in messages
    with pytest.raises(MappingError, match="property 'drug': expected a column name or list"):
        parse_mapping("schema: Seizure\nid_columns: [a]\nproperties: {drug: 5}\n", "m.yaml")
    with pytest.raises(MappingError, match="no property 'favouriteDrug'"):
        parse_mapping("schema: Seizure\nid_columns: [a]\nproperties: {favouriteDrug: a}\n",
                      "m.yaml")


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://evil.example/","x")', "@SUM(A1)", "+cmd|' /C calc'!A0",
     "-2+3+cmd|' /C calc'!A0", "\t=1+1"],
)
def test_formula_cells_are_refused(cell: str) -> None:
    assert cell_problem(cell) is not None
    assert "spreadsheet formula" in (cell_problem(cell) or "")


@pytest.mark.parametrize("cell", ["-12.5", "+52 667 123 4567", "(555) 010-0199", "fentanyl", ""])
def test_plain_cells_pass(cell: str) -> None:
    assert cell_problem(cell) is None


def test_formula_injection_file() -> None:
    with pytest.raises(IngestError) as info:
        read("seizures_formula.csv")
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.column) == ("seizures_formula.csv", 3, "drug_type")


def test_truncated_file() -> None:
    with pytest.raises(IngestError) as info:
        read("seizures_truncated.csv")
    (problem,) = info.value.problems
    assert problem.line == 3 and "malformed CSV" in problem.message


def test_truncated_row() -> None:
    with pytest.raises(IngestError) as info:
        read("cut.csv", HEADER + "CBP-1,cocaine,3,2024-01-01,MX,Nogales\nCBP-2,coc")
    (problem,) = info.value.problems
    assert (problem.line, problem.message) == (3, "2 cells, the header has 6")


def test_wrong_encoding() -> None:
    with pytest.raises(IngestError) as info:
        read("seizures_latin1.csv")
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == ("seizures_latin1.csv", 2)
    assert "0xef" in problem.message


def test_invalid_date_and_country() -> None:
    with pytest.raises(IngestError) as info:
        read("seizures_bad_values.csv")
    where = [(p.line, p.column) for p in info.value.problems]
    assert where == [(3, "date"), (4, "originCountry")]
    assert "invalid date '2024-02-30'" in info.value.problems[0].message
    assert "invalid country 'Narnia'" in info.value.problems[1].message


def test_ten_megabyte_field_is_reported_with_its_column() -> None:
    big = "z" * 10_000_000
    limit = csv.field_size_limit()
    for column, row in (("drug_type", f"C1,{big},1,2024-01-01,MX,x"),
                        ("port", f"C1,cocaine,1,2024-01-01,MX,{big}")):
        with pytest.raises(IngestError) as info:
            read("big.csv", HEADER + row + "\nC2,cocaine,1,2024-01-01,MX,x\n")
        (problem,) = info.value.problems
        assert (problem.line, problem.column) == (2, column)
        assert f"exceeds the limit of {MAX_VALUE_LENGTH:,}" in problem.message
    assert csv.field_size_limit() == limit  # the csv module's limit is restored


def test_nothing_stored_from_a_rejected_file(store: Store) -> None:
    store.write(read("seizures.csv"))
    before = store.counts()
    for bad in ("seizures_formula.csv", "seizures_bad_values.csv", "seizures_truncated.csv"):
        with pytest.raises(InputError):
            store.write(read(bad))
    assert store.counts() == before


def test_reingest_and_version_bump(store: Store) -> None:
    first = store.write(read("seizures.csv"))
    assert (first.records_new, first.statements_new) == (3, 12)
    before = store.counts()
    again = store.write(read("seizures.csv"))
    assert (again.records_new, again.records_changed, again.statements_new) == (0, 0, 0)
    assert store.counts() == before
    more = store.write(read("seizures_more.csv"))
    (change,) = more.changes
    assert change[1] == 2 and more.statements_new == 1
    assert store.counts()["statements"] == before["statements"] + 1


def test_cells_a_report_cannot_use_are_refused_and_units_normalized() -> None:
    with pytest.raises(IngestError) as info:
        read("seizures_units.csv")
    assert [(p.line, p.column) for p in info.value.problems] == [
        (4, "grossWeight"), (5, "grossWeight"), (6, "date"), (7, "drug")]
    good = HEADER + "".join((DATA / "seizures_units.csv").read_text("utf-8").splitlines(True)[1:3])
    records = sorted(read("units.csv", good), key=lambda r: r.values("drug"))
    assert [(r.values("drug"), r.values("grossWeight")) for r in records] == [
        (["fentanyl"], ["3"]), (["methamphetamine"], ["5.44310844"])]
