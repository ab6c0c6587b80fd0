"""`tearline party add-*`, `vet` and `token create` say what they did, and refuse a
duplicate, an overlapping vetting or an unknown owner with a message naming the fix."""

from __future__ import annotations

import json
from pathlib import Path

from cli_ws import dea_workspace, said


def _parties(ws_list: str) -> dict[str, dict[str, str]]:
    return {f"{r['kind']}:{r['id']}": r for r in json.loads(ws_list)}


def test_add_agency_and_unit_say_what_they_did_and_refuse_duplicates(tmp_path: Path) -> None:
    ws = dea_workspace(tmp_path)
    added = ws.ok("party", "add-agency", "mx.semar", "--name", "SEMAR", "--country", "MX")
    assert said(added) == "agency mx.semar added: 'SEMAR' (mx)"
    same = ws.ok("party", "add-agency", "mx.semar", "--name", "SEMAR", "--country", "mx")
    assert said(same) == "agency mx.semar exists as given ('SEMAR' (mx)): nothing changed"
    assert ws.fails(1, "party", "add-agency", "mx.semar", "--name", "Marina", "--country",
                    "mx") == ("error (conflict): agency mx.semar exists as 'SEMAR' (mx): "
                              "nothing was recorded (--update records the new version)")
    parties = _parties(ws.ok("party", "list", "-f", "json").stdout)
    assert parties["agency:mx.semar"]["name"] == "SEMAR"
    updated = ws.ok("party", "add-agency", "mx.semar", "--name", "Secretaría de Marina",
                    "--country", "mx", "--update")
    assert said(updated) == ("agency mx.semar updated: 'SEMAR' (mx) → "
                             "'Secretaría de Marina' (mx)")
    parties = _parties(ws.ok("party", "list", "-f", "json").stdout)
    assert parties["agency:mx.semar"]["name"] == "Secretaría de Marina"

    unit = ["party", "add-unit", "mx.semar.uie", "--agency", "mx.semar"]
    assert said(ws.ok(*unit, "--name", "UIE")) == "unit mx.semar.uie added: 'UIE' of mx.semar"
    assert "nothing was recorded" in ws.fails(1, *unit, "--name", "Unidad")
    assert "updated" in said(ws.ok(*unit, "--name", "Unidad", "--update"))
    agreement = ["party", "add-agreement", "us-mx", "--title", "Framework", "--kind",
                 "bilateral", "--party", "us.dea", "--party", "mx.semar"]
    assert said(ws.ok(*agreement)) == ("agreement us-mx added: 'Framework', bilateral of "
                                       "mx.semar, us.dea")
    assert "nothing changed" in said(ws.ok(*agreement))
    ended = ws.ok(*agreement, "--until", "2030-01-01T00:00:00Z")
    assert "recorded in a new version" in said(ended) and "2030-01-01" in said(ended)


def test_vet_twice_extends_or_refuses_never_overlaps(tmp_path: Path) -> None:
    ws = dea_workspace(tmp_path)
    ws.ok("party", "add-agency", "mx.semar", "--name", "SEMAR", "--country", "mx")
    ws.ok("party", "add-unit", "mx.semar.uie", "--agency", "mx.semar", "--name", "UIE")
    vet = ["vet", "mx.semar.uie", "--by", "us.dea"]
    first = said(ws.ok(*vet, "--from", "2025-01-01T00:00:00Z", "--until", "2028-01-01T00:00:00Z"))
    assert first.startswith("mx.semar.uie vetted by us.dea from 2025-01-01T00:00Z until "
                            "2028-01-01T00:00Z")
    refused = ws.fails(1, *vet, "--until", "2027-06-01T00:00:00Z")
    assert refused.startswith("error (conflict): mx.semar.uie is already vetted by us.dea "
                              "until 2028-01-01T00:00Z")
    assert "nothing was recorded" in refused
    earlier = ws.fails(1, *vet, "--from", "2024-01-01T00:00:00Z", "--until",
                       "2029-01-01T00:00:00Z")
    assert "may not overlap" in earlier and "`tearline unvet`" in earlier
    extended = said(ws.ok(*vet, "--until", "2030-01-01T00:00:00Z"))
    assert extended.startswith("mx.semar.uie vetted by us.dea from 2028-01-01T00:00Z until "
                               "2030-01-01T00:00Z") and "(extends vet-" in extended
    vettings = [r for r in json.loads(ws.ok("party", "list", "-f", "json").stdout)
                if r["kind"] == "vetting"]
    assert [r["detail"] for r in vettings] == ["2025-01-01 – 2028-01-01",
                                               "2028-01-01 – 2030-01-01"]


def test_token_for_an_unknown_analyst_names_the_command_that_adds_one(tmp_path: Path) -> None:
    ws = dea_workspace(tmp_path)
    said_ = ws.fails(3, "token", "create", "ana@us.dea.sod", "--scope", "read")
    assert said_ == ("not found: no analyst 'ana@us.dea.sod': record them first with "
                     "`tearline party add-analyst ana@us.dea.sod --unit us.dea.sod "
                     "--name \"FULL NAME\"`")
    ws.ok("party", "add-analyst", "ana@us.dea.sod", "--unit", "us.dea.sod", "--name", "Ana")
    made = ws.ok("token", "create", "ana@us.dea.sod", "--scope", "read")
    assert "token for ana@us.dea.sod" in said(made)
