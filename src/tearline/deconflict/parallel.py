"""Group arithmetic over a batch on every core.

libsodium's functions run without Python's global interpreter lock (pysodium calls
them through ctypes, which releases it), so a batch split into one contiguous slice
per core is multiplied in parallel by threads of this process: the Python around a
scalar multiplication is a small part of it, so the threads scale with the cores.
The slices keep their order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many items a batch is done in the calling thread (threads cost more).
MIN_PARALLEL = 64


def workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def map_slices(fn: Callable[[Sequence[T]], Sequence[R]], items: Sequence[T],
               threads: int | None = None) -> list[R]:
    """``fn`` applied to one slice of ``items`` per thread; the results in order."""
    count = threads or workers()
    if count <= 1 or len(items) < MIN_PARALLEL:
        return list(fn(items))
    size = -(-len(items) // count)
    slices = [items[i:i + size] for i in range(0, len(items), size)]
    with ThreadPoolExecutor(max_workers=len(slices)) as pool:
        return [r for part in pool.map(fn, slices) for r in part]
