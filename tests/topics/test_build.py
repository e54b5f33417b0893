"""build_topics on a real store: determinism, as-of without look-ahead, stable ids, lineage, replacement."""
from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from frontierwatch.errors import InputError
from frontierwatch.topics import build_topics, list_topics

N_TOPICS = 12

AS_OF = date(2015, 12, 31)


def _snapshot(store, as_of):
    """Everything the as-of map says about its topics, comparable across stores."""
    rows = store.con.execute(
        """SELECT t.topic_id, t.label, t.size, t.centroid, t.field_id, t.keyphrases, t.x, t.y
           FROM topics t JOIN topic_maps m USING (map_id) WHERE m.as_of = ? ORDER BY t.topic_id""", [as_of]).fetchall()
    fitted = store.con.execute(
        """SELECT doc_id, topic_id FROM doc_topics JOIN topic_maps m USING (map_id)
           WHERE m.as_of = ? AND fitted ORDER BY doc_id""", [as_of]).fetchall()
    return [(r[0], r[1], r[2], np.round(np.array(r[3]), 6).tolist(), r[4], r[5], round(r[6], 6), round(r[7], 6))
            for r in rows], fitted


def test_build_fits_only_dated_on_or_before_as_of(topic_store):
    info = build_topics(topic_store, as_of=AS_OF, n_topics=N_TOPICS)
    n_dated = topic_store.con.execute("SELECT count(*) FROM documents WHERE published <= ?", [AS_OF]).fetchone()[0]
    assert info.n_docs_fit == n_dated and info.n_topics == N_TOPICS
    late_fitted = topic_store.con.execute(
        """SELECT count(*) FROM doc_topics t JOIN documents d USING (doc_id)
           WHERE t.map_id = ? AND t.fitted AND d.published > ?""", [info.map_id, AS_OF]).fetchone()[0]
    assert late_fitted == 0
    assert info.n_docs_assigned == 1504 - n_dated
    sizes = topic_store.con.execute("SELECT sum(size) FROM topics WHERE map_id = ?", [info.map_id]).fetchone()[0]
    assert sizes == n_dated
    listed = list_topics(topic_store, as_of=AS_OF)
    assert listed["as_of"] == "2015-12-31"
    assert all(int(y) <= 2015 for t in listed["topics"] for y in t["counts_by_year"])


def test_same_documents_and_settings_give_identical_map(topic_store):
    build_topics(topic_store, as_of=AS_OF, n_topics=N_TOPICS, seed=3)
    first = _snapshot(topic_store, AS_OF)
    topic_store.con.execute("DELETE FROM topic_lineage; DELETE FROM doc_topics; DELETE FROM topics; "
                            "DELETE FROM topic_fields; DELETE FROM candidate_topics; DELETE FROM topic_maps")
    build_topics(topic_store, as_of=AS_OF, n_topics=N_TOPICS, seed=3)
    assert _snapshot(topic_store, AS_OF) == first


def test_changing_or_deleting_later_documents_leaves_as_of_topics_unchanged(topic_store):
    build_topics(topic_store, as_of=AS_OF, n_topics=N_TOPICS)
    before = _snapshot(topic_store, AS_OF)
    later = [r[0] for r in topic_store.con.execute(
        "SELECT doc_id FROM documents WHERE published > ? ORDER BY doc_id", [AS_OF]).fetchall()]
    # Perturb: delete half of the later papers, rewrite the other half's text (re-embedded), undate one.
    gone, changed = later[::2], later[1::2]
    topic_store.con.execute("DELETE FROM embeddings WHERE doc_id IN (SELECT unnest(?))", [gone])
    topic_store.con.execute("DELETE FROM documents WHERE doc_id IN (SELECT unnest(?))", [gone])
    topic_store.con.execute("UPDATE documents SET title = 'Quantum lasers for network security', "
                            "abstract = 'A completely different text.' WHERE doc_id IN (SELECT unnest(?))", [changed])
    topic_store.con.execute("UPDATE documents SET published = NULL, year = NULL WHERE doc_id = ?", [changed[0]])
    info = build_topics(topic_store, as_of=AS_OF, n_topics=N_TOPICS)
    assert _snapshot(topic_store, AS_OF) == before
    assert info.n_docs_assigned == len(changed)
    undated = topic_store.con.execute("SELECT fitted FROM doc_topics WHERE map_id = ? AND doc_id = ?",
                                      [info.map_id, changed[0]]).fetchone()
    assert undated == (False,)


def test_rebuild_same_as_of_replaces_the_map(topic_store):
    first = build_topics(topic_store, as_of=AS_OF, n_topics=N_TOPICS)
    ids = lambda m: topic_store.con.execute("SELECT topic_id FROM topics WHERE map_id = ? ORDER BY 1", [m]).fetchall()
    first_ids = ids(first.map_id)
    second = build_topics(topic_store, as_of=AS_OF, n_topics=N_TOPICS)
    assert second.map_id != first.map_id
    maps = topic_store.con.execute("SELECT map_id FROM topic_maps").fetchall()
    assert maps == [(second.map_id,)]
    assert topic_store.con.execute("SELECT count(*) FROM topics WHERE map_id = ?", [first.map_id]).fetchone()[0] == 0
    # the ids are kept (matched against the replaced map); with no earlier map there is no lineage, and nothing
    # points at the deleted map
    assert ids(second.map_id) == first_ids and second.prev_map_id is None
    assert topic_store.con.execute("SELECT count(*) FROM topic_lineage").fetchone()[0] == 0


def test_ids_survive_a_later_rebuild_with_lineage(topic_store):
    early = build_topics(topic_store, as_of=AS_OF, n_topics=N_TOPICS)
    late = build_topics(topic_store, as_of=date(2017, 12, 31), n_topics=N_TOPICS + 4)
    assert late.prev_map_id == early.map_id
    old = set(r[0] for r in topic_store.con.execute("SELECT topic_id FROM topics WHERE map_id = ?", [early.map_id]).fetchall())
    new = set(r[0] for r in topic_store.con.execute("SELECT topic_id FROM topics WHERE map_id = ?", [late.map_id]).fetchall())
    assert len(old & new) >= N_TOPICS // 2          # most topics continue under their ids
    assert all(t.startswith("T") and len(t) == 6 for t in new)
    lineage = topic_store.con.execute(
        "SELECT topic_id, prev_topic_id, event, jaccard, cosine FROM topic_lineage WHERE map_id = ?", [late.map_id]).fetchall()
    events = {e for _, _, e, _, _ in lineage}
    assert "continues" in events and events <= {"continues", "split", "merge", "born", "died"}
    for topic, prev, event, jaccard, cosine in lineage:
        if event == "continues":
            assert topic == prev and (jaccard >= 0.3 or cosine >= 0.92)
    # Every new-map topic has at least one lineage row; fresh ids never reuse an old one.
    assert {t for t, _, _, _, _ in lineage if t} == new
    assert not (new - old) & old


def test_no_dated_documents_is_an_input_error(store):
    with pytest.raises(InputError, match="publication date"):
        build_topics(store)
