"""Run every benchmark under bench/, one after the other, each printing its figures.

    python bench/run.py               # all, at their full sizes
    python bench/run.py ingest        # those whose file name contains "ingest"
    python bench/run.py --quick       # all at a small size, then ONE table of ratios

Each benchmark measures its own baseline in the same run and prints the ratio; the
machines are shared and noisy, so only ratios within one run are comparable.

``--quick`` is a convention every benchmark follows (``bench/README.md``): it accepts
``--quick`` and then runs at a size that takes well under a minute, and it prints each
ratio to its baseline as a ``RATIO`` line (``bench/_ratios.py``). Here those lines are
gathered into one table, so that a regression shows before a commit; a benchmark that
does not take ``--quick`` yet is listed as such, never silently left out.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _ratios import PREFIX  # noqa: E402

#: Each quick run is stopped after this long (its row then says so).
QUICK_TIMEOUT_S = 240


def scripts(wanted: list[str]) -> list[Path]:
    found = sorted(
        p for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_")
    )
    return [p for p in found if any(w in p.stem for w in wanted)] if wanted else found


def quick(paths: list[Path]) -> int:
    """Each benchmark at its quick size; their ratios as one table."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(HERE.parent / "src"), str(HERE.parent / "tests"), os.environ.get("PYTHONPATH", "")])}
    rows: list[tuple[str, str, str, str, str]] = []
    failed: list[str] = []
    started = time.perf_counter()
    for script in paths:
        if '"--quick"' not in script.read_text(encoding="utf-8"):
            rows.append((script.stem, "(takes no --quick yet)", "", "", ""))
            continue
        print(f"{script.stem} …", end=" ", flush=True, file=sys.stderr)
        begin = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, str(script), "--quick"], env=env,
                                  capture_output=True, text=True, timeout=QUICK_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            rows.append((script.stem, f"(stopped after {QUICK_TIMEOUT_S} s)", "", "", ""))
            failed.append(script.stem)
            continue
        print(f"{time.perf_counter() - begin:.0f} s", file=sys.stderr)
        ratios = [json.loads(line[len(PREFIX):]) for line in done.stdout.splitlines()
                  if line.startswith(PREFIX)]
        if done.returncode != 0:
            failed.append(script.stem)
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            rows.append((script.stem, f"(failed: {tail[:70]})", "", "", ""))
        for r in ratios:
            goal = r.get("goal")
            better = r.get("higher_is_better", True)
            met = "" if goal is None else ("yes" if (r["ratio"] >= goal if better
                                                     else r["ratio"] <= goal) else "NO")
            rows.append((script.stem, r["figure"], f"{r['ratio']:.3g}",
                         "" if goal is None else f"{'≥' if better else '≤'} {goal:g}", met))
        if done.returncode == 0 and not ratios:
            rows.append((script.stem, "(no RATIO line printed)", "", "", ""))
    widths = [max(len(r[i]) for r in [*rows, ("bench", "figure", "ratio", "goal", "met")])
              for i in range(5)]
    print(f"\nquick benchmarks, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{time.perf_counter() - started:.0f} s, load average {os.getloadavg()[0]:.1f}")
    for row in [("bench", "figure", "ratio", "goal", "met"), *rows]:
        print(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  "
              f"{row[3]:<{widths[3]}}  {row[4]}")
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    wanted = [a for a in argv[1:] if a != "--quick"]
    if "--quick" in argv[1:]:
        return quick(scripts(wanted))
    failed = []
    for script in scripts(wanted):
        print(f"\n=== {script.name} ({time.strftime('%Y-%m-%d %H:%M')})", flush=True)
        if subprocess.call([sys.executable, str(script)]) != 0:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
