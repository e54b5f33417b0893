"""The topic model's k-means++ seeding is scikit-learn's, bit for bit, on real embeddings — and so is every fit."""
from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.cluster._kmeans import _kmeans_plusplus
from sklearn.utils.extmath import row_norms

from frontierwatch.embed import load_embeddings
from frontierwatch.topics.model import KMeansTopics, _unit_rows
from frontierwatch.topics.seeding import kmeans_plusplus


def _library_seeds(x: np.ndarray, k: int, seed: int) -> np.ndarray:
    centers, _ = _kmeans_plusplus(x, k, x_squared_norms=row_norms(x, squared=True),
                                  sample_weight=np.ones(len(x), dtype=x.dtype), random_state=np.random.RandomState(seed))
    return centers


def test_seeds_equal_the_librarys(topic_store):
    _, x = load_embeddings(topic_store)
    x = _unit_rows(x)
    for k, seed in ((2, 0), (8, 3), (40, 11)):
        rs = np.random.RandomState(seed)
        ours = kmeans_plusplus(x, k, rs)
        assert np.array_equal(ours, _library_seeds(x, k, seed))
        # the random state is left where the library leaves it, so the steps after seeding draw the same batches
        rs_lib = np.random.RandomState(seed)
        _kmeans_plusplus(x, k, x_squared_norms=row_norms(x, squared=True), sample_weight=np.ones(len(x), np.float32),
                         random_state=rs_lib)
        assert rs.randint(0, 2**31) == rs_lib.randint(0, 2**31)


def test_fits_equal_the_library_seeded_fits(topic_store):
    """Both of the topic model's algorithms, seeded here, end on the library-seeded centroids exactly."""
    _, raw = load_embeddings(topic_store)
    x = _unit_rows(raw)  # what the topic model clusters
    ours = KMeansTopics(n_topics=12, seed=5, minibatch=False).fit(raw)
    lib = KMeans(n_clusters=12, random_state=5, n_init=1, max_iter=50).fit(x)
    assert np.array_equal(ours.centroids_, _refined(x, lib.cluster_centers_))
    ours = KMeansTopics(n_topics=12, seed=5, minibatch=True).fit(raw)
    lib = MiniBatchKMeans(n_clusters=12, random_state=5, batch_size=4096, n_init=1, max_iter=50, max_no_improvement=20,
                          reassignment_ratio=0.001).fit(x)
    assert np.array_equal(ours.centroids_, _refined(x, lib.cluster_centers_))


def _refined(x: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """`KMeansTopics.fit`'s steps after the library's fit, on the library's centroids."""
    from frontierwatch.topics.model import nearest_centroid

    centroids = _unit_rows(centers)
    labels, _ = nearest_centroid(x, centroids)
    used = np.unique(labels)
    if len(used) < len(centroids):
        centroids = centroids[used]
        labels, _ = nearest_centroid(x, centroids)
    sums = np.zeros_like(centroids)
    np.add.at(sums, labels, x)
    return _unit_rows(sums)
