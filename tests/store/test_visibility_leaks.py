"""Leak tests: for an unauthorized unit, "hidden" and "never existed" are indistinguishable.

Two stores on the same backend hold the same visible data; one also holds a record
hidden from the unit (in several ways), with a name, an alias and an identifier, a
relationship to a visible record, and a visible record that references it. Every read
path — show, search by name, alias and identifier, listing, counts, stats, error
messages, relationship traversal, and the command line's output and exit status —
must answer the same in both.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from statement_keys import TEST_KEYER
from tearline.cli import app
from tearline.errors import NotFound
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Agreement, Unit, Vetting
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import parties
from tearline.store.store import Store

T = datetime(2024, 5, 1, tzinfo=UTC)
NOW = T + timedelta(days=10)
PN = Subject("mx.semar.pn", "mx.semar")
DEA = Provenance("us.dea", "us.dea.sod", T)

HIDDEN_WAYS: dict[str, Marking] = {
    "amber-strict": Marking.build("AMBER+STRICT"),
    "red": Marking.build("RED", ["unit:us.dea.sod"]),
    "lapsed-vetting": Marking.build("AMBER", ["vetted-by:us.dea"], legal_basis="fw"),
    "expired": Marking.build("AMBER", ["agency:mx.semar"], legal_basis="fw",
                             expires_at=T + timedelta(days=1)),
}


def records(hidden: Marking | None) -> list[Record]:
    public = Marking.build("GREEN")
    out = [
        build_record("p-visible", "Person", {"name": ["Maria Zeta"], "addressEntity": ["p-secret"]},
                     DEA, public, keyer=TEST_KEYER),
        build_record("l-link", "UnknownLink", {"subject": ["p-visible"], "object": ["p-secret"]},
                     DEA, public, keyer=TEST_KEYER),
        build_record("p-other", "Person", {"name": ["Zeta Morales"]}, DEA, public,
                     keyer=TEST_KEYER),
    ]
    if hidden is not None:
        out.append(build_record(
            "p-secret", "Person",
            {"name": ["Zeta Quintero"], "alias": ["El Zorro"], "idNumber": ["QUZ610927"]},
            DEA, hidden, keyer=TEST_KEYER))
    return out


def open_store(url: str, hidden: Marking | None) -> Store:
    store = Store.open(url)
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.semar"):
            parties.put_agency(conn, Agency(agency, agency, agency[:2]), T)
        for unit in ("us.dea.sod", "mx.semar.pn"):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
        parties.put_agreement(conn, Agreement("fw", "Framework", "bilateral",
                                              frozenset({"us.dea", "mx.semar"})), T)
        parties.put_vetting(conn, Vetting("v1", "us.dea", "mx.semar.pn", T,
                                          T + timedelta(days=2)), T, "test")
    store.write(records(hidden))
    return store


def answers(store: Store) -> dict[str, Any]:
    """Everything the unit can learn, by every path, as plain values."""
    def attempt(f: Callable[[], Any]) -> Any:
        try:
            return f()
        except NotFound as exc:
            return ("NotFound", exc.message, exc.code)

    def view(recs: list[Record]) -> list[tuple[str, list[tuple[str, str]]]]:
        return [(r.id, sorted((s.prop, s.value) for s in r.statements)) for r in recs]

    out: dict[str, Any] = {}
    for eid in ("p-secret", "l-link", "p-visible", "never-created"):
        out[f"show {eid}"] = attempt(lambda e=eid: view([store.read(PN, NOW, e)]))
    for text in ("zeta", "quintero", "zorro", "el", "QUZ610927", "quz", "zeta q"):
        out[f"search {text}"] = view(store.search(PN, NOW, text))
        out[f"search {text} person"] = view(store.search(PN, NOW, text, "Person", limit=1))
    out["list"] = view(store.page(PN, NOW))
    out["list after"] = view(store.page(PN, NOW, after="p-other", limit=1))
    out["stats"] = store.stats(PN, NOW)
    out["many"] = view(store.read_many(PN, NOW, ["p-secret", "p-visible", "l-link"]))
    return out


@pytest.mark.parametrize("way", sorted(HIDDEN_WAYS))
def test_hidden_and_never_existed_answer_the_same(db_url: str, tmp_path: Path,
                                                  way: str) -> None:
    second = (f"sqlite:///{tmp_path / 'never.sqlite'}" if db_url.startswith("sqlite")
              else db_url.replace("search_path%3D", "search_path%3Dz"))
    if not db_url.startswith("sqlite"):
        import sqlalchemy

        schema = db_url.split("search_path%3D")[1]
        engine = sqlalchemy.create_engine(db_url.split("?")[0])
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA z{schema}")
        engine.dispose()
    with_hidden = open_store(db_url, HIDDEN_WAYS[way])
    never = open_store(second, None)
    try:
        seen = answers(with_hidden)
        assert seen == answers(never)
        # the record exists, and the originator sees it (so the test can fail)
        assert with_hidden.read(Subject("us.dea.sod", "us.dea"), NOW, "p-secret")
        assert seen["show p-secret"] == ("NotFound", "no record 'p-secret'", "not_found")
        assert seen["show l-link"][0] == "NotFound"  # relationship with a hidden end
        assert seen["show p-visible"] == [("p-visible", [("name", "Maria Zeta")])]
        if way != "amber-strict":
            return  # the command line is checked once; it reads through the same store
        runner = CliRunner()
        outputs = []
        for url in (db_url, second):
            for args in (["show", "p-secret"], ["show", "l-link"], ["search", "zorro"],
                         ["search", "quz610927"], ["list"], ["stats"],
                         ["show", "p-secret", "--format", "json"]):
                res = runner.invoke(app, ["--db-url", url, *args, "--as", PN.unit,
                                          "--at", NOW.isoformat()])
                outputs.append((args, res.exit_code, res.stdout, res.stderr))
        half = len(outputs) // 2
        assert outputs[:half] == outputs[half:]
    finally:
        with_hidden.close()
        never.close()
