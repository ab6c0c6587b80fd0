"""The `tearline sync` that ``test_sync_resume.py`` kills, in a process forked from the
fork server (``forked.py``): it runs the command with the test's environment, its output
appended to a log, and stops at page ``page`` of its pull — ``in`` that page's
transaction (its objects judged and stored, not committed) or ``after`` its commit —
says ``held`` on ``conn`` and waits there to be killed."""

from __future__ import annotations

import os
import sys
from multiprocessing.connection import Connection
from typing import Any

from forked import held
from tearline.cli import main
from tearline.federation.sync import Puller
from tearline.store import sync_state as ss


def pull(env: dict[str, str], argv: list[str], log: str, page: int, where: str,
         conn: Connection) -> None:
    os.environ.update(env)
    out = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)
    seen = 0

    def reached() -> None:
        nonlocal seen
        seen += 1
        if seen == page:
            held(conn)

    if where == "in":
        mark_received = ss.mark_received

        def marking(*args: Any, **kwargs: Any) -> Any:
            reached()
            return mark_received(*args, **kwargs)

        ss.mark_received = marking  # type: ignore[assignment]
    else:
        store_page = Puller.store_page

        def storing(self: Puller, *args: Any, **kwargs: Any) -> Any:
            store_page(self, *args, **kwargs)
            reached()

        Puller.store_page = storing  # type: ignore[method-assign]
    sys.argv = ["tearline", *argv]
    main()
