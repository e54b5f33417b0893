"""Porter/Carley EScore on real abstracts: the deep-learning vocabulary emerges, established terms do not."""
from __future__ import annotations

import numpy as np

from frontierwatch.signals.escore import TermIndex, term_emergence, topic_escore


def _index(frame) -> TermIndex:
    return TermIndex.from_texts(frame["doc_id"], frame["text"], frame["year"], [c[0] for c in frame["categories"]])


def test_emergent_terms_as_of_2016(field_frame):
    terms = _index(field_frame)
    escore = term_emergence(terms, 2016)
    assert escore[TermIndex.column("convolutional neural")] > 0
    assert escore[TermIndex.column("deep learning")] > 0
    assert escore[TermIndex.column("quantum computing")] == 0        # established long before the window
    assert (escore >= 0).all() and 0 < (escore > 0).sum() < 5000


def test_escore_reads_only_documents_up_to_the_year(field_frame):
    terms = _index(field_frame)
    early = np.asarray(field_frame["year"]) <= 2014
    assert np.array_equal(term_emergence(terms, 2014), term_emergence(terms.subset(np.flatnonzero(early)), 2014))


def test_machine_learning_topic_owns_the_emergent_terms(field_frame):
    terms = _index(field_frame)
    topic = np.asarray(field_frame["topic_id"])
    parts = topic_escore(terms, topic, 3, 2016, term_emergence(terms, 2016))
    ml, quantum, networks = parts["escore_owned"]
    assert ml > quantum and ml > networks
    assert 0 <= parts["escore_share"].min() and parts["escore_share"].max() <= 1


def test_one_score_cache_for_the_same_documents_and_their_subsets(field_frame):
    """The signals stage and the forecast index the same documents: one hashing, one score per year, shared with
    the forecast's cuts of the corpus — and the shared scores are the ones a fresh index gives."""
    from frontierwatch.signals.compute import compute_topic_signals

    first, again = _index(field_frame), _index(field_frame)
    assert again.matrix is first.matrix and again.scores is first.scores
    frame = {k: field_frame[k] for k in field_frame}
    compute_topic_signals(frame, terms=first)  # fills the shared cache for every year
    assert set(first.scores) == set(range(int(np.min(field_frame["year"])), int(np.max(field_frame["year"])) + 1))
    early = np.flatnonzero(np.asarray(field_frame["year"]) <= 2014)
    cut = first.subset(early)
    assert cut.scores is first.scores
    fresh = TermIndex(cut.doc_ids, cut.matrix.copy(), cut.years, cut.community)
    assert np.array_equal(cut.scores[2014], term_emergence(fresh, 2014))
    other = TermIndex.from_texts(field_frame["doc_id"], field_frame["text"], field_frame["year"],
                                 ["x"] * len(field_frame["year"]))  # other communities: other scores
    assert other.matrix is first.matrix and other.scores is not first.scores
