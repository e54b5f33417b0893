"""Topic quality measures used by the benchmark and tests: AMI against reference labels (arXiv primary
categories) and NPMI coherence of keyphrases over document co-occurrence.
"""
from __future__ import annotations

import numpy as np

from frontierwatch.topics.labels import document_phrase_matrix


def topic_ami(reference: list[str], labels: np.ndarray) -> float:
    """Adjusted mutual information between reference classes and topic labels (0 = chance, 1 = same)."""
    from sklearn.metrics import adjusted_mutual_info_score

    return float(adjusted_mutual_info_score(reference, labels))


def npmi_coherence(texts: list[str] | None, topics_terms: list[list[str]], top_n: int = 10,
                   matrix=None, vocab=None) -> float:
    """Mean NPMI of each topic's first `top_n` terms, over documents as co-occurrence windows.

    Terms are matched as candidate phrases of `labels.candidate_phrases` (so multi-word keyphrases count
    as units); a term absent from every document is skipped; a pair never seen together scores -1.
    NPMI(a, b) = log(p(a,b) / (p(a) p(b))) / -log p(a,b), in [-1, 1].
    """
    terms = sorted({t for tt in topics_terms for t in tt[:top_n]})
    if not terms:
        return float("nan")
    if matrix is None:  # else: a binary doc × phrase matrix already built over the same documents
        matrix, vocab = document_phrase_matrix(texts, vocabulary=terms)
    matrix = matrix.astype(np.float32).tocsc()
    column = {t: i for i, t in enumerate(vocab)}
    n = matrix.shape[0]
    scores = []
    for tt in topics_terms:
        cols = [column[t] for t in tt[:top_n] if t in column]
        sub = matrix[:, cols]
        co = (sub.T @ sub).toarray()
        present = [i for i in range(len(cols)) if co[i, i] > 0]
        if len(present) < 2:
            continue
        p = np.diag(co) / n
        pair = []
        for a_i, a in enumerate(present):
            for b in present[a_i + 1:]:
                joint = co[a, b] / n
                pair.append(-1.0 if joint == 0 else
                            (0.0 if joint == 1 else float(np.log(joint / (p[a] * p[b])) / -np.log(joint))))
        scores.append(np.mean(pair))
    return float(np.mean(scores)) if scores else float("nan")
