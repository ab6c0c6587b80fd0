"""``tearline resolve run | review | judge | show`` over the store (cli/resolve_store.py,
store/resolve_judgements.py): a unit resolves what it may see; judgements override the
model, are append-only, and are seen by others only as their marking allows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_ws import CliWorkspace, dea_workspace

DATA = Path(__file__).parents[1] / "resolve" / "data"
SOD = ["--as", "us.dea.sod"]
SDFD = ["--as", "us.dea.sdfd"]


def i(local: str) -> str:
    """A record's id as ingest namespaces it."""
    return f"us.dea.sod..{local}"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> CliWorkspace:
    ws = dea_workspace(tmp_path_factory.mktemp("resolve"))
    ws.ok("party", "add-unit", "us.dea.sdfd", "--agency", "us.dea", "--name", "SDFD")
    ws.ok("ingest", DATA / "left.jsonl", *SOD, "--tlp", "GREEN")
    ws.ok("ingest", DATA / "right.jsonl", *SOD, "--tlp", "GREEN")
    return ws


def _pairs(ws: CliWorkspace, *args: str) -> dict[tuple[str, str], dict[str, str]]:
    rows = json.loads(_json_part(ws.ok(*args, "-f", "json").stdout))
    return {(r["left"].split()[0], r["right"].split()[0]): r for r in rows}


def _json_part(text: str) -> str:
    return text[: text.rindex("]") + 1]


def test_run_finds_the_duplicates_the_unit_may_see(ws: CliWorkspace) -> None:
    pairs = _pairs(ws, "resolve", "run", *SOD)
    decided = {k: r["decision"] for k, r in pairs.items()}
    assert decided[(i("mx-1"), i("us-1"))] == "match"
    assert decided[(i("mx-3"), i("us-4"))] == "match"
    assert (i("mx-3"), i("us-3")) not in decided  # brothers: not even to review


def test_a_judgement_overrides_the_model_and_an_undo_is_a_newer_judgement(
        ws: CliWorkspace) -> None:
    ws.ok("resolve", "judge", i("us-1"), i("mx-1"), "no-match", "--reason", "different fathers",
          *SOD, "--tlp", "RED", "--rel-to", "unit:us.dea.sod")
    mine = _pairs(ws, "resolve", "run", *SOD)[(i("mx-1"), i("us-1"))]
    assert mine["decision"] == "no-match"
    assert "judged no-match by us.dea.sod" in mine["reasons"]
    assert "different fathers" in mine["reasons"]
    # the judgement is RED to SOD: another unit of the agency still sees the model's match
    theirs = _pairs(ws, "resolve", "run", *SDFD)[(i("mx-1"), i("us-1"))]
    assert theirs["decision"] == "match" and "judged" not in theirs["reasons"]
    ws.ok("resolve", "judge", i("mx-1"), i("us-1"), "match", "--reason", "undo: same CURP on file",
          *SOD, "--tlp", "RED", "--rel-to", "unit:us.dea.sod")
    assert _pairs(ws, "resolve", "run", *SOD)[(i("mx-1"), i("us-1"))]["decision"] == "match"


def test_show_lists_the_entity_of_a_record(ws: CliWorkspace) -> None:
    shown = ws.ok("resolve", "show", i("mx-4"), *SOD).stdout
    assert f"entity of 2 records: {i('mx-4')}" in shown and i("us-5") in shown
    assert "no record 'nope'" in ws.fails(3, "resolve", "show", "nope", *SOD)


def test_judge_refuses_bad_input_and_records_it_cannot_see(ws: CliWorkspace) -> None:
    assert "a judgement is one of" in ws.fails(2, "resolve", "judge", i("mx-1"), i("us-1"), "same",
                                               "--reason", "x", *SOD)
    assert "no record 'ghost'" in ws.fails(3, "resolve", "judge", i("mx-1"), "ghost", "match",
                                           "--reason", "x", *SOD)


def test_review_lists_pairs_nobody_judged(ws: CliWorkspace) -> None:
    before = _pairs(ws, "resolve", "review", *SOD)
    assert before and all(r["decision"] == "review" for r in before.values())
    (left, right) = next(iter(before))
    ws.ok("resolve", "judge", left, right, "no-match", "--reason", "checked", *SOD)
    assert (left, right) not in _pairs(ws, "resolve", "review", *SOD)
