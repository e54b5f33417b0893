"""The store lock of the web app, granted in the order readers asked for it.

The app computes one answer at a time on the store (DuckDB connections are not thread-safe; see
`frontierwatch.web.gateway`), so under load readers queue for this lock. `threading.RLock` wakes whichever waiter
the operating system picks: on the loaded demo machine, 20 clients sending distinct queries saw a median wait of
0.8 s but a 95th percentile of 2.2 s and a maximum of 4.7 s — some readers were passed over again and again.
`FairLock` hands the lock out first come, first served, so a reader waits for the readers before it and no more.
It is re-entrant (a computation that reads through the gateway again keeps its turn), like the lock it replaces.
"""
from __future__ import annotations

import threading
from collections import deque


class FairLock:
    """A re-entrant lock granted in first-come, first-served order; use it as ``with lock:``."""

    def __init__(self):
        self._state = threading.Condition(threading.Lock())
        self._owner: int | None = None
        self._depth = 0
        self._queue: deque[int] = deque()  # threads waiting, in the order they asked

    def acquire(self) -> bool:
        me = threading.get_ident()
        with self._state:
            if self._owner == me:
                self._depth += 1
                return True
            self._queue.append(me)
            try:
                while self._owner is not None or self._queue[0] != me:
                    self._state.wait()
            except BaseException:  # interrupted while waiting: leave the queue so the others go on
                self._queue.remove(me)
                self._state.notify_all()
                raise
            self._queue.popleft()
            self._owner, self._depth = me, 1
            return True

    def release(self) -> None:
        with self._state:
            if self._owner != threading.get_ident():
                raise RuntimeError("release of a FairLock not held by this thread")
            self._depth -= 1
            if self._depth == 0:
                self._owner = None
                self._state.notify_all()

    def waiting(self) -> int:
        """How many threads wait for the lock now."""
        with self._state:
            return len(self._queue)

    def __enter__(self) -> "FairLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
