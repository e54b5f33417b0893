"""Reads of a published generation are kept (`frontierwatch.store.memo`): the same answers as the store gives, asked
once; a writable store keeps nothing. Real store from the committed arXiv sample."""
from __future__ import annotations

import pytest

from frontierwatch.core import Observatory
from frontierwatch.settings import load_settings
from frontierwatch.store import Store
from frontierwatch.store.generations import GenerationStore, publish
from frontierwatch.store.memo import MAX_LIST, ReadMemo, memo_key
from frontierwatch.store.users import open_users
from tests.conftest import SAMPLES


@pytest.fixture
def served(tmp_path):
    path = tmp_path / "store"
    with Observatory(path, load_settings(store=path)) as obs:
        obs.ingest([SAMPLES / "arxiv" / "arxiv-sample.jsonl.gz"])
    users = open_users(path)
    store = GenerationStore(path, publish(path), users)
    yield path, store
    store.close()
    users.close()


def test_a_generation_answers_a_repeated_read_from_the_memo_with_the_same_rows(served):
    path, store = served
    memo = store.tables._memo
    first = store.tables.read("documents", ["doc_id", "year"], where={"year >=": 2015}, order_by="doc_id")
    misses = memo.misses
    again = store.tables.read("documents", ["doc_id", "year"], where={"year >=": 2015}, order_by="doc_id")
    assert again.equals(first) and memo.misses == misses and memo.hits >= 1
    with Store(path, read_only=True) as fresh:  # the pipeline database it was copied from
        assert fresh.tables.read("documents", ["doc_id", "year"], where={"year >=": 2015},
                                 order_by="doc_id").equals(first)
    query = "SELECT year, count(*) FROM documents GROUP BY 1 ORDER BY 1"
    rows = store.tables.sql(query).rows()
    rows.append(("changed by the caller", 0))  # a caller's list is its own copy
    assert store.tables.sql(query).rows() == rows[:-1]
    assert store.tables.sql("SELECT count(*) FROM documents WHERE year = ?", [2016]).scalar() == \
           store.con.execute("SELECT count(*) FROM documents WHERE year = 2016").fetchone()[0]
    assert store.tables.exists("documents") and not store.tables.exists("no_such_table")


def test_per_request_lists_and_arrow_parameters_are_not_kept_and_writable_stores_keep_nothing(served):
    path, store = served
    assert memo_key("SELECT ?", [list(range(MAX_LIST + 1))]) is None
    assert memo_key("SELECT ?", [["a", "b"]]) is not None
    ids = store.tables.sql("SELECT doc_id FROM documents ORDER BY doc_id LIMIT 40").rows()
    before = len(store.tables._memo._answers)
    got = store.tables.sql("SELECT doc_id FROM documents WHERE list_contains(?, doc_id) ORDER BY doc_id",
                           [[r[0] for r in ids]]).rows()
    assert got == ids and len(store.tables._memo._answers) == before
    with Store(path) as writable:
        assert writable.tables._memo is None


def test_the_memo_is_bounded():
    memo = ReadMemo(max_rows=3, max_entries=2)
    assert memo.get(("big",), lambda: [1, 2, 3, 4]) == [1, 2, 3, 4]
    assert memo.get(("big",), lambda: ["recomputed"]) == ["recomputed"]  # too many rows: not kept
    for k in ("a", "b", "c"):
        memo.get((k,), lambda k=k: [k])
    assert memo.get(("a",), lambda: ["again"]) == ["again"]  # the oldest went first
    assert memo.get(("c",), lambda: ["never"]) == ["c"]
