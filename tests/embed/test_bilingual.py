"""The bilingual static model: English exactly as static-minilm, Chinese in the same space, identity by files."""
import csv
import shutil
from pathlib import Path

import numpy as np
import pytest

from frontierwatch.embed import (
    BilingualStaticEmbedder, document_text, get_embedder, held_out_pairs, retrieval_top1,
)
from frontierwatch.embed.bilingual import MODELS
from frontierwatch.errors import InputError

CSL = Path(__file__).resolve().parents[1] / "samples" / "csl"


def csl_texts() -> list[str]:
    """Title + abstract of the 12 real CSL records committed as samples."""
    def rows(task):
        with open(CSL / task / "dev.tsv", encoding="utf-8", newline="") as fh:
            return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [document_text(ctg[1], dcp[1]) for ctg, dcp in zip(rows("cls_ctg"), rows("cls_dcp"), strict=True)]


def test_english_texts_get_exactly_the_static_minilm_vectors(records):
    texts = [document_text(r["title"], r["abstract"]) for r in records]
    np.testing.assert_allclose(get_embedder().encode(texts), get_embedder("static-minilm").encode(texts), atol=1e-6)


def test_chinese_documents_get_unit_vectors_and_static_minilm_gave_them_little():
    texts = csl_texts()
    bilingual = get_embedder().encode(texts)
    np.testing.assert_allclose(np.linalg.norm(bilingual, axis=1), 1.0, atol=1e-5)
    tokens = get_embedder().tokens(texts[0])
    assert "##姿态控制" in tokens or "姿态控制" in tokens  # a dictionary word, not characters one by one
    assert "rod" in tokens  # Latin inside Chinese text keeps static-minilm's pieces


def test_chinese_lands_next_to_its_english_counterpart():
    embedder = get_embedder()
    zh, en, far = embedder.encode(["锂离子电池正极材料", "cathode materials for lithium-ion batteries",
                                   "galaxy cluster survey"])
    assert zh @ en > zh @ far + 0.2


def test_traditional_and_simplified_script_embed_alike():
    embedder = get_embedder()
    simplified, traditional = embedder.encode(["量子计算与人形机器人", "量子計算與人形機器人"])
    assert simplified @ traditional > 0.99
    assert embedder.tokens("人形機器人")[-1] == "##機器人"


def test_held_out_pairs_are_found_across_languages():
    """The glossary and taxonomy pairs (never used to build the model): measured 0.8+ in bench/multilingual.py."""
    pairs = held_out_pairs()
    assert len(pairs) > 500 and {p.kind for p in pairs} >= {"glossary term", "field description"}
    score = retrieval_top1(get_embedder().encode, pairs)
    assert score["zh_to_en"] > 0.5 and score["en_to_zh"] > 0.5
    assert retrieval_top1(get_embedder("static-minilm").encode, pairs)["zh_to_en"] < 0.1


def test_fingerprint_follows_the_files(tmp_path):
    folder = tmp_path / "static-bilingual"
    shutil.copytree(MODELS / "static-bilingual", folder)
    same = BilingualStaticEmbedder(folder)
    assert same.fingerprint == get_embedder().fingerprint and len(same.fingerprint) == 16
    config = (folder / "config.json").read_text(encoding="utf-8")
    (folder / "config.json").write_text(config.replace('"max_length": 512', '"max_length": 256'), encoding="utf-8")
    assert BilingualStaticEmbedder(folder).fingerprint != same.fingerprint


def test_a_broken_model_folder_says_how_to_rebuild(tmp_path):
    with pytest.raises(InputError, match="lacks config.json, tokenizer.json, zh.safetensors.*build_bilingual_model"):
        BilingualStaticEmbedder(tmp_path)
