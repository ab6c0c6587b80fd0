"""`tearline node init|identity` and `tearline peer add|list|remove` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from tearline.cli import app
from tearline.cli.common import STATE


def invoke(workspace: Path, *args: str, stdin: str | None = None) -> Result:
    try:
        return CliRunner().invoke(app, ["-w", str(workspace), *args], input=stdin)
    finally:
        STATE.close()


def said(result: Result) -> str:
    """The output with the terminal's line wrapping undone."""
    return " ".join(result.output.split())


def node(tmp: Path, name: str, agency: str, unit: str) -> Path:
    ws = tmp / name
    assert invoke(ws, "init", "--origin", f"{name}.example/log").exit_code == 0
    for a in ("us.dea", "mx.semar"):
        r = invoke(ws, "party", "add-agency", a, "--name", a, "--country", a[:2])
        assert r.exit_code == 0, r.output
    for u, a in (("us.dea.sod", "us.dea"), ("mx.semar.uie", "mx.semar")):
        r = invoke(ws, "party", "add-unit", u, "--agency", a, "--name", u)
        assert r.exit_code == 0, r.output
    r = invoke(ws, "node", "init", "--agency", agency, "--unit", unit, "--host", "10.1.2.3")
    assert r.exit_code == 0, r.output
    assert "TLS certificate SHA-256" in said(r)
    return ws


def test_two_nodes_exchange_identities(tmp_path: Path) -> None:
    dea = node(tmp_path, "dea", "us.dea", "us.dea.sod")
    semar = node(tmp_path, "semar", "mx.semar", "mx.semar.uie")
    ident = invoke(semar, "node", "identity")
    assert ident.exit_code == 0
    doc = json.loads(ident.stdout)
    assert doc["unit"] == "mx.semar.uie" and "PRIVATE" not in ident.stdout
    (tmp_path / "semar.json").write_text(ident.stdout)
    added = invoke(dea, "peer", "add", str(tmp_path / "semar.json"), "--by", "ana@us.dea.sod")
    assert added.exit_code == 0, added.output
    again = invoke(dea, "peer", "add", "-", stdin=ident.stdout)
    assert again.exit_code == 1 and "exists" in said(again)
    listed = json.loads(invoke(dea, "peer", "list", "-f", "json").stdout)
    assert [(p["name"], p["unit"]) for p in listed] == [("mx.semar.uie", "mx.semar.uie")]
    assert invoke(dea, "peer", "remove", "mx.semar.uie").exit_code == 0
    assert json.loads(invoke(dea, "peer", "list", "-f", "json").stdout) == []
    history = json.loads(invoke(dea, "peer", "list", "--all", "-f", "json").stdout)
    assert history[0]["removed_at"] is not None
    assert invoke(dea, "peer", "remove", "mx.semar.uie").exit_code == 3


def test_bad_documents_and_unknown_units(tmp_path: Path) -> None:
    dea = node(tmp_path, "dea", "us.dea", "us.dea.sod")
    (tmp_path / "bad.json").write_text("{not json")
    r = invoke(dea, "peer", "add", str(tmp_path / "bad.json"))
    assert r.exit_code == 2 and "not a readable JSON" in said(r)
    doc = json.loads(invoke(dea, "node", "identity").stdout)
    doc["url"] = "ftp://x/"
    r = invoke(dea, "peer", "add", "-", stdin=json.dumps(doc))
    assert r.exit_code == 2 and "url" in said(r)
    other = tmp_path / "fgr"
    assert invoke(other, "init").exit_code == 0
    made = invoke(other, "node", "init", "--agency", "mx.fgr", "--unit", "mx.fgr.aic")
    assert made.exit_code == 0
    r = invoke(dea, "peer", "add", "-", stdin=invoke(other, "node", "identity").stdout)
    assert r.exit_code == 2 and "unknown unit" in said(r)


def test_identity_before_init_is_a_clear_error(tmp_path: Path) -> None:
    r = invoke(tmp_path / "none", "node", "identity")
    assert r.exit_code == 1 and "node init" in said(r)
    assert "node" in invoke(tmp_path, "--help").output
    assert "mutual TLS" in invoke(tmp_path, "node", "serve", "--help").output


def test_keys_are_named_after_the_node_not_the_machine(tmp_path: Path) -> None:
    """Two nodes set up on one machine (or two machines of one host name): `tearline init`
    names the key after the host, the first `node init` renames it after the node, so
    partners see two key names — and the rename is in the log."""
    names = []
    for ws, agency, unit in ((tmp_path / "a", "mx.semar", "mx.semar.uie"),
                             (tmp_path / "b", "mx.fgr", "mx.fgr.femdo")):
        assert invoke(ws, "init").exit_code == 0
        made = invoke(ws, "node", "init", "--agency", agency, "--unit", unit)
        assert made.exit_code == 0, made.output
        assert "signing key renamed" in said(made)
        doc = json.loads(invoke(ws, "node", "identity").stdout)
        names.append(doc["verifier_key"].split("+")[0])
        assert (ws / "keys" / "node.pub").read_text().strip() == doc["verifier_key"]
        log = json.loads(invoke(ws, "audit", "log", "--oversight", "-f", "json").stdout)
        assert [e["detail"]["action"] for e in log if e["kind"] == "key.changed"] == [
            "created", "rotated"]
        assert invoke(ws, "audit", "verify").exit_code == 0
    assert names == ["mx.semar.uie", "mx.fgr.femdo"]


def test_a_key_that_signed_a_checkpoint_keeps_its_name(tmp_path: Path) -> None:
    ws = tmp_path / "a"
    assert invoke(ws, "init", "--origin", "old.example/log").exit_code == 0
    assert invoke(ws, "audit", "checkpoint").exit_code == 0
    made = invoke(ws, "node", "init", "--agency", "us.dea", "--unit", "us.dea.sod")
    assert made.exit_code == 0 and "renamed" not in said(made)
    doc = json.loads(invoke(ws, "node", "identity").stdout)
    assert doc["verifier_key"].startswith("old.example/log+")
    assert invoke(ws, "audit", "verify").exit_code == 0
