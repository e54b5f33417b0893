"""The array-built phrase matrix equals the reference (scikit-learn's CountVectorizer over
`candidate_phrases`) on real English abstracts and real Chinese (CSL) titles and abstracts mixed together."""
import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from frontierwatch.embed import document_text
from frontierwatch.topics import candidate_phrases, document_phrase_matrix
from frontierwatch.topics.phrases import phrase_matrix

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def texts() -> list[str]:
    with gzip.open(SAMPLES / "topics" / "arxiv-topics.jsonl.gz", "rt", encoding="utf-8") as fh:
        english = [document_text(r["title"], r["abstract"]) for r in map(json.loads, fh)]
    chinese = [line.split("\t")[1] for task in ("cls_ctg", "cls_dcp")  # titles, then abstracts
               for line in (SAMPLES / "csl" / task / "dev.tsv").read_text(encoding="utf-8").splitlines()]
    # Edge cases met in real corpora: LaTeX math, " - " dashes, line breaks, mixed scripts, nothing at all.
    odd = ["Solid-state $Li_{7}La_3Zr_2O_{12}$ electrolytes - a review", "固态电池 solid-state battery 研究进展",
           "x", "", "the of and", "graph neural\nnetwork - graph neural network"]
    return english[:900] + chinese + odd + english[900:]


def _reference(texts, min_df=3, vocabulary=None):
    vec = CountVectorizer(analyzer=candidate_phrases, binary=True, vocabulary=vocabulary, dtype=np.int32,
                          min_df=1 if vocabulary is not None else min(min_df, max(1, len(texts))))
    return vec.fit_transform(texts).tocsr(), vec.get_feature_names_out()


@pytest.mark.parametrize("min_df", [1, 3])
def test_same_matrix_as_the_reference(texts, min_df):
    want, want_phrases = _reference(texts, min_df)
    got, got_phrases = document_phrase_matrix(texts, min_df=min_df)
    assert list(got_phrases) == list(want_phrases) and len(got_phrases) > 1000
    assert got.shape == want.shape and got.dtype == np.int32 and (got != want).nnz == 0
    assert set(np.unique(got.data)) == {1}
    assert any(" " in p for p in got_phrases) and any("\u4e00" <= p[0] <= "\u9fff" for p in got_phrases)


def test_vocabulary_gives_exactly_those_columns(texts):
    vocabulary = ["graph neural network", "solid-state", "研究进展", "the", "never seen phrase", "quantum"]
    want, _ = _reference(texts, vocabulary=vocabulary)
    got, names = phrase_matrix(texts, vocabulary=vocabulary)
    assert list(names) == vocabulary and got.shape == (len(texts), len(vocabulary))
    assert (got != want).nnz == 0
    counts = np.asarray(got.sum(axis=0)).ravel()
    assert counts[vocabulary.index("the")] == 0 and counts[vocabulary.index("never seen phrase")] == 0
    assert counts[vocabulary.index("graph neural network")] >= 1


def test_empty_and_tiny_inputs():
    matrix, phrases = phrase_matrix([])
    assert matrix.shape == (0, 0) and len(phrases) == 0
    matrix, phrases = phrase_matrix(["the of and"])
    assert matrix.shape == (1, 0)
    matrix, phrases = phrase_matrix(["Quantum dots"], min_df=3)  # min_df is capped at the number of texts
    assert list(phrases) == ["dots", "quantum", "quantum dots"]
