"""The writer that ``test_writer_crash.py`` kills: a process forked from a server that
imported this module (and so tearline) once, rather than an interpreter started for each
writer — what is tested is the kill, not the start-up.

:func:`write` builds ``n`` records and writes them in one transaction, telling the test
on ``conn`` where it is: ``writing`` before the write, ``held`` where ``hold`` makes it
stop and wait (to be killed there), ``done`` after. Holds: ``audit`` (the statements
written, their audit entries not yet), ``commit`` (everything written, the commit next),
``after`` (acknowledged), ``none``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from multiprocessing.connection import Connection
from typing import Any

from sqlalchemy import event

from forked import held
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.store import audit_events
from tearline.store.store import Store


def records(store: Store, prefix: str, n: int) -> list[Record]:
    prov = Provenance("us.dea", "us.dea.sod", datetime(2024, 5, 3, tzinfo=UTC))
    mark = Marking.build("AMBER+STRICT")
    return [
        build_record(f"{prefix}-{i}", "Person", {
            "name": [f"Persona {i} GARCIA LOPEZ"],
            "birthDate": [f"19{50 + i % 40}-0{1 + i % 9}-1{i % 9}"],
            "nationality": ["mx"], "alias": [f"EL {i}"], "notes": [f"note {i} " * 20],
        }, prov, mark, keyer=store.keyer)
        for i in range(n)
    ]


def write(url: str, prefix: str, n: int, hold: str, conn: Connection) -> None:
    def holding_here(*_: Any) -> None:
        held(conn)

    store = Store.open(url)
    batch = records(store, prefix, n)
    if hold == "audit":
        writes = audit_events.writes

        def holding(*args: Any, **kwargs: Any) -> Any:
            holding_here()
            return writes(*args, **kwargs)

        audit_events.writes = holding  # type: ignore[assignment]
    elif hold == "commit":
        event.listen(store.engine, "commit", holding_here)
    conn.send("writing")
    store.write(batch)
    if hold == "after":
        holding_here()
    conn.send("done")
