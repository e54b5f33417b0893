"""Document evidence for topic ranking: the need searched over every document's title and abstract, and each topic
scored by the documents of it that rank highest.

Why: a topic's keyphrases are ten words for hundreds of papers; a need about "sepsis", "hyperspectral" imagery or
"catalysts" shares no keyphrase with the topic whose papers treat exactly that. Here the need's terms (its own
words, their glossary translations and its Chinese words) are scored by BM25 over the search stage's in-memory
index (`frontierwatch.search.postings`, no second index), the `DEPTH` best documents vote for their topic with
their BM25 score (CombSUM of the top documents, Fox & Shaw 1994), and each topic's votes are the scorer's value.
A store without a search index has no document evidence: the scorer is then left out and the method says so.
"""
from __future__ import annotations

import logging

import numpy as np

from frontierwatch.match.need import Need
from frontierwatch.match.queries import map_documents
from frontierwatch.match.topic_index import TopicIndex
from frontierwatch.text import search_terms

log = logging.getLogger(__name__)

DEPTH = 30
_DOC_TOPICS: dict[tuple, np.ndarray] = {}


def need_search_terms(need: Need) -> list[str]:
    """Search terms of the need: its text, the English of every bridged term and the Chinese of every bridged
    term (documents may be Chinese, e.g. CSL abstracts), each term once."""
    parts = [need.text] + need.english_terms() + need.zh_terms()
    return list(dict.fromkeys(t for part in parts for t in search_terms(part)))


def _postings(store):
    from frontierwatch.search.postings import load_postings
    from frontierwatch.search.queries import latest_map_id, read_meta

    fingerprint = read_meta(store).get("fingerprint")
    if not fingerprint:
        return None
    return load_postings(store, f"{fingerprint}:{latest_map_id(store)}")


def _document_topics(store, index: TopicIndex, postings) -> np.ndarray:
    """Row of each indexed document's topic in ``index`` (-1 when it has none in that map), cached per map and
    search index."""
    key = (str(store.path.resolve()), index.map_id, postings.fingerprint)
    got = _DOC_TOPICS.get(key)
    if got is None:
        row_of = {tid: i for i, tid in enumerate(index.ids)}
        topic_of = {doc: row_of.get(tid, -1) for doc, tid in map_documents(store, index.map_id, index.as_of)}
        got = np.fromiter((topic_of.get(d, -1) for d in postings.doc_ids), dtype=np.int32, count=postings.n)
        _DOC_TOPICS.clear()
        _DOC_TOPICS[key] = got
    return got


def document_votes(store, index: TopicIndex, need: Need, depth: int | None = None) -> np.ndarray | None:
    """Per topic of `index`, the summed BM25 of its documents among the `depth` best for the need (0 for a topic
    with none); None when the store has no search index."""
    postings = _postings(store)
    if postings is None or not postings.n:
        return None
    terms = [t for t in need_search_terms(need) if t in postings.terms]
    votes = np.zeros(len(index.ids), dtype=np.float64)
    if not terms:
        return votes
    rows = np.unique(np.concatenate([postings.docs(t) for t in terms]))
    scores = postings.bm25(rows, terms)
    topics = _document_topics(store, index, postings)[rows]
    keep = topics >= 0
    rows, scores, topics = rows[keep], scores[keep], topics[keep]
    best = np.lexsort((rows, -scores))[:depth or DEPTH]
    np.add.at(votes, topics[best], scores[best])
    return votes
