"""Need validation and the zh↔en term bridge (committed glossary + taxonomy seed terms)."""
from __future__ import annotations

import pytest

from frontierwatch.errors import InputError
from frontierwatch.match import MAX_NEED_CHARS, detect_language, load_glossary, parse_need


def test_glossary_has_a_few_hundred_unique_terms():
    glossary = load_glossary()
    assert len(glossary) >= 300
    assert glossary["无人机"][0] == "uav"
    assert all(ens and all(e == e.lower() for e in ens) for ens in glossary.values())


def test_chinese_need_is_bridged_to_english_terms():
    need = parse_need("无人机巡检")
    assert need.language == "zh"
    assert "uav" in need.english and "inspection" in need.english
    assert need.zh_terms() == ["无人机", "巡检"]
    assert "space" in need.directions  # 无人机 is a seed term of the taxonomy's space direction


def test_general_words_do_not_dilute_the_bridge():
    need = parse_need("固态电池量产")
    assert need.english.startswith("solid-state battery")
    assert [p.general for p in need.terms] == [False, True]


def test_english_need_is_bridged_to_chinese():
    need = parse_need("Predictive maintenance of wind turbines using vibration sensors")
    assert need.language == "en"
    assert need.english.startswith("Predictive maintenance")
    assert {"预测性维护", "振动"} <= set(need.zh_terms())


def test_language_detection_and_override():
    assert detect_language("固态电池 solid-state battery 量产") == "zh"
    assert detect_language("5G base station with 太赫兹 links for factories") == "en"
    assert parse_need("量子计算", lang="en").language == "en"


@pytest.mark.parametrize("text", ["", "   ", "x" * (MAX_NEED_CHARS + 1)])
def test_empty_or_too_long_need_is_a_bilingual_input_error(text):
    with pytest.raises(InputError) as err:
        parse_need(text)
    assert err.value.en != err.value.zh and any("\u4e00" <= c <= "\u9fff" for c in err.value.zh)


def test_bad_language_is_an_input_error():
    with pytest.raises(InputError, match="lang="):
        parse_need("quantum computing", lang="fr")


def test_the_names_glossary_bridges_words_the_matchmaking_glossary_lacks():
    from frontierwatch.match.need import parse_need

    need = parse_need("电网暂态稳定性评估")
    sources = {p.zh: p.source for p in need.terms}
    assert sources.get("稳定性") == "names-glossary" and "stability" in need.english
    assert "stability" not in parse_need("电网暂态稳定性评估", use_names=False).english


def test_a_shared_part_of_a_term_is_named_as_the_part():
    from frontierwatch.match.facts import shared_terms
    from frontierwatch.match.need import parse_need

    need = parse_need("量子密钥分发用于银行网络安全")
    assert shared_terms(need, ["quantum key distribution"])[0]["zh"] == "量子密钥分发"
    part = shared_terms(need, ["estimation", "distribution"])  # only the word "distribution" is shared
    assert part == [{"en": "distribution", "zh": "分布", "in": "distribution"}]
    # a part without Chinese of its own is not named on a Chinese need (no bare English word on a zh page)
    assert shared_terms(parse_need("深度学习"), ["deep"]) == []
