"""No look-ahead, proven: deleting or altering every document after the cutoff, or the citations they made,
changes nothing as of it."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from frontierwatch.forecast import ForecastCaches, forecast_at, load_corpus, take_snapshot
from frontierwatch.signals import compute_axes
from frontierwatch.store import Store

CUTOFF, HORIZON = 2014, 1
SEED = 2  # on this small corpus, a seed whose walk-forward maps hold enough positives to train (≥ 5)
DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def _as_of(path):
    """Snapshot features and the published forecast as of the end of CUTOFF, from whatever the store holds
    (no cache: everything recomputed from the documents)."""
    from frontierwatch.embed import embed_documents

    with Store(path) as store:
        embed_documents(store)                    # altered texts get fresh vectors, as the product would do
        corpus = load_corpus(store)
    caches = ForecastCaches()
    snap = take_snapshot(corpus.until(CUTOFF), CUTOFF, seed=SEED, caches=caches)
    return snap, forecast_at(corpus, CUTOFF, HORIZON, seed=SEED, caches=caches)


def _same(a, b):
    snap_a, fc_a = a
    snap_b, fc_b = b
    assert snap_a.signals.keys() == snap_b.signals.keys()
    for key in snap_a.signals:
        assert np.array_equal(snap_a.signals[key], snap_b.signals[key], equal_nan=True), key
    assert np.array_equal(snap_a.centroids, snap_b.centroids)
    assert fc_a.columns.keys() == fc_b.columns.keys()
    for key in fc_a.columns:
        assert np.array_equal(fc_a.columns[key], fc_b.columns[key], equal_nan=True), key
    assert fc_a.info | {"seconds": 0} == fc_b.info | {"seconds": 0}


def test_deleting_and_altering_later_documents_changes_nothing(demo_store_copy):
    before = _as_of(demo_store_copy)
    assert before[1].info["train_cutoffs"] == [2012, 2013] and before[1].eligible.sum() > 10
    with Store(demo_store_copy) as store:
        later = store.con.execute("SELECT count(*) FROM documents WHERE year > ?", [CUTOFF]).fetchone()[0]
        assert later > 1000
        store.con.execute("""UPDATE documents SET title = 'Quantum deep learning ' || upper(title),
                                 abstract = 'We deploy a new emergent device. ' || reverse(coalesce(abstract, '')),
                                 categories = ['q-bio.GN', 'econ.EM'], primary_category = 'q-bio.GN',
                                 authors = ['A. Newcomer'], published = make_date(year, 1, 1)
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


# -- citations: an as-of date reads only citations made by then ---------------------------------------------
AS_OF = date(2019, 12, 31)


@pytest.fixture(scope="module")
def cited_store(embedded_store, tmp_path_factory) -> Path:
    """Demo arXiv papers of 2014–2019 and the demo's real OpenAlex works (citations by year, 2017–2023)."""
    src = tmp_path_factory.mktemp("cited")
    for year in range(2014, 2020):
        shutil.copy(DEMO / "arxiv" / f"arxiv-{year}.jsonl.gz", src)
    shutil.copy(DEMO / "openalex" / "works-2022-schema-410.json.gz", src)
    return embedded_store([src])


def _outputs(path):
    """Every as-of output of the store's map as of AS_OF: topic signals and axes rows, and the forecast."""
    from frontierwatch.core import Observatory

    with Observatory(path) as obs:
        obs.build(AS_OF, horizon=1)
        con, m = obs.store.con, [obs.last_build["topics"].map_id]
        signals = con.execute("SELECT * EXCLUDE (map_id) FROM topic_signals WHERE map_id = ? ORDER BY topic_id, year",
                              m).fetchall()
        axes = con.execute("SELECT * EXCLUDE (map_id) FROM topic_axes WHERE map_id = ? ORDER BY topic_id, year",
                           m).fetchall()
        forecasts = con.execute("SELECT * EXCLUDE (map_id) FROM topic_forecasts WHERE map_id = ? ORDER BY topic_id",
                                m).fetchall()
    return tuple(_plain(rows) for rows in (signals, axes, forecasts))


def _plain(rows):
    """NaN → None (NaN never equals itself), maps → sorted items, so equal outputs compare equal."""
    def value(v):
        if isinstance(v, float) and v != v:
            return None
        if isinstance(v, dict):
            return sorted((k, value(x)) for k, x in v.items())
        return v
    return [tuple(value(v) for v in r) for r in rows]


def test_citations_after_the_as_of_date_change_nothing(cited_store, tmp_path):
    path = tmp_path / "store"
    shutil.copytree(cited_store, path)
    before = _outputs(path)
    with Store(path) as store:
        measured = store.con.execute("SELECT count(*) FROM topic_signals WHERE year = ? AND NOT isnan(impact)",
                                     [AS_OF.year]).fetchone()[0]
    assert measured > 0                                           # citations do reach the as-of signals
    with Store(path) as store:
        con = store.con
        dated = con.execute("SELECT count(*) FROM documents JOIN document_citations USING (doc_id) WHERE year <= ?",
                            [AS_OF.year]).fetchone()[0]
        assert dated > 20                                        # real OpenAlex works that count as of 2019
        # every citation after the as-of year: tripled, plus a new year; the totals follow
        _rewrite_citations(con, lambda year, n: n * 3 + 7 if year > AS_OF.year else n, extra={2026: 500})
    after = _outputs(path)
    assert after == before
    # the test can fail: a citation dated on or before the as-of year does change the impact signal
    with Store(path) as store:
        _rewrite_citations(store.con, lambda year, n: n, extra={AS_OF.year - 1: 1000})
    assert _outputs(path)[0] != before[0]


def _rewrite_citations(con, change, extra: dict[int, int]) -> None:
    """Apply `change(year, n)` to every itemised citation count and add `extra`; the total follows."""
    rows = con.execute("SELECT doc_id, cited_by_count, cited_by_year FROM documents "
                       "JOIN document_citations USING (doc_id)").fetchall()
    for doc_id, total, by_year in rows:
        by_year = dict(by_year)
        new = {y: change(y, n) for y, n in by_year.items()}
        for y, n in extra.items():
            new[y] = new.get(y, 0) + n
        total += sum(new.values()) - sum(by_year.values())
        con.execute("UPDATE documents SET cited_by_count = ? WHERE doc_id = ?", [total, doc_id])
        con.execute("UPDATE document_citations SET cited_by_year = MAP(?, ?) WHERE doc_id = ?",
                    [list(new), list(new.values()), doc_id])
