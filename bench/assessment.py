"""Benchmark: the assessment path from the store, against the same figures in pandas.

    .venv/bin/python bench/assessment.py [--records 1000000] [--seed 7] [--quick]

A SQLite store is filled once with N synthetic Seizure records of one U.S. unit (ten
values each: drug, date, gross weight, origin, region, port, conveyance, concealment,
latitude, longitude), four in five CLEAR and one in five AMBER+STRICT; the viewer is
a Mexican unit, so the policy leaves the AMBER+STRICT ones out. Filling is not timed.
Then, each in its own subprocess (so that peak memory, ``ru_maxrss``, is its own):

- ``tearline``: the report path as ``tearline report assessment`` runs it, timed
  stage by stage: the audited policy read (``Store.seizure_frame``), the figures and the
  inputs digest (``build_assessment``), and the charts (``render_html``);
- ``pandas``: the rows the store returned (written by the ``tearline`` worker to an
  Arrow file after its timing, read and converted to a DataFrame with categorical text,
  not timed: pandas' peak memory is then its own, not that of tearline's read), then
  the same group-bys the figures run — every ``totals()`` call ``build_assessment``
  makes, recorded by the ``tearline`` worker and replayed with boolean masks and
  ``groupby`` — and the places grouping.

The ratio the issue asks for (≥ 5× with less peak memory) compares the whole tearline
path, store read included, with pandas' figures alone. Printed: each stage's seconds,
both peaks, the ratios (also as ``RATIO`` lines for ``bench/run.py --quick``, see
``bench/README.md``); ``--quick`` uses a small store.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from _ratios import report

AT = datetime(2026, 1, 2, tzinfo=UTC)
DRUGS = ["fentanyl", "methamphetamine", "cocaine", "heroin", "marijuana"]
ORIGINS = ["mx", "cn", "co", "us", "gt", "in"]
REGIONS = ["Sinaloa", "Sonora", "Southwest Border", "Coastal/Interior", "Jalisco"]
PORTS = [f"port {i}" for i in range(40)]
CONVEYANCES = ["passenger vehicle", "commercial truck", "pedestrian", "mail", "vessel"]
CONCEALMENTS = [f"concealment {i}" for i in range(25)]
VIEWER = "mx.semar.uie"
QUICK_RECORDS = 2_000


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def fill(url: str, records: int, seed: int) -> None:
    """N Seizure records of us.dea.sod, in batches (one transaction each)."""
    import random

    from tearline.model.grading import Credibility, Reliability
    from tearline.model.marking import Marking
    from tearline.model.parties import Agency, Unit
    from tearline.model.record import build_record
    from tearline.model.statement import Provenance
    from tearline.store import Store, parties

    store = Store.open(url)
    with store.transaction() as conn:
        for agency, country in (("us.dea", "us"), ("mx.semar", "mx")):
            parties.put_agency(conn, Agency(agency, agency, country), AT - timedelta(days=9))
        parties.put_unit(conn, Unit("us.dea.sod", "us.dea", "SOD"), AT - timedelta(days=9))
        parties.put_unit(conn, Unit(VIEWER, "mx.semar", "UIE"), AT - timedelta(days=9))
    prov = Provenance("us.dea", "us.dea.sod", AT - timedelta(days=5), Reliability.B,
                      Credibility.PROBABLY_TRUE)
    clear, strict = Marking.build("CLEAR"), Marking.build("AMBER+STRICT")
    rng = random.Random(seed)
    first = date(2019, 1, 1).toordinal()
    for start in range(0, records, 20_000):
        batch = []
        for n in range(start, min(records, start + 20_000)):
            batch.append(build_record(f"sz-{n}", "Seizure", {
                "drug": [rng.choice(DRUGS)],
                "date": [date.fromordinal(first + rng.randrange(5 * 365)).isoformat()],
                "grossWeight": [f"{rng.lognormvariate(0.5, 1.5):.3f}"],
                "originCountry": [rng.choice(ORIGINS)],
                "region": [rng.choice(REGIONS)],
                "portOfEntry": [rng.choice(PORTS)],
                "conveyance": [rng.choice(CONVEYANCES)],
                "concealment": [rng.choice(CONCEALMENTS)],
                "latitude": [f"{rng.uniform(15, 33):.2f}"],
                "longitude": [f"{rng.uniform(-117, -87):.2f}"],
            }, prov, strict if n % 5 == 4 else clear, keyer=store.keyer))  # fmt: skip
        store.write(batch)
    store.close()


def _record_totals() -> list[tuple[Any, ...]]:
    """Every ``totals()`` call the figures make, recorded (the pandas worker replays them)."""
    from tearline.analysis import change, origins, regions, totals, trend
    from tearline.reports import figures

    calls: list[tuple[Any, ...]] = []
    original = totals.totals

    def recorded(frame: Any, by: Any = (), selection: Any = totals.ALL, weight: Any = "gross",
                 order: str = "key", limit: int | None = None) -> Any:
        calls.append((tuple(by), selection.to_dict(), weight, order, limit))
        return original(frame, by, selection, weight, order, limit)

    for module in (totals, figures, change, origins, regions, trend):
        module.totals = recorded  # type: ignore[attr-defined]
    return calls


def run_tearline(url: str, rows: Path) -> dict[str, Any]:
    from tearline.reports.assessment import (
        AssessmentInput,
        AssessmentParams,
        build_assessment,
        render_html,
    )
    from tearline.store import Store

    calls = _record_totals()
    store = Store.open(url)
    subject = store.subject(VIEWER)
    base = peak_mib()
    start, cpu0 = time.perf_counter(), time.process_time()
    frame = store.seizure_frame(subject, AT)
    read, cpu1 = time.perf_counter(), time.process_time()
    assessment = build_assessment(AssessmentInput(VIEWER, frame),
                                  AssessmentParams(generated_at=AT))
    figures, cpu2 = time.perf_counter(), time.process_time()
    render_html(assessment, chart_format="png")
    charts = time.perf_counter()
    peak = peak_mib()
    with pa.ipc.new_file(rows, frame.table.schema) as out:  # for the pandas worker
        out.write_table(frame.table)
    return {"rows": frame.rows, "read": read - start, "figures": figures - read,
            "charts": charts - figures, "path": figures - start, "read_cpu": cpu1 - cpu0,
            "path_cpu": cpu2 - cpu0, "peak_mib": peak,
            "added_mib": peak - base, "kg": assessment.records.kg, "calls": calls}


def _pandas_totals(df: Any, by: tuple[str, ...], sel: dict[str, Any], weight: str,
                   order: str, limit: int | None) -> Any:
    import numpy as np
    import pandas as pd  # type: ignore[import-untyped]

    mask = np.ones(len(df), dtype=bool)
    if sel["drugs"]:
        mask &= df["drug"].isin([d.lower() for d in sel["drugs"]]).to_numpy()
    if sel["origins"]:
        mask &= df["origin"].isin([o.lower() for o in sel["origins"]]).to_numpy()
    if sel["start"]:
        mask &= (df["date"] >= pd.Timestamp(sel["start"])).to_numpy()
    if sel["end"]:
        mask &= (df["date"] <= pd.Timestamp(sel["end"])).to_numpy()
    sub = df[mask]
    days = sub["date"].dt
    keys = {
        "month": lambda: days.year * 100 + days.month,
        "quarter": lambda: days.year * 10 + days.quarter,
        "year": lambda: days.year,
        "fiscal_year": lambda: days.year + (days.month >= 10),
    }
    columns = {f"k{i}": keys[name]() if name in keys else sub[name] for i, name in enumerate(by)}
    data = pd.DataFrame({**columns, "w": sub[f"{weight}_kg"], "events": sub["events"],
                         "syn": sub["events"].where(sub["synthetic"], 0)})
    if not by:
        return data[["events", "w", "syn"]].sum()
    grouped = data.groupby(list(columns), observed=True, dropna=False, sort=True).sum()
    if order == "weight":
        grouped = grouped.sort_values("w", ascending=False, kind="stable")
    return grouped if limit is None else grouped.head(limit)


def run_pandas(rows: Path, calls: list[Any]) -> dict[str, Any]:
    with pa.ipc.open_file(rows) as source:
        df = source.read_all().to_pandas()
    df["date"] = df["date"].astype("datetime64[ns]")
    base = peak_mib()
    start, cpu0 = time.perf_counter(), time.process_time()
    for by, sel, weight, order, limit in calls:
        _pandas_totals(df, tuple(by), sel, weight, order, limit)
    placed = df[df["latitude"].notna() & df["longitude"].notna()]
    placed.groupby(["latitude", "longitude"]).agg(kg=("gross_kg", "sum"), n=("events", "sum"))
    seconds = time.perf_counter() - start
    return {"rows": len(df), "path": seconds, "path_cpu": time.process_time() - cpu0,
            "peak_mib": peak_mib(),
            "added_mib": peak_mib() - base}


def _worker(args: list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True,
                         text=True)
    return dict(json.loads(out.stdout.splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_RECORDS:,} records")
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "URL"), help=argparse.SUPPRESS)
    parser.add_argument("--calls", help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help="keep the filled store in this file "
                        "(filled when missing, reused when present: filling a million records "
                        "takes minutes)")
    args = parser.parse_args()
    if args.worker:
        engine, url = args.worker
        rows = Path(args.calls).with_name("rows.arrow")
        result = run_tearline(url, rows) if engine == "tearline" else run_pandas(
            rows, json.loads(Path(args.calls).read_text()))
        print(json.dumps(result, default=str))
        return
    records = QUICK_RECORDS if args.quick else args.records
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{args.store or Path(tmp) / 'bench.sqlite'}"
        if args.store is None or not args.store.exists():
            start = time.perf_counter()
            fill(url, records, args.seed)
            print(f"{records:,} Seizure records stored in {time.perf_counter() - start:.1f} s")
        print(f"store {url}; viewer {VIEWER}")
        calls = Path(tmp) / "calls.json"
        ours = _worker(["--worker", "tearline", url, "--calls", str(calls)])
        calls.write_text(json.dumps(ours.pop("calls")))
        theirs = _worker(["--worker", "pandas", url, "--calls", str(calls)])
    print(f"{'path':<10} {'rows':>9} {'read s':>8} {'figures s':>10} {'charts s':>9} "
          f"{'timed s':>8} {'peak MiB':>9}")
    print(f"{'tearline':<10} {ours['rows']:>9,} {ours['read']:>8.3f} {ours['figures']:>10.3f} "
          f"{ours['charts']:>9.3f} {ours['path']:>8.3f} {ours['peak_mib']:>9.1f}")
    print(f"{'pandas':<10} {theirs['rows']:>9,} {'—':>8} {theirs['path']:>10.3f} {'—':>9} "
          f"{theirs['path']:>8.3f} {theirs['peak_mib']:>9.1f}")
    speed = theirs["path"] / ours["path"]
    memory = ours["peak_mib"] / theirs["peak_mib"]
    print(f"CPU seconds (steadier on a shared machine): tearline read {ours['read_cpu']:.3f}, "
          f"path {ours['path_cpu']:.3f}; pandas {theirs['path_cpu']:.3f} "
          f"({theirs['path_cpu'] / ours['path_cpu']:.2f}× by CPU)")
    print(f"tearline (store read, figures, digest) vs pandas (figures): {speed:.2f}× faster "
          f"(goal ≥ 5), peak memory {memory:.2f}× of pandas' (goal < 1)")
    report("assessment from the store (speed-up over pandas' figures)", speed, 5.0)
    report("assessment peak memory / pandas'", memory, 1.0, higher_is_better=False)


if __name__ == "__main__":
    main()
