"""How a benchmark reports its ratios to ``bench/run.py --quick`` (see ``bench/README.md``).

Each ratio is one line on standard output, ``RATIO`` and a JSON object: which figure,
its ratio to the baseline measured in the same run, the goal if there is one, and
whether higher is better. The benchmark's own table is printed as before; ``run.py
--quick`` keeps only these lines and prints them as one table.
"""

from __future__ import annotations

import json

PREFIX = "RATIO "


def report(figure: str, ratio: float, goal: float | None = None,
           higher_is_better: bool = True) -> None:
    """Print one ratio for ``run.py``; ``goal``: the ratio the issue asks for, if any."""
    print(PREFIX + json.dumps({"figure": figure, "ratio": ratio, "goal": goal,
                               "higher_is_better": higher_is_better}), flush=True)
