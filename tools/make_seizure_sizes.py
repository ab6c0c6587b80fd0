"""Regenerate ``src/tearline/demo/data/seizure_sizes.json`` from the CBP reference files.

Usage: ``PYTHONPATH=src python tools/make_seizure_sizes.py ../shared/data`` (the folder
holding ``cbp/``). The method is :mod:`tearline.demo.sizes`'s; ``tests/demo/test_sizes.py``
checks that the bundled file is what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tearline.demo import sizes
from tearline.sources.cbp import default_cbp_paths, read_cbp


def main(data_dir: Path) -> None:
    series = read_cbp(default_cbp_paths(data_dir))
    target = Path(sizes.__file__).resolve().parent / sizes.DATA
    target.write_text(sizes.to_json(sizes.derive(series.rows), (f.sha256 for f in series.files)),
                      "utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
