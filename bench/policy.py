"""Benchmark: the dissemination policy inside the query, against the same query without it.

    .venv/bin/python bench/policy.py [--entities 1000000] [--runs 200] [--seed 7]
                                     [--db-url postgresql://…]

Builds (once, cached under the temp dir keyed by the parameters; or in the empty
database ``--db-url`` names, such as PostgreSQL) a store with
``--entities`` Person records of five statements each (two names, a birth date, a
nationality, an identifier) under mixed markings — the demo's marking profiles, with
one record in ten carrying a stricter portion on its birth date — written directly as
rows with the store's bulk upsert. Then, for the three demo units in turn:

- ``page``: a page of 100 entities visible to the unit (keyset pagination from a
  random id) and their tear-line views, as ``Store.page`` reads them;
- ``search``: a name search (one common surname) and the tear-line views of up to 100
  entities found, as ``Store.search`` reads them; ``search ids``: the ids alone;
- ``lookup``: a search by an identifier (``idNumber`` of a random record), which
  matches one entity;

each against the same statement with the policy predicate replaced by ``TRUE`` (the
same reader code, so the difference is the policy alone). Reported: p50 and p99
latency over ``--runs`` runs of each, the two interleaved, and the overhead ratios.
The audit entries that ``Store`` writes for each read are not part of the timings.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, select, true

from _ratios import report
from tearline.demo import scenario
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.model.statement import Statement
from tearline.policy.subject import Subject
from tearline.store import parties, reader
from tearline.store import search as searching
from tearline.store import tables as t
from tearline.store.bulk import executemany
from tearline.store.store import Store
from tearline.store.visibility import Visibility
from tearline.store.write_rows import statement_rows
from tearline.store.writer import store_markings

AT = datetime(2024, 6, 1, tzinfo=UTC)
SURNAMES = ["garcia", "lopez", "martinez", "gonzalez", "hernandez", "perez", "sanchez",
            "ramirez", "torres", "flores", "rivera", "gomez", "diaz", "cruz", "morales",
            "reyes", "ortiz", "gutierrez", "chavez", "ramos", "vargas", "castillo",
            "jimenez", "moreno", "romero", "herrera", "medina", "aguilar", "vasquez",
            "quintero", "zambada", "guzman", "beltran", "leyva", "carrillo", "fuentes"]
GIVEN = ["jose", "juan", "maria", "luis", "carlos", "ana", "jesus", "miguel", "rosa",
         "pedro", "sofia", "ismael", "joaquin", "rafael", "elena", "arturo"]
CHUNK = 20_000
#: The search tokens' key (migration 0031), for the bulk loads' ON CONFLICT.
TOKEN_KEY = [c.name for c in t.tokens.primary_key]


class Unfiltered:
    """The reader's policy hooks, all TRUE: the same statements without the policy."""

    shape: ClassVar[str] = "unfiltered"

    @property
    def params(self) -> dict[str, str]:
        return {}

    def record(self, r: Any) -> ColumnElement[bool]:
        return true()

    def portion(self, s: Any, r: Any) -> ColumnElement[bool]:
        return true()

    def shown_portion(self, s: Any, r: Any) -> ColumnElement[bool]:
        return true()

    def entity(self, r: Any, ends: Any) -> ColumnElement[bool]:
        return true()


def marking_profiles() -> list[tuple[str, str, Marking]]:
    """(originating agency, authoring unit, marking), weighted like the demo's subjects."""
    out = []
    for agency, unit in ((scenario.US_DEA, scenario.SOD), (scenario.MX_SEMAR, scenario.UIE),
                         (scenario.MX_FGR, scenario.FEMDO)):
        for profile in scenario.profiles_for(agency, "subject"):
            out += [(agency, unit, profile.marking)] * profile.weight
    return out


