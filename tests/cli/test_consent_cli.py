"""`tearline consent request|requests|answer` end to end on a demo-loaded store, and the
consent itself still given by `tearline consent ENTITY --to AGENCY` (`consent give`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from demo_world import NEVER, DemoWorkspace, load, no_portion

from tearline.demo import scenario as sc
from tearline.store import releases
from tearline.store.store import Store


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: the store's side runs on both backends (tests/store/test_consent_requests)."""
    return f"sqlite:///{tmp_path / 'tearline.sqlite'}"


@pytest.fixture
def ws(store: Store, db_url: str, tmp_path: Path, data_dir: Path) -> DemoWorkspace:
    return load(store, db_url, tmp_path, data_dir)


def listed(ws: DemoWorkspace, unit: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = json.loads(ws.ok("consent", "requests", "--as", unit,
                                                  "-f", "json"))
    return rows


def test_a_consent_asked_granted_and_refused_on_the_command_line(ws: DemoWorkspace) -> None:
    orcon = ws.pick("Person", sc.MX_SEMAR, sc.SEMAR_TO_US, no_portion)
    us_only = ws.pick("Person", sc.US_DEA, sc.AGENCY_ONLY, no_portion)
    ask = ("consent", "request", orcon.id, "--as", sc.SOD, "--to", f"agency:{sc.MX_FGR}")
    entries = ws.audit_size()
    assert ws.fails(2, *ask) == "error: say why you ask (at most 500 characters)"
    assert ws.fails(3, "consent", "request", us_only.id, "--as", sc.FEMDO, "--to",
                    "agency:us.dea", "--reason", "x").replace(us_only.id, NEVER) == ws.fails(
        3, "consent", "request", NEVER, "--as", sc.FEMDO, "--to", "agency:us.dea",
        "--reason", "x")
    assert ws.fails(2, "consent", "request", orcon.id, "--as", sc.UIE, "--to",
                    "agency:mx.fgr", "--reason", "mine").startswith(
        f"error: nothing of {orcon.id} that you see waits")
    assert ws.audit_size() == entries
    said = ws.ok(*ask, "--reason", "a prosecution in Mexico")
    made = re.fullmatch(rf"(cr-[0-9a-f]{{24}}): asked unit {sc.UIE} \(mx\.semar\) for consent "
                        rf"to release {orcon.id} onward", said)
    assert made is not None, said
    (sent,) = listed(ws, sc.SOD)
    assert (sent["id"], sent["direction"], sent["state"], sent["reason"]) == (
        made[1], "sent", "pending", "a prosecution in Mexico")
    assert [r["direction"] for r in listed(ws, sc.UIE)] == ["received"]
    assert listed(ws, sc.NAVAL_POLICE) == [] and listed(ws, sc.SAN_DIEGO) == []
    assert ws.fails(2, "consent", "answer", made[1], "--as", sc.UIE) == (
        "error: answer with --grant or with --refuse --reason …")
    assert ws.fails(3, "consent", "answer", made[1], "--as", sc.NAVAL_POLICE, "--grant") == (
        f"not found: no consent request '{made[1]}'")
    assert ws.ok("consent", "answer", made[1], "--as", sc.UIE, "--grant").startswith(
        f"{made[1]}: granted; consent con-")
    with ws.store.reading() as conn:
        (given,) = releases.consents(conn, [orcon.id])
    assert (given.by_agency, given.to_agency) == (sc.MX_SEMAR, sc.US_DEA)
    (sent,) = listed(ws, sc.SOD)
    assert (sent["state"], sent["consent_id"]) == ("granted", given.id)
    # withdrawn, asked again and refused: the reason reaches the unit that asked
    ws.ok("consent", orcon.id, "--as", sc.UIE, "--withdraw", given.id)
    again = ws.ok(*ask, "--reason", "once more").split(":")[0]
    assert ws.ok("consent", "answer", again, "--as", sc.UIE, "--refuse", "--reason",
                 "the source would be exposed") == f"{again}: refused; no consent given"
    assert [(r["state"], r["answer_reason"]) for r in listed(ws, sc.SOD)] == [
        ("granted", ""), ("refused", "the source would be exposed")]
    assert ws.fails(1, "consent", "answer", again, "--as", sc.UIE, "--grant") == (
        f"error (conflict): consent request {again} was answered already (refused)")
