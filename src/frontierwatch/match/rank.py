"""Rank topics for a need: four scorers and their reciprocal-rank fusion, chosen by measurement.

* ``multilingual`` — cosine between the need (as typed, Chinese or English) and each topic's text (keyphrases)
  in USE-multilingual space. Needs no bridge, but short keyphrase lists are a thin text.
* ``static`` — cosine between the static English model's vector of the *bridged* need and each topic centroid
  (the topic map's own space, built from all its documents).
* ``bm25`` — BM25 of the bridged need's English tokens over each topic's keyphrases: exact shared terms.
* ``documents`` — document evidence (`frontierwatch.match.document_votes`): the need's words and translations
  searched over every title and abstract, the best documents voting for their topic.
* fusions — reciprocal rank fusion, ``Σ_m 1 / (k + rank_m)`` with k = 60 (Cormack et al. 2009), of the scorers in
  ``FUSIONS[method]`` (a scorer without data, e.g. documents on a store without a search index, is left out).
  Ties are broken by topic id, so a ranking is deterministic.

`DEFAULT_METHOD` was chosen on the tuning half of the judged needs (`bench/match/`, `bench/match_eval.py`):
``bridge+documents`` — normalised P@5 0.87 against 0.66 for the former default ``fusion`` there; it also needs
no multilingual encoding of the need.
"""
from __future__ import annotations

import logging
from functools import lru_cache

import numpy as np

from frontierwatch.errors import InputError
from frontierwatch.match.document_votes import document_votes
from frontierwatch.match.need import Need
from frontierwatch.match.topic_index import MULTILINGUAL, TopicIndex, ensure_multilingual
from frontierwatch.text import content_tokens

log = logging.getLogger(__name__)

RRF_K = 60
SCORERS = ("multilingual", "static", "bm25", "documents")
FUSIONS = {"bridge": ("static", "bm25"), "fusion": ("multilingual", "static", "bm25"),
           "multilingual+bm25": ("multilingual", "bm25"), "bridge+documents": ("static", "bm25", "documents"),
           "fusion+documents": ("multilingual", "static", "bm25", "documents"),
           "bm25+documents": ("bm25", "documents")}
METHODS = SCORERS + tuple(FUSIONS)
DEFAULT_METHOD = "bridge+documents"


@lru_cache(maxsize=256)
def need_vector(text: str) -> np.ndarray:
    """The multilingual vector of a need's text (cached: the web app asks the same needs again)."""
    from frontierwatch.embed import get_embedder

    vector = get_embedder(MULTILINGUAL).encode([text])[0]
    vector.flags.writeable = False
    return vector


def query_tokens(need: Need) -> list[str]:
    """English tokens of the need for BM25: the bridged terms (zh) or the need's own words (en) plus its bridge."""
    text = need.english if need.language == "en" else ", ".join(need.english_terms())
    extra = ", ".join(need.english_terms()) if need.language == "en" else ""
    return content_tokens(f"{text}, {extra}")


def scorer_values(store, index: TopicIndex, need: Need, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Raw score per topic of each scorer in `names` (arrays aligned with ``index.ids``)."""
    from frontierwatch.embed import get_embedder

    out: dict[str, np.ndarray] = {}
    n = len(index.ids)
    for name in names:
        if name == "multilingual":
            topic_vectors = ensure_multilingual(store, index)
            out[name] = topic_vectors @ need_vector(need.text) if n else np.zeros(0)
        elif name == "static":
            text = need.english if need.english.strip() else ""
            vec = get_embedder(index.embed_model).encode([text])[0] if text else None
            out[name] = index.centroids @ vec if vec is not None and n else np.zeros(n, dtype=np.float32)
        elif name == "bm25":
            out[name] = index.bm25(query_tokens(need))
        elif name == "documents":
            votes = document_votes(store, index, need)
            if votes is not None:
                out[name] = votes
        else:
            raise InputError(f"unknown scorer {name!r}; expected one of {SCORERS}", f"未知评分器 {name!r}；应为 {SCORERS} 之一")
    return out


def _ranks(values: np.ndarray, ids: list[str]) -> np.ndarray:
    """1-based rank of each topic by descending value, ties by topic id; a zero score ranks last (no evidence)."""
    order = np.lexsort((np.array(ids, dtype=object), -values))
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = np.arange(1, len(values) + 1)
    ranks[values <= 0] = np.inf
    return ranks


def rank_topics(store, index: TopicIndex, need: Need, method: str = DEFAULT_METHOD) -> tuple[np.ndarray, np.ndarray,
                                                                                                dict[str, np.ndarray]]:
    """Order of topics for `need` by `method`: ``(order, score, raw)`` — `order` indexes ``index.ids`` best first,
    `score` is the method's score per topic, `raw` every computed scorer's values (for the *why*)."""
    if method not in METHODS:
        raise InputError(f"unknown match method {method!r}; expected one of {', '.join(METHODS)}",
                         f"未知匹配方法 {method!r}；应为 {', '.join(METHODS)} 之一")
    names = FUSIONS.get(method, (method,))
    raw = scorer_values(store, index, need, names)
    if method in FUSIONS:
        score = sum(np.where(np.isinf(r := _ranks(raw[m], index.ids)), 0.0, 1.0 / (RRF_K + r)) for m in names
                    if m in raw)
    else:
        score = raw[method].astype(np.float64)
    order = np.lexsort((np.array(index.ids, dtype=object), -np.asarray(score)))
    return order, np.asarray(score, dtype=np.float64), raw
