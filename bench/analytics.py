"""Benchmark: aggregate synthetic seizure rows by drug × origin × month, DuckDB against pandas.

    .venv/bin/python bench/analytics.py [--rows 10000000] [--seed 7] [--repeat 3]

Each engine runs in its own subprocess, so that peak memory (``ru_maxrss``) is its
own and not the other's. Every subprocess generates the same rows from the same
seed with numpy, in chunks of a million (so that generation itself stays small),
and loads them into the engine's natural form; loading is not timed:

- ``duckdb``: the rows appended chunk by chunk to a DuckDB table (``ENUM`` drug and
  origin, ``DATE``), as the engine would hold them, then a plain ``GROUP BY`` query
  with the month as the integer ``yyyymm``;
- ``tearline``: the same Arrow table through ``tearline.analysis.totals`` (exact
  decimal sums, the month as an integer key);
- ``assessment``: the assessment path end to end in memory: the rows arrive with
  plain text columns, as the store's query returns them, are conformed by
  ``seizure_frame`` (which dictionary-encodes the grouping text, not timed), and
  ``totals()`` runs over that frame — what ``tearline report assessment`` runs;
- ``pandas``: a DataFrame (categorical drug and origin, ``datetime64``), grouped with
  ``groupby(..., observed=True, sort=False)`` on the month computed with numpy.

Reported per engine: the best wall time of ``--repeat`` runs of the aggregation, the
peak resident memory of the process, and the peak *added* by the aggregation (peak
after it minus the peak after the data was built). The figures are printed; nothing
is written.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

from _ratios import report

DRUGS = ["fentanyl", "methamphetamine", "cocaine", "heroin", "marijuana",
         "ecstasy", "ketamine", "lsd", "khat", "other"]  # fmt: skip
ORIGINS = ["mx", "cn", "co", "us", "ca", "in", "pe", "bo", "gt", "hn",
           "ve", "ec", "pa", "nl", "de", "pk", "af", "mm", "th", "br"]  # fmt: skip
FIRST_DAY = np.datetime64("2019-01-01", "D")
DAYS = 5 * 365
CHUNK = 1_000_000


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def chunks(rows: int, seed: int) -> Iterator[dict[str, np.ndarray[Any, Any]]]:
    """Deterministic rows in chunks: drug and origin codes, days since 1970, gross kg."""
    rng = np.random.default_rng(seed)
    offset = int((FIRST_DAY - np.datetime64("1970-01-01", "D")).astype(np.int64))
    for start in range(0, rows, CHUNK):
        n = min(CHUNK, rows - start)
        yield {
            "drug": rng.integers(0, len(DRUGS), n, dtype=np.int8),
            "origin": rng.integers(0, len(ORIGINS), n, dtype=np.int8),
            "day": rng.integers(0, DAYS, n, dtype=np.int32) + np.int32(offset),
            "gross": np.round(rng.lognormal(0.5, 1.5, n), 3),
        }


def generate(rows: int, seed: int) -> dict[str, np.ndarray[Any, Any]]:
    """All rows in preallocated arrays (filled chunk by chunk, so no large temporaries)."""
    data: dict[str, np.ndarray[Any, Any]] = {
        "drug": np.empty(rows, np.int8),
        "origin": np.empty(rows, np.int8),
        "day": np.empty(rows, np.int32),
        "gross": np.empty(rows, np.float64),
    }
    start = 0
    for chunk in chunks(rows, seed):
        n = len(chunk["drug"])
        for name, values in chunk.items():
            data[name][start : start + n] = values
        start += n
    return data


def arrow_table(data: dict[str, np.ndarray[Any, Any]]) -> Any:
    import pyarrow as pa

    return pa.table(
        {
            "drug": pa.DictionaryArray.from_arrays(data["drug"], pa.array(DRUGS)),
            "origin": pa.DictionaryArray.from_arrays(data["origin"], pa.array(ORIGINS)),
            "date": pa.Array.from_buffers(
                pa.date32(), len(data["day"]), [None, pa.py_buffer(data["day"])]
            ),
            "gross_kg": pa.array(data["gross"]),
        }
    )


def run_duckdb(rows: int, seed: int) -> tuple[Any, Any]:
    """DuckDB's own storage: chunks appended to a table with ENUM drug and origin."""
    import duckdb

    connection = duckdb.connect(":memory:")
    connection.execute(f"CREATE TYPE drug_t AS ENUM {tuple(DRUGS)}")
    connection.execute(f"CREATE TYPE origin_t AS ENUM {tuple(ORIGINS)}")
    connection.execute(
        "CREATE TABLE seizures (drug drug_t, origin origin_t, date DATE, gross_kg DOUBLE)"
    )
    for chunk in chunks(rows, seed):
        connection.register("chunk", arrow_table(chunk))
        connection.execute("INSERT INTO seizures SELECT * FROM chunk")
        connection.unregister("chunk")
    sql = (
        "SELECT drug, origin, year(date) * 100 + month(date) AS month, "
        "sum(gross_kg) AS kg, count(*) AS events FROM seizures GROUP BY ALL"
    )

    def work() -> tuple[int, float, int]:
        rows = connection.execute(sql).fetchall()
        return len(rows), sum(r[3] for r in rows), sum(r[4] for r in rows)

    threads = connection.execute("SELECT current_setting('threads')").fetchone()
    return work, None if threads is None else threads[0]


