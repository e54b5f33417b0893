"""Incremental assignment without refitting, candidate flagging and candidate new topics."""
from __future__ import annotations

from datetime import date

import numpy as np

from frontierwatch.embed import embed_documents, load_embeddings
from frontierwatch.topics import assign_new_documents, build_topics, candidate_topics
from frontierwatch.topics.assign import assign_to_centroids, candidate_distance

N_TOPICS = 12

AS_OF = date(2015, 12, 31)


def test_assign_new_documents_without_refitting(topic_store):
    # Hold the 2016-17 papers back, build, then bring them in as "new" documents.
    topic_store.con.execute("CREATE TABLE held AS SELECT * FROM documents WHERE published > ?", [AS_OF])
    n_later = topic_store.con.execute("SELECT count(*) FROM held").fetchone()[0]
    topic_store.con.execute("DELETE FROM embeddings WHERE doc_id IN (SELECT doc_id FROM documents WHERE published > ?)", [AS_OF])
    topic_store.con.execute("DELETE FROM documents WHERE published > ?", [AS_OF])
    info = build_topics(topic_store, n_topics=N_TOPICS)
    assert info.as_of <= AS_OF and info.n_docs_assigned == 0
    topics_before = topic_store.con.execute("SELECT topic_id, size, centroid FROM topics ORDER BY 1").fetchall()
    topic_store.con.execute("INSERT INTO documents SELECT * FROM held")
    embed_documents(topic_store)  # the core embeds new documents before assigning them (Observatory.update)
    out = assign_new_documents(topic_store, min_candidate_size=3)
    assert out.n_assigned == n_later and out.map_id == info.map_id
    assert topic_store.con.execute("SELECT topic_id, size, centroid FROM topics ORDER BY 1").fetchall() == topics_before
    rows = topic_store.con.execute("SELECT fitted, count(*), sum(candidate_new::INT) FROM doc_topics GROUP BY 1 ORDER BY 1"
                                   ).fetchall()
    assert rows[0][0] is False and rows[0][1] == n_later and rows[0][2] == out.n_candidates
    assert rows[1][2] == 0  # fitted documents are never candidates
    again = assign_new_documents(topic_store)
    assert again.n_assigned == 0
    cands = candidate_topics(topic_store)["candidates"]
    assert len(cands) == out.n_candidate_topics
    for c in cands:
        assert c["size"] >= 3 and c["nearest_topic"].startswith("T") and c["first_published"] > "2015-12-31"


def test_candidate_flag_uses_fitted_percentile(topic_store):
    _, vectors = load_embeddings(topic_store)
    centroids = vectors[:5]
    threshold = candidate_distance(np.array([0.1, 0.2, 0.3, 0.4, 0.5]), percentile=50)
    assert threshold == 0.3
    got = assign_to_centroids(vectors[:20], centroids, threshold)
    assert got.topic_index[:5].tolist() == [0, 1, 2, 3, 4] and np.allclose(got.distance[:5], 0, atol=1e-5)
    assert (got.candidate_new == (got.distance > threshold)).all()
