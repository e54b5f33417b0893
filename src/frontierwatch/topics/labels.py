"""Keyphrase labels for topics: class-based TF-IDF over candidate phrases of 1–3 words.

Candidate phrases are runs of content words between stop words and punctuation (the RAKE idea), so
"state of the art" never becomes "state art" and "graph neural network" survives whole. A term counts once
per document (binary), so one verbose abstract cannot name its topic. Weight of phrase p in topic c
(BERTopic's c-TF-IDF): ``df(p, c) / n_docs(c) * log(1 + A / df(p))`` with A the mean number of
phrase occurrences per topic.

Chinese text: with ``jieba`` installed (optional) it is cut into words; otherwise CJK runs yield
character bigrams, which still make usable, if rough, keyphrases.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

import numpy as np
from scipy import sparse

log = logging.getLogger(__name__)

ACADEMIC_STOP_WORDS = frozenset("""
paper papers propose proposed proposes present presents presented show shows shown study studies
studied result results approach approaches method methods based using use used new novel work works
problem problems also however can may well one two three first second different various several
many much via within without among thus therefore furthermore moreover respectively order provide
provides provided obtain obtained obtaining consider considered considering given give gives allow
allows allowing demonstrate demonstrated demonstrates investigate investigated existing recent
recently important significant significantly number large small high low good better best able
including include includes particular particularly general generally make makes made effect effects
introduce introduced finally analysis analyze framework technique techniques performance model models
data system systems paper's et al e g i ie eg
""".split())

_WORD = re.compile(r"[a-z][a-z0-9\-]*[a-z0-9]|[a-z]|[\u4e00-\u9fff]+")
_CHUNK = re.compile(r"[.,;:!?()\[\]{}\"“”'’/|\n\r\t]|\s-\s|\$[^$]*\$|，|。|；|：|、|（|）")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English stop words (scikit-learn's list) plus academic boilerplate words."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | ACADEMIC_STOP_WORDS


@lru_cache(maxsize=1)
def _jieba():
    try:
        import jieba  # optional extra

        jieba.setLogLevel(logging.WARNING)
        return jieba
    except ImportError:
        return None


def _cjk_words(run: str) -> list[str]:
    jieba = _jieba()
    if jieba is not None:
        return [w for w in jieba.lcut(run) if len(w) >= 2]
    return [run[i:i + 2] for i in range(len(run) - 1)] or [run]


def candidate_phrases(text: str, max_words: int = 3) -> list[str]:
    """Distinct candidate keyphrases (1..`max_words` content words, no stop word inside) of a text.

    >>> candidate_phrases("We propose a graph neural network for drug discovery.")
    ['graph', 'graph neural', 'graph neural network', 'neural', 'neural network', 'network', 'drug', 'drug discovery', 'discovery']
    """
    stops = stop_words()
    out: dict[str, None] = {}
    for chunk in _CHUNK.split(text.lower()):
        run: list[str] = []
        for tok in _WORD.findall(chunk) + [""]:
            if tok and _CJK.match(tok):
                for w in _cjk_words(tok):
                    out.setdefault(w, None)
                tok = ""
            if tok and tok not in stops and len(tok) > 1 and not tok.isdigit():
                run.append(tok)
                continue
            for i in range(len(run)):
                for n in range(1, max_words + 1):
                    if i + n <= len(run):
                        out.setdefault(" ".join(run[i:i + n]), None)
            run = []
    return list(out)


def document_phrase_matrix(texts: list[str], min_df: int = 3, vocabulary=None):
    """Binary document × phrase matrix of `candidate_phrases`: ``(csr (n_docs, n_phrases), phrases array)``.

    Phrases held by fewer than `min_df` documents are dropped (all kept columns sorted), or exactly the
    columns of `vocabulary`; built by the array path of `topics.phrases`.
    """
    from frontierwatch.topics.phrases import phrase_matrix

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
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")) else w
                    for w in phrase.split())


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
