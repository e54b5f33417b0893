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
    aff = _ids(s, "len(countries) > 0")
    land = landscapes(s, {"all": aff}, top=3)["all"]
    assert land["status"] == "ok" and land["n_with_affiliation"] == len(aff)
    counts = dict(s.con.execute("SELECT c, count(*) FROM (SELECT unnest(countries) c FROM documents) GROUP BY c").fetchall())
    top = max(counts, key=counts.get)
    assert land["countries"][0] == {"country": top, "documents": counts[top], "share": round(counts[top] / len(aff), 4)}
    assert len(land["countries"]) == 3 and len(land["institutions"]) == 3
    assert set(land["institution_types"]) >= {"education", "company"}


def test_china_rank_and_revealed_comparative_advantage(affiliation_store):
    s = affiliation_store
    cn = _ids(s, "list_contains(countries, 'CN')")
    assert len(cn) == 4
    group = cn + _ids(s, "len(countries) > 0 AND NOT list_contains(countries, 'CN')")[:4]
    land = landscapes(s, {"g": group})["g"]
    china = land["china"]
    total = s.con.execute("SELECT count(*) FROM documents WHERE len(countries) > 0").fetchone()[0]
    with_country = sum(1 for d in group if d in set(_ids(s, "len(countries) > 0")))
    assert china["documents"] == 4 and china["rank"] >= 1
    assert china["rca"] == pytest.approx((4 / with_country) / (4 / total), abs=1e-3) and china["rca"] > 1


def test_patents_versus_papers(affiliation_store):
    s = affiliation_store
    patents = _ids(s, "kind = 'patent'")
    land = landscapes(s, {"p": patents + _ids(s, "kind = 'paper' AND len(countries) > 0")[:5]})["p"]
    assert land["patents"] == len(patents) and land["papers"] == 5
    assert land["patents_by_country"] and land["patents_by_country"][0]["country"] == "US"
    assert any(i["type"] == "company" for i in landscapes(s, {"p": patents})["p"]["institutions"])


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
