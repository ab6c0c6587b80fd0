"""Where a search's CPU goes, part by part, in process, over the store of ``bench/api.py``.

The API's search route does, for one page: the ranked ids through the policy
(``store/search.py``), the tear-line views of those records (``store/reader.py``), one
audit entry for the query and one per record shown (``store/audit_events.py``), then the
JSON answer; the web's search page adds its facets (``store/facets.py``: the ranked ids
of a window of the best matches, and the counts over them). Each part is timed alone
here, in CPU milliseconds per search, for each of the surnames ``bench/api.py`` searches
(each held by about one record in eight), and then ``Store.search`` whole, one search
at a time (its audit entries committed by the group writer, whose thread's CPU counts:
process time), and the page with its facets as the web page and ``/search?facets=true``
read them (``facets.search_faceted``, one store call); beside it, the same run's
baseline, ``Store.read`` of one record (the API's read, whose p99 the search's goal
matches).

    .venv/bin/python bench/search.py --records 1000000 --db /tmp/w.sqlite  # issue #20
    .venv/bin/python bench/search.py --quick
    .venv/bin/python bench/search.py --records 1000000 --profile 30  # where it goes

``--profile N`` runs the web page's read (``facets.search_faceted``) under cProfile
instead, N searches, and prints its functions by own time: SQLite's steps appear as
the cursor's ``execute`` and ``fetchall``, the rest is Python's.

The store is the one ``bench/api.py`` keeps under ``--data-dir`` for the same size and
seed (built on first use); ``--db`` names another (reused, or built and kept there).
Timings are the machine's, not pinned by any test.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _ratios import report
from api import DATA_DIR, SURNAMES, cached, prepare


def _cpu_ms(run: Callable[[], Any], repeat: int, per: int) -> float:
    run()  # the first: statements compiled, pages cached
    started = time.process_time()
    for _ in range(repeat):
        run()
    return (time.process_time() - started) / (repeat * per) * 1000


def profile(url: str, limit: int, repeat: int, words: list[str]) -> dict[str, float]:
    from tearline.api.error_envelope import model_response
    from tearline.api.schemas import Page, RecordOut
    from tearline.store import audit_events, facets, search
    from tearline.store.reader import read_records
    from tearline.store.store import Store, subject_for
    from tearline.store.visibility import Visibility

    store = Store.open(url)
    now = datetime.now(UTC)
    out: dict[str, float] = {}
    try:
        with store.reading() as conn:
            subject = subject_for(conn, "us.dea.sod")
            vis = Visibility(subject, now)
            out["ranked ids through the policy"] = _cpu_ms(
                lambda: [search.search_hits(conn, vis, w, limit=limit) for w in words],
                repeat, len(words))
            ids = {w: search.search_ids(conn, vis, w, limit=limit) for w in words}
            out[f"tear-line views of the {limit} records"] = _cpu_ms(
                lambda: [read_records(conn, vis, ids[w]) for w in words], repeat, len(words))
            shown = {w: read_records(conn, vis, ids[w]) for w in words}
            salt = store._salt(conn)
            # the web page's facets (store/facets.py): a ranked window, then its counts
            window = facets.WINDOW
            out[f"web facets: ranked ids of {window + 1}"] = _cpu_ms(
                lambda: [search.search_ids(conn, vis, w, limit=window + 1) for w in words],
                repeat, len(words))
            best = {w: search.search_ids(conn, vis, w, limit=window) for w in words}

            def counted(word: str) -> facets.Facets:
                # as the page counts them: in the window's snapshot where there is one
                with facets.one_snapshot(conn) as held:
                    return facets.count(conn, vis, best[word], False, existing=held)

            out[f"web facets: counted over {window} records"] = _cpu_ms(
                lambda: [counted(w) for w in words], repeat, len(words))
        out[f"audit events built (1 + {limit})"] = _cpu_ms(
            lambda: [[audit_events.search_event(salt, subject, w, len(shown[w])),
                      *audit_events.record_read_events(subject, shown[w], "search")]
                     for w in words], repeat, len(words))
        out["JSON answer"] = _cpu_ms(
            lambda: [model_response(Page(items=[RecordOut.of(r) for r in shown[w]],
                                         next_cursor=None)) for w in words],
            repeat, len(words))
        out["Store.search whole, one at a time (audit entries committed)"] = _cpu_ms(
            lambda: [store.search(subject, now, w, limit=limit) for w in words],
            repeat, len(words))
        # the web page's read and the API's with facets=true: the page and the facets in
        # one store call, one ranked window for both (store/facets.py)
        out["facets.search_faceted whole, one at a time (audit committed)"] = _cpu_ms(
            lambda: [facets.search_faceted(store, subject, now, w, limit=limit) for w in words],
            repeat, len(words))
        # the same-run baseline: the read the API's goal holds searches to
        first = [ids[w][0] for w in words]
        out["baseline: Store.read of one record, one at a time"] = _cpu_ms(
            lambda: [store.read(subject, now, i) for i in first], repeat, len(words))
    finally:
        store.close()
    return out


def profile_faceted(url: str, limit: int, searches: int, words: list[str]) -> None:
    """cProfile of ``searches`` calls of ``facets.search_faceted`` (the web page's read,
    audit committed), the surnames in turn, after one warm-up call each."""
    import cProfile
    import pstats

    from tearline.store import facets
    from tearline.store.store import Store, subject_for

    store = Store.open(url)
    now = datetime.now(UTC)
    try:
        with store.reading() as conn:
            subject = subject_for(conn, "us.dea.sod")
        for w in words:
            facets.search_faceted(store, subject, now, w, limit=limit)
        profiler = cProfile.Profile()
        started = time.process_time()
        profiler.enable()
        for n in range(searches):
            facets.search_faceted(store, subject, now, words[n % len(words)], limit=limit)
        profiler.disable()
        print(f"{(time.process_time() - started) / searches * 1000:.2f} ms of CPU per "
              f"search under the profiler ({searches} searches)")
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats("tearline", 25)
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--limit", type=int, default=20, help="records per page")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--words", type=int, default=len(SURNAMES),
                        help="how many of the surnames to search (an older, slower search)")
    parser.add_argument("--db", type=Path, help="reuse (or keep) the store here")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR,
                        help="without --db: the stores bench/api.py keeps (default: "
                        "%(default)s)")
    parser.add_argument("--quick", action="store_true", help="2,000 records, 1 repeat")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--profile", type=int, metavar="N",
                        help="profile N calls of the web page's read instead")
    parser.add_argument("--window", type=int,
                        help="count the facets over this many best matches instead of "
                        "store/facets.py's WINDOW (to weigh a smaller window: a product "
                        "choice, not the shipped behaviour)")
    args = parser.parse_args()
    if args.window:
        from tearline.store import facets, read_query

        facets.WINDOW = args.window  # and its search's LIMIT, as the shipped window has
        read_query.LIMITS = tuple(sorted({*read_query.LIMITS, args.window + 1}))
    if args.quick:
        args.records, args.repeat = 2000, 1
    words = SURNAMES[:args.words]
    if args.db is None:  # the store bench/api.py keeps for this size and seed
        url = cached(args.data_dir, args.records, args.seed)[0]
    else:
        if not args.db.exists():
            prepare(args.db, args.records, args.seed)
        url = f"sqlite:///{args.db}"
    if args.profile:
        profile_faceted(url, args.limit, args.profile, words)
        return
    figures = profile(url, args.limit, args.repeat, words)
    if args.json:
        print(json.dumps({"records": args.records, "cpu_ms": figures}, indent=2))
        return
    print(f"{args.records:,} records, SQLite, a page of {args.limit}, CPU ms per search "
          f"(mean over {len(words)} surnames x {args.repeat})")
    for name, value in figures.items():
        print(f"  {name:<62} {value:8.3f}")
    report("CPU per search / per one-record read",
           figures["Store.search whole, one at a time (audit entries committed)"]
           / figures["baseline: Store.read of one record, one at a time"],
           higher_is_better=False)


if __name__ == "__main__":
    main()
