"""Traditional and Simplified Chinese are one language to the product (issue 11 item 2): search, needs, the
glossary, taxonomy term matching, keyphrases and document identity fold script; documents keep their text.

Real records: 121 CSL papers (tests/samples/text); the Traditional-script record is made from one of them at
test time with OpenCC's s2t conversion."""
from __future__ import annotations

from pathlib import Path

import opencc
import pytest
from fastapi.testclient import TestClient

from frontierwatch.catalog import load_taxonomy
from frontierwatch.catalog.mapping import match_terms
from frontierwatch.core import Observatory
from frontierwatch.match import load_glossary, parse_need
from frontierwatch.settings import load_settings
from frontierwatch.store.identity import title_key
from frontierwatch.text import chinese_script, search_terms, to_simplified
from frontierwatch.topics import candidate_phrases
from frontierwatch.web import create_app

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "text" / "csl" / "ts" / "dev.tsv"
S2T = opencc.OpenCC("s2t")


def test_folding_and_script_detection():
    assert to_simplified("量子計算") == "量子计算" and to_simplified("人形機器人") == "人形机器人"
    assert to_simplified("graph neural network") == "graph neural network"
    assert chinese_script("量子計算") == "hant" and chinese_script("量子计算") == "hans"
    assert chinese_script("量子") == "hans" and chinese_script("quantum") is None


@pytest.fixture(scope="module")
def traditional_row() -> tuple[str, str]:
    """(Simplified title, Traditional CSL line) for the first sample record whose title changes under s2t."""
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        prompt, abstract, title = line.split("\t")
        if S2T.convert(title) != title and "机器人" in title + abstract:
            return title, "\t".join((prompt, S2T.convert(abstract), S2T.convert(title)))
    raise AssertionError("no sample record about robots changes script")


@pytest.fixture(scope="module")
def client(tmp_path_factory, traditional_row):
    root = tmp_path_factory.mktemp("script")
    extra = root / "hant" / "ts" / "dev.tsv"
    extra.parent.mkdir(parents=True)
    extra.write_text(traditional_row[1] + "\n", encoding="utf-8")
    with Observatory(root / "store", load_settings(store=root / "store")) as obs:
        obs.ingest([SAMPLE, extra])
        from frontierwatch.search import build_index
        build_index(obs.store)
    obs = Observatory(root / "store", load_settings(store=root / "store"))
    with TestClient(create_app(obs, obs.settings, secret_key="test-secret-key")) as c:
        yield c
    obs.close()


def _found(client, query: str) -> tuple[int, list[str]]:
    got = client.get("/api/v1/search", params={"q": query, "limit": 100}).json()["documents"]
    return got["total"], [d["doc_id"] for d in got["results"]]


@pytest.mark.parametrize("simplified, traditional", [("数据", "數據"), ("网络", "網絡"),
                                                     ("机器人", "機器人"), ("视觉", "視覺")])
def test_traditional_queries_find_what_simplified_queries_find(client, simplified, traditional):
    total, ids = _found(client, simplified)
    assert total > 0
    assert _found(client, traditional) == (total, ids)
    # a whole term the sample lacks is absent in both scripts (every word must be present, not either)
    assert _found(client, "量子计算") == _found(client, "量子計算") == (0, [])


def test_a_traditional_document_keeps_its_text_and_is_found_in_either_script(client, traditional_row):
    simplified_title, line = traditional_row
    hant_title = line.split("\t")[2]
    hits = client.get("/api/v1/search", params={"q": simplified_title, "limit": 5}).json()["documents"]["results"]
    stored = [h["title"] for h in hits]
    assert hant_title in stored and simplified_title in stored  # both records, each in its own script
    hant = next(h for h in hits if h["title"] == hant_title)
    assert client.get(f"/api/v1/documents/{hant['doc_id']}").json()["title"] == hant_title


def test_needs_bridge_alike_in_either_script():
    for simplified in ("人形机器人巡检", "量子计算 药物发现", "固态电池量产"):
        s, t = parse_need(simplified), parse_need(S2T.convert(simplified))
        assert t.text == S2T.convert(simplified) != s.text  # the need keeps what the user wrote
        assert (t.language, t.english, t.terms, t.zh_words, t.directions) == \
               (s.language, s.english, s.terms, s.zh_words, s.directions)
        assert s.terms


def test_glossary_and_taxonomy_terms_match_traditional_text():
    glossary = load_glossary()
    assert all(to_simplified(zh) == zh for zh in glossary)
    humanoid = next(p for p in load_taxonomy().products if p.id == "humanoid-robots")
    score_s, matches_s = match_terms(["人形机器人 控制"], humanoid.terms)
    score_t, matches_t = match_terms(["人形機器人 控制"], humanoid.terms)
    assert score_t == score_s > 0 and matches_t[0]["term"] == "人形机器人"


def test_keyphrases_search_terms_and_identity_fold_script():
    text = "量子计算与人形机器人的发展"
    assert candidate_phrases(S2T.convert(text)) == candidate_phrases(text)
    assert search_terms(S2T.convert(text)) == search_terms(text)
    assert title_key(S2T.convert("基于深度学习的人形机器人步态控制"), 2020) == title_key("基于深度学习的人形机器人步态控制", 2020)


def test_affiliations_in_traditional_script_resolve_like_simplified():
    from frontierwatch.sources.affiliations import china_place, country_of

    simplified = "华南理工大学电子与信息学院，广东省广州市 510640"
    traditional = S2T.convert(simplified)
    assert traditional != simplified
    assert (country_of(traditional), china_place(traditional)) == (country_of(simplified), china_place(simplified)) \
        == ("CN", ("CN-GD", "Guangzhou"))
