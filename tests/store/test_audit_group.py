"""Group commit of read entries: no answer before its own group committed."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime, timedelta

import pytest

from statement_keys import TEST_KEYER
from tearline.audit.envelope import Event
from tearline.audit.events import AggregateRead
from tearline.errors import NotFound, StoreError
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import audit_group, audit_log, audit_tables, audit_verify
from tearline.store.audit_events import aggregate_event
from tearline.store.audit_group import GroupAppender, Pending
from tearline.store.store import Store
from waiting import HANG

NOW = datetime(2026, 5, 1, tzinfo=UTC)
SUBJECT = Subject(unit="us.dea.sod", agency="us.dea")


def events(n: int, tag: int) -> list[Event]:
    return [aggregate_event(SUBJECT, "api", tag * 1000 + i) for i in range(n)]


def count(event: Event) -> int:
    assert isinstance(event, AggregateRead)
    return event.record_count


class SlowLog:
    """A log that takes a while to commit, so that callers queue behind a group."""

    def __init__(self, fail_on: int | None = None) -> None:
        self.groups: list[list[int]] = []
        self.committed: set[int] = set()
        self.fail_on = fail_on
        self.lock = threading.Lock()

    def write(self, group: Sequence[Event]) -> None:
        counts = [count(e) for e in group]
        threading.Event().wait(0.02)
        if self.fail_on is not None and self.fail_on in counts:
            raise StoreError("disk full")
        with self.lock:
            self.groups.append(counts)
            self.committed.update(counts)


def test_a_lone_caller_commits_at_once_in_a_group_of_its_own() -> None:
    log = SlowLog()
    GroupAppender(log.write).submit(events(3, 1)).result()
    assert log.groups == [[1000, 1001, 1002]]


def test_concurrent_callers_share_groups_and_each_returns_after_its_commit() -> None:
    log = SlowLog()
    appender = GroupAppender(log.write)

    def call(tag: int) -> bool:
        mine = events(2, tag)
        appender.submit(mine).result()
        # Returned: our entries are committed (not merely queued).
        return all(count(e) in log.committed for e in mine)

    with ThreadPoolExecutor(32) as pool:
        assert all(pool.map(call, range(1, 201)))
    flat = [count for group in log.groups for count in group]
    assert sorted(flat) == sorted(tag * 1000 + i for tag in range(1, 201) for i in range(2))
    assert len(log.groups) < 200  # callers shared transactions
    for group in log.groups:  # a caller's entries are never split across groups
        assert all(c + 1 in group for c in group if c % 1000 == 0)


def test_a_failed_group_fails_every_member_and_spares_the_next_group() -> None:
    log = SlowLog(fail_on=5000)
    appender = GroupAppender(log.write)
    outcomes: dict[int, str] = {}

    def call(tag: int) -> None:
        try:
            appender.submit(events(1, tag)).result()
            outcomes[tag] = "ok"
        except StoreError as exc:
            assert "disk full" in str(exc)
            outcomes[tag] = "failed"

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(call, range(1, 41)))
    failed = {tag for tag, how in outcomes.items() if how == "failed"}
    assert 5 in failed
    assert len(outcomes) == 40
    assert all((tag * 1000 in log.committed) == (tag not in failed) for tag in outcomes)
    appender.submit(events(1, 99)).result()  # the appender is usable after a failure
    assert 99000 in log.committed


def test_groups_stay_within_their_size_bound() -> None:
    log = SlowLog()
    appender = GroupAppender(log.write, max_group=5)
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda tag: appender.submit(events(2, tag)).result(), range(1, 61)))
    assert max(len(group) for group in log.groups) <= 5
    appender.submit(events(7, 70)).result()  # larger than a group: a group of its own
    assert log.groups[-1] == list(range(70000, 70007))


def test_reads_from_many_threads_leave_one_entry_each_and_a_sound_log(store: Store) -> None:
    prov = Provenance("mx.semar", "mx.semar.uie", NOW)
    records = [build_record(f"r-{i}", "Person", {"name": [f"person {i}"]}, prov,
                            Marking.build("GREEN"), keyer=TEST_KEYER) for i in range(40)]
    store.write(records)
    with store.reading() as conn:
        before = audit_log.size(conn)
    reader = Subject(unit="us.dea.sod", agency="us.dea")

    def read(i: int) -> str:
        return store.read(reader, NOW + timedelta(days=1), f"r-{i % 40}", path="api").id

    with ThreadPoolExecutor(16) as pool:
        assert sorted(pool.map(read, range(400))) == sorted(f"r-{i % 40}" for i in range(400))
    with store.reading() as conn:
        assert audit_log.size(conn) == before + 400
        assert audit_verify.verify(conn).size == before + 400
        shown = [e for e in audit_log.entries(conn, limit=10_000) if e.kind == "record.read"]
    assert len(shown) == 400


def test_a_read_whose_entry_cannot_be_committed_returns_nothing(store: Store) -> None:
    prov = Provenance("mx.semar", "mx.semar.uie", NOW)
    store.write([build_record("r-1", "Person", {"name": ["someone"]}, prov,
                              Marking.build("GREEN"), keyer=TEST_KEYER)])
    with store.transaction() as conn:  # the log's head row is what every append updates
        conn.execute(audit_tables.audit_head.delete())
    with pytest.raises(StoreError):
        store.read(SUBJECT, NOW + timedelta(days=1), "r-1", path="api")


def test_a_pending_answer_is_released_only_after_its_commit() -> None:
    gate = threading.Event()

    def slow(group: Sequence[Event]) -> None:
        gate.wait()  # committed when the test says so

    appender = GroupAppender(slow)
    pending = Pending(appender.submit(events(1, 1)), "the record")
    released: list[str] = []
    waiter = threading.Thread(target=lambda: released.append(pending.result()))
    waiter.start()
    waiter.join(0.2)
    assert released == []  # held while the entry is not committed
    gate.set()
    waiter.join(HANG)
    assert released == ["the record"]

    async def awaited() -> str:
        return await Pending(appender.submit(events(1, 2)), "awaited")

    assert asyncio.run(awaited()) == "awaited"
    appender.close()


def test_a_failed_commit_withholds_the_answer_and_a_read_error_waits_for_its_commit() -> None:
    log = SlowLog(fail_on=1000)
    appender = GroupAppender(log.write)
    lost = Pending(appender.submit(events(1, 1)), "secret")
    with pytest.raises(StoreError, match="not committed"):
        lost.result()

    async def awaited() -> str:
        return await Pending(appender.submit(events(1, 1)), "secret")

    with pytest.raises(StoreError):
        asyncio.run(awaited())
    missing: Pending[str] = Pending(appender.submit(events(1, 3)), None, NotFound("no record"))
    with pytest.raises(NotFound):
        missing.result()
    assert 3000 in log.committed  # its entry was written before the answer was given


def test_closing_writes_what_is_queued() -> None:
    log = SlowLog()
    appender = GroupAppender(log.write)
    futures = [appender.submit(events(1, tag)) for tag in range(1, 30)]
    appender.close()
    assert all(f.done() and f.exception() is None for f in futures)
    assert log.committed == {tag * 1000 for tag in range(1, 30)}
    with pytest.raises(StoreError):
        appender.submit(events(1, 99))


@pytest.fixture
def no_idle_look(monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer wakes only when told to (no once-a-second look at the queue)."""
    monkeypatch.setattr(audit_group, "IDLE_LOOK_SECONDS", HANG)


