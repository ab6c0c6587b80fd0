"""JSON lines of FollowTheMoney entities → records; all or nothing, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from statement_keys import TEST_KEYER
from tearline.errors import IngestError
from tearline.ingest.entities import MAX_LINE, Collector, read_jsonl
from tearline.ingest.files import decode_input
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking, Tlp
from tearline.model.record import Record
from tearline.model.statement import Provenance
from tearline.store.store import Store

DATA = Path(__file__).parent / "data"
PROV = Provenance("us.dea", "us.dea.sod", datetime(2024, 5, 3, tzinfo=UTC), Reliability.B,
                  Credibility.PROBABLY_TRUE)
DEFAULT = Marking.build("AMBER+STRICT")


def read(name: str, text: str | None = None) -> list[Record]:
    if text is None:
        text = decode_input((DATA / name).read_bytes(), name)
    collector = Collector(name, PROV, DEFAULT)
    read_jsonl(text.splitlines(), collector)
    return collector.records(TEST_KEYER)


def rejected(name: str, text: str | None = None) -> IngestError:
    with pytest.raises(IngestError) as info:
        read(name, text)
    assert "nothing was stored" in info.value.message
    return info.value


def test_marking_portions_and_synthetic_keys() -> None:
    records = {r.id: r for r in read("entities_ok.jsonl")}
    assert sorted(records) == ["dea-l-1", "dea-o-1", "dea-p-1", "dea-s-1"]
    person = records["dea-p-1"]
    assert person.marking == Marking.build("AMBER", ["agency:us.dea"])
    phone = [s for s in person.statements if s.prop == "phone"]
    assert [s.value for s in phone] == ["+526671234567"]
    assert phone[0].marking == Marking.build("RED", ["unit:us.dea.sod"])
    assert all(s.marking is None for s in person.statements if s.prop != "phone")
    assert person.values("nationality") == ["mx"]
    assert [s.original_value for s in person.statements if s.prop == "nationality"] == ["Mexico"]
    assert records["dea-o-1"].marking == DEFAULT  # no marking key: the reader's default
    assert records["dea-s-1"].synthetic and not person.synthetic
    assert {(s.reliability, s.credibility) for s in person.statements} == {
        (Reliability.B, Credibility.PROBABLY_TRUE)
    }


def test_lines_of_one_entity_are_merged() -> None:
    text = "\n".join(
        [
            '{"id": "x-1", "schema": "Person", "properties": {"name": ["A B"]}}',
            "",
            '{"id": "x-1", "schema": "Person", "properties": {"name": ["A B"], '
            '"alias": ["C"]}}',
        ]
    )
    (record,) = read("merged.jsonl", text)
    assert sorted((s.prop, s.value) for s in record.statements) == [
        ("alias", "C"),
        ("name", "A B"),
    ]


@pytest.mark.parametrize(
    ("name", "where", "words"),
    [
        ("entities_truncated.jsonl", "entities_truncated.jsonl:1", "truncated"),
        ("entities_unknown_schema.jsonl", "entities_unknown_schema.jsonl:2:schema",
         "unknown schema 'Smuggler'"),
        ("entities_unknown_property.jsonl", "entities_unknown_property.jsonl:2:favouriteDrug",
         "no property 'favouriteDrug'"),
        ("entities_bad_date.jsonl", "entities_bad_date.jsonl:2:birthDate",
         "invalid date '1961-13-45'"),
        ("entities_bad_country.jsonl", "entities_bad_country.jsonl:2:nationality",
         "invalid country 'Atlantis'"),
    ],
)
def test_bad_files_are_rejected_with_their_place(name: str, where: str, words: str) -> None:
    error = rejected(name)
    assert len(error.problems) == 1
    assert str(error.problems[0]).startswith(where)
    assert words in error.problems[0].message


def test_wrong_encoding() -> None:
    with pytest.raises(IngestError) as info:
        decode_input((DATA / "entities_latin1.jsonl").read_bytes(), "entities_latin1.jsonl")
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == ("entities_latin1.jsonl", 1)
    assert "0xe9" in problem.message and "not valid utf-8" in problem.message


def test_ten_megabyte_field() -> None:
    big = "x" * 10_000_000
    text = (
        '{"id": "x-1", "schema": "Person", "properties": {"name": ["ok"]}}\n'
        f'{{"id": "x-2", "schema": "Person", "properties": {{"name": ["{big}"]}}}}\n'
    )
    (problem,) = rejected("big.jsonl", text).problems
    assert problem.line == 2
    assert f"exceeds {MAX_LINE:,}" in problem.message


def test_value_over_the_limit_within_a_line() -> None:
    value = "y" * 70_000
    text = f'{{"id": "x-2", "schema": "Person", "properties": {{"name": ["{value}"]}}}}'
    (problem,) = rejected("long.jsonl", text).problems
    assert (problem.line, problem.column) == (1, "name")
    assert "70,000 characters exceeds" in problem.message


def test_every_problem_is_listed_in_line_order() -> None:
    text = "\n".join(
        [
            '{"id": "x-1", "schema": "Person", "properties": {"name": ["A"], '
            '"birthDate": ["never"]}}',
            "[1, 2]",
            '{"id": "x-3", "schema": "Person", "properties": {"name": "not a list"}}',
            '{"id": "x-4", "schema": "Person", "colour": "red", "properties": {}}',
            '{"id": "x-5", "schema": "Person", "properties": {"name": ["Z"]}, '
            '"marking": {"tlp": "PURPLE"}}',
            '{"id": "x-6", "schema": "Person", "properties": {"name": ["Z"]}, '
            '"marking": {"tlp": "GREEN"}, "portions": {"name": {"tlp": "CLEAR"}}}',
        ]
    )
    problems = rejected("many.jsonl", text).problems
    assert [p.line for p in problems] == [1, 2, 3, 4, 5, 6]
    assert "invalid date 'never'" in problems[0].message
    assert "unknown keys: colour" in problems[3].message
    assert "PURPLE" in problems[4].message
    assert "a portion may only narrow" in problems[5].message


def test_nothing_from_a_rejected_file_reaches_the_store(store: Store) -> None:
    summary = store.write(read("entities_ok.jsonl"))
    assert (summary.records_new, summary.statements_new) == (4, 13)
    before = store.counts()
    with pytest.raises(IngestError):
        store.write(read("entities_unknown_property.jsonl"))
    assert store.counts() == before


def test_reingesting_creates_no_duplicates(store: Store) -> None:
    store.write(read("entities_ok.jsonl"))
    before = store.counts()
    again = store.write(read("entities_ok.jsonl"))
    assert (again.records_new, again.records_changed, again.statements_new) == (0, 0, 0)
    assert again.statements_seen == 13
    assert store.counts() == before


def test_version_grows_when_a_record_gains_statements(store: Store) -> None:
    store.write(read("entities_ok.jsonl"))
    before = store.counts()
    summary = store.write(read("entities_more.jsonl"))
    (change,) = summary.changes
    assert change[:2] == ("dea-p-1", 2)
    assert len(change[2]) == 1 and summary.statements_new == 1
    assert store.counts()["statements"] == before["statements"] + 1
    assert store.counts()["records"] == before["records"]
    # The same addition again changes nothing.
    assert store.write(read("entities_more.jsonl")).changes == ()


def test_default_marking_is_the_readers() -> None:
    collector = Collector("x.jsonl", PROV, Marking.build(Tlp.GREEN))
    read_jsonl(['{"id": "x-1", "schema": "Person", "properties": {"name": ["A"]}}'], collector)
    (record,) = collector.records(TEST_KEYER)
    assert record.marking.tlp is Tlp.GREEN


@pytest.mark.parametrize(
    ("extra", "column"),
    [('"portions": ["birthDate"]', "portions"), ('"synthetic": "yes"', "synthetic")],
)
def test_malformed_tearline_keys_are_typed_problems(extra: str, column: str) -> None:
    line = '{"id": "p1", "schema": "Person", "properties": {"name": ["A B"]}, ' + extra + "}"
    error = rejected("keys.jsonl", line)
    assert [(p.line, p.column) for p in error.problems] == [(1, column)]


def test_a_bidirectional_control_escaped_in_json_is_refused_at_its_line_and_property() -> None:
    text = ('{"id": "p1", "schema": "Person", "properties": {"name": ["Ana"]}}\n'
            '{"id": "p2", "schema": "Person", "properties": {"name": ["\\u202eanitsuga"]}}\n')
    (problem,) = rejected("people.jsonl", text).problems
    assert (problem.file, problem.line, problem.column) == ("people.jsonl", 2, "name")
    assert "U+202E" in problem.message


# -- values a report reads (model/values.py), located in the file ---------------------------


def test_values_a_report_cannot_use_are_refused_with_file_line_column() -> None:
    error = rejected("seizures_values_bad.jsonl")
    assert [str(p) for p in error.problems] == [
        "seizures_values_bad.jsonl:2:grossWeight: sz-abc: weight 'abc' is not a number with "
        "a unit (such as 12.5 kg, 500 g, 3 lb)",
        "seizures_values_bad.jsonl:3:netWeight: sz-negative: weight '-5' is negative",
        "seizures_values_bad.jsonl:4:date: sz-future: date 2024-06-01 is in the future "
        "(it is now 2024-05-03)",
        "seizures_values_bad.jsonl:5:drug: sz-tea: unknown drug 'tea': expected one of "
        "fentanyl, methamphetamine, cocaine, heroin, marijuana, ecstasy, ketamine, lsd, "
        "khat, other",
    ]


def test_spanish_drug_names_and_weight_units_are_mapped() -> None:
    records = {r.id: r for r in read("seizures_spanish.jsonl")}
    assert [(records[i].values("drug"), records[i].values("grossWeight")) for i in sorted(records)
            ] == [(["fentanyl"], ["3"]), (["cocaine"], ["0.5"]),
                  (["methamphetamine"], ["0.90718474"]), (["heroin"], ["1250"])]
    assert records["sz-4"].values("netWeight") == ["1100"]
    originals = {s.original_value for r in records.values() for s in r.statements}
    assert {"Fentanilo", "cocaína", "METANFETAMINA", "heroina", "2 lb"} <= originals
