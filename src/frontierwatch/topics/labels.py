"""Keyphrase labels for topics: class-based TF-IDF over candidate phrases of 1–3 words.

Candidate phrases are runs of content words between stop words and punctuation (the RAKE idea), so
"state of the art" never becomes "state art" and "graph neural network" survives whole. A term counts once
per document (binary), so one verbose abstract cannot name its topic. Weight of phrase p in topic c
(BERTopic's c-TF-IDF): ``df(p, c) / n_docs(c) * log(1 + A / df(p))`` with A the mean number of
phrase occurrences per topic.

Candidate phrases and the phrase matrix are built in `topics.phrases`; words, stop words (en + zh) and
Chinese segmentation come from `frontierwatch.text`.
"""
from __future__ import annotations

import logging

import numpy as np
from scipy import sparse

from frontierwatch.text import singular
from frontierwatch.topics.phrases import candidate_phrases, phrase_matrix

log = logging.getLogger(__name__)

__all__ = ["candidate_phrases", "class_tfidf", "document_phrase_matrix", "label_from_keyphrases", "top_keyphrases"]


def document_phrase_matrix(texts: list[str], min_df: int = 3, vocabulary=None):
    """Binary document × phrase matrix of `candidate_phrases`: ``(csr (n_docs, n_phrases), phrases array)``.

    Phrases held by fewer than `min_df` documents are dropped (all kept columns sorted), or exactly the
    columns of `vocabulary`; built by the array path of `topics.phrases`.
    """
    return phrase_matrix(texts, min_df=min_df, vocabulary=vocabulary)


def class_tfidf(doc_phrases: sparse.csr_matrix, classes: np.ndarray, n_classes: int) -> sparse.csr_matrix:
    """c-TF-IDF weights (n_classes, n_phrases) from a binary doc × phrase matrix and class per doc."""
    n_docs = doc_phrases.shape[0]
    onehot = sparse.csr_matrix((np.ones(n_docs, dtype=np.float64), (classes, np.arange(n_docs))),
                               shape=(n_classes, n_docs))
    df_class = (onehot @ doc_phrases).tocsr().astype(np.float64)       # docs of class c holding phrase p
    class_size = np.asarray(onehot.sum(axis=1)).ravel()
    df_all = np.asarray(df_class.sum(axis=0)).ravel()
    mean_per_class = df_all.sum() / max(n_classes, 1)  # BERTopic's A: mean phrase occurrences per class
    idf = np.log1p(mean_per_class / np.maximum(df_all, 1))
    tf = sparse.diags(1.0 / np.maximum(class_size, 1)) @ df_class
    return (tf @ sparse.diags(idf)).tocsr()


def _singular(phrase: str) -> str:
    """Crude English singular per word ("networks" → "network"), only to spot near-duplicate phrases."""
    return " ".join(singular(w, ies=False) for w in phrase.split())


def top_keyphrases(weights: sparse.csr_matrix, phrases: np.ndarray, n: int = 10) -> list[list[tuple[str, float]]]:
    """The `n` best phrases of each class; a phrase inside a better one is dropped, one holding a better
    one replaces it (so "neural network" beats "neural" without losing its rank)."""
    out = []
    for row in range(weights.shape[0]):
        start, end = weights.indptr[row], weights.indptr[row + 1]
        idx, vals = weights.indices[start:end], weights.data[start:end]
        order = np.lexsort((idx, -vals))  # weight desc, then phrase index for determinism
        chosen: list[tuple[str, float]] = []
        for j in order[: 20 * n]:
            phrase = str(phrases[idx[j]])
            padded = f" {_singular(phrase)} "
            if any(padded in f" {_singular(c)} " for c, _ in chosen):
                continue
            inside = [i for i, (c, _) in enumerate(chosen) if f" {_singular(c)} " in padded]
            if inside:  # a longer phrase holding an already chosen one takes its place
                chosen[inside[0]] = (phrase, chosen[inside[0]][1])
                chosen = [c for i, c in enumerate(chosen) if i not in inside[1:]]
                continue
            chosen.append((phrase, round(float(vals[j]), 6)))
            if len(chosen) == n:
                break
        out.append(chosen)
    return out


def label_from_keyphrases(keyphrases: list[tuple[str, float]], n: int = 3) -> str:
    """Human label: the first `n` keyphrases joined by ' · ' (empty topics get 'unlabelled')."""
    return " · ".join(p for p, _ in keyphrases[:n]) or "unlabelled"
