"""``version``, ``created_at`` and ``modified_at`` of ``RecordOut`` are those of the reader's
view: a portion added where ``us.dea.sod`` cannot see it changes none of them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from apiworld import SEEN, Api, build_api

from statement_keys import TEST_KEYER
from store_template import copy_to
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance

LATER = Provenance("mx.semar", "mx.semar.uie", SEEN + timedelta(days=3))
HIDDEN_FROM_SOD = Marking.build("RED", ["unit:mx.semar.uie"])
FIELDS = ("version", "created_at", "modified_at")


@pytest.fixture
def api(db_url: str, store_template: Path) -> Iterator[Api]:
    built = build_api(copy_to(store_template, db_url))
    yield built
    built.close()
    built.store.close()


def _head(api: Api, who: str) -> dict[str, object]:
    answer = api.get("/api/v1/entities/rec-shared", who)
    assert answer.status_code == 200, answer.text
    return {k: answer.json()[k] for k in FIELDS}


def test_a_hidden_change_moves_no_version_or_time(api: Api) -> None:
    before, owner_before = _head(api, "us.dea.sod"), _head(api, "mx.semar.uie")
    api.store.write([build_record(
        "rec-shared", "Person", {"name": ["Octavio Z."], "alias": ["El Contador Mayor"]},
        LATER, Marking.build("AMBER", ["agency:us.dea"], legal_basis="mx-us-2024"),
        {"name": HIDDEN_FROM_SOD, "alias": HIDDEN_FROM_SOD}, keyer=TEST_KEYER)])
    assert _head(api, "us.dea.sod") == before
    owner = _head(api, "mx.semar.uie")
    assert owner["version"] == int(str(owner_before["version"])) + 1
    assert owner["modified_at"] != owner_before["modified_at"]
