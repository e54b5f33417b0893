"""The read API: list_topics, topic_detail, NotFoundError."""
from __future__ import annotations

from datetime import date

import pytest

from frontierwatch.errors import NotFoundError
from frontierwatch.topics import build_topics, list_fields, list_topics, topic_detail

N_TOPICS = 12


def test_list_topics_shape_and_order(topic_store):
    build_topics(topic_store, n_topics=N_TOPICS)
    out = list_topics(topic_store, top=5)
    assert out["as_of"] == "2017-12-31" and len(out["topics"]) == 5
    sizes = [t["size"] for t in out["topics"]]
    assert sizes == sorted(sizes, reverse=True)
    first = out["topics"][0]
    assert {"id", "label", "size", "keyphrases", "field", "x", "y", "counts_by_year"} <= set(first)
    assert first["label"] and first["keyphrases"][0]["phrase"] in first["label"]
    assert sum(first["counts_by_year"].values()) == first["size"]
    assert -1.0 <= first["x"] <= 1.0 and -1.0 <= first["y"] <= 1.0
    assert len(list_fields(topic_store)["fields"]) >= 2


def test_topics_count_their_documents_by_language(topic_store):
    """Real CSL records (Chinese, undated) join the English map through the bilingual embedding."""
    from pathlib import Path

    from frontierwatch.embed import embed_documents
    from frontierwatch.sources.ingest import ingest

    ingest(topic_store, [Path(__file__).resolve().parents[1] / "samples" / "csl" / "ts" / "dev.tsv"])
    assert embed_documents(topic_store) == 12
    build_topics(topic_store, n_topics=N_TOPICS)
    topics = list_topics(topic_store)["topics"]
    totals: dict[str, int] = {}
    for t in topics:
        assert list(t["languages"].values()) == sorted(t["languages"].values(), reverse=True)
        assert t["languages"].get("en", 0) == t["size"]  # fitted: the dated English papers; CSL is assigned
        for language, n in t["languages"].items():
            totals[language] = totals.get(language, 0) + n
    assert totals == {"en": 1504, "zh": 12}
    with_zh = next(t for t in topics if "zh" in t["languages"])
    assert topic_detail(topic_store, with_zh["id"])["languages"] == with_zh["languages"]


def test_topic_detail(topic_store):
    build_topics(topic_store, n_topics=N_TOPICS)
    tid = list_topics(topic_store, top=1)["topics"][0]["id"]
    d = topic_detail(topic_store, tid)
    assert d["id"] == tid and d["documents"] and d["documents"][0]["title"]
    assert len(d["neighbours"]) == 8 and d["neighbours"][0]["similarity"] >= d["neighbours"][-1]["similarity"]
    assert d["field"].startswith("F") and d["lineage"] == []
    assert d["representative_ids"][0] == d["documents"][0]["doc_id"]


def test_unknown_topic_and_missing_map_raise_not_found(topic_store):
    with pytest.raises(NotFoundError, match="frontierwatch build"):
        list_topics(topic_store)
    build_topics(topic_store, n_topics=N_TOPICS)
    with pytest.raises(NotFoundError) as err:
        topic_detail(topic_store, "T99999")
    assert "T99999" in err.value.en and "T99999" in err.value.zh
    with pytest.raises(NotFoundError, match="--as-of 2014-06-30"):
        list_topics(topic_store, as_of=date(2014, 6, 30))
