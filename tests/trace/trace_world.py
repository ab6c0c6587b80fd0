"""A node that released the same records to three foreign units, for the trace tests.

DEA's node holds Persons and Seizures released (TLP:AMBER, under one trilateral
agreement) to SEMAR, FGR and SSPC, and one public (TLP:CLEAR) Person. The tests export,
report and serve copies to each unit through tearline's own commands, re-serialize them
as a leaker would, and ask ``tearline trace`` whose copy each is.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner, Result

from tearline.cli import app
from tearline.cli.common import STATE, console
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Agreement, Unit
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.store import Store, parties

T = datetime(2024, 1, 1, tzinfo=UTC)
RECIPIENTS = ("mx.semar.uie", "mx.fgr.aic", "mx.sspc.gn")
AGREEMENT = "agr-tri"
DEA = Provenance("us.dea", "us.dea.sod", T)
SHARED = Marking.build("AMBER", ["agency:mx.semar", "agency:mx.fgr", "agency:mx.sspc"],
                       legal_basis=AGREEMENT)
PUBLIC = Marking.build("CLEAR")


def seed(store: Store) -> None:
    with store.transaction() as conn:
        for agency, country in (("us.dea", "us"), ("mx.semar", "mx"), ("mx.fgr", "mx"),
                                ("mx.sspc", "mx")):
            parties.put_agency(conn, Agency(agency, agency.upper(), country), T)
        for unit in ("us.dea.sod", *RECIPIENTS):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
        parties.put_agreement(conn, Agreement(
            AGREEMENT, "Trilateral", "bilateral",
            frozenset({"us.dea", "mx.semar", "mx.fgr", "mx.sspc"})), T)
    store.write(shared_records(store) + public_records(store))


def shared_records(store: Store) -> list[Record]:
    out = [build_record(f"dea-p-{n}", "Person", {
        "name": [f"Persona {n} Zamora"], "alias": [f"El {n}", f"Alias {n}"],
        "birthDate": [f"19{60 + n}-0{1 + n % 9}-1{n % 9}"], "nationality": ["mx"],
        "phone": [f"+52 55 1234 {5600 + n}"]}, DEA, SHARED, keyer=store.keyer)
        for n in range(6)]
    out += [build_record(f"dea-s-{n}", "Seizure", {
        "drug": ["fentanyl"], "date": [f"2023-{1 + n % 12:02d}-{10 + n % 18:02d}"],
        "grossWeight": [f"{3 + n}.5"], "originCountry": ["mx" if n % 3 else "cn"],
        "region": ["Southwest Border"], "concealment": ["false floor"]},
        DEA, SHARED, keyer=store.keyer) for n in range(30)]
    return out


def public_records(store: Store) -> list[Record]:
    return [build_record(f"dea-p-public-{n}", "Person", {
        "name": [f"Publico {n} Rios"], "alias": [f"Uno {n}", f"Dos {n}", f"Tres {n}"],
        "nationality": ["mx"]}, DEA, PUBLIC, keyer=store.keyer) for n in range(4)]


class Workspace:
    def __init__(self, root: Path, db_url: str) -> None:
        self.root, self.db_url = root, db_url

    def invoke(self, *args: str | Path) -> Result:
        width, console.width = console.width, 250
        try:
            return CliRunner().invoke(app, ["--db-url", self.db_url, "-w", str(self.root),
                                            *map(str, args)])
        finally:
            console.width = width
            STATE.close()

    def ok(self, *args: str | Path) -> Result:
        result = self.invoke(*args)
        assert result.exit_code == 0, result.output
        return result
