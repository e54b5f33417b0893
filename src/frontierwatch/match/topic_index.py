"""What the matcher knows about every topic of one map: text, centroid, keyphrase tokens, multilingual vector.

Reads ``topic_maps`` and ``topics`` (label, keyphrases, centroid); reads and fills ``match_topic_vectors``
(map_id, topic_id, model, text_md5, vector) so the multilingual vectors of topic texts are encoded once per map
(≈ 100 topic texts/s). On a read-only store missing vectors are encoded in memory instead. An index is kept per
(store, map, map creation time) in the process, so repeated queries cost only the query's own encoding.
"""
from __future__ import annotations

import hashlib
import logging
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from frontierwatch.match.queries import read_topic_vectors, write_topic_vectors
from frontierwatch.store import Store
from frontierwatch.text import content_tokens
from frontierwatch.topics.tables import map_row

log = logging.getLogger(__name__)

MULTILINGUAL = "multilingual"
N_KEYPHRASES = 10
_INDEXES: dict[tuple, "TopicIndex"] = {}




def topic_text(label: str, keyphrases: list[str]) -> str:
    """The text that stands for a topic: its keyphrases (the label is their top three), comma separated."""
    phrases = keyphrases[:N_KEYPHRASES] or [p.strip() for p in label.split("·")]
    return ", ".join(dict.fromkeys(phrases))


@dataclass
class TopicIndex:
    """Per-topic arrays of one map, row i = topic ``ids[i]``."""

    map_id: int
    as_of: date
    embed_model: str
    ids: list[str]
    labels: list[str]
    keyphrases: list[list[str]]
    sizes: np.ndarray
    centroids: np.ndarray                        # (n, d) in the map's embedding space (unit rows)
    texts: list[str]
    multilingual: np.ndarray | None = None       # (n, 512), filled by `ensure_multilingual`
    junk: list[bool] = field(default_factory=list)  # venue boilerplate / foreign function words: never matched
    term_counts: list[Counter] = field(default_factory=list)
    doc_freq: Counter = field(default_factory=Counter)
    avg_len: float = 1.0
    created: str = ""                              # the map's creation time (part of every cache key)

    def __post_init__(self) -> None:
        from frontierwatch.topics.junk import is_junk_topic

        self.junk = [is_junk_topic(kp) for kp in self.keyphrases]
        self.term_counts = [Counter(content_tokens(t)) for t in self.texts]
        for c in self.term_counts:
            self.doc_freq.update(c.keys())
        self.avg_len = float(np.mean([sum(c.values()) for c in self.term_counts])) if self.term_counts else 1.0

    def bm25(self, query_tokens: list[str], k1: float = 1.2, b: float = 0.75) -> np.ndarray:
        """BM25 of every topic text for the query tokens (each distinct token once)."""
        n = len(self.ids)
        scores = np.zeros(n, dtype=np.float64)
        for tok in dict.fromkeys(query_tokens):
            df = self.doc_freq.get(tok, 0)
            if not df:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            for i, counts in enumerate(self.term_counts):
                tf = counts.get(tok, 0)
                if tf:
                    length = sum(counts.values())
                    scores[i] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / self.avg_len))
        return scores


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def _load_topics(store: Store, info: dict) -> TopicIndex:
    from frontierwatch.topics.tables import topic_rows

    rows = topic_rows(store, info["map_id"], ["topic_id", "label", "keyphrases", "size", "centroid"])
    keyphrases = [[k["phrase"] for k in (kp or [])] for _, _, kp, _, _ in rows]
    dim = len(rows[0][4]) if rows else 0
    return TopicIndex(
        map_id=info["map_id"], as_of=info["as_of"], embed_model=info["embed_model"], ids=[r[0] for r in rows],
        labels=[r[1] for r in rows], keyphrases=keyphrases, sizes=np.array([r[3] for r in rows], dtype=np.int64),
        centroids=np.array([r[4] for r in rows], dtype=np.float32).reshape(len(rows), dim),
        texts=[topic_text(r[1], kp) for r, kp in zip(rows, keyphrases)], created=str(info["created"]))


def ensure_multilingual(store: Store, index: TopicIndex, embedder=None) -> np.ndarray:
    """Fill ``index.multilingual`` from ``match_topic_vectors``, encoding (and storing when writable) what is missing
    or stale. Returns the (n_topics, dim) matrix."""
    if index.multilingual is not None:
        return index.multilingual
    from frontierwatch.embed import get_embedder

    embedder = embedder or get_embedder(MULTILINGUAL)
    md5s = [_md5(t) for t in index.texts]
    cached = read_topic_vectors(store, index.map_id, embedder.name)
    matrix = np.zeros((len(index.ids), embedder.dim), dtype=np.float32)
    missing = []
    for i, (tid, md5) in enumerate(zip(index.ids, md5s)):
        hit = cached.get(tid)
        if hit and hit[0] == md5 and len(hit[1]) == embedder.dim:
            matrix[i] = hit[1]
        else:
            missing.append(i)
    if missing:
        started = time.perf_counter()
        matrix[missing] = embedder.encode([index.texts[i] for i in missing])
        log.info("match: encoded %d topic texts of map %d with %s in %.1f s", len(missing), index.map_id,
                 embedder.name, time.perf_counter() - started)
        if not store.read_only:
            write_topic_vectors(store, index.map_id, embedder.name, [index.ids[i] for i in missing],
                                [md5s[i] for i in missing], matrix[missing])
    index.multilingual = matrix
    return matrix


def topic_index(store: Store, as_of: date | None = None) -> TopicIndex:
    """The (process-cached) index of the map of `as_of` (None → latest). Raises NotFoundError without a map."""
    info = map_row(store, as_of)
    key = (str(store.path.resolve()), info["map_id"], str(info["created"]))
    if key not in _INDEXES:
        started = time.perf_counter()
        _INDEXES[key] = _load_topics(store, info)
        log.info("match: indexed %d topics of map %d in %.2f s", len(_INDEXES[key].ids), info["map_id"],
                 time.perf_counter() - started)
    return _INDEXES[key]
