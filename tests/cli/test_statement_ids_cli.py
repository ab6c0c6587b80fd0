"""Statement ids reveal no value (issue #13, finding 1), through `tearline ingest`.

Ids are shown where values are not (audit entries name the statements of a portion the
viewer cannot see). An id that is any unkeyed function of the statement's content lets
whoever knows the record, property, agency and unit find a hidden value by hashing
guesses: every birth date of a century takes a fraction of a second. With ids keyed by
a secret of the node, no guess can be checked, and two nodes give the same fact
different ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tearline.cli import app
from tearline.store.store import Store

DATA = Path(__file__).resolve().parents[1] / "ingest" / "data"
HIDDEN = DATA / "hidden_birthdate.jsonl"  # a RED birthDate portion for us.dea.sod only
AS = ["--as", "us.dea.sod"]
#: The unkeyed functions an attacker would try, with the separators one might use.
ALGORITHMS = ("sha1", "sha256", "sha512", "sha224", "sha384", "md5", "blake2b", "blake2s",
              "sha3_256")
SEPARATORS = ("\x1f", "|", "\x00", "", ":", "\t")


def unkeyed(content: tuple[str, ...]) -> set[str]:
    """The 40-hex-digit ids every unkeyed function above would give this content."""
    out = set()
    for sep in SEPARATORS:
        data = sep.join(content).encode()
        for name in ALGORITHMS:
            digest = hashlib.new(name, data).hexdigest()
            out.update((digest[:40], digest[-40:]))
    return out


def run(env: dict[str, str], *args: str | Path) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def node(root: Path, db_url: str) -> dict[str, str]:
    """A workspace with the DEA's two units and the file with the hidden portion ingested."""
    env = {"TEARLINE_WORKSPACE": str(root), "TEARLINE_DB_URL": db_url}
    run(env, "init")
    run(env, "party", "add-agency", "us.dea", "--name", "DEA", "--country", "us")
    run(env, "party", "add-unit", "us.dea.sod", "--agency", "us.dea", "--name", "SOD")
    run(env, "party", "add-unit", "us.dea.sdfd", "--agency", "us.dea", "--name", "SDFD")
    run(env, "ingest", HIDDEN, *AS)
    return env


def statements(db_url: str) -> dict[tuple[str, ...], str]:
    """(entity, property, value, agency, unit) → id, of every stored statement."""
    store = Store.open(db_url)
    try:
        with store.reading() as conn:
            rows = conn.exec_driver_sql(
                "SELECT entity_id, prop, value, origin, author, id FROM statements").all()
    finally:
        store.close()
    return {tuple(r[:5]): r[5] for r in rows}


@pytest.fixture
def nodes(tmp_path: Path, db_url: str) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """Two nodes (the first on every backend) that ingested the same file."""
    yield (node(tmp_path / "a", db_url),
           node(tmp_path / "b", f"sqlite:///{tmp_path / 'b.sqlite'}"))


def test_a_hidden_birth_date_is_not_found_by_hashing_guesses(
        nodes: tuple[dict[str, str], dict[str, str]]) -> None:
    held = statements(nodes[0]["TEARLINE_DB_URL"])
    ((content, sid),) = [(c, i) for c, i in held.items() if c[1] == "birthDate"]
    entity, prop, value, origin, author = content
    assert sid.startswith("st-") and len(sid) == 43
    first = date(1900, 1, 1)
    guesses = [(first + timedelta(days=n)).isoformat() for n in range(365 * 110)]
    assert value in guesses  # the attack would succeed against a guessable id
    found = [g for g in guesses
             if sid[3:] == hashlib.sha1(f"{entity}\x1f{prop}\x1f{g}\x1f{origin}\x1f{author}"
                                        .encode(), usedforsecurity=False).hexdigest()]
    assert found == []
    # nor is any stored id an unkeyed function of its own content, whatever the function
    for stated, stored in held.items():
        assert stored[3:] not in unkeyed(stated), stated


def test_two_nodes_give_the_same_fact_different_ids(
        nodes: tuple[dict[str, str], dict[str, str]]) -> None:
    a, b = (statements(env["TEARLINE_DB_URL"]) for env in nodes)
    assert set(a) == set(b) and len(a) == 3
    assert all(a[fact] != b[fact] for fact in a)
    assert not set(a.values()) & set(b.values())


def test_reingesting_on_the_same_node_adds_nothing(
        nodes: tuple[dict[str, str], dict[str, str]]) -> None:
    env = nodes[0]
    before = statements(env["TEARLINE_DB_URL"])
    again = " ".join(run(env, "ingest", HIDDEN, *AS).split())
    assert "0 new records, 0 changed, 0 new statements (3 read)" in again
    assert statements(env["TEARLINE_DB_URL"]) == before
