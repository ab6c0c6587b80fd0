"""Run every benchmark under bench/, one after the other, each printing its figures.

    python bench/run.py            # all
    python bench/run.py ingest     # those whose file name contains "ingest"

Each benchmark measures its own baseline in the same run and prints the ratio; the
machines are shared and noisy, so only ratios within one run are comparable.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = argv[1:]
    scripts = sorted(
        p for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_")
    )
    if wanted:
        scripts = [p for p in scripts if any(w in p.stem for w in wanted)]
    failed = []
    for script in scripts:
        print(f"\n=== {script.name} ({time.strftime('%Y-%m-%d %H:%M')})", flush=True)
        if subprocess.call([sys.executable, str(script)]) != 0:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
