"""The web app's single door to the core: calls `Observatory` methods, serialises store access, caches reads.

Routes never hold SQL or stage logic; they call this gateway. Each read asks the observatory for a method by
name (``topics``, ``topic``, ``topic_map``, ``directions``, ``editions``, ``edition_file``, ``backtest_summary``,
``match``); when the stage behind it is not built or not written yet — or the observatory answers with its
``{"computed": False, "note"}`` marker — the gateway answers `NOT_BUILT` and the page says so honestly ("not built yet — run frontierwatch build") instead of inventing data.

DuckDB allows one writing process and its connections are not thread-safe, so the server opens the store
read-write (the hall writes accounts and submissions) and every store call holds one re-entrant lock.
Read results are cached for ``ttl`` seconds (pages are read far more often than the store changes).
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict

import duckdb

from frontierwatch.errors import FrontierwatchError, NotFoundError, StoreError
from frontierwatch.web import search as fulltext

log = logging.getLogger(__name__)


class _NotBuilt:
    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_BUILT"


NOT_BUILT = _NotBuilt()

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
    """Thread-safe, cached access to one `Observatory` for the web app."""

    def __init__(self, observatory, lock: threading.RLock | None = None, ttl: float = 30.0, cache_size: int = 2048):
        self.obs = observatory
        self.lock = lock or threading.RLock()
        self.ttl = ttl
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()

    @property
    def con(self):
        return self.obs.store.con

    # -- plumbing ------------------------------------------------------------------------------------------
    def _cached(self, key, compute):
        now = time.monotonic()
        with self._cache_lock:
            hit = self._cache.get(key)
        if hit and now - hit[0] < self.ttl:
            return hit[1]
        with self.lock:
            with self._cache_lock:  # another thread may have computed it while this one waited for the lock
                hit = self._cache.get(key)
            if hit and time.monotonic() - hit[0] < self.ttl:
                return hit[1]
            value = compute()
            now = time.monotonic()
        with self._cache_lock:
            self._cache[key] = (now, value)
            self._cache.move_to_end(key)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value

    def cached(self, key: tuple, compute):
        """Cache any read (e.g. the hall's public search) with the same TTL; `clear_cache` on writes."""
        return self._cached(("extra",) + key, compute)

    def clear_cache(self) -> None:
        with self._cache_lock:
            self._cache.clear()

    def _ask(self, method: str, *args, **kwargs):
        """Call ``observatory.<method>``, else the stage's own read API (`_STAGE_READS`) on the store;
        NOT_BUILT when neither exists or the stage has not been built in this store."""
        fn = getattr(self.obs, method, None)
        if fn is None:
            stage_read = _STAGE_READS.get(method)
            if stage_read is None:
                return NOT_BUILT
            fn = lambda *a, **k: stage_read(self.obs, *a, **k)  # noqa: E731
        try:
            got = fn(*args, **kwargs)
        except NotFoundError:
            if not self._has_topic_map():
                return NOT_BUILT
            raise
        except (StoreError, duckdb.CatalogException, ImportError) as exc:  # stage not built / not installed
            log.info("%s not available: %s", method, exc)
            return NOT_BUILT
        if isinstance(got, dict) and got.get("computed") is False:  # the observatory's `not_computed` marker
            return NOT_BUILT
        return got

    def _has_topic_map(self) -> bool:
        try:
            return bool(self.con.execute("SELECT count(*) FROM topic_maps").fetchone()[0])
        except duckdb.CatalogException:
            return False

    # -- observatory reads -----------------------------------------------------------------------------------
    def status(self) -> dict:
        return self._cached(("status",), lambda: self.obs.status())

    def directions(self) -> tuple[list[dict], bool]:
        """(directions, from_taxonomy): the catalog's taxonomy, or the policy's six names as a fallback."""
        got = self._cached(("directions",), lambda: self._ask("directions"))
        if got is NOT_BUILT or not got:
            return POLICY_DIRECTIONS, False
        return list(got), True

    def topics(self, as_of: str | None = None, top: int | None = None):
        """``{"as_of", "topics": [{"id", "label", "size", ...}]}`` or NOT_BUILT."""
        return self._cached(("topics", as_of, top), lambda: self._ask("topics", as_of=as_of, top=top))

    def topic(self, topic_id: str, as_of: str | None = None):
        return self._cached(("topic", topic_id, as_of), lambda: self._ask("topic", topic_id, as_of=as_of))

    def topic_map(self, as_of: str | None = None):
        """``[{"id", "label", "x", "y", "size"}]`` from ``topic_map`` or, failing that, the topics' own x/y."""
        def compute():
            got = self._ask("topic_map", as_of=as_of)
            if got is not NOT_BUILT:
                return got
            listed = self._ask("topics", as_of=as_of, top=None)
            if listed is NOT_BUILT:
                return NOT_BUILT
            points = [t for t in listed.get("topics", []) if t.get("x") is not None and t.get("y") is not None]
            return points or NOT_BUILT
        return self._cached(("topic_map", as_of), compute)

    def editions(self):
        return self._cached(("editions",), lambda: self._ask("editions"))

    def edition_file(self, edition: str, lang: str, fmt: str):
        """Path of a published edition file, or NOT_BUILT (never cached: files appear when published)."""
        with self.lock:
            return self._ask("edition_file", edition, lang=lang, fmt=fmt)

    def backtest(self):
        return self._cached(("backtest",), lambda: self._ask("backtest_summary"))

    def match(self, text: str, top: int = 10):
        return self._cached(("match", text, top), lambda: self._ask("match", text, top=top))

    def document(self, doc_id: str) -> dict:
        doc = self._cached(("doc", doc_id), lambda: fulltext.get_document(self.con, doc_id))
        if doc is None:
            raise NotFoundError(f"no document {doc_id!r}", f"没有文献 {doc_id!r}")
        return doc

    # -- search ------------------------------------------------------------------------------------------
    def ensure_search_index(self) -> dict | None:
        with self.lock:
            built = fulltext.ensure_index(self.con)
        if built:
            self.clear_cache()
        return built

    def search(self, query: str, limit: int = 20, offset: int = 0) -> dict:
        """Documents (BM25) and topics (label terms; plus the matchmaking stage's semantic ranking when built)."""
        def compute():
            docs = fulltext.search_documents(self.con, query, limit, offset)
            return {"query": query, "engine": fulltext.tokenizer_name(), "documents": docs,
                    "topics": self._topic_hits(query, docs["terms"])}
        return self._cached(("search", query, limit, offset), compute)

    def _topic_hits(self, query: str, terms: list[str], limit: int = 10) -> list[dict]:
        listed = self._ask("topics", as_of=None, top=None)
        hits: dict = {}
        if listed is not NOT_BUILT:
            for t in listed.get("topics", []):
                text = " ".join(str(t.get(k) or "") for k in ("label", "label_zh", "label_en", "keyphrases")).lower()
                n = sum(1 for term in terms if term in text)
                if n:
                    hits[str(t["id"])] = {"id": t["id"], "label": t.get("label"), "size": t.get("size"),
                                          "score": float(n), "why": "label"}
        matched = self._ask("match", query, top=limit) if len(hits) < limit else NOT_BUILT
        if matched is not NOT_BUILT and isinstance(matched, dict):
            for t in matched.get("topics", []):
                tid = str(t.get("id", t.get("topic_id")))
                hits.setdefault(tid, {"id": tid, "label": t.get("label"), "size": t.get("size"),
                                      "score": float(t.get("score") or 0), "why": "semantic"})
        return sorted(hits.values(), key=lambda h: (h["why"] != "label", -h["score"]))[:limit]


def _list_topics(obs, as_of=None, top=None):
    from frontierwatch.topics import list_topics

    return list_topics(obs.store, as_of, top)


def _topic_detail(obs, topic_id, as_of=None):
    from frontierwatch.topics import topic_detail

    return topic_detail(obs.store, topic_id, as_of)


def _taxonomy_directions(obs):
    """The catalog's taxonomy as plain bilingual records: id, name_zh/en, description_zh/en, fields."""
    from frontierwatch.catalog import load_taxonomy

    def flat(node) -> dict:
        return {"id": node.id, "name_zh": node.name["zh"], "name_en": node.name["en"],
                "description_zh": node.description.get("zh", ""), "description_en": node.description.get("en", "")}

    return [flat(d) | {"fields": [flat(f) for f in d.fields]} for d in load_taxonomy().directions]


# Stage read APIs used while `Observatory` has no method of that name (the gateway prefers the observatory's).
_STAGE_READS = {"topics": _list_topics, "topic": _topic_detail, "directions": _taxonomy_directions}


def describe_error(exc: FrontierwatchError, lang: str) -> dict:
    """The JSON body of an error answer: status, title and message in both languages plus the chosen one."""
    return {"error": {"status": exc.status, "title": exc.title_zh if lang == "zh" else exc.title_en,
                      "message": exc.message(lang), "message_en": exc.en, "message_zh": exc.zh}}