def fast(conn: Any) -> None:
    """Bulk loading only: a lost build is rebuilt, so commits need not reach the disk."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
    else:
        conn.exec_driver_sql("SET synchronous_commit = off")


def build(url: str, entities: int, seed: int) -> None:
    rng = random.Random(seed)
    store = Store.open(url)
    with store.transaction() as conn:
        fast(conn)
        for agency_party in scenario.AGENCIES:
            parties.put_agency(conn, agency_party, AT - timedelta(days=400))
        for unit_party in scenario.UNITS:
            parties.put_unit(conn, unit_party, AT - timedelta(days=400))
        for agreement in scenario.AGREEMENTS:
            parties.put_agreement(conn, agreement, AT - timedelta(days=400))
        for vetting in scenario.VETTINGS:
            parties.put_vetting(conn, vetting, AT - timedelta(days=400), "bench")
        profiles = marking_profiles()
        portions = {u: scenario.informant_portion(u)
                    for u in (scenario.SOD, scenario.UIE, scenario.FEMDO)}
        store_markings(conn, [m for _, _, m in profiles] + list(portions.values()))
    seen = AT - timedelta(days=30)
    for start in range(0, entities, CHUNK):
        records: list[Record] = []
        for n in range(start, min(entities, start + CHUNK)):
            agency, unit, marking = rng.choice(profiles)
            eid = f"bp-{n:08d}"
            names = [f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
                     for _ in range(2)]
            born = f"19{rng.randint(40, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
            values = [("name", names[0]), ("name", names[1]), ("birthDate", born),
                      ("nationality", rng.choice(["mx", "us", "co"])),
                      ("idNumber", f"ID{rng.randrange(10**9):09d}")]
            portion = portions[unit] if rng.random() < 0.1 else None
            stmts = tuple(
                Statement(eid, "Person", prop, value, agency, unit, seen, seen,
                          Reliability.B, Credibility.PROBABLY_TRUE,
                          marking=portion if prop == "birthDate" else None,
                          id=store.keyer(eid, prop, value, agency, unit))
                for prop, value in values)
            records.append(Record(eid, "Person", agency, unit, marking, stmts,
                                  synthetic=True, created_at=seen, modified_at=seen))
        rows, token_rows = statement_rows(records)
        head = [{"id": r.id, "schema": r.schema, "originator": r.originator,
                 "author": r.author, "marking_id": r.marking.id, "synthetic": True,
                 "version": 1, "created_at": t.ts(seen), "modified_at": t.ts(seen),
                 "retracted_at": None} for r in records]
        with store.transaction() as conn:
            fast(conn)
            executemany(conn, t.records, head, ["id"])
            executemany(conn, t.statements, rows, ["id"])
            executemany(conn, t.tokens, token_rows, TOKEN_KEY)
        print(f"\r  built {min(entities, start + CHUNK):,} / {entities:,}", end="",
              file=sys.stderr, flush=True)
    with store.transaction() as conn:
        conn.exec_driver_sql("ANALYZE")
    print(file=sys.stderr)
    store.close()


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db-url", help="measure this store (e.g. postgresql://…) instead of "
                        "the cached SQLite file; built there if it holds no records")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, for bench/run.py --quick")
    args = parser.parse_args()
    if args.quick:
        args.entities, args.runs = 5_000, 20
    if args.db_url:  # PostgreSQL (or any store URL): built in place when it holds no records
        url = args.db_url
        store = Store.open(url)
        if not store.counts()["records"]:
            print(f"building {args.entities:,} entities in {url} …", file=sys.stderr)
            build(url, args.entities, args.seed)
    else:
        cache = Path(tempfile.gettempdir()) / "policy-bench-cache"
        cache.mkdir(exist_ok=True)
        path = cache / f"entities-{args.entities}-seed-{args.seed}.sqlite"
        if not path.exists():
            print(f"building {path} …", file=sys.stderr)
            started = time.perf_counter()
            partial = path.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            build(f"sqlite:///{partial}", args.entities, args.seed)
            partial.rename(path)
            print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        url = f"sqlite:///{path}"
    store = Store.open(url)
    if store.dialect == "sqlite":
        analyze_new_indexes(store)
    rng = random.Random(args.seed)
    starts = [f"bp-{rng.randrange(args.entities):08d}" for _ in range(args.runs)]
    words = [rng.choice(SURNAMES) for _ in range(args.runs)]
    with store.reading() as conn:
        s = t.statements
        numbers = [conn.execute(select(s.c.value).where(
            s.c.entity_id == f"bp-{rng.randrange(args.entities):08d}", s.c.prop == "idNumber")
        ).scalar_one() for _ in range(args.runs)]
        counts = store.counts()
        version = (f"SQLite {sqlite3.sqlite_version}" if store.dialect == "sqlite" else
                   str(conn.exec_driver_sql("SHOW server_version").scalar_one()))
        print(f"{counts['records']:,} records, {counts['statements']:,} statements, "
              f"{version}, {args.runs} runs each, "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

        def page(vis: Any, n: int) -> object:
            return reader.page_records(conn, vis, after=starts[n], limit=100)

        def search(vis: Any, n: int) -> object:
            return searching.search_records(conn, vis, words[n], limit=100)

        def search_ids(vis: Any, n: int) -> object:
            return searching.search_ids(conn, vis, words[n], limit=100)

        def lookup(vis: Any, n: int) -> object:
            return searching.search_records(conn, vis, numbers[n], limit=100)

        print(f"{'query':<11} {'unit':<14} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'base p50':>9} {'base p99':>9} {'ratio p50':>9} {'ratio p99':>9}")
        for unit in (scenario.SOD, scenario.UIE, scenario.FEMDO):
            subject = Subject(unit, unit.rsplit(".", 1)[0])
            for name, query in (("page", page), ("search", search), ("search ids", search_ids),
                                ("lookup", lookup)):
                query(Visibility(subject, AT), 0)  # warm the caches
                query(Unfiltered(), 0)
                policy, base = [], []
                for n in range(args.runs):  # interleaved: same conditions for both
                    start = time.perf_counter()
                    query(Visibility(subject, AT), n)
                    policy.append((time.perf_counter() - start) * 1000)
                    start = time.perf_counter()
                    query(Unfiltered(), n)
                    base.append((time.perf_counter() - start) * 1000)
                p50, p99 = percentile(policy, 0.5), percentile(policy, 0.99)
                b50, b99 = percentile(base, 0.5), percentile(base, 0.99)
                print(f"{name:<11} {unit:<14} {p50:8.1f} {p99:8.1f} {b50:9.1f} {b99:9.1f} "
                      f"{p50 / b50:9.2f} {p99 / b99:9.2f}", flush=True)
                report(f"{name} as {unit}, p50 (time / unfiltered)", p50 / b50,
                       higher_is_better=False)


def analyze_new_indexes(store: Store) -> None:
    """Statistics for indexes a migration added after the cached database was built."""
    with store.transaction() as conn:
        indexes = set(conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name IN ('records', 'statements', 'tokens')").scalars())
        analyzed = set(conn.exec_driver_sql("SELECT idx FROM sqlite_stat1").scalars())
        if indexes - analyzed:
            print(f"analyzing {', '.join(sorted(indexes - analyzed))} …", file=sys.stderr)
            conn.exec_driver_sql("ANALYZE")

if __name__ == "__main__":
    main()
