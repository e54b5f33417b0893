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
