"""Document evidence on the small real topic map: the need searched over titles and abstracts votes for topics."""
from __future__ import annotations

import numpy as np

from frontierwatch.match import match_need, parse_need
from frontierwatch.match.document_votes import document_votes, need_search_terms
from frontierwatch.match.topic_index import topic_index
from frontierwatch.search import ensure_index, search_documents


def test_without_a_search_index_the_scorer_is_left_out(match_store):
    need = parse_need("tokamak plasma disruption")
    assert document_votes(match_store, topic_index(match_store), need) is None
    result = match_need(match_store, "tokamak plasma disruption", top=3)
    assert result["good_match"] and all("documents" not in t["why"]["similarity"] for t in result["topics"])


def test_best_documents_vote_for_their_topic(match_store):
    ensure_index(match_store)
    index = topic_index(match_store)
    need = parse_need("tokamak plasma disruption")
    votes = document_votes(match_store, index, need)
    assert votes.shape == (len(index.ids),) and (votes >= 0).all() and votes.max() > 0
    # the best document for these words (the search stage's own OR ranking) lies in a topic that got votes
    best_doc = search_documents(match_store, "plasma", limit=1)["results"][0]["doc_id"]
    topic_of_best = match_store.con.execute(
        "SELECT topic_id FROM doc_topics WHERE doc_id = ? AND map_id = ?", [best_doc, index.map_id]).fetchone()[0]
    assert votes[index.ids.index(topic_of_best)] > 0
    plasma_topics = [i for i, kp in enumerate(index.keyphrases) if "plasma" in " ".join(kp[:10])]
    assert plasma_topics and int(np.argmax(votes)) in plasma_topics
    result = match_need(match_store, "tokamak plasma disruption", top=3)
    assert "documents" in result["topics"][0]["why"]["similarity"]


def test_a_chinese_need_searches_its_translations_too():
    terms = need_search_terms(parse_need("托卡马克等离子体破裂"))
    assert "tokamak" in terms and "plasma" in terms and "等离子体" in terms
