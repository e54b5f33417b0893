"""A published generation's search answers from documents held in memory (`search.queries.hold_documents`, done by
the server's warm-up) are the answers of the store it copies, on the committed arXiv sample and real CSL records."""
from __future__ import annotations

import json

from frontierwatch.search import ensure_index, search_documents
from frontierwatch.search.queries import hold_documents
from frontierwatch.sources.ingest import ingest
from frontierwatch.store import Store
from frontierwatch.store.generations import GenerationStore, publish
from frontierwatch.store.users import open_users

QUERIES = ["neural network", '"graph neural network"', "quantum computing", "量子计算", "deep learning image",
           "无人机", "solar cell", "reinforcement learning robot", "error correction"]


def _answers(store) -> str:
    got = {q: search_documents(store, q, limit=50) for q in QUERIES}
    return json.dumps(got, sort_keys=True, default=str, ensure_ascii=False)


def test_held_documents_give_the_same_search_answers(tmp_path, arxiv_sample, samples):
    path = tmp_path / "store"
    with Store(path) as store:
        ingest(store, [arxiv_sample, samples / "search" / "csl"])
        ensure_index(store)
        assert hold_documents(store) is None  # a writable store's documents may change: never held
        before = _answers(store)
    users = open_users(path)
    served = GenerationStore(path, publish(path), users)
    try:
        assert _answers(served) == before  # per-request reads
        held = hold_documents(served)
        assert len(held) == served.tables.sql("SELECT count(*) FROM documents").scalar()
        assert _answers(served) == before  # from memory
        assert json.loads(before)["neural network"]["results"]  # the comparison is not between empty answers
    finally:
        served.close()
        users.close()
