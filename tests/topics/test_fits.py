"""Topic fits: one per (as-of date, seed, model, corpus fingerprint), independent of row order, cached in the store."""
from __future__ import annotations

from datetime import date

import numpy as np

from frontierwatch.store import Store
from frontierwatch.topics.fits import FitCache, corpus_fingerprint, fit_topics

AS_OF = date(2019, 12, 31)


def _vectors(store_dir):
    from frontierwatch.embed import load_embeddings

    with Store(store_dir, read_only=True) as store:
        ids, vectors = load_embeddings(store)
    keep = np.linalg.norm(vectors, axis=1) > 0
    return np.asarray(ids, dtype=object)[keep][:1500], vectors[keep][:1500]


def test_a_fit_does_not_depend_on_row_order_and_is_reused_from_the_store(_embedded_store_dir, tmp_path):
    import shutil

    ids, x = _vectors(_embedded_store_dir)
    path = tmp_path / "store"
    shutil.copytree(_embedded_store_dir, path)
    with Store(path) as store:
        cache = FitCache(store)
        first = fit_topics(ids, x, AS_OF, seed=0, n_topics=12, cache=cache)
        assert cache.misses == 1 and first.n_topics == 12
        sizes = np.bincount(first.labels, minlength=12)
        assert np.all(np.diff(sizes) <= 0)                             # largest topic first
        perm = np.random.default_rng(0).permutation(len(ids))
        shuffled = fit_topics(ids[perm], x[perm], AS_OF, seed=0, n_topics=12, cache=FitCache(store))
    assert shuffled.key == first.key
    assert np.array_equal(shuffled.labels, first.labels[perm]) and np.array_equal(shuffled.centroids, first.centroids)
    with Store(path, read_only=True) as store:                        # a later run reads it back, fits nothing
        cache = FitCache(store)
        again = fit_topics(ids, x, AS_OF, seed=0, n_topics=12, cache=cache)
        assert cache.misses == 0 and cache.hits == 1 and np.array_equal(again.labels, first.labels)


def test_the_key_changes_with_what_the_fit_read():
    rng = np.random.default_rng(1)
    ids = np.array([f"d{i:04d}" for i in range(300)], dtype=object)
    x = rng.normal(size=(300, 16)).astype(np.float32)
    cache = FitCache()
    base = fit_topics(ids, x, AS_OF, seed=0, n_topics=5, cache=cache)
    y = x.copy()
    y[7, 0] += 1e-3                                                    # one vector re-embedded
    assert corpus_fingerprint(ids, y) != corpus_fingerprint(ids, x)
    keys = {base.key, fit_topics(ids, y, AS_OF, seed=0, n_topics=5, cache=cache).key,
            fit_topics(ids, x, AS_OF, seed=1, n_topics=5, cache=cache).key,
            fit_topics(ids, x, AS_OF, seed=0, n_topics=6, cache=cache).key,
            fit_topics(ids[:299], x[:299], AS_OF, seed=0, n_topics=5, cache=cache).key}
    assert len(keys) == 5 and cache.misses == 5
