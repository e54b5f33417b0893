"""What the site computes once per published generation, before readers ask: the pages of a finite set and the
in-memory indexes that distinct questions share.

A cache learns only what was asked before; a reader who opens a topic page nobody opened, or asks a need nobody
asked, used to wait for the whole computation behind everyone else's (issue 16: at 20 clients sending distinct
queries the demo site answered in 2–27 s). But a published generation cannot change while it is served
(`frontierwatch.store.generations`), so everything that depends only on it can be done up front:

* the matcher's topic index with its multilingual vectors, and the map's documents with their tokens and token
  index (`frontierwatch.match.documents`): a match then costs only its own need;
* the search index (`frontierwatch.search`), loaded into memory;
* the topic list and every topic page of the latest map (`Observatory.topic`, exactly what a request would
  compute) — a finite set, kept for as long as the generation is served.

`precompute` does this on its own connection to the generation (a second read-only connection: requests go on
meanwhile); `Warmup` runs it in a thread at server start and reports progress (``/api/v1/status``'s
``server``). On a swap the watcher precomputes the new generation *before* it swaps (`generation_watch`), so the
site never serves a cold generation after the first.
"""
from __future__ import annotations

import logging
import threading
import time

from frontierwatch.errors import FrontierwatchError

log = logging.getLogger(__name__)


def precompute(obs, progress=None) -> dict:
    """Prepare the shared indexes of `obs`'s store and compute its finite pages; returns the pages as gateway
    cache entries ``{("topics", None, None): …, ("topic", id, None): …}`` (see `ObservatoryGateway.pin`).

    `progress(done, total)` is called after each topic page. A part that fails is logged and left to the request
    path (which computes it as before and reports its error there)."""
    from frontierwatch.topics.tables import map_count

    started = time.perf_counter()
    if map_count(obs.store) == 0:
        return {}
    pinned: dict = {}
    _step("models", _models)
    _step("match indexes", lambda: _match_indexes(obs.store))
    _step("search index", lambda: _search_index(obs.store))
    topics = _step("topic list", lambda: obs.topics())
    if not topics:
        return pinned
    pinned[("topics", None, None)] = topics
    ids = [t["id"] for t in topics["topics"]]
    for done, tid in enumerate(ids, 1):
        page = _step(f"topic page {tid}", lambda tid=tid: obs.topic(tid))
        if page is not None:
            pinned[("topic", tid, None)] = page
        if progress is not None:
            progress(done, len(ids))
    log.info("precomputed %d topic pages and the match and search indexes in %.1f s", len(ids),
             time.perf_counter() - started)
    return pinned


def _step(what: str, run):
    try:
        return run()
    except (FrontierwatchError, ImportError, OSError) as exc:
        log.info("precompute: %s left to requests: %s", what, exc)
    except Exception:  # a bug in one part must not stop the rest, nor the site
        log.exception("precompute: %s failed; requests compute it", what)
    return None


def _models() -> None:
    """Load what the first need and the first Chinese query would otherwise load: the embedders' weights and the
    Chinese word segmenter's dictionary."""
    from frontierwatch.embed import get_embedder
    from frontierwatch.errors import InputError
    from frontierwatch.match.topic_index import MULTILINGUAL
    from frontierwatch.search.parse import parse_query

    try:
        get_embedder(MULTILINGUAL).encode(["预热 warm-up"])
    except InputError:  # not installed: the matcher says so per request
        pass
    parse_query("预热")


def _match_indexes(store) -> None:
    from frontierwatch.embed import get_embedder
    from frontierwatch.errors import InputError
    from frontierwatch.match.documents import map_documents
    from frontierwatch.match.topic_index import MULTILINGUAL, ensure_multilingual, topic_index

    index = topic_index(store)
    get_embedder(index.embed_model).encode(["warm-up"])  # the map's own model, which ranks a need's documents
    try:
        ensure_multilingual(store, index, get_embedder(MULTILINGUAL))
    except InputError:  # the multilingual model is not installed: the matcher says so per request
        pass
    map_documents(store, index.map_id, index.as_of, index.embed_model, index.created, []).prepare()


def _search_index(store) -> None:
    from frontierwatch.search.postings import load_postings
    from frontierwatch.search.queries import hold_documents, latest_map_id, read_meta

    meta = read_meta(store)
    if meta.get("fingerprint"):
        load_postings(store, f"{meta.get('fingerprint')}:{latest_map_id(store)}")
        hold_documents(store)


class Warmup:
    """Precomputes one generation in a background thread and pins its pages in the gateway when done (unless the
    gateway serves another generation by then). ``state()``: ``{"state": "idle"|"warming"|"ready", "generation",
    "topic_pages", "of", "seconds"}``."""

    def __init__(self, gateway, open_store, settings):
        self.gateway, self.open_store, self.settings = gateway, open_store, settings
        self._state = {"state": "idle"}
        self._thread: threading.Thread | None = None

    def state(self) -> dict:
        return dict(self._state)

    def start(self, generation) -> "Warmup":
        self._thread = threading.Thread(target=self._run, args=(generation,), name="warmup", daemon=True)
        self._thread.start()
        return self

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self, generation) -> None:
        from frontierwatch.core import Observatory

        started = time.perf_counter()
        self._state = {"state": "warming", "generation": generation.number, "topic_pages": 0, "of": None}

        def progress(done: int, total: int) -> None:
            self._state.update(topic_pages=done, of=total)
        try:
            store = self.open_store(generation)
            try:
                pages = precompute(Observatory(store, self.settings), progress)
            finally:
                store.close()
            self.gateway.pin(pages, generation.number)
        except Exception:  # the site serves without the precomputed pages (computed per request, as before)
            log.exception("warm-up of generation %s failed", generation.number)
        self._state.update(state="ready", seconds=round(time.perf_counter() - started, 1))
