"""tearline → MISP feed → tearline keeps every record, value and marking; PyMISP loads every
event and validates every object against its template (Hypothesis over generated records)."""

from __future__ import annotations

from hypothesis import given, settings
from misp_checks import event_files, loaded, validate
from misp_records import batches, case

from statement_keys import TEST_KEYER
from tearline.ingest.entities import Collector
from tearline.ingest.misp_event import read_misp
from tearline.misp.export import to_events
from tearline.misp.feed import feed_files
from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.model.statement import Provenance

DEFAULT = Marking.build("AMBER+STRICT")


def facts(record: Record) -> tuple[object, ...]:
    """What the round trip keeps: id, schema, marking, each value with its portion."""
    values = sorted((s.prop, s.value, None if s.marking in (None, record.marking)
                     else s.marking.canonical()) for s in record.statements)
    return record.id, record.schema, record.marking, tuple(values)


def round_trip(records: list[Record]) -> list[Record]:
    files = feed_files(to_events(records).events)
    back: list[Record] = []
    for name, text in sorted(event_files(files).items()):
        validate(loaded(text))
        collector = Collector(name, Provenance("mx.semar", "mx.semar.uie", records[0]
                                               .statements[0].first_seen), DEFAULT)
        read_misp(text, collector)
        back += collector.records(TEST_KEYER)
    return back


@settings(max_examples=60)
@given(batches())
def test_round_trip_keeps_every_record_value_and_marking(records: list[Record]) -> None:
    back = round_trip(records)
    assert sorted(map(facts, back)) == sorted(map(facts, records))


def test_round_trip_of_the_hand_made_case() -> None:
    records = case()
    assert sorted(map(facts, round_trip(records))) == sorted(map(facts, records))


def test_the_manifest_lists_every_event_with_its_tags() -> None:
    import json

    files = feed_files(to_events(case()).events)
    manifest = json.loads(files["manifest.json"])
    assert {f"{k}.json" for k in manifest} == set(event_files(files))
    assert all(entry["Tag"] and entry["Tag"][0]["name"].startswith("tlp:")
               for entry in manifest.values())
    assert files["hashes.csv"].count("\n") > 0
