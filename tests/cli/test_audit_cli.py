"""`tearline audit …` end to end: keys, checkpoints, proofs checked without the database,
who-saw-this-record through the policy, and verify naming the first bad entry."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner, Result

from statement_keys import TEST_KEYER
from tearline.cli import app
from tearline.cli.common import STATE
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Analyst, Unit
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store import audit_log, parties
from tearline.store.store import Store

AT = datetime(2024, 5, 3, 12, 0, tzinfo=UTC)
INGEST = Path(__file__).resolve().parents[1] / "ingest" / "data" / "entities_ok.jsonl"
DEA = Provenance("us.dea", "us.dea.sod", AT - timedelta(days=30), Reliability.A,
                 Credibility.CONFIRMED)  # fmt: skip
SEMAR = Provenance("mx.semar", "mx.semar.uie", AT - timedelta(days=30), Reliability.B,
                   Credibility.PROBABLY_TRUE)  # fmt: skip


def invoke(db_url: str, workspace: Path, *args: str) -> Result:
    try:
        return CliRunner().invoke(app, ["--db-url", db_url, "-w", str(workspace), *args])
    finally:
        if STATE._store is not None:
            STATE._store.close()
            STATE._store = None


def ok(db_url: str, workspace: Path, *args: str) -> str:
    result = invoke(db_url, workspace, *args)
    assert result.exit_code == 0, result.output
    return result.output


def setup(store: Store) -> None:
    with store.transaction() as conn:
        for agency, country in (("us.dea", "us"), ("mx.semar", "mx"), ("mx.fgr", "mx")):
            parties.put_agency(conn, Agency(agency, agency, country), AT - timedelta(days=2))
        for unit in ("us.dea.sod", "mx.semar.uie", "mx.fgr.fecor"):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit),
                             AT - timedelta(days=2))
    store.write([
        build_record("p-dea", "Person", {"name": ["Ana Torres"]}, DEA, Marking.build("GREEN"),
                     keyer=TEST_KEYER),
        build_record("p-semar", "Person", {"name": ["Luis Vega"]}, SEMAR,
                     Marking.build("AMBER", ["agency:mx.semar"]), keyer=TEST_KEYER),
    ])  # fmt: skip


def test_keys_checkpoints_and_proofs(store: Store, db_url: str, tmp_path: Path) -> None:
    out = ok(db_url, tmp_path, "init", "--origin", "node.example/tearline")
    key_file = tmp_path / "keys" / "node.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    verifier = (tmp_path / "keys" / "node.pub").read_text().strip()
    assert verifier in out and "PRIVATE" not in out
    setup(store)
    for unit in ("us.dea.sod", "mx.semar.uie"):
        ok(db_url, tmp_path, "show", "p-dea", "--as", unit)
    note = ok(db_url, tmp_path, "audit", "checkpoint")
    assert note.startswith("node.example/tearline\n")
    size = int(note.splitlines()[1])
    proof = tmp_path / "inclusion.json"
    proof.write_text(ok(db_url, tmp_path, "audit", "prove", "2", "--size", str(size - 1)))
    data = json.loads(proof.read_text())
    assert data["type"] == "inclusion" and data["size"] == size - 1
    # Checked from the file and the verifier key alone: a wrong database cannot matter.
    checked = ok("sqlite:////nonexistent/x.sqlite", tmp_path / "elsewhere", "audit",
                 "verify-proof", str(proof), "--key", verifier)
    assert "proof verified: entry 2" in checked
    data["entry"] = data["entry"].replace("\"v\":1", "\"v\":2")
    proof.write_text(json.dumps(data))
    assert invoke(db_url, tmp_path, "audit", "verify-proof", str(proof)).exit_code != 0
    consistency = tmp_path / "consistency.json"
    consistency.write_text(ok(db_url, tmp_path, "audit", "prove-consistency", "3", str(size)))
    assert "extends size 3" in ok(db_url, tmp_path, "audit", "verify-proof", str(consistency))
    other = tmp_path / "other"
    ok(db_url, other, "init", "--origin", "other.example/tearline")
    wrong_key = (other / "keys" / "node.pub").read_text().strip()
    refused = invoke(db_url, tmp_path, "audit", "verify-proof", str(consistency), "--key",
                     wrong_key)
    assert refused.exit_code != 0 and "no signature" in refused.output
    assert "verified" in ok(db_url, tmp_path, "audit", "verify")


def test_verify_names_the_first_bad_entry(store: Store, db_url: str, tmp_path: Path) -> None:
    ok(db_url, tmp_path, "init")
    setup(store)
    ok(db_url, tmp_path, "search", "ana", "--as", "mx.semar.uie")
    result = json.loads(ok(db_url, tmp_path, "audit", "verify", "--format", "json"))
    assert result[0]["status"] == "ok" and result[0]["signatures"] is True
    with store.transaction() as conn:
        conn.execute(text("UPDATE audit_nodes SET hash = :x WHERE level = 0 AND idx = 4"),
                     {"x": bytes(32)})
    failed = invoke(db_url, tmp_path, "audit", "verify")
    assert failed.exit_code == 1
    assert "audit log entry 4 is bad" in " ".join(failed.output.split())


def test_who_saw_a_record_follows_the_asking_agency(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    ok(db_url, tmp_path, "init")
    setup(store)
    for unit in ("us.dea.sod", "mx.semar.uie", "mx.fgr.fecor"):
        ok(db_url, tmp_path, "show", "p-dea", "--as", unit)
    ok(db_url, tmp_path, "show", "p-semar", "--as", "mx.semar.uie")

    def seen(entity: str, unit: str) -> list[tuple[str, str]]:
        rows = json.loads(ok(db_url, tmp_path, "audit", "log", "--entity", entity, "--as", unit,
                             "--format", "json"))
        return [(r["kind"], r["actor"]) for r in rows]

    # The originator (DEA) sees every unit that opened its record; the others' reads in a
    # reduced form (no index, no leaf hash, no version).
    assert seen("p-dea", "us.dea.sod") == [
        ("record.created", "unit:us.dea.sod"), ("record.read", "unit:us.dea.sod"),
        ("record.read", "unit:mx.semar.uie"), ("record.read", "unit:mx.fgr.fecor")]
    rows = json.loads(ok(db_url, tmp_path, "audit", "log", "--entity", "p-dea", "--as",
                         "us.dea.sod", "-f", "json"))
    assert [r["form"] for r in rows][:4] == ["whole", "whole", "reduced", "reduced"]
    assert rows[2]["index"] is None and rows[2]["leaf_hash"] is None
    assert "version" not in rows[2]["detail"] and rows[1]["detail"]["version"] == 1
    # Another agency sees only its own unit's reads of it.
    assert seen("p-dea", "mx.semar.uie") == [("record.read", "unit:mx.semar.uie")]
    # A record that does not exist for the asker: nothing, as if it had no history.
    assert seen("p-semar", "mx.fgr.fecor") == []
    assert seen("p-semar", "us.dea.sod") == []
    # Asking about a record tells its originator nothing: the asker's interest is its own.
    assert seen("p-semar", "mx.semar.uie") == [
        ("record.created", "unit:mx.semar.uie"), ("record.read", "unit:mx.semar.uie")]
    by_actor = json.loads(ok(db_url, tmp_path, "audit", "log", "--subject", "unit:mx.fgr.fecor",
                             "--since", "2000-01-01T00:00:00Z", "--as", "mx.fgr.fecor", "-f",
                             "json"))
    # Its own question about a record that does not exist for it stays hidden from it too.
    assert {r["kind"] for r in by_actor} == {"record.read"}
    assert invoke(db_url, tmp_path, "audit", "log", "--entity", "p-dea").exit_code == 2
    both = invoke(db_url, tmp_path, "audit", "log", "--oversight", "--as", "us.dea.sod")
    assert both.exit_code == 2 and "not both" in both.output


def test_the_oversight_reads_every_entry_whole(store: Store, db_url: str, tmp_path: Path) -> None:
    ok(db_url, tmp_path, "init")
    setup(store)
    ok(db_url, tmp_path, "search", "ana", "--as", "mx.semar.uie")
    rows = json.loads(ok(db_url, tmp_path, "audit", "log", "--oversight", "--limit", "1000",
                         "-f", "json"))
    assert [r["index"] for r in rows] == list(range(len(rows)))
    assert {r["form"] for r in rows} == {"whole"}
    assert "search.query" in {r["kind"] for r in rows}
    # Units of one agency see nothing of each other's searches (finding 5 of issue #13).
    semar = json.loads(ok(db_url, tmp_path, "audit", "log", "--as", "mx.semar.uie", "-f", "json"))
    assert "search.query" in {r["kind"] for r in semar}
    with store.transaction() as conn:
        parties.put_unit(conn, Unit("mx.semar.pn", "mx.semar", "PN"), AT - timedelta(days=1))
    pn = json.loads(ok(db_url, tmp_path, "audit", "log", "--as", "mx.semar.pn", "-f", "json"))
    # Only the creation of its agency's record, at unit level, and reduced.
    assert [(r["kind"], r["actor"], r["form"]) for r in pn] == [
        ("record.created", "unit:mx.semar.uie", "reduced")]
    # The oversight's question is on record, by the node itself.
    again = json.loads(ok(db_url, tmp_path, "audit", "log", "--oversight", "--limit", "1000",
                          "-f", "json"))
    assert ("audit.queried", "system") in {(r["kind"], r["actor"]) for r in again}


def test_an_ingest_names_its_analyst(store: Store, db_url: str, tmp_path: Path) -> None:
    """Writes are logged under who wrote, the analyst when known (finding 7 of issue #13)."""
    setup(store)
    with store.transaction() as conn:
        parties.put_analyst(conn, Analyst("bob@us.dea.sod", "us.dea.sod", "Bob"),
                            AT - timedelta(days=1))
    ok(db_url, tmp_path, "ingest", str(INGEST), "--as", "bob@us.dea.sod")
    with store.reading() as conn:
        created = [e for e in audit_log.entries(conn, limit=10_000) if e.kind == "record.created"]
    assert {e.actor for e in created[2:]} == {"analyst:bob@us.dea.sod"}  # after setup's two
    assert len(created) == 2 + len(INGEST.read_text().splitlines())
