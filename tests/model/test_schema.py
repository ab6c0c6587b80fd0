"""The schema model: loaded with libyaml, the same model as with PyYAML's own parser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from followthemoney.settings import MODEL_PATH

from tearline.model import schema
from tearline.model.schema import SAFE_LOADER, SCHEMATA_PATH, TearlineModel


def _files() -> list[Path]:
    return sorted(Path(d) / f for root in (MODEL_PATH, str(SCHEMATA_PATH))
                  for d, _, names in os.walk(root) for f in names if f.endswith(".yaml"))


def test_every_schema_file_parses_the_same_with_either_loader() -> None:
    files = _files()
    assert len(files) > 50 and any(f.parent == SCHEMATA_PATH for f in files)
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=SAFE_LOADER) == yaml.safe_load(text), path  # noqa: S506


def test_the_model_is_the_same_with_either_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = TearlineModel(MODEL_PATH, str(SCHEMATA_PATH))
    monkeypatch.setattr(schema, "SAFE_LOADER", yaml.SafeLoader)
    plain = TearlineModel(MODEL_PATH, str(SCHEMATA_PATH))
    assert fast.to_dict() == plain.to_dict()
    assert {s.name for s in fast} >= set(schema.TEARLINE_SCHEMATA)
