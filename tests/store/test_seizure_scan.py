"""The seizure scan: the statements a frame is made of, fetched into Arrow and pivoted.

The choice rule and the view's version are checked on rows from a file
(``data/seizure_scan.json``); the two ways of fetching (a SQLite file read with ADBC,
and any store through its SQLAlchemy connection) must return the same statements
under the same policy, including none at all.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Agreement, Unit
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import parties
from tearline.store.seizure_scan import SCAN, arrow_file, fetch, pivot
from tearline.store.seizures import COLUMNS
from tearline.store.store import Store
from tearline.store.visibility import Visibility

DATA = json.loads((Path(__file__).parent / "data" / "seizure_scan.json").read_text())
AT = datetime(2024, 5, 3, tzinfo=UTC)
SOD = Subject("us.dea.sod", "us.dea")
UIE = Subject("mx.semar.uie", "mx.semar")
#: written by a third unit, so that neither viewer sees a statement as its author
BASIS = "us-mx/bicentennial-framework-2021"
DEA = Provenance("us.dea", "us.dea.sd", AT - timedelta(days=30))


def test_pivot_takes_the_originators_value_then_the_earliest_then_the_lowest_id() -> None:
    scan = pa.Table.from_pylist([dict(zip(SCAN.names, row, strict=True))
                                 for row in DATA["scan"]], schema=SCAN)
    rows = pivot(scan, COLUMNS).to_pylist()
    assert [r["entity_id"] for r in rows] == ["sz-1", "sz-2"]  # sz-3: no frame column
    for got, want in zip(rows, DATA["pivoted"], strict=True):
        assert {k: got[k] for k in want} == want
        assert got["net_kg"] is None and got["net_kg_sid"] is None


def test_pivot_of_nothing_is_an_empty_table_with_every_column() -> None:
    rows = pivot(SCAN.empty_table(), COLUMNS)
    assert rows.num_rows == 0
    assert rows.column_names == ["entity_id", "version", "synthetic", *COLUMNS.values(),
                                 *(f"{c}_sid" for c in COLUMNS.values())]


def _records() -> list[Record]:
    red_uie = Marking.build("RED", ["unit:mx.semar.uie"], legal_basis=BASIS)
    sod_only = Marking.build("RED", ["unit:us.dea.sod"])
    hidden = build_record("p-hidden", "Person", {"name": ["Hidden Person"]}, DEA, sod_only,
                          keyer=TEST_KEYER)
    seizures = [
        build_record(f"sz-{n}", "Seizure", {
            "drug": ["fentanyl"], "date": [f"2023-0{1 + n % 9}-01"], "grossWeight": [str(n + 1)],
            "originCountry": ["mx"], "suspect": ["p-hidden"], "notes": [f"note {n}"],
        }, DEA, Marking.build("GREEN"),
            portions={"grossWeight": red_uie if n % 3 else sod_only}, keyer=TEST_KEYER)
        for n in range(6)
    ]  # fmt: skip
    return [hidden, *seizures]


def _stored(store: Store) -> None:
    with store.transaction() as conn:
        for agency, country in (("us.dea", "us"), ("mx.semar", "mx")):
            parties.put_agency(conn, Agency(agency, agency, country), AT - timedelta(days=400))
        for unit, agency in ((SOD.unit, "us.dea"), ("us.dea.sd", "us.dea"),
                             (UIE.unit, "mx.semar")):
            parties.put_unit(conn, Unit(unit, agency, unit), AT - timedelta(days=400))
        parties.put_agreement(conn, Agreement(BASIS, "Framework", "bilateral",
                                              frozenset({"us.dea", "mx.semar"})),
                              AT - timedelta(days=400))
    store.write(_records())


def _sorted(table: pa.Table) -> list[dict[str, object]]:
    return sorted(table.to_pylist(), key=lambda row: (row["entity_id"], row["id"]))


def test_the_file_read_and_the_connection_read_return_the_same_statements(
        store: Store) -> None:
    database = arrow_file(store.engine)
    assert (database is not None) == (store.dialect == "sqlite")
    with store.reading() as conn:  # no Seizure yet: the file read still has every column
        assert fetch(conn, Visibility(UIE, AT), database).schema == SCAN
    _stored(store)
    for subject in (SOD, UIE):
        vis = Visibility(subject, AT)
        with store.reading() as conn:
            through_conn = fetch(conn, vis)
            through_file = fetch(conn, vis, database) if database else through_conn
        assert through_conn.schema == through_file.schema == SCAN
        assert _sorted(through_conn) == _sorted(through_file)
        props = {(r["entity_id"], r["prop"]) for r in through_conn.to_pylist()}
        # the viewer sees the weights RED to it, never those RED to the other unit; the
        # suspect only where the person exists for it
        weights = {e for e, p in props if p == "grossWeight"}
        assert weights == ({"sz-0", "sz-3"} if subject is SOD else
                           {"sz-1", "sz-2", "sz-4", "sz-5"})
        assert any(p == "suspect" for _, p in props) == (subject is SOD)
