"""Landscape on real OpenAlex and USPTO records: shares, institution types, China's rank and RCA, no-data status."""
from __future__ import annotations

from pathlib import Path

import pytest

from frontierwatch.catalog import landscapes

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture
def affiliation_store(store):
    from frontierwatch.sources.ingest import ingest

    ingest(store, [SAMPLES / "openalex", SAMPLES / "uspto", SAMPLES / "catalog" / "openalex-works-cn.json.gz",
                   SAMPLES / "arxiv" / "arxiv-sample.jsonl.gz"])
    return store


def _ids(store, where: str) -> list[str]:
    return [r[0] for r in store.con.execute(f"SELECT doc_id FROM documents WHERE {where} ORDER BY doc_id").fetchall()]


def test_country_institution_and_type_shares(affiliation_store):
    s = affiliation_store
    aff = _ids(s, "len(countries) > 0 AND kind <> 'patent'")
    land = landscapes(s, {"all": aff}, top=3)["all"]
    assert land["status"] == "ok" and land["n_with_affiliation"] == len(aff)
    counts = dict(s.con.execute("SELECT c, count(*) FROM (SELECT unnest(countries) c FROM documents "
                                "WHERE kind <> 'patent') GROUP BY c").fetchall())
    top = max(counts, key=counts.get)
    first = land["countries"][0]
    assert (first["country"], first["documents"], first["share"]) == (top, counts[top], round(counts[top] / len(aff), 4))
    assert first["name"]["en"] and first["name"]["zh"] and land["n_with_country"] == len(aff)
    assert len(land["countries"]) == 3 and len(land["institutions"]) == 3
    assert {r["type"] for r in land["institution_types"]} >= {"education", "facility"}
    assert all(r["name"]["zh"] and r["documents"] for r in land["institution_types"])


def test_china_rank_and_revealed_comparative_advantage(affiliation_store):
    s = affiliation_store
    cn = _ids(s, "list_contains(countries, 'CN')")
    assert len(cn) == 4
    group = cn + _ids(s, "len(countries) > 0 AND NOT list_contains(countries, 'CN')")[:6]
    land = landscapes(s, {"g": group})["g"]
    china = land["china"]
    total = s.con.execute("SELECT count(*) FROM documents WHERE len(countries) > 0 AND kind <> 'patent'").fetchone()[0]
    with_country = sum(1 for d in group if d in set(_ids(s, "len(countries) > 0")))
    assert china["documents"] == 4 and china["rank"] >= 1
    assert china["rca"] == pytest.approx((4 / with_country) / (4 / total), abs=1e-3) and china["rca"] > 1


def test_patents_versus_papers(affiliation_store):
    s = affiliation_store
    patents = _ids(s, "kind = 'patent'")
    land = landscapes(s, {"p": patents + _ids(s, "kind = 'paper' AND len(countries) > 0")[:5]})["p"]
    assert land["patents"] == len(patents) and land["papers"] == 5
    assert land["patents_by_country"] and land["patents_by_country"][0]["country"] == "US"
    assert land["n_with_affiliation"] == 5  # countries and institutions describe the papers; patents apart
    only = landscapes(s, {"p": patents}, min_affiliated=1)["p"]
    assert only["status"] == "no_affiliation_data" and only["patent_view"]["assignees"]


def test_arxiv_topic_says_no_affiliation_data(affiliation_store):
    s = affiliation_store
    land = landscapes(s, {"arxiv": _ids(s, "arxiv_id IS NOT NULL AND len(countries) = 0")[:50]})["arxiv"]
    assert land["status"] == "no_affiliation_data" and land["n_documents"] == 50
    assert land["countries"] == [] and land["china"] is None
    assert "No affiliation data" in land["note"]["en"] and "无机构数据" in land["note"]["zh"]


def test_as_of_excludes_later_documents(affiliation_store):
    from datetime import date

    s = affiliation_store
    cn = _ids(s, "list_contains(countries, 'CN')")
    early = landscapes(s, {"g": cn}, as_of=date(2019, 12, 31))["g"]
    years = [r[0] for r in s.con.execute("SELECT year FROM documents WHERE list_contains(countries, 'CN')").fetchall()]
    assert early["n_documents"] == sum(1 for y in years if y <= 2019)


def test_below_the_published_minimum_no_share_is_shown(affiliation_store):
    """Issue 16: one affiliated document showed 100.0% per country; now counts only, and the note says why."""
    s = affiliation_store
    three = _ids(s, "len(countries) > 0")[:3]
    land = landscapes(s, {"g": three})["g"]
    assert land["status"] == "sparse_affiliation_data" and land["n_with_affiliation"] == 3
    assert land["countries"] == [] and land["institutions"] == [] and land["china"] is None
    assert land["min_affiliated"] == 10 and "3" in land["note"]["en"] and "10" in land["note"]["zh"]


