"""The text module: one definition of Chinese characters, one language rule, the tokenisers on real records,
and no copy of them left in the stages."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from frontierwatch.match import parse_need
from frontierwatch.sources.textfile import language_of
from frontierwatch.text import (CHINESE_STOP_WORDS, cjk_runs, chinese_search_words, chinese_words, content_tokens,
                                detect_language, has_cjk, search_terms, stop_words, term_tokens)
from frontierwatch.topics import candidate_phrases

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "samples"


@pytest.fixture(scope="module")
def csl_titles() -> list[str]:
    """Real Chinese paper titles (CSL benchmark, committed sample)."""
    lines = (SAMPLES / "csl" / "cls_ctg" / "dev.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[1] for line in lines]


def test_one_range_of_chinese_characters():
    assert has_cjk("量子") and has_cjk("㐀") and has_cjk("\U00020000") and has_cjk("\uf900")  # URO, ext A, B, compat
    assert not has_cjk("カタカナ") and not has_cjk("한국어") and not has_cjk("，。") and not has_cjk(None)
    assert cjk_runs("5G基站与太赫兹 links，固态电池") == ["基站与太赫兹", "固态电池"]


def test_no_stage_defines_its_own_chinese_range_or_segmenter():
    """Every `一-鿿`-style range and every jieba call lives in `frontierwatch.text` (issue 12 item 4)."""
    offenders = []
    for path in (ROOT / "src" / "frontierwatch").rglob("*.py"):
        if path.parent.name == "text":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"\\u(4e00|3400|9fff)|import jieba|_cjk_words", source):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_one_language_rule_for_needs_queries_and_records(csl_titles):
    assert all(detect_language(t) == "zh" for t in csl_titles)
    assert detect_language("Graph neural networks for drug discovery") == "en"
    assert detect_language("固态电池 solid-state battery 量产") == "zh"
    assert detect_language("5G base station with 太赫兹 links for factories") == "en"
    assert detect_language("") == "en" and detect_language("2019") == "en"
    for text in csl_titles + ["基于LSTM的文本分类", "A review of 锂电池 (lithium battery) recycling in Europe"]:
        assert language_of(text) == detect_language(text) == parse_need(text).language


def test_search_terms_cut_chinese_like_queries_and_fold_english(csl_titles):
    assert search_terms("Lithium batteries and C++ networks") == ["lithium", "battery", "c++", "network"]
    title = csl_titles[0]  # 一种基于平方和优化的飞行器大角度机动镇定控制器设计方法
    terms = search_terms(title)
    assert {"飞行器", "控制器"} <= set(terms) and "基于" not in terms  # function words out, 研究-type words in
    assert "研究" in search_terms("量子计算研究")
    assert search_terms("电") == ["电"]  # a one-character query still finds something
    assert chinese_search_words("人形机器人") == ["人形", "机器人", "机器"]
    assert "人机" not in chinese_search_words("无人机")  # no word that straddles the cut 无人 · 机


def test_keyphrases_leave_out_chinese_boilerplate(csl_titles):
    phrases = [p for t in csl_titles for p in candidate_phrases(t)]
    assert "飞行器" in phrases and "控制器" in phrases
    assert not set(phrases) & CHINESE_STOP_WORDS
    assert CHINESE_STOP_WORDS <= stop_words() and "the" in stop_words() and "propose" in stop_words()


def test_need_words_and_keyphrases_segment_alike(csl_titles):
    for title in csl_titles:
        need = parse_need(title)
        assert list(need.zh_words) == list(dict.fromkeys(chinese_words(title.lower())))


def test_content_and_term_tokens():
    assert content_tokens("Solid-state batteries for 固态电池 in 2019") == ["solid-state", "solid", "state", "batterie",
                                                                          "固态电池"]
    assert term_tokens("The Internet of Things") == ("the", "internet", "of", "thing")
