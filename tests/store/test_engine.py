"""Engines and migrations: whether a database still needs a migration, and the rows
derived from the schemata that each upgrade brings up to date."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select

from tearline.store import tables as t
from tearline.store.engine import _alembic_config, make_engine, needs_upgrade, upgrade
from tearline.store.store import Store
from tearline.store.visibility import reference_rows, sync_reference_properties


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


def test_the_reference_properties_follow_the_schemata_at_each_upgrade(store: Store) -> None:
    rp = t.reference_properties

    def rows() -> list[tuple[str, bool]]:
        with store.reading() as conn:
            return sorted((r.prop, bool(r.every_schema)) for r in conn.execute(select(rp)))

    wanted = reference_rows()
    assert rows() == wanted
    assert ("owner", True) in wanted and ("authority", False) in wanted  # schema decides
    assert len(wanted) > 100
    with store.transaction() as conn:  # a table left stale (an older model), or damaged
        conn.execute(rp.delete().where(rp.c.prop == "owner"))
        conn.execute(rp.insert().values(prop="notAReference", every_schema=True))
        assert sync_reference_properties(conn)
        assert not sync_reference_properties(conn)  # equal now: nothing written
        conn.execute(rp.delete().where(rp.c.prop == "owner"))
    assert ("owner", True) not in rows()
    assert needs_upgrade(store.engine)  # not current: /ready says so, workers refuse
    upgrade(store.engine)
    assert rows() == wanted
    assert not needs_upgrade(store.engine)