def test_chinese_provinces_from_pubmed_affiliations(store):
    from frontierwatch.sources.ingest import ingest

    ingest(store, [SAMPLES / "pubmed" / "pubmed21n1298-sample.xml.gz"])
    docs = _ids(store, "true")
    land = landscapes(store, {"all": docs})["all"]
    assert land["status"] == "ok" and land["china"]["documents"] > 0 and land["china"]["rank"] >= 1
    cn_docs = land["china"]["documents"]
    assert land["provinces"] and all(0 < p["documents"] <= cn_docs for p in land["provinces"])
    assert land["provinces"][0]["share"] == round(land["provinces"][0]["documents"] / cn_docs, 4)
    assert land["provinces"][0]["name"]["zh"] and land["provinces"][0]["province"].startswith("CN-")
    shares = [c["share"] for c in land["countries"]]
    assert shares == sorted(shares, reverse=True)


def test_patent_view_counts_growth_cpc_and_linkage(store):
    from datetime import date

    from frontierwatch.sources.ingest import ingest

    ingest(store, [SAMPLES / "patentsview" / "nvidia", SAMPLES / "arxiv" / "arxiv-sample.jsonl.gz"])
    patents = _ids(store, "kind = 'patent'")
    papers = _ids(store, "kind = 'paper'")[:40]
    as_of = date(2019, 12, 31)
    view = landscapes(store, {"g": patents + papers}, as_of=as_of)["g"]["patent_view"]
    dated = store.con.execute("SELECT year, count(*) FROM documents WHERE kind = 'patent' AND published <= ? "
                              "GROUP BY 1", [as_of]).fetchall()
    assert view["status"] == "ok" and view["patents"] == sum(n for _, n in dated)
    by_year = {r["year"]: r["patents"] for r in view["by_year"]}
    assert all(by_year.get(y, 0) == n for y, n in dated if 2012 <= y <= 2019)
    growth = view["growth"]
    assert growth["recent_years"] == [2017, 2019] and growth["recent"] == sum(n for y, n in dated if 2017 <= y <= 2019)
    assert view["cpc"][0]["cpc"].startswith("G") and view["assignees"][0]["name"] == "NVIDIA CORPORATION"
    link = view["linkage"]
    assert link["patent_share"] == 1.0 and 0 < link["paper_share"] < 1 and link["balance"] == pytest.approx(link["paper_share"], abs=1e-3)
    only_papers = landscapes(store, {"g": papers}, as_of=as_of)["g"]["patent_view"]
    assert only_papers["status"] == "no_patents" and only_papers["growth"] is None


def test_no_patent_data_is_said(affiliation_store):
    s = affiliation_store
    s.con.execute("DELETE FROM documents WHERE kind = 'patent'")
    view = landscapes(s, {"g": _ids(s, "true")[:20]})["g"]["patent_view"]
    assert view["status"] == "no_patent_data" and view["by_year"] == [] and view["linkage"] is None


def test_near_patents_look_across_topics(embedded_store, tmp_path):
    """Patents near a topic's centre count even when the map put them in another topic; examples are the closest."""
    import shutil
    from datetime import date

    import numpy as np

    from frontierwatch.catalog.patent_landscape import near_patents
    from frontierwatch.store import Store
    from frontierwatch.topics import build_topics

    src = embedded_store([SAMPLES / "patentsview" / "nvidia", SAMPLES / "arxiv" / "arxiv-sample.jsonl.gz"])
    shutil.copytree(src, tmp_path / "s")
    with Store(tmp_path / "s") as s:
        as_of = date(2019, 12, 31)
        info = build_topics(s, as_of=as_of, n_topics=8)
        topics = [r[0] for r in s.con.execute("SELECT topic_id FROM topics WHERE map_id = ?", [info.map_id]).fetchall()]
        near = near_patents(s, info.map_id, as_of, topics)
        assert near and all(v["patents"] >= len(v["examples"]) for v in near.values())
        tid, entry = max(near.items(), key=lambda kv: kv[1]["patents"])
        centroid = np.asarray(s.con.execute("SELECT centroid FROM topics WHERE map_id = ? AND topic_id = ?",
                                            [info.map_id, tid]).fetchall()[0][0])
        vecs = s.con.execute("""SELECT e.vector FROM embeddings e JOIN documents d USING (doc_id)
                                WHERE d.kind = 'patent' AND d.published <= ?""", [as_of]).fetchall()
        sims = np.asarray([v[0] for v in vecs]) @ centroid
        assert entry["patents"] == int((sims >= entry["threshold"] - 5e-4).sum()) or \
            entry["patents"] == int((sims >= entry["threshold"] + 5e-4).sum())
        assert [e["similarity"] for e in entry["examples"]] == sorted((e["similarity"] for e in entry["examples"]),
                                                                     reverse=True)
