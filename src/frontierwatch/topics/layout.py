"""2-D coordinates of topics for the map page, from their centroids alone.

PCA gives a deterministic start (signs fixed so the largest-magnitude loading is positive); a short run of
SMACOF stress majorisation on cosine distances then pulls near topics together without UMAP's compile time
or randomness. Coordinates are scaled into [-1, 1]. Fields sit at the size-weighted mean of their topics.
"""
from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger(__name__)


def _pca_2d(centroids: np.ndarray) -> np.ndarray:
    centred = centroids.astype(np.float64) - centroids.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    comps = vt[:2]
    signs = np.sign(comps[np.arange(len(comps)), np.abs(comps).argmax(axis=1)])
    coords = centred @ (comps * signs[:, None]).T
    if coords.shape[1] < 2:
        coords = np.hstack([coords, np.zeros((len(coords), 2 - coords.shape[1]))])
    return coords


def _scale(coords: np.ndarray) -> np.ndarray:
    coords = coords - coords.mean(axis=0)
    span = np.abs(coords).max()
    return coords / span if span > 0 else coords


def topic_layout(centroids: np.ndarray, max_iter: int = 100, smacof_up_to: int = 4000) -> np.ndarray:
    """(n_topics, 2) coordinates in [-1, 1] from (n_topics, dim) unit centroids. Deterministic.

    Above `smacof_up_to` topics the O(n²) refinement is skipped and PCA alone is used.
    """
    n = len(centroids)
    if n == 0:
        return np.zeros((0, 2))
    if n < 3:
        return _scale(_pca_2d(centroids)) if n == 2 else np.zeros((1, 2))
    start = _pca_2d(centroids)
    if n > smacof_up_to:
        return _scale(start)
    from sklearn.manifold import smacof

    dist = np.clip(1.0 - centroids.astype(np.float64) @ centroids.T.astype(np.float64), 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    dist = (dist + dist.T) / 2
    # SMACOF wants the start on the scale of the distances.
    start = start * (dist.mean() / max(np.linalg.norm(start[:, None] - start[None], axis=2).mean(), 1e-12))
    coords, _ = smacof(dist, n_components=2, init=start, n_init=1, max_iter=max_iter, metric=True,
                       normalized_stress=False)
    return _scale(coords)


def field_positions(coords: np.ndarray, field_of_topic: np.ndarray, sizes: np.ndarray,
                    n_fields: int) -> np.ndarray:
    """(n_fields, 2) size-weighted mean position of each field's topics."""
    out = np.zeros((n_fields, 2))
    weights = np.asarray(sizes, dtype=np.float64)
    for f in range(n_fields):
        mask = field_of_topic == f
        if mask.any():
            out[f] = np.average(coords[mask], axis=0, weights=weights[mask] + 1e-9)
    return out
