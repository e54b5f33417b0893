"""The walk-forward fits a build starts in a worker are the fits the forecast stage would make, bit for bit."""
from __future__ import annotations

from datetime import date

import numpy as np

from frontierwatch.forecast import build_forecasts, load_corpus
from frontierwatch.forecast.prefit import start_walk_forward
from frontierwatch.store import Store
from frontierwatch.topics.fits import FitCache, fit_topics, stored_fit_keys


def test_worker_fits_equal_in_process_fits_and_the_forecast_reads_them(demo_store_copy, store_copy, demo_store_dir):
    from frontierwatch.topics import build_topics

    with Store(demo_store_copy) as store:
        walk = start_walk_forward(store, date(2015, 12, 31), seed=0, embed_model="static-bilingual", horizon=1,
                                  start=False)
        walk.start()
        assert walk.cutoffs == [2012, 2013, 2014]
        assert walk.collect(store) == 3
        stored = stored_fit_keys(store)
        corpus = load_corpus(store, until_year=2015, model="static-bilingual")
        for t in walk.cutoffs:
            rows = corpus.years <= t
            here = fit_topics(corpus.docs["doc_id"][rows], corpus.embeddings[rows], date(t, 12, 31), 0,
                              embed_model="static-bilingual")
            assert here.key in stored
            worker = FitCache(store).get(here.key, np.sort(corpus.docs["doc_id"][rows].astype(str)).astype(object))
            assert np.array_equal(worker.centroids, here.centroids)
            assert np.array_equal(np.sort(worker.labels), np.sort(here.labels))
        # a second start finds every fit stored: nothing to do
        assert start_walk_forward(store, date(2015, 12, 31), 0, "static-bilingual", 1).cutoffs == []
        build_topics(store, as_of=date(2015, 12, 31), seed=0)
        with_worker = build_forecasts(store, horizon=1, corpus=walk.corpus)
        assert with_worker["train_cutoffs"] == [2012, 2013, 2014]
        published = store.con.execute("SELECT topic_id, probability, rank FROM topic_forecasts ORDER BY topic_id").fetchall()
    # the same forecast from a store where the forecast stage fitted every map itself
    with Store(store_copy(demo_store_dir)) as other:
        build_topics(other, as_of=date(2015, 12, 31), seed=0)
        build_forecasts(other, horizon=1)
        assert other.con.execute("SELECT topic_id, probability, rank FROM topic_forecasts ORDER BY topic_id").fetchall() \
            == published


def test_no_worker_for_a_map_without_forecast(demo_store_copy):
    with Store(demo_store_copy) as store:
        assert start_walk_forward(store, date(2015, 6, 30), 0, "static-bilingual", 3) is None
