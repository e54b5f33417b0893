"""The web app's single door to the core: calls `Observatory` methods, serialises store access, caches reads.

Routes never hold SQL or stage logic; they call this gateway, and it calls the observatory's typed methods
(`Observatory.topics`, `topic`, `topic_map`, `directions`, `editions`, `edition_file`, `backtest_summary`, `catalog_backtest_summary`, `match`,
`search`, `document`) — it never touches the store. When the stage behind a read is not built yet — or the
observatory answers with its ``{"computed": False, "note"}`` marker — the gateway answers `NOT_BUILT` and the page
says so honestly ("not built yet — run frontierwatch build") instead of inventing data.

DuckDB allows one writing process and its connections are not thread-safe, so the server opens the store
read-write (the hall writes accounts and submissions) and every store *computation* holds one re-entrant lock
(shared with the hall; granted first come, first served: `frontierwatch.web.turns`). Cached answers are served without taking it.

Caching: while the server runs, no other process can write the store (DuckDB's single-writer lock), so the stage
outputs (documents, topics, signals, forecasts, editions) cannot change under it; only the release hall, written
by this server, can. Read results therefore stay cached until `clear_cache` (the hall calls it, through its
``on_change`` hook, after every write that changes public content: approvals, rejections, edits, relinks; it
keeps the reads that never touch the hall, such as topic details), not for a fixed time — a TTL made every thread recompute behind the lock at once when entries expired (issue 6). A
``generation`` counter keeps a computation that raced with a write from caching its stale answer. The cache also
holds the serialised JSON bytes of hot API answers (`answer`), also under the raw request that got them
(`raw_answer`), so a repeated request is answered without routing, validation or re-serialisation.
"""
from __future__ import annotations

import logging
import threading

import orjson

from frontierwatch.errors import FrontierwatchError, NotFoundError, StoreError
from frontierwatch.web.turns import FairLock

log = logging.getLogger(__name__)


class _NotBuilt:
    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_BUILT"


NOT_BUILT = _NotBuilt()
_MISSING = object()  # a cache miss (None and NOT_BUILT are cacheable answers)

# The six directions as named by the policy text, shown only while the catalog's taxonomy is not available.
POLICY_DIRECTIONS = [
    {"id": "manufacturing", "name_zh": "未来制造", "name_en": "Future manufacturing"},
    {"id": "information", "name_zh": "未来信息", "name_en": "Future information"},
    {"id": "materials", "name_zh": "未来材料", "name_en": "Future materials"},
    {"id": "energy", "name_zh": "未来能源", "name_en": "Future energy"},
    {"id": "space", "name_zh": "未来空间", "name_en": "Future space"},
    {"id": "health", "name_zh": "未来健康", "name_en": "Future health"},
]


