"""The collector pause: held for a parse, resumed after the last one, never turned on by it."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from tearline.ingest import collector
from tearline.ingest.entities import read_jsonl
from tearline.ingest.ofac_import import read_sdn


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_paused_for_the_body_and_resumed_after() -> None:
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_pauses_resume_at_the_last_exit_even_after_an_error() -> None:
    with pytest.raises(RuntimeError), collector.paused():
        with collector.paused():
            pass
        assert not gc.isenabled()
        raise RuntimeError("a parse failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_concurrent_parses_resume_when_the_last_ends() -> None:
    first_in, second_done, release = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with collector.paused():
            first_in.set()
            release.wait()

    def second() -> None:
        first_in.wait()
        with collector.paused():
            pass
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    second_done.wait()
    assert not gc.isenabled()  # the first parse still runs
    release.set()
    for t in threads:
        t.join()
    assert gc.isenabled()


def test_the_readers_parse_with_the_collector_paused() -> None:
    for reader in (read_sdn, read_jsonl):
        assert reader.__wrapped__  # type: ignore[attr-defined]
        assert reader.__module__.startswith("tearline.ingest")
    seen: list[bool] = []
    probe = collector.while_parsing(lambda: seen.append(gc.isenabled()))
    probe()
    assert seen == [False] and gc.isenabled()