@pytest.mark.usefixtures("no_idle_look")
def test_the_reads_of_one_loop_turn_share_one_group() -> None:
    log = SlowLog()
    appender = GroupAppender(log.write)
    appender.submit(events(1, 99)).result()  # the writer runs, idle

    async def one_turn() -> None:
        # Handed in during one turn of the loop, as the API's requests of a turn do,
        # each after some work (the sleep lets the writer thread run meanwhile).
        futures = []
        for tag in range(1, 11):
            futures.append(appender.submit(events(1, tag)))
            time.sleep(0.002)
        await asyncio.gather(*(asyncio.wrap_future(f) for f in futures))

    asyncio.run(one_turn())
    assert log.groups == [[99000], [tag * 1000 for tag in range(1, 11)]]
    appender.close()


@pytest.mark.usefixtures("no_idle_look")
def test_a_caller_blocking_on_the_loop_thread_wakes_the_writer() -> None:
    log = SlowLog()
    appender = GroupAppender(log.write)

    async def blocking() -> None:
        # The turn cannot end while this blocks: the wait itself must wake the writer.
        appender.submit(events(1, 1)).result(timeout=HANG)
        Pending(appender.submit(events(1, 2)), "answer").result()

    asyncio.run(blocking())
    assert log.committed == {1000, 2000}
    appender.close()


def test_entries_of_a_loop_stopped_before_its_turn_ended_are_still_written(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_group, "IDLE_LOOK_SECONDS", 0.05)
    log = SlowLog()
    appender = GroupAppender(log.write)
    appender.submit(events(1, 99)).result()
    loop = asyncio.new_event_loop()
    handed: list[Future[None]] = []

    def last_turn() -> None:
        handed.append(appender.submit(events(1, 7)))
        loop.stop()  # the turn's wake-up is scheduled for a turn that never comes

    loop.call_soon(last_turn)
    loop.run_forever()
    loop.close()
    done, _ = wait(handed, timeout=HANG)  # waits without waking the writer
    assert done and 7000 in log.committed
    appender.close()


def test_a_reader_cancelled_while_waiting_leaves_its_entry_and_the_writer_running() -> None:
    log = SlowLog()
    writing, gate = threading.Event(), threading.Event()

    def held(group: Sequence[Event]) -> None:
        writing.set()
        gate.wait()  # the first group is written once the reader has been cancelled
        log.write(group)

    appender = GroupAppender(held)

    async def cancelled_reader() -> None:
        waiting = asyncio.ensure_future(_awaited(Pending(appender.submit(events(1, 1)), "x")))
        await asyncio.get_running_loop().run_in_executor(None, writing.wait)
        waiting.cancel()  # as a request's timeout cancels the request's task
        with pytest.raises(asyncio.CancelledError):
            await waiting
        gate.set()

    asyncio.run(cancelled_reader())
    appender.submit(events(1, 2)).result(timeout=HANG)  # the writer still runs
    assert log.committed == {1000, 2000}  # the cancelled reader's entry was written too
    appender.close()


async def _awaited(pending: Pending[str]) -> str:
    return await pending
