"""The search stage: a BM25 index of the committed arXiv sample, kept current as documents arrive."""
from __future__ import annotations

from frontierwatch.search import build_index, ensure_index, index_is_current, search_documents
from frontierwatch.sources.ingest import ingest


def test_index_answers_queries_and_rebuilds_only_when_documents_change(store, arxiv_sample, samples):
    ingest(store, [arxiv_sample])
    assert not index_is_current(store)
    built = ensure_index(store)
    n_docs = store.tables.sql("SELECT count(*) FROM documents").scalar()
    assert built["documents"] == n_docs and built["postings"] > n_docs
    assert ensure_index(store) is None and index_is_current(store)

    title = store.tables.read("documents", ["doc_id", "title"], order_by="doc_id", limit=1).to_pylist()[0]
    found = search_documents(store, title["title"], limit=5)
    assert found["total"] >= 1 and found["results"][0]["doc_id"] == title["doc_id"]
    assert found["results"][0]["matched_terms"] == len(found["query"]["concepts"])
    blank = search_documents(store, "   ")
    assert blank["total"] == 0 and blank["results"] == [] and blank["terms"] == []
    page2 = search_documents(store, "learning", limit=5, offset=5)
    page1 = search_documents(store, "learning", limit=5)
    assert page1["total"] == page2["total"] and not {r["doc_id"] for r in page1["results"]} & \
        {r["doc_id"] for r in page2["results"]}

    ingest(store, [samples / "openalex"])  # new documents make the index stale
    assert not index_is_current(store)
    again = build_index(store)
    assert again["documents"] == store.tables.sql("SELECT count(*) FROM documents").scalar() > n_docs
