"""The bilingual embedder's fast tokenising path gives exactly the tokens and vectors of the full tokenizer.

Texts with no character at or above U+2E80 skip the tokenizer's Han-run split (it can find nothing in them);
these tests pin that on every code point below U+2E80, on real English and Chinese abstracts, and on mixed
batches, against the full tokenizer read the way releases before the fast path read it.
"""
import csv
from pathlib import Path

import numpy as np
import pytest

from frontierwatch.embed import document_text, get_embedder
from frontierwatch.embed.bilingual import _FIRST_HAN

CSL = Path(__file__).resolve().parents[1] / "samples" / "csl"

ODD = ["", " ", "Ωmega café naïve ﬁnance Ⅻ ℌ ㎏", "﨑 compatibility ideograph", "⺀ radical", "[UNK] \x00 \u200b\ufeff",
       "Ｆｕｌｌｗｉｄｔｈ ＡＩ", "e\u0301 combining", "😀 emoji and 𝔽𝕣𝕒𝕜𝕥𝕦𝕣", "Ǆ ǅ ǆ İ ß ẞ", "ㄅㄆㄇ bopomofo", "가나다 한국어",
       "カタカナ ひらがな", "〇〆々〻 ideographic marks", "固态电池的研究 solid-state battery 锂离子"]


def csl_texts() -> list[str]:
    """Title + abstract of the real Chinese CSL records committed as samples."""
    with open(CSL / "cls_ctg" / "dev.tsv", encoding="utf-8", newline="") as titles, \
            open(CSL / "cls_dcp" / "dev.tsv", encoding="utf-8", newline="") as abstracts:
        pairs = zip(csv.reader(titles, delimiter="\t", quoting=csv.QUOTE_NONE),
                    csv.reader(abstracts, delimiter="\t", quoting=csv.QUOTE_NONE), strict=True)
        return [document_text(t[1], a[1]) for t, a in pairs]


def reference_ids(embedder, texts):
    """Token ids as the embedder read them before the fast path: the full tokenizer, unknown tokens dropped."""
    cut = embedder.max_length * int(embedder.config.get("median_token_length", 6))
    got = embedder._tokenizer.encode_batch_fast([t[:cut] for t in texts], add_special_tokens=False)
    return [[i for i in e.ids if i != embedder._unk] for e in got]


def reference_encode(embedder, texts):
    """Vectors as releases before the fast path computed them: from `reference_ids`, one sparse mean per batch."""
    from scipy import sparse

    ids = reference_ids(embedder, texts)
    lengths = np.array([len(i) for i in ids], dtype=np.int64)
    flat = np.array([t for i in ids for t in i], dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    weights = np.repeat(1.0 / np.maximum(lengths, 1), lengths).astype(np.float32)
    counts = sparse.csr_matrix((weights, flat, indptr), shape=(len(ids), embedder._token_map.shape[0]))
    out = np.asarray((counts @ embedder._token_map) @ embedder._table, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


@pytest.fixture(scope="module")
def bilingual():
    return get_embedder("static-bilingual")


def test_no_code_point_below_first_han_is_split_as_han(bilingual):
    points = [chr(c) for c in range(1, ord(_FIRST_HAN)) if not 0xD800 <= c < 0xE000]
    texts = ["".join(points[i:i + 300]) for i in range(0, len(points), 300)]
    texts += [" ".join(points[i:i + 300]) for i in range(0, len(points), 300)]
    full = [e.ids for e in bilingual._tokenizer.encode_batch_fast(texts, add_special_tokens=False)]
    plain = [e.ids for e in bilingual._plain.encode_batch_fast(texts, add_special_tokens=False)]
    assert plain == full
    assert sum(map(len, full)) > 5000  # the texts were really tokenised


def test_token_ids_equal_the_full_tokenizer_on_real_and_odd_texts(bilingual, records):
    texts = [document_text(r["title"], r["abstract"]) for r in records] + csl_texts() + ODD
    assert bilingual.token_ids(texts) == reference_ids(bilingual, texts)
    assert bilingual.token_ids(list(reversed(texts))) == reference_ids(bilingual, list(reversed(texts)))
    assert bilingual.token_ids(ODD[-1:]) == reference_ids(bilingual, ODD[-1:])  # a batch of Chinese only


def test_vectors_are_bit_identical_in_any_batch(bilingual, records):
    """Mixed batches (English, Chinese, odd Unicode) give every text the bytes it gets alone."""
    texts = [document_text(r["title"], r["abstract"]) for r in records[:120]] + csl_texts() + ODD
    together = bilingual.encode(texts)
    assert together.tobytes() == reference_encode(bilingual, texts).tobytes()
    alone = np.concatenate([bilingual.encode([t]) for t in texts])
    assert together.tobytes() == alone.tobytes()
    assert np.count_nonzero(np.linalg.norm(together, axis=1)) >= len(texts) - 4  # empty/unknown-only rows are 0
