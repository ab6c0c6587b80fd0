"""The acceptance scenario of issue #19: five days of a vetted SEMAR unit's exchanges with
the DEA; `oversight due` shows the drafts due on day 3 and overdue on day 4; the signed
report verifies complete; removing one exchange makes `oversight verify` fail."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tearline.cli import app
from tearline.cli.common import STATE


def cli(*args: str) -> tuple[int, str]:
    try:
        done = CliRunner().invoke(app, list(args), env={"TEARLINE_DB_URL": None,
                                                        "COLUMNS": "200"})
    finally:
        STATE.close()
    return done.exit_code, done.output


def test_five_days_due_on_day_3_overdue_on_day_4_signed_complete_and_one_removed_fails(
        tmp_path: Path) -> None:
    folder = tmp_path / "demo-oversight"
    code, shown = cli("oversight", "demo", "--folder", str(folder), "--no-pdf")
    assert code == 0, shown
    ws = ["-w", str(folder)]
    # after day 4's sign-off nothing is left to report
    code, out = cli(*ws, "oversight", "due", "--agency", "mx.semar",
                    "--at", "2026-01-08T12:00:00Z", "-f", "json")
    assert code == 0, out
    assert json.loads(out) == []
    report = next((folder / "reports").glob("or-mx.semar-*.json"))
    document = json.loads(report.read_text())
    natures = [x["nature"] for x in document["exchanges"]]
    assert natures == ["records-received", "federation-sync", "deconfliction-hit", "contact"]
    assert [x["due"] for x in document["exchanges"]] == [
        "2026-01-08", "2026-01-09", "2026-01-10", "2026-01-11"]
    received = document["exchanges"][0]
    assert received["records"] == {"count": 5, "kinds": {"Person": 4, "Vessel": 1}}
    assert all(x["foreign_agency"] == "us.dea" for x in document["exchanges"])
    assert document["exchanges"][3]["text"]["place"] == "Veracruz naval base"
    # what `oversight due` showed on days 3 and 4, as the demo printed it
    day3 = shown.split("oversight due on day 3")[1].split("oversight due on day 4")[0]
    day4 = shown.split("oversight due on day 4")[1].split("day 4: report")[0]
    assert "records-received │ due " in day3 and "federation-sync" not in day3
    assert "records-received │ overdue" in day4 and "federation-sync  │ due" in day4
    # the signed report verifies complete against the node's log
    code, out = cli(*ws, "oversight", "verify", str(report))
    assert code == 0 and "is complete: 4 exchange(s)" in out, out
    # removing any one exchange makes it fail, naming the exchange left out
    for k, x in enumerate(document["exchanges"]):
        cut = dict(document, exchanges=document["exchanges"][:k] + document["exchanges"][k + 1:])
        path = tmp_path / f"cut-{k}.json"
        path.write_text(json.dumps(cut))
        code, out = cli(*ws, "oversight", "verify", str(path))
        assert code == 1 and f"exchange {x['id']}" in out and "missing from the report" in out
