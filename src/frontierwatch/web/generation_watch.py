"""Keeps a running server on the newest data: publishes the pipeline database when a batch command changed it and
swaps the web app onto the new generation without a restart and without a failed request.

Every `interval` seconds the watcher compares the pipeline database with the published generation
(`frontierwatch.store.generations`). When they differ and no batch command holds the write lock (a command still
running makes the file change under it: the watcher waits for it to finish), it publishes: builds the search index
in the pipeline database, copies it, and points ``published.json`` at the copy. Then it opens the copy read-only,
precomputes its topic pages and indexes (`frontierwatch.web.warmup`) while the old copy still serves, and, holding
the gateway's lock — which every computation on the store holds — replaces the observatory's store
and forgets the cached answers. The replaced generation is closed `grace` seconds later, so a request still
reading it finishes on it. The user database (accounts, hall) is never swapped: hall writes go on throughout.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from frontierwatch.store.generations import GenerationStore, current_generation, is_current, publish

log = logging.getLogger(__name__)


def prepare_for_serving(store) -> None:
    """What a published generation must hold so the server never writes it: a current search index."""
    from frontierwatch.search import ensure_index

    ensure_index(store)


class GenerationWatcher:
    """Publishes and swaps generations for one served store (see the module docstring).

    Parameters
    ----------
    path : the store directory.
    gateway : the web app's `ObservatoryGateway` (its ``obs.store`` is swapped, under its lock).
    users : the server's user-database connection, shared by every generation.
    interval : seconds between checks; grace : seconds a replaced generation stays open.
    precompute : prepare a new generation's pages and indexes before swapping to it (`frontierwatch.web.warmup`).
    """

    def __init__(self, path: str | Path, gateway, users, interval: float = 1.0, grace: float = 30.0,
                 precompute: bool = True):
        self.path = Path(path)
        self.precompute = precompute
        self.gateway = gateway
        self.users = users
        self.interval = interval
        self.grace = grace
        self._retired: list[tuple[float, GenerationStore]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.swaps = 0

    def check(self) -> bool:
        """Publish if the pipeline database changed and swap to the current generation; True when swapped."""
        self._close_retired()
        if not is_current(self.path):
            publish(self.path, prepare_for_serving)  # None while a batch command holds the lock: next time
        gen = current_generation(self.path)
        serving = getattr(self.gateway.obs.store, "generation", None)
        if gen is None or (serving is not None and serving.number == gen.number):
            return False
        fresh = GenerationStore(self.path, gen, self.users)
        pages = self._precompute(fresh)
        with self.gateway.lock:
            old = self.gateway.obs.store
            self.gateway.obs.store = fresh
            self.gateway.unpin()
            self.gateway.clear_cache(keep_stage_reads=False)
            self.gateway.pin(pages)
        self._retired.append((time.monotonic(), old))
        self.swaps += 1
        log.info("serving generation %d (published %s)", gen.number, gen.published)
        self._alerts()
        return True

    def _precompute(self, fresh) -> dict:
        """The new generation's pages and indexes (`frontierwatch.web.warmup.precompute`), made while the old one
        is still served, so readers never meet a cold generation."""
        if not self.precompute:
            return {}
        from frontierwatch.core import Observatory
        from frontierwatch.web.warmup import precompute

        started = time.monotonic()
        pages = precompute(Observatory(fresh, self.gateway.obs.settings))
        log.info("generation %d precomputed in %.1f s", fresh.generation.number, time.monotonic() - started)
        return pages

    def _alerts(self) -> None:
        """Batch commands leave the alert rules to the server while it owns the user database: run them on the
        new data (the latest map and the newest edition; raised once, so repeating is harmless)."""
        try:
            with self.gateway.lock:
                obs = self.gateway.obs
                editions = obs.editions()
                newest = max(editions, key=lambda e: (str(e["as_of"]), str(e["created"])))["edition"] if editions else None
                obs.evaluate_alerts(edition=newest)
        except Exception:  # alerts must never stop the site from serving the new data
            log.exception("alerts on generation %s not evaluated", getattr(self.gateway.obs.store, "generation", None))

    def _close_retired(self, everything: bool = False) -> None:
        now = time.monotonic()
        keep = []
        for since, store in self._retired:
            if everything or now - since >= self.grace:
                store.close()
            else:
                keep.append((since, store))
        self._retired = keep

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # a failed publish must not stop the site: it keeps serving what it has
                log.exception("publishing a new generation failed; still serving the previous one")

    def start(self) -> "GenerationWatcher":
        self._thread = threading.Thread(target=self._run, name="generation-watcher", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
        self._close_retired(everything=True)
