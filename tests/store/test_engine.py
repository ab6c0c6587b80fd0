"""Engines and migrations: whether a database still needs a migration."""

from __future__ import annotations

from alembic import command

from tearline.store.engine import _alembic_config, make_engine, needs_upgrade, upgrade


def test_a_pending_migration_is_seen_also_behind_dependent_heads(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert needs_upgrade(engine)  # nothing applied
        with engine.begin() as conn:  # one branch only
            command.upgrade(_alembic_config(conn), "0008")
        assert needs_upgrade(engine)
        upgrade(engine)  # every head, some of them depended on by later migrations
        assert not needs_upgrade(engine)
    finally:
        engine.dispose()
