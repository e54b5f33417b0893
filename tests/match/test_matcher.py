"""`match_need` on a small real topic map: cross-lingual matching, the why of every result, determinism."""
from __future__ import annotations

from datetime import datetime

import pytest

from frontierwatch.errors import InputError
from frontierwatch.match import match_need, topic_linker


def _keyphrase_words(topic: dict) -> str:
    return " ".join(topic["keyphrases"] + [topic["label"]])


def test_chinese_need_finds_english_topic(match_store):
    result = match_need(match_store, "托卡马克装置等离子体不稳定性控制", top=3)
    assert result["language"] == "zh"
    assert "plasma" in _keyphrase_words(result["topics"][0])
    assert any(m["zh"] == "等离子体" for m in result["topics"][0]["why"]["matched_terms"])
    result = match_need(match_store, "银行需要量子密钥分发方案", top=3)
    assert any("quantum" in _keyphrase_words(t) for t in result["topics"][:2])


def test_every_result_has_its_why(match_store):
    result = match_need(match_store, "quantum key distribution for secure bank networks", top=5)
    assert set(result) == {"query", "language", "good_match", "topics", "documents", "institutions", "achievements",
                           "method"}
    assert result["method"]["name"] == "bridge+documents" and result["good_match"] is True
    strengths = [t["strength"] for t in result["topics"]]
    assert all(0 <= s <= 1 for s in strengths) and len(set(strengths)) > 1  # differentiated, unlike fused ranks
    for topic in result["topics"]:
        why = topic["why"]
        assert set(why) == {"matched_terms", "similarity", "readiness", "direction"}
        assert {"static", "bm25"} <= set(why["similarity"]) <= {"static", "bm25", "documents"}
        assert why["readiness"] == {"computed": False, "note": why["readiness"]["note"]}  # never invented
        assert "not computed" in why["readiness"]["note"]["en"]
    assert result["documents"] and all({"topic_id", "similarity", "matched_terms"} <= set(d["why"])
                                       for d in result["documents"])
    assert result["method"]["institutions_are"] == "team"  # arXiv has no affiliations, and the result says so
    assert any("no affiliations" in note for note in result["method"]["notes"])
    assert result["institutions"] and result["institutions"][0]["why"]["doc_ids"]
    assert result["achievements"] == []


def test_approved_achievements_are_matched(match_store):
    now = datetime(2024, 1, 1)
    rows = [(1, "approved", "量子密钥分发网络设备", "城域量子保密通信网络的密钥分发终端", "information", 7),
            (2, "approved", "Plasma torch for waste treatment", "Thermal plasma gasification unit", "energy", 5),
            (3, "pending", "量子密钥分发芯片", "未审核", "information", 4)]
    for item_id, status, title, body, direction, trl in rows:
        match_store.users.execute(
            "INSERT INTO hall_items (item_id, kind, status, title, body, direction, trl, organisation, submitter_id, "
            "created, updated) VALUES (?, 'achievement', ?, ?, ?, ?, ?, 'Lab', 1, ?, ?)",
            [item_id, status, title, body, direction, trl, now, now])
    result = match_need(match_store, "quantum key distribution", top=5)
    ids = [a["item_id"] for a in result["achievements"]]
    assert ids[0] == 1 and 3 not in ids  # the approved Chinese achievement first; pending ones never shown
    assert result["achievements"][0]["why"]["trl"] == 7


def test_match_is_deterministic(match_store):
    first = match_need(match_store, "脑机接口运动想象解码", top=5)
    second = match_need(match_store, "脑机接口运动想象解码", top=5)
    first["method"].pop("seconds"), second["method"].pop("seconds")
    assert first == second


def test_topic_vectors_are_cached_in_the_store(match_store):
    match_need(match_store, "neural decoding", top=2, method="fusion")
    n, maps = match_store.con.execute("SELECT count(*), count(DISTINCT map_id) FROM match_topic_vectors").fetchone()
    assert n == 12 and maps == 1


def test_bad_top_is_an_input_error(match_store):
    with pytest.raises(InputError):
        match_need(match_store, "plasma", top=0)


def test_topic_linker_gives_reasons(match_store):
    links = topic_linker(match_store, top=3)({"title": "Tokamak plasma control", "description": "fusion reactor"})
    assert len(links) == 3 and "shared terms" in links[0]["reason"]


@pytest.mark.parametrize("text", ["asdf qwer zxcv", "des la und", "我想吃火锅", "hello world"])
def test_nonsense_gets_no_good_match_and_says_so(match_store, text):
    result = match_need(match_store, text, top=5)
    assert result["good_match"] is False and result["topics"] == [] and result["documents"] == []
    assert result["institutions"] == [] and not result["achievements"]
    assert any("no good match" in note and "没有合适的匹配" in note for note in result["method"]["notes"])
