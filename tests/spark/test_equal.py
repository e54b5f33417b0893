"""The Spark engine equals the embedded engine on the demo corpus slice: the same documents, citations by year, keys,
provenance and rejects; the same vectors; for the same centroids the same assignment; identical topic × year counts; the
count-derived signals, the new-term ratio and the EScore aggregates within 1e-9; and the same catalog entries from
`build` + `catalog`."""
from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

AS_OF = date(2012, 12, 31)
N_TOPICS = 16


def _rows(path, table, columns=None, order=("doc_id",)):
    from frontierwatch.store import Store
    with Store(path, read_only=True) as store:
        return store.tables.read(table, columns, order_by=list(order)).to_pylist()


def test_same_documents_citations_keys_provenance_and_rejects(embedded_slice, spark_slice):
    docs = _rows(embedded_slice, "documents")
    assert len(docs) > 7000
    assert _rows(spark_slice, "documents") == docs
    assert _rows(spark_slice, "document_keys", order=("key",)) == _rows(embedded_slice, "document_keys", order=("key",))
    cites = _rows(embedded_slice, "document_citations")
    assert cites, "the slice's OpenAlex works itemise citations by year"
    assert _rows(spark_slice, "document_citations") == cites
    prov = ["doc_id", "source", "file", "line"]
    assert _rows(spark_slice, "provenance", prov, ("file", "line")) == _rows(embedded_slice, "provenance", prov, ("file", "line"))
    rej = ["file", "line", "reason", "raw", "raw_bytes"]
    rejects = _rows(embedded_slice, "rejects", rej, ("file", "line"))
    assert rejects, "the slice holds known bad records (CSL without identifiers, PubMed oddities)"
    assert _rows(spark_slice, "rejects", rej, ("file", "line")) == rejects
    sources = {s for d in docs for s in d["sources"]}
    assert {"arxiv", "openalex", "pubmed", "csl", "uspto"} <= sources


def test_rerun_changes_nothing(spark_slice, store_copy, spark_settings, demo_slice):
    from frontierwatch.core import Observatory

    path = store_copy(spark_slice)
    before = _rows(path, "documents")
    with Observatory(path, spark_settings(path)) as obs:
        summary = obs.ingest(demo_slice)
    assert summary.files == [] and len(summary.unchanged_files) > 5 and summary.accepted == 0
    assert _rows(path, "documents") == before


@pytest.fixture(scope="module")
def mapped(spark_slice, embedded_slice, tmp_path_factory, spark_settings):
    """A copy of each store with vectors (Spark job / embedded runner) and the same fitted map (driver k-means)."""
    import shutil

    from frontierwatch import pipeline
    from frontierwatch.embed import embed_documents
    from frontierwatch.store import Store
    from frontierwatch.topics import build_topics

    root = tmp_path_factory.mktemp("mapped")
    spark_path, emb_path = root / "spark", root / "embedded"
    shutil.copytree(spark_slice, spark_path)
    shutil.copytree(embedded_slice, emb_path)
    settings = spark_settings(spark_path)
    with Store(spark_path) as store:
        n_spark = pipeline.embed(store, settings)
        build_topics(store, AS_OF, n_topics=N_TOPICS)
    with Store(emb_path) as store:
        n_embedded = embed_documents(store)
    return {"spark": spark_path, "embedded": emb_path, "settings": settings, "embedded_n": n_embedded,
            "spark_n": n_spark}


def test_vectors_computed_in_executors_equal_the_embedded_ones(mapped):
    from frontierwatch.embed import load_embeddings
    from frontierwatch.store import Store

    assert mapped["spark_n"] == mapped["embedded_n"] > 7000
    with Store(mapped["spark"], read_only=True) as a, Store(mapped["embedded"], read_only=True) as b:
        ids_a, va = load_embeddings(a)
        ids_b, vb = load_embeddings(b)
        md5 = ["doc_id", "text_md5"]
        assert a.tables.read("embeddings", md5, order_by="doc_id") == b.tables.read("embeddings", md5, order_by="doc_id")
    assert ids_a == ids_b
    assert np.abs(va - vb).max() <= 1e-6


