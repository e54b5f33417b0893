"""The table seam (`frontierwatch.store.tables`): Arrow in, Arrow out, atomic replace, transactions, the SQL hatch.

Runs on a real store holding the committed arXiv sample (ingested with the real connector)."""
from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from frontierwatch.sources.ingest import ingest


@pytest.fixture
def arxiv_store(store, arxiv_sample):
    ingest(store, [arxiv_sample])
    return store


def _forecast_rows(map_id: int, topic_ids: list[str], horizon: int, probability: float) -> pa.Table:
    n = len(topic_ids)
    return pa.table({"map_id": pa.array([map_id] * n, pa.int32()), "topic_id": topic_ids,
                     "as_of_year": pa.array([2015] * n, pa.int32()), "horizon": pa.array([horizon] * n, pa.int32()),
                     "probability": [probability] * n})


def test_read_filters_columns_order_and_limit(arxiv_store):
    t = arxiv_store.tables
    everything = t.read("documents", ["doc_id", "year", "published"])
    assert everything.column_names == ["doc_id", "year", "published"] and everything.num_rows > 1000
    years = everything.column("year").to_pylist()
    y = sorted(set(years))[len(set(years)) // 2]
    day = date(y, 6, 30)
    got = t.read("documents", ["doc_id", "year", "published"], where={"year": y, "published <=": day},
                 order_by=["published DESC", "doc_id"], limit=5)
    assert 0 < got.num_rows <= 5
    assert all(r["year"] == y and r["published"] <= day for r in got.to_pylist())
    published = got.column("published").to_pylist()
    assert published == sorted(published, reverse=True)
    ids = everything.column("doc_id").to_pylist()[:3]
    assert sorted(t.read("documents", ["doc_id"], where={"doc_id in": ids}).column("doc_id").to_pylist()) == sorted(ids)
    assert t.read("documents", ["doc_id"], where={"doc_id in": []}).num_rows == 0
    assert t.read("documents", ["doc_id"], where={"abstract": None}).num_rows == sum(
        1 for r in t.read("documents", ["abstract"]).to_pylist() if r["abstract"] is None)


def test_names_and_operators_are_checked(arxiv_store):
    t = arxiv_store.tables
    with pytest.raises(ValueError, match="not a table or column name"):
        t.read("documents; DROP TABLE documents", ["doc_id"])
    with pytest.raises(ValueError, match="operator"):
        t.read("documents", ["doc_id"], where={"year like": 2015})
    with pytest.raises(ValueError, match="where="):
        t.replace("topic_forecasts", _forecast_rows(1, ["T1"], 3, 0.5), where={})
    assert t.exists("documents") and not t.exists("no_such_table")


def test_replace_swaps_only_the_keyed_rows(arxiv_store):
    t = arxiv_store.tables
    t.append("topic_forecasts", _forecast_rows(1, ["T1", "T2"], 3, 0.1))
    t.append("topic_forecasts", _forecast_rows(1, ["T1", "T2"], 5, 0.2))
    t.append("topic_forecasts", _forecast_rows(2, ["T1"], 3, 0.3))
    assert t.replace("topic_forecasts", _forecast_rows(1, ["T3"], 3, 0.9), where={"map_id": 1, "horizon": 3}) == 1
    rows = {(r["map_id"], r["topic_id"], r["horizon"]): r["probability"]
            for r in t.read("topic_forecasts", ["map_id", "topic_id", "horizon", "probability"]).to_pylist()}
    assert rows == {(1, "T3", 3): 0.9, (1, "T1", 5): 0.2, (1, "T2", 5): 0.2, (2, "T1", 3): 0.3}


def test_a_failed_replace_keeps_the_old_rows(arxiv_store):
    t = arxiv_store.tables
    t.append("topic_forecasts", _forecast_rows(1, ["T1", "T2"], 3, 0.1))
    duplicate = _forecast_rows(1, ["T9", "T9"], 3, 0.5)  # violates the primary key
    with pytest.raises(Exception):
        t.replace("topic_forecasts", duplicate, where={"map_id": 1})
    assert sorted(t.read("topic_forecasts", ["topic_id"]).column("topic_id").to_pylist()) == ["T1", "T2"]


def test_transaction_commits_together_or_not_at_all(arxiv_store):
    t = arxiv_store.tables
    with pytest.raises(RuntimeError):
        with t.transaction():
            t.append("topic_forecasts", _forecast_rows(1, ["T1"], 3, 0.1))
            with t.transaction():  # nested: joins the outer one
                t.append("topic_forecasts", _forecast_rows(2, ["T1"], 3, 0.1))
            assert t.read("topic_forecasts", ["topic_id"]).num_rows == 2  # own writes are visible inside
            raise RuntimeError("stop")
    assert t.read("topic_forecasts", ["topic_id"]).num_rows == 0
    with t.transaction():
        t.append("topic_forecasts", _forecast_rows(1, ["T1"], 3, 0.1))
        t.delete("topic_forecasts", {"topic_id": "nothing"})
    assert t.read("topic_forecasts", ["topic_id"]).num_rows == 1


def test_upsert_replaces_rows_with_the_same_key(arxiv_store):
    t = arxiv_store.tables
    ids = t.read("documents", ["doc_id"], order_by="doc_id", limit=2).column("doc_id").to_pylist()

    def vectors(md5: str) -> pa.Table:
        return pa.table({"model": ["m"] * 2, "doc_id": ids, "vector": pa.array([[1.0, 0.0]] * 2, pa.list_(pa.float32())),
                         "text_md5": [md5] * 2})
    t.upsert("embeddings", vectors("a"), key=("model", "doc_id"))
    t.upsert("embeddings", vectors("b"), key=("model", "doc_id"))
    assert t.read("embeddings", ["text_md5"]).column("text_md5").to_pylist() == ["b", "b"]
    with pytest.raises(ValueError, match="key column"):
        t.upsert("embeddings", vectors("c").drop_columns(["model"]), key=("model", "doc_id"))


def test_sql_hatch_joins_arrow_tables_and_releases_them(arxiv_store):
    t = arxiv_store.tables
    ids = t.read("documents", ["doc_id"], order_by="doc_id", limit=3).column("doc_id").to_pylist()
    wanted = pa.table({"pos": [2, 1, 0], "doc_id": ids})
    result = t.sql("SELECT w.pos, d.doc_id FROM wanted w JOIN documents d USING (doc_id) ORDER BY w.pos",
                   tables={"wanted": wanted})
    assert result.columns == ["pos", "doc_id"]
    assert result.rows() == [(0, ids[2]), (1, ids[1]), (2, ids[0])]
    with pytest.raises(Exception):  # the joined table is gone once the answer was read
        t.sql("SELECT * FROM wanted").rows()
    assert t.sql("SELECT count(*) FROM documents WHERE doc_id IN (SELECT unnest(?))", [ids]).scalar() == 3
    assert t.sql("SELECT doc_id FROM documents ORDER BY doc_id").one() == (ids[0],)
    t.append("topic_forecasts", _forecast_rows(1, ["T1"], 3, 0.1))  # the partly read answer does not block writes
    assert t.sql("SELECT doc_id FROM documents ORDER BY doc_id LIMIT 2").arrow().column("doc_id").to_pylist() == ids[:2]
