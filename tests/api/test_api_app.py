"""The serving process's heap: settled once, later garbage still collected."""

from __future__ import annotations

import gc
import weakref

from tearline.api.app import settle_heap


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_settle_heap_freezes_what_exists_and_collects_what_comes_later() -> None:
    try:
        before = _Node()
        settle_heap()
        assert gc.get_freeze_count() > 0
        kept = weakref.ref(before)
        del before
        gc.collect()
        assert kept() is not None  # frozen: never scanned, so never freed
        later = weakref.ref(_Node())
        gc.collect()
        assert later() is None  # made after: collected as usual
    finally:
        gc.unfreeze()
