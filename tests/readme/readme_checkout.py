"""The README test's checkout: a fresh copy of the repository where the README's blocks run.

A copy is laid out in a temporary folder (every top-level entry linked, ``.venv``
linked to the environment running the tests, ``../shared`` beside it as in a real
checkout), and each runnable ``sh`` block (``readme_blocks.py``) is run there by
``bash -e -o pipefail`` with the worktree's ``tearline`` first on ``PATH``. Listeners
started in the background get free ports instead of the README's (replaced in every
command); :meth:`Checkout.wait_listening` waits for each to accept connections rather
than for a length of time, and :meth:`Checkout.stop` ends them by process group.

Each test module of the README builds its own checkout (``make_checkout``), so the
sections run in separate files, on separate workers of a parallel run.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from readme_blocks import Block

from waiting import HANG, wait_until

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
VENV = Path(sys.prefix)
PORTS = ("9443", "9444", "9445")
#: Left out of the copy: what a run of the README or of the tools creates.
GENERATED = {".venv", ".git", "workspace", "demo-workspace", "demo-federation", "dea",
             "semar", "fgr"}
_SERVE = re.compile(r"tearline\s+-w\s+(\S+)\s+node\s+serve\b.*&\s*$")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Checkout:
    root: Path
    env: dict[str, str]
    ports: dict[str, str]
    groups: list[int] = field(default_factory=list)  # process groups left running
    ran: int = 0

    def run(self, block: Block) -> None:
        """Run one block; fail with the command that failed and its output."""
        text = re.sub(r"\b(944[345])\b", lambda m: self.ports[m.group(1)], block.text)
        self.ran += 1
        out = self.root.parent / f"block-{self.ran}.out"
        with out.open("wb") as sink:
            proc = subprocess.Popen(["bash", "-e", "-o", "pipefail", "-x", "-c", text],
                                    cwd=self.root, env=self.env, stdout=sink,
                                    stderr=subprocess.STDOUT, start_new_session=True)
            self.groups.append(proc.pid)
            status = proc.wait(timeout=HANG)
        said = out.read_text(errors="replace")
        assert status == 0, (f"README line {block.line} ({block.section}) failed with "
                             f"status {status}:\n{said[-4000:]}")
        for line in text.splitlines():
            serving = _SERVE.search(line)
            if serving:
                self.wait_listening(serving.group(1))

    def wait_listening(self, workspace: str) -> None:
        node = json.loads((self.root / workspace / "keys" / "node.json").read_text())
        port = int(re.sub(r".*:(\d+)/.*", r"\1", node["url"]))

        def listening() -> bool:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=5).close()
            except OSError:
                log = self.root / f"{workspace}.log"
                said = log.read_text(errors="replace") if log.exists() else ""
                if any(sign in said for sign in ("Traceback", "ERROR", "Error:")):
                    raise AssertionError(f"the {workspace} listener failed:\n"
                                         f"{said[-3000:]}") from None
                return False
            return True

        wait_until(listening, f"the {workspace} listener on port {port}")

    def tearline(self, *args: str) -> str:
        done = subprocess.run(["tearline", *args], cwd=self.root, env=self.env,
                              capture_output=True, text=True, timeout=HANG)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def stop(self) -> None:
        """End what the blocks left running (the listeners), by process group."""
        for group in self.groups:
            try:
                os.killpg(group, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for group in self.groups:
            def gone(group: int = group) -> bool:
                try:
                    os.killpg(group, 0)
                except ProcessLookupError:
                    return True
                return False
            try:
                wait_until(gone, f"process group {group} to stop")
            except AssertionError:
                os.killpg(group, signal.SIGKILL)


@contextmanager
def make_checkout(base: Path) -> Iterator[Checkout]:
    """A checkout in the empty folder ``base``; what its blocks left running is stopped
    at the end."""
    assert (VENV / "bin" / "tearline").exists(), f"no tearline in {VENV}: run dev.py first"
    root = base / "tearline"
    root.mkdir()
    for entry in REPO.iterdir():
        if entry.name not in GENERATED:
            (root / entry.name).symlink_to(entry)
    (root / ".venv").symlink_to(VENV)
    (base / "shared").symlink_to(REPO.parent / "shared")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TEARLINE_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(PATH=f"{VENV / 'bin'}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}",
               PYTHONPATH=str(REPO / "src"), COLUMNS="200")
    made = Checkout(root, env, {p: str(free_port()) for p in PORTS})
    try:
        yield made
    finally:
        made.stop()
