"""``tearline web password``: the administrator sets, replaces and removes an analyst's
web password; only its hash is kept, and a short one or an unknown analyst is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from cli_ws import dea_workspace
from typer.testing import CliRunner

from tearline.cli import app
from tearline.cli.common import STATE
from tearline.store import web_accounts
from tearline.store.store import Store
from tearline.web import passwords


def _password(root: Path, text: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["-w", str(root), "--db-url",
                                      f"sqlite:///{root / 'tearline.sqlite'}", "web",
                                      "password", *args, "--stdin"], input=text + "\n")
    STATE.close()
    return result.exit_code, " ".join(result.output.split())


def test_set_replace_and_remove_a_web_password(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8,
                                                             parallelism=1))
    ws = dea_workspace(tmp_path)
    ws.ok("party", "add-analyst", "ana@us.dea.sod", "--unit", "us.dea.sod", "--name", "Ana")
    assert _password(tmp_path, "long enough secret", "ana@us.dea.sod") == (
        0, "web password of ana@us.dea.sod set (read, write)")
    code, said = _password(tmp_path, "short", "ana@us.dea.sod")
    assert code != 0 and "at least 12 characters" in said
    code, said = _password(tmp_path, "long enough secret", "bob@us.dea.sod")
    assert code != 0 and "bob@us.dea.sod" in said
    store = Store.open(ws.db_url)
    try:
        assert passwords.check_password(store, "ana@us.dea.sod", "long enough secret") == {
            "read", "write"}
        assert passwords.check_password(store, "ana@us.dea.sod", "wrong guess here") is None
        with store.reading() as conn:
            row = web_accounts.find_password(conn, "ana@us.dea.sod")
        assert row is not None and "long enough secret" not in row.secret_hash
    finally:
        store.close()
    ws.ok("web", "password", "ana@us.dea.sod", "--remove")
    store = Store.open(ws.db_url)
    try:
        assert passwords.check_password(store, "ana@us.dea.sod", "long enough secret") is None
    finally:
        store.close()
