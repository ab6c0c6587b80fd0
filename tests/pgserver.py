"""A throwaway PostgreSQL server for the test session, started from installed binaries.

Looks for ``initdb`` and ``pg_ctl`` (``pg_config --bindir``, Debian's
``/usr/lib/postgresql/*/bin``, or PATH). As root, the server runs as the ``postgres``
system user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from waiting import HANG, wait_until


def find_bindir() -> Path | None:
    candidates = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(os.path.realpath(initdb)).parent))
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    bindir: Path
    root: Path
    port: int
    user: str | None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    @classmethod
    def start(cls, bindir: Path) -> PgServer:
        root = Path(tempfile.mkdtemp(prefix="tearline-pg-"))
        user = None
        if os.geteuid() == 0:
            user = "postgres"
            pw = pwd.getpwnam(user)
            os.chown(root, pw.pw_uid, pw.pw_gid)
        server = cls(bindir, root, _free_port(), user)
        data = root / "data"
        server._run(
            "initdb",
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        )
        # The port is picked free, then bound by the server a moment later; under
        # pytest-xdist each worker starts a server of its own, so another process may take
        # the port in between. A server that cannot bind exits at once: try another port.
        for attempt in range(3):
            opts = (
                f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            )
            try:
                server._run(
                    "pg_ctl",
                    "-D",
                    str(data),
                    "-o",
                    opts,
                    "-l",
                    str(root / "log"),
                    "-w",
                    "-t",
                    str(int(HANG)),
                    "start",
                )
                break
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise
                server.port = _free_port()
        def accepting() -> bool:
            try:
                socket.create_connection(("127.0.0.1", server.port), timeout=HANG).close()
                return True
            except ConnectionRefusedError:
                return False

        wait_until(accepting, f"PostgreSQL on port {server.port}", poll=0.2)
        return server

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


_schemas = itertools.count()


def pg_url(server: PgServer) -> str:
    """A fresh schema on the session server, as a URL whose connections use it."""
    import sqlalchemy

    name = f"t{os.getpid()}_{next(_schemas)}"
    engine = sqlalchemy.create_engine(server.url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    engine.dispose()
    return f"{server.url}?options=-csearch_path%3D{name}"
