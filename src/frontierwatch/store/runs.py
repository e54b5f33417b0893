"""The ``runs`` table (migration 0018): the profile of each long command, so `status` can say what the last
one did and where its time went. Written and read only here."""
from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterator
from datetime import datetime

import pyarrow as pa

from frontierwatch.store.database import Store
from frontierwatch.timings import RunTimings, current_run, timed_run

log = logging.getLogger(__name__)

KEEP = 200  # runs kept; older ones are dropped when a new one is recorded


def record_run(store: Store, profile: dict) -> int:
    """Store a finished `RunTimings.as_dict()`; return its run_id. Keeps the last `KEEP` runs."""
    tables = store.tables
    latest = tables.read("runs", ["run_id"], order_by="run_id DESC", limit=1).column("run_id").to_pylist()
    run_id = (latest[0] if latest else 0) + 1
    with tables.transaction():
        tables.append("runs", pa.table({
            "run_id": [run_id], "command": [profile["command"]],
            "started": pa.array([datetime.fromisoformat(profile["started"]).replace(tzinfo=None)], pa.timestamp("us")),
            "status": [profile["status"]], "seconds": [float(profile["seconds"])],
            "peak_rss_mib": pa.array([profile.get("peak_rss_mib")], pa.float64()),
            "profile": [json.dumps(profile, ensure_ascii=False, default=str)]}))
        tables.delete("runs", {"run_id <=": run_id - KEEP})
    return run_id


def last_run(store: Store, command: str | None = None) -> dict | None:
    """The latest recorded profile (of `command`, when given), with its ``run_id``; None when there is none."""
    rows = store.tables.read("runs", ["run_id", "profile"], where={"command": command} if command else None,
                             order_by="run_id DESC", limit=1).to_pylist()
    return json.loads(rows[0]["profile"]) | {"run_id": rows[0]["run_id"]} if rows else None


@contextlib.contextmanager
def recorded_run(store: Store, command: str, args: dict | None = None,
                 done: Callable[[dict], None] | None = None) -> Iterator[RunTimings]:
    """Time `command` run inside the block (`frontierwatch.timings.timed_run`) and, whatever the outcome, record
    it in ``runs`` and hand its ``as_dict()`` to `done`. Inside a run already in progress (`update` ingests),
    the block adds to that run and records nothing itself."""
    if current_run() is not None:
        yield current_run()
        return
    run = None
    try:
        with timed_run(command, args) as run:
            yield run
    finally:
        if run is not None:
            profile = run.as_dict()
            if done:
                done(profile)
            try:
                record_run(store, profile)
            except Exception as exc:  # a read-only or broken store: the command's own outcome stands
                log.warning("run of %s not recorded in the store: %s", command, exc)
