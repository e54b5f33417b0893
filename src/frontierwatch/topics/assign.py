"""Assigning documents to a fitted map without refitting, and finding candidate new topics.

A document farther from every centroid than ``candidate_distance`` (by default the 95th percentile of the
fitted members' own distances) is flagged ``candidate_new``. Candidates are clustered among themselves;
a cluster at least as tight as a typical fitted topic is reported as a candidate new topic — a brand-new
cluster the fitted map cannot place is itself an emergence signal.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from frontierwatch.topics.labels import class_tfidf, document_phrase_matrix, label_from_keyphrases, top_keyphrases
from frontierwatch.topics.model import KMeansTopics, nearest_centroid

log = logging.getLogger(__name__)

CANDIDATE_PERCENTILE = 95.0
CANDIDATE_DOCS_PER_CLUSTER = 50
MAX_CANDIDATES_CLUSTERED = 20_000


def candidate_distance(fitted_distances: np.ndarray, percentile: float = CANDIDATE_PERCENTILE) -> float:
    """Distance beyond which an assigned document is a candidate for a new topic."""
    if len(fitted_distances) == 0:
        return 1.0
    return float(np.percentile(fitted_distances, percentile))


@dataclass
class Assignment:
    """Nearest topic per document: ``topic_index`` (n,), cosine ``distance`` (n,), ``candidate_new`` (n,)."""

    topic_index: np.ndarray
    distance: np.ndarray
    candidate_new: np.ndarray


def assign_to_centroids(embeddings: np.ndarray, centroids: np.ndarray, threshold: float) -> Assignment:
    """Nearest centroid of each embedding row, flagging rows beyond `threshold` (cosine distance)."""
    if len(embeddings) == 0:
        empty = np.zeros(0)
        return Assignment(empty.astype(np.int64), empty.astype(np.float32), empty.astype(bool))
    idx, dist = nearest_centroid(embeddings, centroids)
    return Assignment(idx, dist, dist > threshold)


@dataclass
class CandidateTopic:
    """A cluster of candidate documents tight enough to be a topic the map lacks."""

    label: str
    keyphrases: list[tuple[str, float]]
    doc_ids: list[str]
    nearest_topic: int
    distance: float
    cohesion: float = field(default=0.0)  # mean cosine distance of members to the cluster centroid


def cluster_candidates(doc_ids: list[str], embeddings: np.ndarray, texts: list[str], centroids: np.ndarray,
                       max_cohesion: float, min_size: int = 10, seed: int = 0) -> list[CandidateTopic]:
    """Group candidate documents into candidate new topics, largest first.

    Parameters
    ----------
    doc_ids, embeddings (n, dim), texts : the candidate documents (sorted by doc_id).
    centroids : (n_topics, dim) the map's topics, to report the nearest existing one.
    max_cohesion : a cluster is kept when its members' mean distance to its own centroid is at most this
        (callers pass the map's median fitted distance: as tight as a typical topic).
    min_size : smallest reported cluster.
    """
    n = len(doc_ids)
    if n < max(min_size, 2):
        return []
    if n > MAX_CANDIDATES_CLUSTERED:  # keep the newest-looking end deterministically: highest doc_ids
        doc_ids, embeddings, texts = (doc_ids[-MAX_CANDIDATES_CLUSTERED:], embeddings[-MAX_CANDIDATES_CLUSTERED:],
                                      texts[-MAX_CANDIDATES_CLUSTERED:])
        n = MAX_CANDIDATES_CLUSTERED
    k = max(1, min(n // max(min_size, 1), round(n / CANDIDATE_DOCS_PER_CLUSTER)))
    model = KMeansTopics(n_topics=k, seed=seed, minibatch=False).fit(embeddings)
    labels = model.labels_
    own = 1.0 - np.einsum("ij,ij->i", embeddings, model.centroids_[labels])
    kept = []
    for c in range(len(model.centroids_)):
        members = np.nonzero(labels == c)[0]
        cohesion = float(own[members].mean()) if len(members) else 1.0
        if len(members) >= min_size and cohesion <= max_cohesion:
            kept.append((c, members, cohesion))
    if not kept:
        return []
    matrix, phrases = document_phrase_matrix(texts, min_df=2)
    weights = class_tfidf(matrix, labels, len(model.centroids_))
    keyphrases = top_keyphrases(weights, phrases, n=10)
    near_idx, near_dist = nearest_centroid(model.centroids_, centroids)
    out = [CandidateTopic(label_from_keyphrases(keyphrases[c]), keyphrases[c], [doc_ids[i] for i in members],
                          int(near_idx[c]), float(near_dist[c]), cohesion) for c, members, cohesion in kept]
    out.sort(key=lambda t: (-len(t.doc_ids), t.doc_ids[0]))
    log.info("candidates: %d documents → %d candidate topics", n, len(out))
    return out
