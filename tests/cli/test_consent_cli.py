"""`tearline consent request|requests|answer` end to end on a small store (the consent
itself, `tearline consent ENTITY --to AGENCY`, is tests/cli/test_dissemination_cli.py's)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from demo_world import T0, DemoWorkspace

from statement_keys import TEST_KEYER
from tearline.demo import scenario as sc
from tearline.demo.load import seed_parties
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store import releases
from tearline.store.store import Store

ORCON = Marking.build("AMBER", [f"agency:{sc.US_DEA}"], orcon=True,
                      legal_basis=sc.SECURITY_FRAMEWORK)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: the store's side runs on both backends (tests/store/test_consent_requests)."""
    return f"sqlite:///{tmp_path / 'tearline.sqlite'}"


@pytest.fixture
def ws(store: Store, db_url: str, tmp_path: Path) -> DemoWorkspace:
    seed_parties(store, T0)
    prov = Provenance(sc.MX_SEMAR, sc.UIE, T0 + timedelta(days=1))
    records = (
        build_record("mx-p-1", "Person", {"name": ["Uno"]}, prov, ORCON, keyer=TEST_KEYER),
        build_record("mx-p-2", "Person", {"name": ["Dos"]}, prov, ORCON, keyer=TEST_KEYER),
        build_record("dea-p-1", "Person", {"name": ["Tres"]},
                     Provenance(sc.US_DEA, sc.SOD, T0 + timedelta(days=1)),
                     Marking.build("AMBER", [f"unit:{sc.SOD}"]), keyer=TEST_KEYER))
    store.write(list(records))
    return DemoWorkspace(store, db_url, tmp_path, records)


def listed(ws: DemoWorkspace, unit: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = json.loads(ws.ok("consent", "requests", "--as", unit,
                                                  "-f", "json"))
    return rows


def test_a_consent_asked_granted_and_refused_on_the_command_line(ws: DemoWorkspace) -> None:
    ask = ("consent", "request", "mx-p-1", "--as", sc.SOD, "--to", f"agency:{sc.MX_FGR}")
    assert ws.fails(2, *ask) == "error: say why you ask (at most 500 characters)"
    hidden = ("consent", "request", "dea-p-1", "--as", sc.FEMDO, "--to", "agency:us.dea",
              "--reason", "x")
    never = [a.replace("dea-p-1", "dea-p-9") for a in hidden]  # an id never created
    assert ws.fails(3, *hidden) == "not found: no record 'dea-p-1'"
    assert ws.fails(3, *never) == "not found: no record 'dea-p-9'"
    said = ws.ok(*ask, "--reason", "a prosecution in Mexico")
    made = re.fullmatch(rf"(cr-[0-9a-f]{{24}}): asked unit {sc.UIE} \(mx\.semar\) for consent "
                        r"to release mx-p-1 onward", said)
    assert made is not None, said
    (sent,) = listed(ws, sc.SOD)
    assert (sent["id"], sent["direction"], sent["state"], sent["reason"]) == (
        made[1], "sent", "pending", "a prosecution in Mexico")
    assert listed(ws, sc.NAVAL_POLICE) == []  # SEMAR, but not the unit asked
    assert ws.fails(2, "consent", "answer", made[1], "--as", sc.UIE) == (
        "error: answer with --grant or with --refuse --reason …")
    assert ws.fails(3, "consent", "answer", made[1], "--as", sc.NAVAL_POLICE, "--grant") == (
        f"not found: no consent request '{made[1]}'")
    assert ws.ok("consent", "answer", made[1], "--as", sc.UIE, "--grant").startswith(
        f"{made[1]}: granted; consent con-")
    with ws.store.reading() as conn:
        (given,) = releases.consents(conn, ["mx-p-1"])
    assert (given.by_agency, given.to_agency) == (sc.MX_SEMAR, sc.US_DEA)
    other = ws.ok("consent", "request", "mx-p-2", "--as", sc.SOD, "--to", "agency:mx.fgr",
                  "--reason", "once more").split(":")[0]
    assert ws.ok("consent", "answer", other, "--as", sc.UIE, "--refuse", "--reason",
                 "the source would be exposed") == f"{other}: refused; no consent given"
    assert [(r["state"], r["consent_id"], r["answer_reason"]) for r in listed(ws, sc.SOD)] == [
        ("granted", given.id, ""), ("refused", "", "the source would be exposed")]
    assert ws.fails(1, "consent", "answer", other, "--as", sc.UIE, "--grant") == (
        f"error (conflict): consent request {other} was answered already (refused)")
