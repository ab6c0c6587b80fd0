"""What the OpenAPI document says about authentication (api/deps.py)."""

from __future__ import annotations

from pathlib import Path

from tearline.api.app import create_app
from tearline.store.store import Store


def test_every_operation_that_can_answer_401_requires_the_bearer_token(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'api.sqlite'}")
    try:
        document = create_app(store).openapi()
    finally:
        store.close()
    scheme = document["components"]["securitySchemes"]["HTTPBearer"]
    assert scheme == {"type": "http", "scheme": "bearer",
                      "description": "API token: tl_<prefix>_<secret>"}
    operations = {(method, path): op for path, item in document["paths"].items()
                  for method, op in item.items()}
    secured = {key for key, op in operations.items() if op.get("security")}
    assert secured == {key for key, op in operations.items() if "401" in op["responses"]}
    assert all(operations[key]["security"] == [{"HTTPBearer": []}] for key in secured)
    assert len(secured) >= 25
    assert set(operations) - secured == {("get", "/api/v1/health"), ("get", "/api/v1/ready")}
