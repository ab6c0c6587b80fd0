"""The country-name table kept between processes is rigour's own, and a bad file is rebuilt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from followthemoney import registry
from rigour.territories import lookup
from rigour.territories.territory import get_index

from tearline.model import territories

RIGOUR = version("rigour")
pytestmark = pytest.mark.skipif(RIGOUR not in territories.CHECKED,
                                reason="rigour's own table is used for other versions")


def test_the_kept_table_is_rigours_table_entry_by_entry(tmp_path: Path) -> None:
    assert territories.rigour_build is not None
    built = territories.rigour_build()
    path = tmp_path / "t.json"
    territories.save(path, RIGOUR, built)
    kept = territories.load(path, RIGOUR, get_index())
    assert kept is not None
    assert {k: v.code for k, v in kept.items()} == {k: v.code for k, v in built.items()}
    assert len(kept) > 20_000


def _small() -> dict[str, Any]:
    index = get_index()
    return {"mexico": index["mx"], "estados unidos": index["us"]}


@pytest.mark.parametrize("body", [
    None,                                                         # missing
    b"{not json",                                                 # unreadable
    json.dumps({"rigour": "0.0.1", "names": {"mexico": "mx"}}).encode(),  # other version
    json.dumps({"rigour": RIGOUR, "names": {"mexico": "zz-nowhere"}}).encode(),  # unknown code
    json.dumps({"rigour": RIGOUR, "names": {}}).encode(),         # empty
    json.dumps([1, 2]).encode(),                                  # not a table
])
def test_a_missing_or_bad_file_is_rebuilt_and_replaced(tmp_path: Path, body: bytes | None) -> None:
    path = tmp_path / "t.json"
    if body is not None:
        path.write_bytes(body)
    calls: list[int] = []

    def build() -> dict[str, Any]:
        calls.append(1)
        return _small()

    index = get_index()
    table = territories.kept_table(build, index, path, RIGOUR)
    assert calls == [1] and table == _small()
    # The rebuilt table was saved: the next process reads it without building.
    assert territories.kept_table(build, index, path, RIGOUR) == _small()
    assert calls == [1]


def test_an_unwritable_folder_costs_only_the_saving(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    path = blocked / "t.json"
    assert territories.kept_table(_small, get_index(), path, RIGOUR) == _small()
    assert not path.exists()


def test_another_process_reads_countries_from_the_kept_file(tmp_path: Path) -> None:
    # A planted entry ("burma" → Germany) shows the answer came from the file, not a build.
    (tmp_path / territories.cache_file(RIGOUR).name).write_text(json.dumps(
        {"rigour": RIGOUR, "names": {"mexico": "mx", "burma": "de"}}))
    code = ("import tearline.model.normalize\n"
            "from followthemoney import registry\n"
            "print(registry.country.clean('México'), registry.country.clean('Burma'))\n")
    env = {**os.environ, "TEARLINE_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["mx", "de"]


def test_followthemoney_cleans_with_the_kept_table() -> None:
    assert lookup._get_territory_names is not territories.rigour_build
    assert registry.country.clean("México") == "mx"
    assert registry.country.clean("Colombia") == "co"
