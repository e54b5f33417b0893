"""The topic model contract, keyphrase labels, identity matching and layout on real vectors."""
from __future__ import annotations

import numpy as np
import pytest

from frontierwatch.embed import load_embeddings
from frontierwatch.errors import InputError
from frontierwatch.topics import (KMeansTopics, PreviousMap, TopicModel, assign_topic_ids, candidate_phrases,
                                  class_tfidf, default_n_topics, document_phrase_matrix, top_keyphrases, topic_layout)
from frontierwatch.topics.quality import npmi_coherence, topic_ami


def test_default_topic_count_scales_with_corpus():
    assert default_n_topics(307_699) == 1538
    assert 100 <= default_n_topics(25_000) <= 300
    assert default_n_topics(10) == 2


def test_kmeans_contract_and_quality(topic_store):
    ids, x = load_embeddings(topic_store)
    model = KMeansTopics(n_topics=8, seed=0)
    assert isinstance(model, TopicModel) and not hasattr(model, "labels_")
    with pytest.raises(InputError, match="not fitted"):
        model.predict(x)
    assert model.fit(x) is model and model.centroids_.shape == (8, x.shape[1])
    labels, dist = model.predict(x)
    assert (labels == model.labels_).all() and (dist >= 0).all()
    cats = [r[0] for r in topic_store.con.execute(
        "SELECT primary_category FROM documents WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id", [ids]).fetchall()]
    assert topic_ami(cats, labels) > 0.3  # eight real arXiv categories are recovered well above chance
    with pytest.raises(InputError, match="n_docs=3 should be >= n_topics=8"):
        KMeansTopics(n_topics=8).fit(x[:3])


def test_keyphrases_are_multiword_and_coherent(topic_store):
    assert "graph neural network" in candidate_phrases("A graph neural network for drug discovery.")
    assert "state art" not in candidate_phrases("the state of the art")
    texts = [r[0] + ". " + r[1] for r in topic_store.con.execute(
        "SELECT title, abstract FROM documents ORDER BY doc_id").fetchall()]
    cats = [r[0] for r in topic_store.con.execute("SELECT primary_category FROM documents ORDER BY doc_id").fetchall()]
    classes = np.unique(cats, return_inverse=True)[1]
    matrix, phrases = document_phrase_matrix(texts)
    kp = top_keyphrases(class_tfidf(matrix, classes, classes.max() + 1), phrases, n=10)
    assert any(" " in p for k in kp for p, _ in k[:5])
    assert all(k[0][1] >= k[-1][1] for k in kp)
    assert npmi_coherence(texts, [[p for p, _ in k] for k in kp]) > 0.1


def test_identity_matching_and_lineage_events():
    rng = np.random.default_rng(0)
    centroids = rng.normal(size=(3, 8)).astype(np.float32)
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    docs = np.array([f"d{i:03d}" for i in range(90)], dtype=object)
    prev = PreviousMap(1, ["T00001", "T00002", "T00003"], centroids, docs, np.repeat([0, 1, 2], 30))
    # New map: topic 0 unchanged, topic 1 split in two halves, topic 2 gone, plus a cluster of new docs.
    new_docs = np.concatenate([docs[:60], np.array([f"n{i:03d}" for i in range(20)], dtype=object)])
    labels = np.array([0] * 30 + [1] * 15 + [2] * 15 + [3] * 20)
    new_centroids = np.vstack([centroids[0], centroids[1], centroids[1], -centroids[0]])
    ids, lineage = assign_topic_ids(new_docs, labels, new_centroids, prev, next_number=4)
    assert ids[0] == "T00001" and ids[1] == "T00002" and ids[2] == "T00004" and ids[3] == "T00005"
    events = {(r.topic_id, r.prev_topic_id, r.event) for r in lineage}
    assert ("T00001", "T00001", "continues") in events
    assert ("T00004", "T00002", "split") in events
    assert ("T00005", None, "born") in events
    assert (None, "T00003", "died") in events


def test_layout_is_deterministic_and_scaled(topic_store):
    _, x = load_embeddings(topic_store)
    centroids = KMeansTopics(n_topics=10, seed=0).fit(x).centroids_
    a, b = topic_layout(centroids), topic_layout(centroids)
    assert a.shape == (10, 2) and np.array_equal(a, b) and np.abs(a).max() == pytest.approx(1.0)
