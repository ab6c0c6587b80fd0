"""Waiting in tests: for a condition or an event, never for a length of time.

A test that needs something to have happened (a server started, an entry written)
waits for that very thing. The one time bound, :data:`HANG`, is only how long a
broken test hangs before it fails: generous, so that a machine however busy never
fails a test that would pass, and nothing that passes ever waits for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: Seconds a broken test may hang before it fails (never a condition of passing).
HANG = 600.0


def wait_until(predicate: Callable[[], object], what: str, poll: float = 0.02) -> None:
    """Return once ``predicate()`` is true; fail only after :data:`HANG` seconds."""
    deadline = time.monotonic() + HANG
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {HANG:g} s")
        time.sleep(poll)
