"""The match stage's in-memory documents (`frontierwatch.match.documents`) give exactly the answers of the per-request
reads: a match on a published generation (documents held, token index prepared, reads kept) equals the match on the
writable store it was copied from (documents read per request, texts tokenised per test), on the committed sample."""
from __future__ import annotations

import json

import pytest

from frontierwatch.match import match_need
from frontierwatch.match.documents import map_documents
from frontierwatch.match.evidence import need_terms, term_matches
from frontierwatch.match.need import parse_need
from frontierwatch.match.topic_index import topic_index
from frontierwatch.store.generations import GenerationStore, publish
from frontierwatch.store.users import open_users

NEEDS = ["托卡马克装置等离子体不稳定性控制", "银行需要量子密钥分发方案", "quantum key distribution for secure bank networks",
         "deep neural networks for image classification on mobile devices", "graph neural network", "我想吃火锅",
         "solid-state lithium battery electrolyte", "dark matter halo simulation"]


def _answer(store, need: str) -> str:
    got = match_need(store, need, top=8)
    got["method"].pop("seconds")
    return json.dumps(got, sort_keys=True, default=str, ensure_ascii=False)


@pytest.fixture
def generation(match_store):
    before = {need: _answer(match_store, need) for need in NEEDS}  # the writable store: per-request reads
    path = match_store.path
    match_store.close()
    users = open_users(path)
    served = GenerationStore(path, publish(path), users)
    yield served, before
    served.close()
    users.close()


def test_a_match_on_a_prepared_generation_is_the_match_of_the_store_it_copies(generation):
    served, before = generation
    index = topic_index(served)
    held = map_documents(served, index.map_id, index.as_of, index.embed_model, index.created, [])
    assert held is map_documents(served, index.map_id, index.as_of, index.embed_model, index.created, [])  # kept
    assert {need: _answer(served, need) for need in NEEDS} == before  # lazy path: tokens on first use
    held.prepare()
    assert {need: _answer(served, need) for need in NEEDS} == before  # token index
    assert {need: _answer(served, need) for need in NEEDS} == before  # kept reads


def test_term_tests_over_the_token_index_equal_the_test_of_each_text(generation):
    served, _ = generation
    index = topic_index(served)
    held = map_documents(served, index.map_id, index.as_of, index.embed_model, index.created, []).prepare()
    rows = list(range(len(held.rows)))
    checked = 0
    for need in NEEDS + ["neural network training", "state-of-the-art image segmentation", "黑洞 black hole"]:
        terms = need_terms(parse_need(need))
        expected = [term_matches(terms, f"{r[2]} {r[3] or ''}") for r in held.rows]
        assert held.term_matches(terms, rows) == expected
        checked += sum(map(bool, expected))
    assert checked > 100  # the needs do match many documents: the comparison is not between empty lists
