"""Evaluate topic matching on the shipped evaluation needs (``eval/needs.v1.json``): precision@k per method.

A returned topic is *relevant* to a need when one of its top-10 keyphrases or its label holds an expected term as
whole words (light plural folding), or when one of the need's expected arXiv primary categories holds at least
``CATEGORY_SHARE`` of the topic's documents. Reported per method: P@k (relevant among the top k, over k),
normalised P@k (over min(k, relevant topics in the map), since a coarse map may hold fewer than k relevant
topics), hit@1 and hit@k, overall and by language. Reads ``topics``, ``doc_topics`` and ``documents``.
"""
from __future__ import annotations

import json
import logging
import time
from functools import lru_cache
from importlib import resources

import numpy as np

from frontierwatch.match.need import parse_need
from frontierwatch.match.rank import METHODS, rank_topics
from frontierwatch.match.topic_index import TopicIndex, topic_index
from frontierwatch.text import content_tokens
from frontierwatch.store import Store

log = logging.getLogger(__name__)

EVAL_FILE = "needs.v1.json"
CATEGORY_SHARE = 0.20


@lru_cache(maxsize=2)
def load_eval_needs(name: str = EVAL_FILE) -> tuple[dict, ...]:
    """The evaluation needs: dicts with ``id``, ``lang``, ``direction``, ``text``, ``categories``, ``terms``."""
    data = json.loads(resources.files("frontierwatch.match").joinpath("eval", name).read_text(encoding="utf-8"))
    return tuple(data["needs"])


def topic_categories(store: Store, index: TopicIndex, share: float = CATEGORY_SHARE) -> dict[str, set[str]]:
    """Primary categories holding at least `share` of each topic's documents (its largest one always)."""
    from frontierwatch.match.queries import topic_category_counts

    rows = topic_category_counts(store, index.map_id)
    totals: dict[str, int] = {}
    for tid, _, n in rows:
        totals[tid] = totals.get(tid, 0) + n
    out: dict[str, set[str]] = {}
    for tid, cat, n in rows:
        if tid not in out or n / totals[tid] >= share:
            out.setdefault(tid, set()).add(cat)
    return out


def _contains(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return bool(n) and any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def relevant_topics(index: TopicIndex, categories: dict[str, set[str]], need: dict) -> np.ndarray:
    """Boolean per topic: relevant to the evaluation `need` by expected terms or categories."""
    wanted_terms = [content_tokens(t) for t in need["terms"]]
    wanted_cats = set(need["categories"])
    out = np.zeros(len(index.ids), dtype=bool)
    for i, tid in enumerate(index.ids):
        phrases = [content_tokens(p) for p in index.keyphrases[i][:10]] + [content_tokens(index.labels[i])]
        by_term = any(_contains(p, w) for p in phrases for w in wanted_terms)
        out[i] = by_term or bool(categories.get(tid, set()) & wanted_cats)
    return out


def evaluate(store: Store, methods: tuple[str, ...] = METHODS, k: int = 5, needs: tuple[dict, ...] | None = None,
             *, use_taxonomy: bool = True) -> dict:
    """Precision@k of each method on the evaluation needs over the latest topic map of `store`.

    Returns ``{"map": {...}, "k", "n_needs", "methods": {method: {"p_at_k", "p_at_k_normalised", "hit_at_1",
    "hit_at_k", "by_language": {...}, "seconds_per_need"}}, "per_need": [{"id", "lang", "relevant_in_map",
    method: [topic ids]}]}``. `use_taxonomy` False leaves the taxonomy's seed terms out of the bridge (ablation).
    """
    needs = needs or load_eval_needs()
    index = topic_index(store)
    categories = topic_categories(store, index)
    per_need = []
    scores: dict[str, list[tuple[str, float, float, float, float]]] = {m: [] for m in methods}
    timing = {m: 0.0 for m in methods}
    for item in needs:
        parsed = parse_need(item["text"], item["lang"], use_taxonomy=use_taxonomy)
        relevant = relevant_topics(index, categories, item)
        row = {"id": item["id"], "lang": item["lang"], "relevant_in_map": int(relevant.sum())}
        for method in methods:
            started = time.perf_counter()
            order, _, _ = rank_topics(store, index, parsed, method)
            timing[method] += time.perf_counter() - started
            top = order[:k]
            hits = relevant[top]
            denominator = min(k, int(relevant.sum())) or k
            scores[method].append((item["lang"], hits.sum() / k, hits.sum() / denominator, float(hits[:1].any()),
                                   float(hits.any())))
            row[method] = [index.ids[i] for i in top]
        per_need.append(row)
    results = {}
    for method, rows in scores.items():
        def mean(col, lang=None):
            vals = [r[col] for r in rows if lang is None or r[0] == lang]
            return round(float(np.mean(vals)), 4) if vals else None

        results[method] = {"p_at_k": mean(1), "p_at_k_normalised": mean(2), "hit_at_1": mean(3), "hit_at_k": mean(4),
                           "by_language": {lang: {"p_at_k": mean(1, lang), "p_at_k_normalised": mean(2, lang),
                                                  "hit_at_k": mean(4, lang)} for lang in ("zh", "en")},
                           "seconds_per_need": round(timing[method] / max(1, len(needs)), 4)}
    return {"map": {"map_id": index.map_id, "as_of": index.as_of.isoformat(), "n_topics": len(index.ids),
                    "embed_model": index.embed_model},
            "k": k, "n_needs": len(needs), "category_share": CATEGORY_SHARE, "methods": results, "per_need": per_need}
