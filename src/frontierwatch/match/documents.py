"""The documents of one topic map held in memory for matching: rows by topic, their stored vectors, and each
document's text ready for term tests (lower-cased, Simplified, its content tokens computed once).

Why: `rank_documents` reads the documents of a need's best five topics and tests every need term against each
title + abstract. Per request that was two queries (≈ 150 ms and ≈ 90 ms on the loaded demo machine) and a
tokenisation of about a thousand abstracts (≈ 0.6 s) — the same documents for every need that lands on the same
topics. A map's documents cannot change while it is read (a published generation is read-only; a writable
store's map is replaced, never edited, and a new one has another ``created`` time), so they are read once per
(store, map, creation time) and kept. Answers are exactly those of the per-request reads: the same rows in the
same order (doc_id), the same vectors, the same tokens (`frontierwatch.text.content_tokens` of the same text).

Reads ``doc_topics`` + ``documents`` (`match.queries.documents_of_topics`) and ``embeddings``.
"""
from __future__ import annotations

import logging
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from frontierwatch.errors import NotFoundError
from frontierwatch.text import content_tokens, to_simplified

log = logging.getLogger(__name__)

_MAPS: dict[tuple, "MapDocuments"] = {}
_NONE = np.zeros(0, dtype=np.int32)
_LOCK = threading.Lock()
KEEP_MAPS = 2  # maps held at once: the one served and, during a swap, the next


@dataclass
class MapDocuments:
    """Rows of `documents_of_topics` for every topic of one map, with their vectors (None when the store holds
    none for the map's model) and a per-document term-test cache."""

    rows: list[tuple]                     # (doc_id, topic_id, title, abstract, year, kind, language, authors, institutions)
    by_topic: dict[str, np.ndarray]       # topic_id -> row numbers, ascending (doc_id order)
    vectors: np.ndarray | None            # (n rows, dim), row i = rows[i]
    _lowered: dict[int, str] = field(default_factory=dict)
    _tokens: dict[int, list[str]] = field(default_factory=dict)
    _postings: dict[str, np.ndarray] | None = None   # token -> rows holding it, ascending (after `prepare`)
    _joined: dict[int, str] = field(default_factory=dict)  # " token token … " of each row (after `prepare`)

    def select(self, topic_ids: list[str]) -> np.ndarray:
        """Row numbers of the documents of `topic_ids`, in doc_id order (as the per-request query orders them)."""
        parts = [self.by_topic[t] for t in dict.fromkeys(topic_ids) if t in self.by_topic]
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def lowered(self, i: int) -> str:
        """Row i's ``title abstract`` lower-cased and in Simplified Chinese (what `term_matches` tests)."""
        got = self._lowered.get(i)
        if got is None:
            r = self.rows[i]
            got = self._lowered[i] = to_simplified(f"{r[2]} {r[3] or ''}".lower())
        return got

    def tokens(self, i: int) -> list[str]:
        """`content_tokens` of row i's lowered text, computed on first use."""
        got = self._tokens.get(i)
        if got is None:
            got = self._tokens[i] = [sys.intern(t) for t in content_tokens(self.lowered(i))]  # one copy per word
        return got

    def prepare(self) -> "MapDocuments":
        """Compute every row's text and tokens now and index the rows by token (`term_matches`), so no request
        pays for them; done by the server's warm-up (`frontierwatch.web.warmup`)."""
        if self._postings is None:
            postings: dict[str, list[int]] = {}
            for i in range(len(self.rows)):
                tokens = self.tokens(i)
                self._joined[i] = f" {' '.join(tokens)} "
                for tok in dict.fromkeys(tokens):
                    postings.setdefault(tok, []).append(i)
            self._postings = {t: np.asarray(v, dtype=np.int32) for t, v in postings.items()}  # ascending
            self._tokens.clear()  # the joined tokens and the index answer every test from here on
        return self

    def term_matches(self, terms: list[tuple[str, str | None, list[str]]], picked: list[int]) -> list[list[dict]]:
        """`frontierwatch.match.evidence.term_matches` of each picked row, term by term over the rows instead of
        row by row: a term's English form can only be in the rows holding each of its tokens (the token index,
        once `prepare` ran), and only those are tested as before — same answers, a fraction of the work."""
        from frontierwatch.match.evidence import term_matches

        if self._postings is None:
            return [term_matches(terms, "", lowered=self.lowered(i), tokens=lambda i=i: self.tokens(i))
                    for i in picked]
        chosen = np.asarray(sorted(picked), dtype=np.int32)
        hits: list[set[int]] = []
        for en, zh, want in terms:
            hit = {i for i in picked if zh in self.lowered(i)} if zh else set()
            if want:
                # rows holding every token of the term; a one-token term is then in them, a longer one must
                # be a run of adjacent tokens (tokens hold no spaces, so a run is a substring of the joined ones)
                holding = chosen
                for w in want:
                    holding = np.intersect1d(holding, self._postings.get(w, _NONE), assume_unique=True)
                run = f" {' '.join(want)} "
                for i in set(holding.tolist()) - hit:
                    lowered = self.lowered(i)
                    if all(w in lowered for w in want) and (len(want) == 1 or run in self._joined[i]):
                        hit.add(i)
            hits.append(hit)
        return [[{"en": en, "zh": zh} for (en, zh, _), hit in zip(terms, hits) if i in hit] for i in picked]


def map_documents(store, map_id: int, as_of: date, embed_model: str, created,
                  topic_ids: list[str]) -> MapDocuments:
    """Documents of map `map_id` dated on or before `as_of` (undated ones too), holding at least those of
    `topic_ids`. On a read-only store (a published generation, what the server reads) every document of the map,
    read once and kept; on a writable one — whose documents a command may change — those of `topic_ids`, read
    now."""
    if not store.read_only:
        return _load(store, map_id, as_of, embed_model, topic_ids)
    key = (str(store.path.resolve()), getattr(getattr(store, "generation", None), "number", None), map_id,
           str(created), as_of.isoformat(), embed_model)
    got = _MAPS.get(key)
    if got is not None:
        return got
    with _LOCK:
        got = _MAPS.get(key)
        if got is None:
            got = _load(store, map_id, as_of, embed_model, None)
            while len(_MAPS) >= KEEP_MAPS:
                del _MAPS[next(iter(_MAPS))]
            _MAPS[key] = got
    return got


def _load(store, map_id: int, as_of: date, embed_model: str, topic_ids: list[str] | None) -> MapDocuments:
    from frontierwatch.embed import load_embeddings
    from frontierwatch.match.queries import documents_of_topics

    started = time.perf_counter()
    rows = documents_of_topics(store, map_id, topic_ids, as_of)
    by_topic: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_topic.setdefault(r[1], []).append(i)
    try:
        _, vectors = load_embeddings(store, embed_model, [r[0] for r in rows])
    except NotFoundError:
        vectors = None
    if topic_ids is None:
        log.info("match: %d documents of map %d held in memory in %.1f s", len(rows), map_id,
                 time.perf_counter() - started)
    return MapDocuments(rows, {t: np.asarray(v, dtype=np.int64) for t, v in by_topic.items()}, vectors)
