"""Names from real documents: noun phrases, not keyword lists; Chinese by the glossary or not at all."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from frontierwatch.errors import InputError
from frontierwatch.names import english_name, name_topic, translate
from frontierwatch.names.chinese import _key, join_parts, load_terms
from frontierwatch.names.english import PhraseStats, complete, fold, generic_phrases

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "topics" / "arxiv-topics.jsonl.gz"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def papers() -> list[dict]:
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _texts(papers, *words) -> list[str]:
    return [f"{p['title']}. {p['abstract']}" for p in papers
            if any(w in (p["title"] + " " + p["abstract"]).lower() for w in words)]


def test_fragments_grow_into_the_noun_phrases_the_documents_use(papers):
    stats = PhraseStats.of(_texts(papers, "reinforcement"))
    assert complete(("reinforcement",), stats) == ("reinforcement", "learning")
    assert not stats.noun_like("reinforcement") and stats.noun_like("learning")
    quantum = PhraseStats.of(_texts(papers, "quantum"))
    grown = complete(("quantum",), quantum)
    assert grown is None or grown[-1] != "quantum"        # an adjective never ends a name: grown or dropped


def test_a_name_is_a_short_noun_phrase_not_a_keyword_list(papers):
    texts = _texts(papers, "neural network", "deep learning")
    named = english_name(["neural", "deep", "training", "convolutional", "networks", "layers"], texts)
    assert named["name"] and " · " not in named["name"] and "," not in named["name"]
    assert 1 <= len(named["parts"]) <= 2 and len(named["name"].split()) <= 9
    assert named["name"][0].isupper()
    words = {fold(w) for w in re.findall(r"[a-z]+", named["name"].lower())}
    assert {"neural", "network"} <= words                  # grown from the fragments "neural" and "networks"


def test_redundant_parts_are_not_repeated(papers):
    named = english_name(["robot", "robots", "robotic", "robotics", "grasp"], _texts(papers, "robot"))
    stems = [p.split()[-1][:5] for p in named["parts"]]
    assert len(stems) == len(set(stems))


def test_generic_words_of_a_map_never_name_a_topic(papers):
    by_topic = [_texts(papers, w)[:40] for w in ("quantum", "robot", "network", "graph", "learning", "energy")]
    generic = generic_phrases(by_topic, share=0.1, topics_share=0.5)
    assert ("result",) not in generic      # academic stop words are dropped before counting
    assert any(len(k) == 1 for k in generic)
    named = english_name(["paper", "results", "quantum"], _texts(papers, "quantum"), generic=generic)
    assert named["name"] is None or all(tuple(fold(w) for w in p.lower().split()) not in generic
                                        for p in named["parts"])


def test_translation_uses_the_longest_glossary_entries():
    assert translate("spiking neural networks")["zh"] == "脉冲神经网络"
    assert translate("Unmanned aerial vehicles")["zh"] == "无人机"
    assert translate("wireless sensor networks")["zh"] == "无线传感器网络"
    missing = translate("zorblax grasping")
    assert missing["zh"] is None and missing["missing"] == ["zorblax"]
    pieces = [translate("robotic grasping")["pieces"], translate("robotic manipulation")["pieces"]]
    assert join_parts(pieces) in ("机器人抓取与操作", "机器人抓取与机器人操作")
    assert join_parts([translate("neural networks")["pieces"], translate("neurons")["pieces"]]) == "神经网络与神经元"


def test_glossary_is_well_formed_and_acronyms_keep_their_case():
    terms = load_terms()
    assert len(terms) > 2000
    for key, zh in terms.items():
        # Chinese, or a name kept in its own spelling (5G, MNIST, TensorFlow) — never a lower-case English word
        assert CJK.search(zh) or _key(zh) == key, zh
        assert all(w.isupper() or w[:1].isupper() for w in re.findall(r"[A-Za-z]{2,}", zh)) or zh == "transformer模型", zh


def test_a_bad_glossary_line_is_refused_in_both_languages(monkeypatch, tmp_path):
    from importlib import resources

    from frontierwatch.names import chinese

    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "bad.tsv").write_text("robot\t机器人\nrobots\t机器人\n", encoding="utf-8")
    monkeypatch.setattr(resources, "files", lambda pkg: tmp_path)
    chinese.load_terms.cache_clear()
    try:
        with pytest.raises(InputError) as err:
            chinese.load_terms("bad.tsv")
        assert "line 2" in err.value.en and "listed twice" in err.value.en and "第 2 行" in err.value.zh
    finally:
        chinese.load_terms.cache_clear()


def test_both_names_say_the_same_thing(papers):
    named = name_topic(["robot", "grasping", "robotic", "manipulation"], _texts(papers, "grasp", "robot"))
    assert named["zh_source"] == "glossary" and CJK.search(named["zh"])
    assert len(named["parts"]) == len(named["zh_pieces"])
    for part, pieces in zip(named["parts"], named["zh_pieces"]):
        assert " ".join(fold(w) for w in part.lower().split()) == " ".join(e for e, _ in pieces)


def test_chinese_language_topics_are_named_from_their_chinese_keyphrases():
    named = name_topic(["机器人", "深度学习", "控制"], ["机器人控制。深度学习方法。"], languages={"zh": 9, "en": 1})
    assert named["zh_source"] == "documents" and named["zh"] == "机器人与深度学习"
    assert named["en"] == "Robot and deep learning"
