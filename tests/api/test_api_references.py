"""Through the API, a reference is shown only when the record it names exists for the
reader, at every depth (``tests/data/reference_chain.json``): the world without what
``us.dea.sod`` may not see answers every entity route identically."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from apiworld import SEEN, Api, build_api, fresh_url

from reference_chain import EXISTING, HIDDEN, MISSING, chain
from tearline.model.marking import Marking
from tearline.model.statement import Provenance

VIEWER = "us.dea.sod"
SEMAR = Provenance("mx.semar", "mx.semar.uie", SEEN)
PUBLIC = Marking.build("GREEN")
SECRET = Marking.build("RED", ["unit:mx.semar.uie"])
PATHS = [f"/api/v1/entities/{i}" for i in EXISTING + MISSING] + [
    "/api/v1/entities?limit=100",
    "/api/v1/entities?schema=UnknownLink",
    "/api/v1/entities?schema=Note",
    "/api/v1/search?q=zeta",
    "/api/v1/stats",
]


@pytest.fixture
def worlds(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Api]]:
    whole = build_api(db_url)
    whole.store.write(chain(SEMAR, PUBLIC, SECRET))
    without = build_api(fresh_url(db_url, tmp_path_factory.mktemp("other")))
    without.store.write(chain(SEMAR, PUBLIC, SECRET, hidden=False))
    yield whole, without
    for api in (whole, without):
        api.close()
        api.store.close()


def test_no_reference_names_a_record_that_does_not_exist(worlds: tuple[Api, Api]) -> None:
    whole, without = worlds
    for path in PATHS:
        a, b = whole.get(path, VIEWER), without.get(path, VIEWER)
        assert (a.status_code, a.json()) == (b.status_code, b.json()), path
    listed = whole.get("/api/v1/entities?limit=100", VIEWER).json()["items"]
    ids = {e["id"] for e in listed}
    assert set(EXISTING) <= ids and not ids & set(MISSING)
    text = str(listed)
    for gone in MISSING:
        assert f"'{gone}'" not in text, gone
    assert whole.get("/api/v1/entities/l-link", VIEWER).status_code == 404
    assert whole.get("/api/v1/entities/a-assoc", "mx.semar.uie").status_code == 200
    assert set(HIDDEN) <= {"a-assoc", "p-secret"}