class ObservatoryGateway:
    """Thread-safe, cached access to one `Observatory` for the web app.

    Cached reads stay valid until `clear_cache` (see the module docstring). ``cache_size`` : entries kept; the
    oldest-inserted go first when full.
    """

    def __init__(self, observatory, lock=None, cache_size: int = 2048):
        self.obs = observatory
        self.lock = lock or FairLock()  # first come, first served (`frontierwatch.web.turns`)
        self._cache: dict = {}  # key -> value; reads are lock-free (atomic dict get), misses are _MISSING
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()  # guards mutations of _cache and _generation
        self._generation = 0
        self._pinned: dict = {}  # precomputed pages of the served generation (`pin`); never evicted or cleared

    # -- plumbing ------------------------------------------------------------------------------------------
    def _cached(self, key, compute):
        hit = self._pinned.get(key, _MISSING)
        if hit is not _MISSING:
            return hit
        hit = self._cache.get(key, _MISSING)
        if hit is not _MISSING:
            return hit
        with self.lock:  # one computation at a time; the others wait here and then find it cached
            hit = self._cache.get(key, _MISSING)
            if hit is not _MISSING:
                return hit
            generation = self._generation
            value = compute()
            self._remember(key, value, generation)
        return value

    def cached(self, key: tuple, compute):
        """Cache any read (e.g. the hall's public search) like the observatory reads; `clear_cache` on writes."""
        return self._cached(("extra",) + key, compute)

    def answer(self, key: tuple, build, alias: tuple | None = None) -> bytes:
        """The JSON bytes of an API answer built by ``build()`` (a dict), serialised once and cached by `key`;
        also remembered under `alias` (the raw request: path, query string) for `raw_answer`. ``build`` must read
        only through this gateway (whose reads take the store lock): an answer made of a precomputed page then
        never waits behind another reader's computation."""
        generation = self._generation
        body = self._cache.get(("answer",) + key)
        if body is None:  # not under the lock: `build` reads through this gateway, whose reads lock the store
            body = orjson.dumps(build(), default=str, option=orjson.OPT_NON_STR_KEYS)
            self._remember(("answer",) + key, body, generation)
        if alias is not None:
            self._remember(("raw",) + alias, body, generation)
        return body

    def cached_answer(self, key: tuple, alias: tuple | None = None) -> bytes | None:
        """A cached `answer` (also remembered under `alias`), or None — never computes, never waits."""
        generation = self._generation
        body = self._cache.get(("answer",) + key)
        if body is not None and alias is not None:
            self._remember(("raw",) + alias, body, generation)
        return body

    def raw_answer(self, path: str, query_string: bytes) -> bytes | None:
        """The answer already given to exactly this GET request (validated then), or None."""
        return self._cache.get(("raw", path, query_string))

    def _remember(self, key, value, generation: int) -> None:
        with self._cache_lock:
            if generation == self._generation:  # no write cleared the cache since `value` was read
                self._cache[key] = value
                while len(self._cache) > self._cache_size:
                    del self._cache[next(iter(self._cache))]

    def pin(self, entries: dict, generation: int | None = None) -> bool:
        """Serve `entries` (``{cache key: answer}``, `frontierwatch.web.warmup.precompute`) for as long as the
        current generation is served: they are read before the cache and outlive `clear_cache` (they are stage
        reads, which hall writes cannot change). With `generation`, only if that generation is still the one
        served (a warm-up that finished after a swap is dropped). Call `unpin` when the store is swapped."""
        with self.lock:
            serving = getattr(getattr(self.obs.store, "generation", None), "number", None)
            if generation is not None and serving != generation:
                return False
            self._pinned = dict(entries)
        return True

    def unpin(self) -> None:
        """Forget the pinned pages (the generation they were computed from is no longer served)."""
        self._pinned = {}

    def clear_cache(self, keep_stage_reads: bool = True) -> None:
        """Forget the cached reads that public hall content can change; called after each such hall write.

        With `keep_stage_reads`, reads made of stage outputs alone (`_HALL_FREE`: topics, topic details, the map,
        directions, editions, backtest, status, documents — none reads a hall table) stay: the store's stages
        cannot change while the server runs, and recomputing every topic after each approval is slow."""
        with self._cache_lock:
            self._generation += 1
            kept = {k: v for k, v in self._cache.items() if _hall_free(k)} if keep_stage_reads else {}
            self._cache.clear()
            self._cache.update(kept)

    def _read(self, what: str, read):
        """``read()`` (a call of one observatory method), or NOT_BUILT when the stage behind it has not been built
        in this store (or is not installed) or the observatory answers with its not-computed marker."""
        try:
            got = read()
        except NotFoundError:
            if not self.obs.has_topic_map():
                return NOT_BUILT
            raise
        except (StoreError, ImportError) as exc:  # stage not built / not installed
            log.info("%s not available: %s", what, exc)
            return NOT_BUILT
        if isinstance(got, dict) and got.get("computed") is False:  # the observatory's `not_computed` marker
            return NOT_BUILT
        return got

    # -- observatory reads -----------------------------------------------------------------------------------
    def status(self) -> dict:
        return self._cached(("status",), lambda: self.obs.status())

    def directions(self) -> tuple[list[dict], bool]:
        """(directions, from_taxonomy): the catalog's taxonomy, or the policy's six names as a fallback."""
        got = self._cached(("directions",), lambda: self._read("directions", self.obs.directions))
        if got is NOT_BUILT or not got:
            return POLICY_DIRECTIONS, False
        return list(got), True

    def topics(self, as_of: str | None = None, top: int | None = None):
        """``{"as_of", "topics": [{"id", "label", "size", ...}]}`` or NOT_BUILT."""
        return self._cached(("topics", as_of, top),
                            lambda: self._read("topics", lambda: self.obs.topics(as_of=as_of, top=top)))

    def topic(self, topic_id: str, as_of: str | None = None):
        return self._cached(("topic", topic_id, as_of),
                            lambda: self._read("topic", lambda: self.obs.topic(topic_id, as_of=as_of)))

    def document_topic(self, doc_id: str):
        """The document's topic in the latest map (``topic_id``, ``label``, ``as_of``) or None."""
        got = self._cached(("doc-topic", doc_id),
                           lambda: self._read("document_topic", lambda: self.obs.document_topic(doc_id)))
        return None if got is NOT_BUILT else got

    def map_dates(self) -> list[dict]:
        """``[{"as_of", "map_id", "n_topics"}]`` newest first; [] before the first build."""
        got = self._cached(("map_dates",), lambda: self._read("map_dates", self.obs.map_dates))
        return [] if got is NOT_BUILT else list(got)

    def topic_map(self, as_of: str | None = None):
        """``[{"id", "label", "x", "y", "size", ...}]`` of `Observatory.topic_map`, or NOT_BUILT."""
        return self._cached(("topic_map", as_of), lambda: self._read("topic_map", lambda: self.obs.topic_map(as_of=as_of)))

    def editions(self):
        return self._cached(("editions",), lambda: self._read("editions", self.obs.editions))

    def edition_file(self, edition: str, lang: str, fmt: str):
        """Path of a published edition file, or NOT_BUILT (never cached: files appear when published)."""
        with self.lock:
            return self._read("edition_file", lambda: self.obs.edition_file(edition, lang=lang, fmt=fmt))

    def edition_data(self, edition: str, lang: str):
        """A published edition's JSON (entries, directions, changes, methodology) or NOT_BUILT."""
        path = self.edition_file(edition, lang, "json")
        if path is NOT_BUILT or path is None:
            return NOT_BUILT
        import json
        from pathlib import Path
        return self._cached(("edition-data", edition, lang, str(path)),
                            lambda: json.loads(Path(path).read_text(encoding="utf-8")))

    def backtest(self):
        return self._cached(("backtest",), lambda: self._read("backtest", self.obs.backtest_summary))

    def catalog_backtest(self):
        return self._cached(("catalog_backtest",), lambda: self._read("catalog backtest",
                                                                     self.obs.catalog_backtest_summary))

    def match(self, text: str, top: int = 10):
        return self._cached(("match", text, top), lambda: self._read("match", lambda: self.obs.match(text, top=top)))

    def document(self, doc_id: str) -> dict:
        return self._cached(("doc", doc_id), lambda: self.obs.document(doc_id))

    # -- search ------------------------------------------------------------------------------------------
    def ensure_search_index(self) -> dict | None:
        """Build the search index when it is stale; a published generation (read-only) already has it."""
        if self.obs.store.read_only:
            return None
        with self.lock:
            built = self.obs.ensure_search_index()
        if built:
            self.clear_cache(keep_stage_reads=False)
        return built

    def search(self, query: str, limit: int = 20, offset: int = 0, **filters) -> dict:
        """Documents (`Observatory.search`, with its filters) and the topics that hold most of them."""
        used = tuple(sorted((k, v) for k, v in filters.items() if v not in (None, "")))

        def compute():
            docs = self.obs.search(query, limit, offset, **dict(used))
            engine = docs.pop("engine")
            return {"query": query, "engine": engine, "documents": docs, "topics": self._topic_hits(docs.get("facets"))}
        return self._cached(("search", query, limit, offset, used), compute)

    def search_with_hall(self, hall, query: str, limit: int = 20, offset: int = 0, **filters) -> tuple[dict, list]:
        """`search` and the release hall's approved items matching `query` (`Hall.search`, 10 at most), computed in
        one turn at the store lock: two turns would each wait for every reader queued before them."""
        used = tuple(sorted((k, v) for k, v in filters.items() if v not in (None, "")))
        hall_key = ("extra", "hall-search", query)
        if ("search", query, limit, offset, used) in self._cache and hall_key in self._cache:
            return self.search(query, limit, offset, **filters), self._cache[hall_key]  # both cached: no turn
        with self.lock:
            return (self.search(query, limit, offset, **filters),
                    self.cached(("hall-search", query), lambda: hall.search(query, limit=10)))

    def _topic_hits(self, facets: dict, limit: int = 10) -> list[dict]:
        """The topics (newest map) holding the most matching documents: ``[{"id", "label", "size", "documents",
        "why": "documents"}]`` — where the search's documents are, read from its facet counts (no second ranking)."""
        counts = (facets or {}).get("topic") or {}
        if not counts:
            return []
        listed = self.topics()
        by_id = {str(t["id"]): t for t in (listed.get("topics", []) if listed is not NOT_BUILT else [])}
        hits = []
        for tid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]:
            t = by_id.get(str(tid), {})
            hits.append({"id": tid, "label": t.get("label"), "name": t.get("name"), "size": t.get("size"),
                         "documents": n, "score": float(n), "why": "documents"})
        return hits


# Cache keys whose answers never read the release hall (an allow-list: anything else is cleared on a hall write).
_HALL_FREE = frozenset({"status", "directions", "topics", "topic", "topic_map", "editions", "backtest", "doc",
                        "doc-topic", "map_dates", "edition-data"})


def _hall_free(key: tuple) -> bool:
    if key[0] == "answer":
        return key[1] in _HALL_FREE
    if key[0] == "raw":
        return key[1] == "/api/v1/topics" or key[1].startswith("/api/v1/topics/")
    return key[0] in _HALL_FREE


def describe_error(exc: FrontierwatchError, lang: str) -> dict:
    """The JSON body of an error answer: status, title and message in both languages plus the chosen one."""
    body = {"error": {"status": exc.status, "title": exc.title_zh if lang == "zh" else exc.title_en,
                      "message": exc.message(lang), "message_en": exc.en, "message_zh": exc.zh}}
    details = getattr(exc, "details", None)
    if details:  # e.g. a 409's "flags": beside the error, where a client looks for them
        body.update(details)
    return body
