"""In-process sliding-window counters for failed authentication attempts.

Each key (a client address, a token prefix) keeps the times of its recent failures;
once ``limit`` failures fall inside the last ``window`` seconds, further attempts on
that key are refused with :class:`RateLimited` until the oldest one leaves the window
— even attempts that would have succeeded, so that guessing cannot go on in parallel
with a valid token. Successes do not count.

The counters live in this process only: behind several worker processes or nodes the
effective limit is multiplied by their number (a shared store such as the database
or Redis would be needed to bound it globally).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from tearline.errors import RateLimited


class SlidingWindow:
    def __init__(
        self,
        limit: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if not hits:
            del self._hits[key]
        return hits

    def check(self, key: str, what: str) -> None:
        """Raise :class:`RateLimited` when ``key`` has used up its failures."""
        now = self._clock()
        with self._lock:
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                retry = max(1, math.ceil(hits[0] + self.window - now))
                raise RateLimited(
                    f"too many failed authentication attempts from this {what}; "
                    f"retry in {retry} s",
                    retry_after=retry,
                )

    def fail(self, key: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._hits) >= self._max_keys:
                for stale in [k for k, v in self._hits.items() if v[-1] <= now - self.window]:
                    del self._hits[stale]
            hits = self._hits.setdefault(key, deque())
            hits.append(now)
            while len(hits) > self.limit:
                hits.popleft()
