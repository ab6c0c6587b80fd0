"""The statement keyer of tests that build records without a store.

A fixed, explicit key for tests only: statements built with it have stable ids across
runs, and a record built with it keeps those ids when written (the writer stores the
ids it is given). Code under ``src/`` never has a fixed key: it uses the store's
(``Store.keyer``), created at random by migration 0012.
"""

from __future__ import annotations

from tearline.model.statement import StatementKeyer

TEST_KEYER = StatementKeyer(b"tearline tests only: not a node key")
