"""The README, followed command by command, works as written.

A fresh copy of the checkout is laid out in a temporary folder (every top-level entry
linked, ``.venv`` linked to the environment running the tests, ``../shared`` beside it
as in a real checkout), and each runnable ``sh`` block of the README
(``readme_blocks.py``) is run there by ``bash -e -o pipefail``, in file order, with the
worktree's ``tearline`` first on ``PATH`` — as a person following the README would,
after ``python3 dev.py demo`` made the environment.

The federation walk-through starts three listeners in the background on ports
9443–9445: the test gives them free ports instead (the README's port numbers are
replaced in every command), waits for each listener to accept connections rather than
for a length of time, and stops them (their process groups) at the end. After the
walk-through it checks what the README says happened: the vetted navy unit holds the
DEA's three records, the attorney-general unit only the `TLP:GREEN` one.
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
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from readme_blocks import Block, blocks, section

from waiting import HANG, wait_until

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
VENV = Path(sys.prefix)
PORTS = ("9443", "9444", "9445")
#: Left out of the copy: what a run of the README or of the tools creates.
GENERATED = {".venv", ".git", "workspace", "demo-workspace", "demo-federation", "dea",
             "semar", "fgr"}
_SERVE = re.compile(r"tearline\s+-w\s+(\S+)\s+node\s+serve\b.*&\s*$")

pytestmark = pytest.mark.slow


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


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Checkout]:
    assert (VENV / "bin" / "tearline").exists(), f"no tearline in {VENV}: run dev.py first"
    base = tmp_path_factory.mktemp("readme")
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


def test_every_shell_block_is_run_or_marked_not_to_run() -> None:
    text = README.read_text(encoding="utf-8")
    found = blocks(text)
    assert {b.section for b in found if b.run} >= {"Using it",
                                                   "Federation: three nodes on one machine"}
    # not run: building the environment the test runs in, and serving until stopped
    assert [b.line for b in found if not b.run] == [
        b.line for b in found if b.section == "Quick start" or b.text.strip() == "tearline serve"]


def test_using_it(checkout: Checkout) -> None:
    for block in section(README.read_text(encoding="utf-8"), "Using it"):
        checkout.run(block)


def test_federation_three_nodes_on_one_machine(checkout: Checkout) -> None:
    text = README.read_text(encoding="utf-8")
    runnable = section(text, "Federation")
    assert "party add-agreement" in "".join(b.text for b in runnable)
    for block in runnable:
        checkout.run(block)
    at_semar = json.loads(checkout.tearline("-w", "semar", "list", "--as", "mx.semar.uie",
                                            "-f", "json"))
    at_fgr = json.loads(checkout.tearline("-w", "fgr", "list", "--as", "mx.fgr.femdo",
                                          "-f", "json"))
    dea = "us.dea.sod.."
    assert sorted(r["id"] for r in at_semar) == [dea + "o-costa", dea + "p-quintero",
                                                 dea + "v-lancha"]
    assert [r["id"] for r in at_fgr] == [dea + "v-lancha"]
