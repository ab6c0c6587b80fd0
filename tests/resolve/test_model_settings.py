"""The person model's Splink settings name only columns the loaded tables have.

``model._run`` builds its Linker with ``validate_settings=False``: Splink's validation
of the settings against the input columns only logs, and parsing every SQL string of
the settings on each run costs a third of a small run (the API's and the web's
resolution pages run the model per request). The settings are fixed in
``comparisons.settings``, so they are validated here, once, for both link types —
and a settings dict naming a column the tables lack is shown to be caught.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

import duckdb
import pytest
from splink import DuckDBAPI, Linker

from tearline.resolve import comparisons
from tearline.resolve.model import _load

TABLES = {"dedupe_only": ["records"], "link_only": ["a_left", "b_right"]}


def validation_log(link_type: str, settings: dict[str, Any],
                   caplog: pytest.LogCaptureFixture) -> list[str]:
    """What Splink's settings validation logs for ``settings`` over the model's tables."""
    con = duckdb.connect(":memory:")
    try:
        comparisons.register(con)
        for table in TABLES[link_type]:
            _load(con, table, [])
        api = DuckDBAPI(connection=con)
        frames = [api.register(t, dataset_display_name=t) for t in TABLES[link_type]]
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="splink"):
            Linker(frames if len(frames) > 1 else frames[0], settings,
                   log_level=logging.WARNING, validate_settings=True)
        return [r.getMessage() for r in caplog.records if r.name.startswith("splink")]
    finally:
        con.close()


@pytest.mark.parametrize("link_type", sorted(TABLES))
def test_the_settings_pass_splinks_validation(link_type: str,
                                              caplog: pytest.LogCaptureFixture) -> None:
    settings = comparisons.settings(link_type)
    assert validation_log(link_type, settings, caplog) == []
    broken = copy.deepcopy(settings)
    broken["blocking_rules_to_generate_predictions"] = ["l.no_such_column = r.no_such_column"]
    said = validation_log(link_type, broken, caplog)
    assert any("no_such_column" in line for line in said), said