def run_tearline(rows: int, seed: int) -> tuple[Any, Any]:
    """The rows as the Arrow frame assessments receive, through tearline's totals()."""
    import pyarrow as pa

    from tearline.analysis.frame import seizure_frame
    from tearline.analysis.totals import totals

    table = arrow_table(generate(rows, seed))
    table = table.append_column("synthetic", pa.repeat(pa.scalar(True), table.num_rows))
    frame = seizure_frame(table.append_column("entity_id", pa.nulls(table.num_rows, pa.string())))

    def work() -> tuple[int, float, int]:
        result = totals(frame, ("drug", "origin", "month"))
        return len(result.groups), sum(g.kg for g in result.groups), result.events

    return work, "default"


def run_assessment(rows: int, seed: int) -> tuple[Any, Any]:
    """Plain text columns (as read from the store) through seizure_frame, then totals()."""
    import pyarrow as pa

    from tearline.analysis.frame import seizure_frame
    from tearline.analysis.totals import totals

    table = arrow_table(generate(rows, seed))
    for name in ("drug", "origin"):
        index = table.column_names.index(name)
        table = table.set_column(index, name, table.column(name).cast(pa.string()))
    table = table.append_column("synthetic", pa.repeat(pa.scalar(True), table.num_rows))
    frame = seizure_frame(table)

    def work() -> tuple[int, float, int]:
        result = totals(frame, ("drug", "origin", "month"))
        return len(result.groups), sum(g.kg for g in result.groups), result.events

    return work, "default"


def run_pandas(rows: int, seed: int) -> tuple[Any, Any]:
    """A DataFrame over the generated arrays (categorical drug and origin)."""
    import pandas as pd  # type: ignore[import-untyped]

    data = generate(rows, seed)
    frame = pd.DataFrame(
        {
            "drug": pd.Categorical.from_codes(data["drug"], DRUGS),
            "origin": pd.Categorical.from_codes(data["origin"], ORIGINS),
            "date": data["day"].astype("datetime64[D]").astype("datetime64[s]"),
            "gross_kg": data["gross"],
        },
        copy=False,
    )

    def work() -> tuple[int, float, int]:
        month = frame["date"].to_numpy().astype("datetime64[M]")
        grouped = frame.groupby([frame["drug"], frame["origin"], month], observed=True, sort=False)[
            "gross_kg"
        ].agg(["sum", "count"])
        return len(grouped), float(grouped["sum"].sum()), int(grouped["count"].sum())

    return work, 1


ENGINES = {
    "duckdb": run_duckdb,
    "tearline": run_tearline,
    "assessment": run_assessment,
    "pandas": run_pandas,
}


def worker(engine: str, rows: int, seed: int, repeat: int) -> dict[str, Any]:
    work, threads = ENGINES[engine](rows, seed)
    baseline = peak_mib()
    times = []
    result: tuple[int, float, int] = (0, 0.0, 0)
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    peak = peak_mib()
    return {
        "engine": engine,
        "threads": threads,
        "seconds": min(times),
        "peak_mib": peak,
        "added_mib": peak - baseline,
        "groups": result[0],
        "kg": result[1],
        "events": result[2],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", choices=sorted(ENGINES))
    parser.add_argument("--quick", action="store_true",
                        help="200,000 rows, best of 2, for bench/run.py --quick")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.repeat = 200_000, 2
    if args.worker:
        print(json.dumps(worker(args.worker, args.rows, args.seed, args.repeat)))
        return
    results = {}
    for engine in ENGINES:
        out = subprocess.run(
            [sys.executable, __file__, "--worker", engine, "--rows", str(args.rows),
             "--seed", str(args.seed), "--repeat", str(args.repeat)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        results[engine] = json.loads(out.stdout)
    print(f"{args.rows:,} rows, drug × origin × month, seed {args.seed}, best of {args.repeat}")
    print(f"{'engine':<10} {'threads':>7} {'seconds':>8} {'peak MiB':>9} {'added MiB':>10} "
          f"{'groups':>7} {'events':>11} {'kg':>16}")  # fmt: skip
    for r in results.values():
        print(
            f"{r['engine']:<10} {r['threads']!s:>7} {r['seconds']:>8.3f} {r['peak_mib']:>9.1f} "
            f"{r['added_mib']:>10.1f} {r['groups']:>7} {r['events']:>11,} {r['kg']:>16,.3f}"
        )
    pandas = results["pandas"]
    for name in ("duckdb", "tearline", "assessment"):
        r = results[name]
        agree = r["groups"] == pandas["groups"] and r["events"] == pandas["events"]
        agree = agree and abs(r["kg"] - pandas["kg"]) <= 1e-6 * pandas["kg"]
        print(f"{name} vs pandas: {pandas['seconds'] / r['seconds']:.1f}× faster, "
              f"peak memory {r['peak_mib'] / pandas['peak_mib']:.2f}× of pandas', "
              f"added memory {r['added_mib']:.0f} vs {pandas['added_mib']:.0f} MiB; "
              f"same groups and totals: {agree}")  # fmt: skip
        report(f"{name} group-by (speed-up over pandas)", pandas["seconds"] / r["seconds"],
               5.0)


if __name__ == "__main__":
    main()
