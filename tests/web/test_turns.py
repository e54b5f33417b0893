"""The store lock is granted in the order readers asked for it, is re-entrant, and an interrupted wait leaves the
queue (`frontierwatch.web.turns.FairLock`)."""
from __future__ import annotations

import threading
import time

import pytest

from frontierwatch.web.turns import FairLock


def _until(condition, what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.005)


def test_waiting_readers_get_the_lock_in_the_order_they_asked():
    lock, order = FairLock(), []
    lock.acquire()
    threads = []
    for n in range(8):
        def reader(n=n):
            with lock:
                order.append(n)
        t = threading.Thread(target=reader)
        t.start()
        threads.append(t)
        _until(lambda n=n: lock.waiting() == n + 1, f"reader {n} to queue")  # each asks after the one before
    lock.release()
    for t in threads:
        t.join(timeout=60)
    assert order == list(range(8))


def test_the_lock_is_reentrant_and_only_its_holder_releases_it():
    lock, got, errors = FairLock(), [], []
    with lock:
        with lock:  # a computation that reads through the gateway again keeps its turn
            pass
        other = threading.Thread(target=lambda: got.append(lock.acquire() and lock.release()))
        other.start()
        _until(lambda: lock.waiting() == 1, "the other thread to queue")  # still held after the inner release
        intruder = threading.Thread(target=lambda: _release_into(lock, errors))
        intruder.start()
        intruder.join(timeout=60)
        assert len(errors) == 1 and isinstance(errors[0], RuntimeError)
    other.join(timeout=60)
    assert got == [None] and lock.waiting() == 0


def _release_into(lock, errors) -> None:
    try:
        lock.release()
    except RuntimeError as exc:
        errors.append(exc)
