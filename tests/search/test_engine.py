"""Search that means what it says: every word, phrases, Chinese words at word boundaries, zh↔en concepts,
honest totals, filters, facets and highlights — on the committed arXiv sample and four real CSL records."""
from __future__ import annotations

import pytest

from frontierwatch.search import ensure_index, parse_query, search_documents
from frontierwatch.sources.ingest import ingest
from frontierwatch.text import chinese_search_words


@pytest.fixture
def indexed(store, arxiv_sample, samples):
    ingest(store, [arxiv_sample, samples / "search" / "csl"])
    ensure_index(store)
    return store


def _ids(store, q, **kw):
    got = search_documents(store, q, limit=100, **kw)
    return got["total"], {r["doc_id"] for r in got["results"]}


def test_chinese_words_are_cut_at_word_boundaries():
    assert "人机" not in chinese_search_words("无人机载线阵摆扫")
    assert {"无人机", "无人"} <= set(chinese_search_words("无人机"))
    assert "人机" in chinese_search_words("人机交互技术")
    assert "计算机" in chinese_search_words("量子计算机")  # a long word stays findable by its parts


def test_a_query_is_concepts_each_in_chinese_or_english():
    q = parse_query('量子计算 "error correction" graph neural network')
    texts = [c.text for c in q.concepts]
    assert texts == ["error correction", "graph neural network", "量子计算"]
    forms = {a.text for a in q.concepts[2].alternatives}
    assert "quantum computing" in forms and any(a.bridged for a in q.concepts[2].alternatives)
    assert "图神经网络" in {a.text for a in q.concepts[1].alternatives}
    assert [c.text for c in parse_query("基于深度学习的故障诊断").concepts] == ["深度学习", "故障诊断"]
    assert [c.text for c in parse_query("超导量子比特").concepts] == ["超导", "量子比特"]  # most covered


def test_every_word_must_be_present_and_totals_are_exact(indexed):
    n_neural, neural = _ids(indexed, "neural")
    n_network, network = _ids(indexed, "network")
    n_both, both = _ids(indexed, "neural network")
    assert 0 < n_both <= min(n_neural, n_network)
    n_phrase, phrase = _ids(indexed, '"neural network"')
    assert 0 < n_phrase <= n_both
    paged = [search_documents(indexed, "neural network", limit=5, offset=o)["results"] for o in range(0, n_both, 5)]
    assert sum(len(p) for p in paged) == n_both  # the total is what paging delivers


def test_chinese_reaches_english_and_human_machine_is_not_a_drone(indexed):
    total, ids = _ids(indexed, "人机")
    titles = {r["title"] for r in search_documents(indexed, "人机", limit=10)["results"]}
    assert total == 1 and any("虚拟现实" in t for t in titles)
    drones = search_documents(indexed, "无人机", limit=100)
    languages = {r["language"] for r in drones["results"]}
    assert {"zh"} <= languages and not any("虚拟现实" in r["title"] for r in drones["results"])
    english = search_documents(indexed, "神经网络", limit=5)
    assert english["total"] > 0 and english["results"][0]["language"] == "en"
    assert any(m["bridged"] and m["form"] == "neural network" for m in english["results"][0]["matched"])


def test_filters_facets_and_highlights(indexed):
    everything = search_documents(indexed, "neural network", limit=100)
    years = everything["facets"]["year"]
    assert sum(years.values()) == everything["total"] and sum(everything["facets"]["kind"].values()) == everything["total"]
    year = sorted(years)[len(years) // 2]
    later = search_documents(indexed, "neural network", limit=100, year_from=year)
    assert later["total"] == sum(n for y, n in years.items() if y >= year)
    assert all(r["year"] >= year for r in later["results"])
    only = search_documents(indexed, "neural network", limit=100, year_from=year, year_to=year)
    assert only["total"] == years[year]
    assert search_documents(indexed, "neural network", kind="patent")["total"] == 0
    assert search_documents(indexed, "neural network", source="arxiv")["total"] == everything["total"]
    for r in everything["results"][:10]:
        marked = [r["title"][a:b] for a, b in r["title_marks"]] + [r["snippet"][a:b] for a, b in r["snippet_marks"]]
        assert marked and all(m.lower().startswith(("neural", "network")) for m in marked)
    with pytest.raises(TypeError):
        search_documents(indexed, "x", colour="red")