def test_same_centroids_same_assignment_counts_and_signals(mapped):
    from frontierwatch.embed import load_embeddings
    from frontierwatch.signals import build_signals
    from frontierwatch.spark import engine
    from frontierwatch.spark.aggregate import COUNT_SIGNALS
    from frontierwatch.store import Store
    from frontierwatch.topics.model import nearest_centroid
    from frontierwatch.topics.tables import map_centroids, map_row

    with Store(mapped["spark"]) as store:
        m = map_row(store, AS_OF)
        assigned = engine.assign_map(store, mapped["settings"], m["map_id"])
        topic_ids, centroids = map_centroids(store, m["map_id"])
        ids, vectors = load_embeddings(store)
        idx, dist = nearest_centroid(vectors, centroids)
        assert assigned.column("doc_id").to_pylist() == ids
        assert assigned.column("topic_id").to_pylist() == [topic_ids[i] for i in idx]
        # float32 dot products summed in another order (another batch split): equal to float32 precision
        assert np.abs(np.asarray(assigned.column("distance").to_pylist()) - dist).max() <= 1e-5
        stored = store.tables.read("doc_topics", ["doc_id", "topic_id"], where={"map_id": m["map_id"]}, order_by="doc_id")
        mine = dict(zip(ids, assigned.column("topic_id").to_pylist()))
        assert [mine[d] for d in stored.column("doc_id").to_pylist()] == stored.column("topic_id").to_pylist()

        spark_signals = engine.count_signals_of_map(store, mapped["settings"], m["map_id"], m["as_of"])
        terms = engine.term_statistics(store, mapped["settings"], m["map_id"], m["as_of"])
        build_signals(store, AS_OF)  # the embedded signals stage, from the store
        embedded = store.tables.read("topic_signals", where={"map_id": m["map_id"]}, order_by=["topic_id", "year"])
    topic_ids = list(dict.fromkeys(embedded.column("topic_id").to_pylist()))
    years = sorted(set(embedded.column("year").to_pylist()))
    term_signals = terms.topic_term_signals(topic_ids, years, years[0])  # EScore and new terms from Spark's counts
    assert np.nanmax(term_signals["escore_mean"]) > 0 and np.nanmax(term_signals["new_term_ratio"]) > 0
    for name, values in term_signals.items():
        theirs = np.asarray(embedded.column(name).to_pylist(), dtype=np.float64).reshape(len(topic_ids), len(years))
        assert np.array_equal(np.isnan(values), np.isnan(theirs)), name
        assert np.nanmax(np.abs(values - theirs)) <= 1e-9, name
    ours = spark_signals.sort_by([("topic_id", "ascending"), ("year", "ascending")])
    assert ours.column("topic_id").to_pylist() == embedded.column("topic_id").to_pylist()
    assert ours.column("year").to_pylist() == embedded.column("year").to_pylist()
    assert ours.column("count").to_pylist() == embedded.column("count").to_pylist()  # topic × year counts: identical
    assert sum(ours.column("count").to_pylist()) > 3000
    for name in COUNT_SIGNALS:
        for x, y in zip(ours.column(name).to_pylist(), embedded.column(name).to_pylist()):
            assert (x is None or math.isnan(x)) == (y is None or math.isnan(y)), name
            if x is not None and not math.isnan(x):
                assert abs(x - y) <= 1e-9, (name, x, y)


def test_build_with_spark_gives_the_same_catalog(mapped, store_copy, spark_settings):
    """`build --engine spark` (Spark assignment, counts and term statistics over the vectors the Spark embed job
    made) then `catalog` publishes the entries the embedded engine publishes from the same corpus."""
    from frontierwatch.catalog import load_edition
    from frontierwatch.core import Observatory
    from frontierwatch.settings import load_settings

    editions = {}
    for name in ("embedded", "spark"):
        source = mapped[name]
        path = store_copy(source)
        settings = spark_settings(path) if name == "spark" else load_settings(store=path)
        with Observatory(path, settings) as obs:
            obs.build(AS_OF, n_topics=N_TOPICS)
            if name == "spark":
                spark_part = obs.last_build["signals"]["spark"]
                assert spark_part["same_topic"] == spark_part["map_documents"] == spark_part["assigned"] > 7000
            obs.catalog("2012H2", per_field=2, min_size=5, fmt="json")
            edition = load_edition(obs.store, "2012H2")
            editions[name] = {"entries": edition.entries, "directions": edition.directions, "watch": edition.watch,
                              "outside": edition.outside, "outside_risers": edition.outside_risers}
    assert editions["embedded"]["entries"], "the slice's 2012H2 edition lists technologies"
    assert editions["spark"]["directions"] == editions["embedded"]["directions"]
    assert editions["spark"] == editions["embedded"]
