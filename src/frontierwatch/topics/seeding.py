"""k-means++ seeding for the topic model: scikit-learn's own algorithm, without its per-call overhead.

Why: `sklearn.cluster._kmeans._kmeans_plusplus` on float32 rows computes every candidate's distances through
``euclidean_distances``'s float32 path, which re-casts the *whole* seeding sample to float64 and re-computes its
norms in chunks of ~900 rows at each of the k steps. For a 1,500-topic map that is most of a fit's time. Here
the sample is cast and its norms computed once; each step then does exactly what the library's step does —
the same random draws in the same order, the same float64 dot products cast to float32, the same float32
potentials — so the seeds, and therefore the fits, are the library's bit for bit
(`tests/topics/test_seeding.py` compares them on real embeddings).

It is passed to `MiniBatchKMeans` as a callable ``init``, which the library calls with the same random state and
sample it would have seeded from.
"""
from __future__ import annotations

import numpy as np


def kmeans_plusplus(X: np.ndarray, n_clusters: int, random_state: np.random.RandomState) -> np.ndarray:
    """Greedy k-means++ centers of `X` (float32 rows, unit sample weights), drawing from `random_state` exactly
    as scikit-learn's ``_kmeans_plusplus`` does (``n_local_trials = 2 + ln k``)."""
    X = np.asarray(X)
    n_samples, n_features = X.shape
    weight = np.ones(n_samples, dtype=X.dtype)  # what KMeans passes for "no sample weights"
    centers = np.empty((n_clusters, n_features), dtype=X.dtype)
    n_local_trials = 2 + int(np.log(n_clusters))
    wide = X.astype(np.float64)
    wide_norms = np.einsum("ij,ij->i", wide, wide)[None, :]

    def distances(rows: np.ndarray) -> np.ndarray:
        """Squared distances of X[rows] to every row, as the library's float32 path gives them."""
        picked = wide[rows]
        d = -2 * (picked @ wide.T)
        d += np.einsum("ij,ij->i", picked, picked)[:, None]
        d += wide_norms
        d = d.astype(np.float32, copy=False)
        return np.maximum(d, np.float32(0), out=d)

    first = random_state.choice(n_samples, p=weight / weight.sum())
    centers[0] = X[first]
    closest = distances(np.array([first]))
    potential = closest @ weight
    for c in range(1, n_clusters):
        draws = random_state.uniform(size=n_local_trials) * potential
        candidates = np.searchsorted(np.cumsum(weight * closest), draws)
        np.clip(candidates, None, closest.size - 1, out=candidates)
        to_candidates = distances(candidates)
        np.minimum(closest, to_candidates, out=to_candidates)
        candidate_potentials = to_candidates @ weight.reshape(-1, 1)
        best = np.argmin(candidate_potentials)
        potential = candidate_potentials[best]
        closest = to_candidates[best]
        centers[c] = X[candidates[best]]
    return centers
