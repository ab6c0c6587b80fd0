"""Group commit for the audit entries of reads: many readers, one transaction and one sync.

A read changes nothing, so its only write is its audit entry; yet it must not hand
data out before that entry is durable (no action without its entry). Committing each
read's entry alone costs a disk sync per read, and on SQLite the syncs of one file
are serial: a node could then serve no more reads per second than its disk syncs,
however many clients wait.

So reads hand their entries to one writer thread per store. It takes everything
queued, appends it in one transaction (one commit, one sync, one walk of the tree's
right edge) and settles each reader's :class:`~concurrent.futures.Future`; entries
queued meanwhile form the next group. Within a group, entries keep the order in which
they were handed in. Nobody waits for a timer:

* a reader on a plain thread wakes the writer at once: a lone reader's group is
  written at once, and a group grows only while the previous one is being written;
* readers on an event loop (the API's) wake it once per turn of the loop, after every
  request the turn runs has handed in its entries: the reads of one turn share a
  group. Woken at each entry instead, the writer took groups of one or two while the
  loop, busy with the other requests, queued the rest behind them: 50 concurrent
  reads driven in process committed once per two reads, and the commits cost more
  than the reads (over HTTP a turn holds fewer requests, so groups stay smaller);
* a caller that blocks on its entry's future (:meth:`Pending.result`, even on the
  loop's own thread, where the turn cannot end while it blocks) wakes the writer
  first, so nothing waits for a turn that cannot come.

Should a loop stop before its turn ends, its entries are not lost: the writer also
looks at the queue once a second, and :meth:`GroupAppender.close` writes the rest.

:class:`Pending` holds a read's answer until its entries are committed: the answer is
reachable only through :meth:`Pending.result` (blocking) or ``await`` (on an event
loop, without holding a thread while the disk syncs), and both raise instead of
answering if the group failed. So a caller cannot show data whose entry was lost.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

from tearline.audit.envelope import Event
from tearline.errors import StoreError, TearlineError, tr

#: Writes one group's events in one transaction (raises if it could not commit).
WriteGroup = Callable[[Sequence[Event]], None]
T = TypeVar("T")

#: How long the writer sleeps without a wake before it looks at the queue anyway: the
#: backstop for entries whose loop stopped before the end of its turn (module doc).
IDLE_LOOK_SECONDS = 1.0


class Committed(Future[None]):
    """Settled once an entry's group is committed; waiting on it wakes the writer first.

    It cannot be cancelled: an entry handed in is written whatever becomes of its
    reader. A reader that stops waiting — a request cancelled by its timeout, whose
    awaiting ``asyncio`` future cancels the one it wraps — leaves it pending for the
    writer to settle. (A cancelled one made the writer's ``set_result`` raise, which
    ended the writer thread: every read after it waited forever.)
    """

    def __init__(self, wake: Callable[[], None]) -> None:
        super().__init__()
        self._wake = wake

    def cancel(self) -> bool:
        return False

    def result(self, timeout: float | None = None) -> None:
        if not self.done():
            self._wake()
        return super().result(timeout)

    def exception(self, timeout: float | None = None) -> BaseException | None:
        if not self.done():
            self._wake()
        return super().exception(timeout)


class GroupAppender:
    """Appends the events of concurrent callers in shared transactions (see module doc)."""

    def __init__(self, write: WriteGroup, max_group: int = 4096) -> None:
        self._write = write
        # Events per transaction: bounds how long one group holds the write lock. A
        # caller with more events than this still forms a group of its own.
        self._max_group = max_group
        self._changed = threading.Condition()
        self._queue: deque[tuple[Sequence[Event], Future[None]]] = deque()
        self._writer: threading.Thread | None = None
        self._closing = False
        # Loops whose current turn will wake the writer when it ends (module doc).
        self._turns: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()

    def submit(self, events: Sequence[Event]) -> Future[None]:
        """A future settled once ``events`` are committed (or failed, with StoreError).

        On an event loop's thread the writer is woken when the loop's turn ends;
        elsewhere at once (module doc).
        """
        done = Committed(self._wake)
        if not events:
            done.set_result(None)
            return done
        loop = asyncio._get_running_loop()
        with self._changed:
            if self._closing:
                raise StoreError(tr("the store is closed"))
            self._queue.append((events, done))
            if self._writer is None:
                self._writer = threading.Thread(target=self._run, name="audit-group-writer",
                                                daemon=True)
                self._writer.start()
            if loop is None:
                self._changed.notify()
                return done
            if loop in self._turns:
                return done
            self._turns.add(loop)
        loop.call_soon(self._turn_ended, loop)  # runs after the turn's ready callbacks
        return done

    def _turn_ended(self, loop: asyncio.AbstractEventLoop) -> None:
        with self._changed:
            self._turns.discard(loop)
            self._changed.notify()

    def _wake(self) -> None:
        with self._changed:
            self._changed.notify()

    def close(self) -> None:
        """Write what is queued, then stop the writer thread."""
        with self._changed:
            self._closing = True
            self._changed.notify()
            writer = self._writer
        if writer is not None:
            writer.join()

    def _run(self) -> None:
        while True:
            with self._changed:
                # Asleep until woken, or a second passed, with entries queued (module
                # doc); entries queued while a group was written are taken at once.
                while not self._queue and not self._closing:
                    self._changed.wait(IDLE_LOOK_SECONDS)
                if not self._queue:
                    return
                group = self._take()
            try:
                self._write([event for events, _ in group for event in events])
            except BaseException as exc:  # every member learns the group's failure
                for _, done in group:
                    # A fresh exception each: one instance raised in many threads would
                    # collect all their tracebacks.
                    failure = StoreError(tr("the audit entries were not committed: {exc}", exc=exc))
                    failure.__cause__ = exc
                    done.set_exception(failure)
                if not isinstance(exc, Exception):  # the thread ends; the next submit
                    with self._changed:              # starts another
                        self._writer = None
                    raise
            else:
                for _, done in group:
                    done.set_result(None)

    def _take(self) -> list[tuple[Sequence[Event], Future[None]]]:
        """Queued callers, oldest first, up to ``max_group`` events (at least one caller)."""
        taken: list[tuple[Sequence[Event], Future[None]]] = []
        size = 0
        while self._queue and (not taken or size + len(self._queue[0][0]) <= self._max_group):
            events, done = self._queue.popleft()
            taken.append((events, done))
            size += len(events)
        return taken


class Pending(Generic[T]):
    """A read's answer, released once its audit entries are committed (module doc)."""

    def __init__(self, committed: Future[None], value: T | None,
                 error: TearlineError | None = None) -> None:
        self._committed = committed
        self._value = value
        self._error = error  # what the read answers instead (NotFound), after the commit

    def result(self) -> T:
        """The answer, once committed (blocks); raises the read's or the group's error."""
        self._committed.result()
        return self._release()

    def __await__(self) -> Generator[Any, None, T]:
        yield from asyncio.wrap_future(self._committed).__await__()
        return self._release()

    def _release(self) -> T:
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]  # set whenever no error is
