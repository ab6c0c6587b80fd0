"""The child that ``test_audit_crash.py`` kills (forked: ``forked.py``): it writes records
(each write appends their ``record.created`` entries in the same transaction) and reads
them back (``record.read`` entries), three at a time, until it is killed; ``ready`` on
``conn`` once the first action is done (it loads what the write path loads lazily)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from multiprocessing.connection import Connection

from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store.store import Store


def act(url: str, prefix: str, conn: Connection) -> None:
    store = Store.open(url)
    prov = Provenance("us.dea", "us.dea.sod", datetime(2024, 1, 1, tzinfo=UTC), Reliability.B,
                      Credibility.PROBABLY_TRUE)
    who = Subject(unit="us.dea.sod", agency="us.dea")
    for n in itertools.count():
        ids = [f"{prefix}-{n}-{k}" for k in range(3)]
        store.write([build_record(i, "Person", {"name": [f"Person {i}"]}, prov,
                                  Marking.build("GREEN"), keyer=store.keyer) for i in ids])
        store.read_many(who, datetime.now(UTC), ids)
        if n == 0:
            conn.send("ready")
