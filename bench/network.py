"""Benchmark: the link graph of 1,000,000 relationships read through the policy, against
the same reads without it.

    .venv/bin/python bench/network.py [--edges 1000000] [--people 200000] [--seed 7]
                                      [--db-url postgresql://…]

Builds (once, cached under the temp dir keyed by the parameters; or in the empty
database ``--db-url`` names) a store of ``--people`` Person records (a name and a
nationality) and ``--edges`` Associate records between two of them (``person``,
``associate``, ``relationship``), every record under a marking drawn from the demo's
marking profiles (so each unit sees part of the network), written as rows with the
store's bulk upsert. Then, for the demo's SOD (the DEA's coordinating unit), in one run:

- ``policy``: ``store/network.py`` reading the unit's entities, relationships and
  references through the policy (existence at every depth decided as the reader decides
  it) and the judgements that merge its actors (as ``Store.network`` does), and
  ``network/graph.py`` building the actor graph from them;
- ``no policy``: the same reads and graph with the policy's predicates all true.

Reported: seconds for each (read, graph, total), the edges and nodes each got, and the
ratio. Then, on the graph read through the policy, the time of each measure (igraph):
degree, betweenness (sampled above 5,000 nodes), eigenvector, Leiden communities.

``--libraries`` measures instead the choice of library: degree, exact betweenness and
eigenvector centrality of one random graph (``--nodes``, 5 links per node, seeded) with
igraph (as ``network/measures.py`` computes them) and with networkx.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _ratios import report
from policy import TOKEN_KEY, Unfiltered, fast, marking_profiles
from tearline.demo import scenario
from tearline.demo.load import seed_parties
from tearline.model.grading import Credibility, Reliability
from tearline.model.record import Record
from tearline.model.statement import Statement
from tearline.network.communities import communities
from tearline.network.graph import build_graph
from tearline.network.measures import centrality
from tearline.policy.subject import Subject
from tearline.store import tables as t
from tearline.store.bulk import executemany
from tearline.store.network import read_network, resolved
from tearline.store.store import Store
from tearline.store.visibility import Visibility
from tearline.store.write_rows import statement_rows
from tearline.store.writer import store_markings

AT = datetime(2024, 6, 1, tzinfo=UTC)
CHUNK = 50_000
ROLES = ("reports to", "business contact", "courier for", "cousin", "supplier")


def _write(store: Store, records: list[Record], seen: datetime) -> None:
    rows, token_rows = statement_rows(records)
    head = [{"id": r.id, "schema": r.schema, "originator": r.originator, "author": r.author,
             "marking_id": r.marking.id, "synthetic": True, "version": 1,
             "created_at": t.ts(seen), "modified_at": t.ts(seen), "retracted_at": None}
            for r in records]
    with store.transaction() as conn:
        fast(conn)
        executemany(conn, t.records, head, ["id"])
        executemany(conn, t.statements, rows, ["id"])
        executemany(conn, t.tokens, token_rows, TOKEN_KEY)


def build(url: str, people: int, edges: int, seed: int) -> None:
    rng = random.Random(seed)
    store = Store.open(url)
    seed_parties(store, AT - timedelta(days=400))  # the demo's parties and agreements
    with store.transaction() as conn:
        fast(conn)
        profiles = marking_profiles()
        store_markings(conn, [m for _, _, m in profiles])
    seen = AT - timedelta(days=30)

    def record(eid: str, schema: str, values: list[tuple[str, str]]) -> Record:
        agency, unit, marking = rng.choice(profiles)
        stmts = tuple(Statement(eid, schema, prop, value, agency, unit, seen, seen,
                                Reliability.B, Credibility.PROBABLY_TRUE,
                                id=store.keyer(eid, prop, value, agency, unit))
                      for prop, value in values)
        return Record(eid, schema, agency, unit, marking, stmts, synthetic=True,
                      created_at=seen, modified_at=seen)

    for start in range(0, people, CHUNK):
        _write(store, [record(f"np-{n:07d}", "Person", [("name", f"Persona {n}"),
                                                        ("nationality", "mx")])
                       for n in range(start, min(people, start + CHUNK))], seen)
    for start in range(0, edges, CHUNK):
        batch = []
        for n in range(start, min(edges, start + CHUNK)):
            a, b = rng.sample(range(people), 2)
            batch.append(record(f"ne-{n:07d}", "Associate", [
                ("person", f"np-{a:07d}"), ("associate", f"np-{b:07d}"),
                ("relationship", rng.choice(ROLES))]))
        _write(store, batch, seen)
        print(f"\r  built {min(edges, start + CHUNK):,} / {edges:,} edges", end="",
              file=sys.stderr, flush=True)
    with store.transaction() as conn:
        conn.exec_driver_sql("ANALYZE")
    print(file=sys.stderr)
    store.close()


def timed(store: Store, vis: Any) -> tuple[float, float, float, int, int]:
    """Wall seconds of the read and of the graph, CPU seconds of both, edges, nodes."""
    started, cpu = time.perf_counter(), time.process_time()
    with store.reading() as conn:
        found = read_network(conn, vis)
        facts = resolved(conn, vis, found.facts) if isinstance(vis, Visibility) else found.facts
    read = time.perf_counter() - started
    graph = build_graph(facts)
    return (read, time.perf_counter() - started - read, time.process_time() - cpu,
            len(found.facts.relationships), len(graph.nodes))


def libraries(nodes: int, seed: int) -> None:
    import networkx as nx

    from tearline.network.graph import Entity, Facts, Relationship

    g = nx.gnm_random_graph(nodes, nodes * 5, seed=seed)
    facts = Facts(tuple(Entity(f"p{n}", "Person") for n in g.nodes),
                  tuple(Relationship(f"r{a}-{b}", "Associate", f"p{a}", f"p{b}")
                        for a, b in g.edges))
    graph = build_graph(facts)
    print(f"random graph: {nodes:,} nodes, {g.number_of_edges():,} links")
    started, cpu = time.perf_counter(), time.process_time()
    centrality(graph)
    print(f"   igraph: {time.perf_counter() - started:7.1f} s wall, "
          f"{time.process_time() - cpu:7.1f} s CPU")
    started, cpu = time.perf_counter(), time.process_time()
    nx.degree_centrality(g)
    nx.betweenness_centrality(g)
    nx.eigenvector_centrality(g, max_iter=1000)
    print(f" networkx: {time.perf_counter() - started:7.1f} s wall, "
          f"{time.process_time() - cpu:7.1f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db-url", help="measure this store instead of the cached SQLite "
                        "file; built there if it holds no records")
    parser.add_argument("--libraries", action="store_true",
                        help="compare igraph and networkx on one random graph instead")
    parser.add_argument("--nodes", type=int, default=5_000)
    parser.add_argument("--skip-measures", action="store_true",
                        help="time the graph's reads only, not centrality and communities")
    parser.add_argument("--quick", action="store_true",
                        help="20,000 edges between 5,000 people (bench/README.md)")
    args = parser.parse_args()
    if args.quick:
        args.edges, args.people = 20_000, 5_000
    if args.libraries:
        libraries(args.nodes, args.seed)
        return
    if args.db_url:
        url = args.db_url
        if not Store.open(url).counts()["records"]:
            build(url, args.people, args.edges, args.seed)
    else:
        cache = Path(tempfile.gettempdir()) / "network-bench-cache"
        cache.mkdir(exist_ok=True)
        path = cache / f"edges-{args.edges}-people-{args.people}-seed-{args.seed}.sqlite"
        if not path.exists():
            print(f"building {path} …", file=sys.stderr)
            started = time.perf_counter()
            partial = path.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            build(f"sqlite:///{partial}", args.people, args.edges, args.seed)
            partial.rename(path)
            print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        url = f"sqlite:///{path}"
    store = Store.open(url)
    subject = Subject(scenario.SOD, scenario.US_DEA)
    print(f"store: {store.dialect}, {args.edges:,} Associate records between "
          f"{args.people:,} people; viewer {subject.unit}")
    results = {}
    for label, vis in (("no policy", Unfiltered()), ("policy", Visibility(subject, AT))):
        read, graph, cpu, edges, nodes = timed(store, vis)
        results[label] = read + graph
        print(f"{label:>10}: read {read:6.1f} s + graph {graph:5.1f} s = "
              f"{read + graph:6.1f} s wall, {cpu:6.1f} s CPU  ({edges:,} relationships, "
              f"{nodes:,} nodes)")
    print(f"policy / no policy: {results['policy'] / results['no policy']:.2f}×")
    report("graph through the policy / without it", results["policy"] / results["no policy"],
           higher_is_better=False)
    if args.skip_measures:
        store.close()
        return
    with store.reading() as conn:
        graph = build_graph(read_network(conn, Visibility(subject, AT)).facts)
    started, cpu = time.perf_counter(), time.process_time()
    centrality(graph)
    print(f"centrality (degree, sampled betweenness, eigenvector): "
          f"{time.perf_counter() - started:.1f} s wall, {time.process_time() - cpu:.1f} s CPU")
    started, cpu = time.perf_counter(), time.process_time()
    found = communities(graph)
    print(f"Leiden communities: {time.perf_counter() - started:.1f} s wall, "
          f"{time.process_time() - cpu:.1f} s CPU ({len(set(found.values())):,} communities)")
    store.close()


if __name__ == "__main__":
    main()
