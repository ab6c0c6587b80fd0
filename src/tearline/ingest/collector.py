"""Python's cyclic garbage collector held off while a file becomes records.

Parsing a file allocates millions of long-lived objects (a FollowTheMoney proxy per
entity, a statement per value) and frees few. CPython runs a full collection each time
the long-lived objects grow by a quarter, and each one walks every object built so far:
parsing OFAC's SDN list (250,000 statements) ran ten of them, a third of the parse's
CPU time. Nothing a parse builds is garbage until the import ends, so the collector is
paused for the parse and resumed after it (reference counting still frees what is
dropped; only cycles wait for the next collection).

The pause is process-wide, so it is counted: nested or concurrent parses resume the
collector when the last one ends, and only if it was running before the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

_lock = threading.Lock()
_depth = 0
_was_enabled = False

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def paused() -> Iterator[None]:
    """Hold off cyclic collections for the body (see the module's docstring)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def while_parsing(fn: Callable[P, R]) -> Callable[P, R]:
    """``fn`` run with the collector :func:`paused`."""

    @wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused():
            return fn(*args, **kwargs)

    return run
