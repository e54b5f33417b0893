"""No look-ahead, proven: deleting or altering every document after the cutoff changes nothing as of it."""
from __future__ import annotations

import numpy as np

from frontierwatch.forecast import forecast_as_of, load_corpus, take_snapshot
from frontierwatch.signals import compute_axes
from frontierwatch.store import Store

CUTOFF, HORIZON = 2014, 1
SEED = 2  # on this small corpus, a seed whose walk-forward maps hold enough positives to train (6 ≥ 5)


def _as_of(path):
    """Signals, axes and forecast as of the end of CUTOFF, from whatever the store holds."""
    from frontierwatch.embed import embed_documents

    with Store(path) as store:
        embed_documents(store)                    # altered texts get fresh vectors, as the product would do
        corpus = load_corpus(store)
    snap = take_snapshot(corpus.until(CUTOFF), CUTOFF, seed=SEED)
    forecast, info = forecast_as_of(corpus, CUTOFF, HORIZON, seed=SEED)
    return snap, forecast, info


def _same(a, b):
    snap_a, fc_a, info_a = a
    snap_b, fc_b, info_b = b
    assert snap_a.signals.keys() == snap_b.signals.keys()
    for key in snap_a.signals:
        assert np.array_equal(snap_a.signals[key], snap_b.signals[key], equal_nan=True), key
    assert np.array_equal(snap_a.centroids, snap_b.centroids)
    assert fc_a.equals(fc_b)
    assert info_a == info_b


def test_deleting_and_altering_later_documents_changes_nothing(demo_store_copy):
    before = _as_of(demo_store_copy)
    assert before[1].num_rows > 0 and before[2]["train_cutoffs"] == [2012, 2013] and before[2]["trained"]
    with Store(demo_store_copy) as store:
        later = store.con.execute("SELECT count(*) FROM documents WHERE year > ?", [CUTOFF]).fetchone()[0]
        assert later > 1000
        store.con.execute("""UPDATE documents SET title = 'Quantum deep learning ' || upper(title),
                                 abstract = 'We deploy a new emergent device. ' || reverse(coalesce(abstract, '')),
                                 categories = ['q-bio.GN', 'econ.EM'], primary_category = 'q-bio.GN',
                                 published = make_date(year, 1, 1)
                             WHERE year > ?""", [CUTOFF])
    _same(before, _as_of(demo_store_copy))
    with Store(demo_store_copy) as store:
        store.con.execute("DELETE FROM embeddings WHERE doc_id IN (SELECT doc_id FROM documents WHERE year > ?)", [CUTOFF])
        store.con.execute("DELETE FROM documents WHERE year > ?", [CUTOFF])
    _same(before, _as_of(demo_store_copy))


def test_axes_of_the_cutoff_ignore_later_documents(demo_store_dir):
    from frontierwatch.signals import compute_topic_signals

    with Store(demo_store_dir, read_only=True) as store:
        corpus = load_corpus(store)
    d = corpus.docs
    topic = (np.arange(len(d["doc_id"])) % 7).tolist()        # any fixed assignment will do
    frame = {k: list(d[k]) for k in ("doc_id", "year", "month", "kind", "categories", "text", "cited_by_count",
                                     "institution_types", "primary_category")}
    frame["topic_id"] = topic
    full = compute_axes(compute_topic_signals(frame, years=[CUTOFF]))
    keep = [i for i, y in enumerate(frame["year"]) if y <= CUTOFF]
    trimmed = {k: [v[i] for i in keep] for k, v in frame.items()}
    assert compute_axes(compute_topic_signals(trimmed, years=[CUTOFF])).equals(full)
