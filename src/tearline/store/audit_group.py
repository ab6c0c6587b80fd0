"""Group commit for the audit entries of reads: many readers, one transaction and one sync.

A read changes nothing, so its only write is its audit entry; yet it must not hand
data out before that entry is durable (no action without its entry). Committing each
read's entry alone costs a disk sync per read, and on SQLite the syncs of one file
are serial: a node could then serve no more reads per second than its disk syncs,
however many clients wait.

So concurrent readers join a group. The first to arrive while no group is being
written becomes its leader: it takes every entry queued so far, appends them in one
transaction (one commit, one sync, one walk of the tree's right edge) and wakes the
others. Those that arrived meanwhile form the next group, led by one of them. Nobody
waits for a timer: a lone reader leads a group of one at once, and a group grows only
while the previous one is being written. Each caller returns only after the group
holding its entries committed, or raises — and then its caller shows no data. Within
a group, entries keep the order in which their callers arrived.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from threading import Condition

from tearline.audit.envelope import Event
from tearline.errors import StoreError

#: Writes one group's events in one transaction (raises if it could not commit).
WriteGroup = Callable[[Sequence[Event]], None]


@dataclass(slots=True)
class _Ticket:
    events: Sequence[Event]
    done: bool = False
    error: BaseException | None = None


class GroupAppender:
    """Appends the events of concurrent callers in shared transactions (see module doc)."""

    def __init__(self, write: WriteGroup, max_group: int = 4096) -> None:
        self._write = write
        # Events per transaction: bounds how long one group holds the write lock. A
        # caller with more events than this still forms a group of its own.
        self._max_group = max_group
        self._changed = Condition()
        self._queue: deque[_Ticket] = deque()
        self._leading = False

    def append(self, events: Sequence[Event]) -> None:
        """Return once ``events`` are committed; raise :class:`StoreError` if they were not."""
        if not events:
            return
        ticket = _Ticket(events)
        with self._changed:
            self._queue.append(ticket)
            while not ticket.done:
                if self._leading:
                    self._changed.wait()
                    continue
                # Lead: write what is queued (our own ticket may wait for the next
                # group if a full group is queued before it; then we lead that one too).
                self._leading = True
                group = self._take()
                self._changed.release()
                try:
                    error = self._commit(group)
                finally:
                    self._changed.acquire()
                for member in group:
                    member.done, member.error = True, error
                self._leading = False
                self._changed.notify_all()
                if error is not None and not isinstance(error, Exception):
                    raise error  # an interrupt of the leader's thread stays an interrupt
        if ticket.error is not None:
            # A fresh exception per caller: one instance raised in many threads would
            # collect all their tracebacks.
            raise StoreError(f"the audit entries were not committed: {ticket.error}") \
                from ticket.error

    def _commit(self, group: list[_Ticket]) -> BaseException | None:
        try:
            self._write([event for member in group for event in member.events])
        except BaseException as exc:  # every member learns the group's failure, then raises
            return exc
        return None

    def _take(self) -> list[_Ticket]:
        """Queued tickets, oldest first, up to ``max_group`` events (at least one ticket)."""
        taken: list[_Ticket] = []
        size = 0
        while self._queue and (not taken or size + len(self._queue[0].events) <= self._max_group):
            ticket = self._queue.popleft()
            taken.append(ticket)
            size += len(ticket.events)
        return taken
