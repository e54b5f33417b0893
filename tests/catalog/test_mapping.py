"""Mapping real topic labels to the six directions: hand-labelled real topics, several directions, outside, Chinese."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontierwatch.catalog import MappingParams, map_topics
from frontierwatch.catalog.mapping import FieldIndex, match_terms

LABELS = Path(__file__).resolve().parents[2] / "bench" / "results" / "directions_labels.json"


@pytest.fixture(scope="module")
def index(embedder):
    return FieldIndex(None, embedder)


def _sample(name: str) -> list[dict]:
    """Hand-labelled topics; the labels file keeps keyphrases as [phrase, weight] pairs (written before topics had one
    shape), so they are read into the topics stage's ``{"phrase", "weight"}`` dicts here."""
    topics = json.loads(LABELS.read_text(encoding="utf-8"))["samples"][name]["topics"]
    return [t | {"keyphrases": [{"phrase": p, "weight": w} for p, w in t["keyphrases"]]} for t in topics]


@pytest.mark.parametrize("sample, floor", [("dev", 0.95), ("heldout", 0.85)])
def test_precision_on_hand_labelled_real_topics(index, sample, floor):
    topics = _sample(sample)
    mapped = map_topics(topics, index=index)
    hits = [m["directions"][0] in set(t["gold"]) | set(t["acceptable"])
            for t, m in zip(topics, mapped) if m["directions"] != ["outside"]]
    assert len(hits) >= 20 and sum(hits) / len(hits) >= floor


def test_reason_names_matched_terms_and_similarity(index):
    topic = next(t for t in _sample("dev") if t["label"].startswith("quantum algorithms"))
    m = map_topics([topic], index=index)[0]
    assert m["directions"] == ["information"] and m["fields"][0]["field"] == "information/quantum-computing"
    assert "quantum computing" in m["reason"]["en"] and "量子计算" in m["reason"]["zh"]
    assert m["fields"][0]["similarity"] is not None and 0 < m["confidence"] <= 1
    assert {p["product"] for p in m["products"]} == {"quantum-computers"}


def test_several_directions_and_outside(index):
    dev = {t["label"]: t for t in _sample("dev")}
    solar = next(t for label, t in dev.items() if label.startswith("perovskite solar cells"))
    m = map_topics([solar], index=index)[0]
    assert {"energy", "materials"} <= set(m["directions"])
    logic = next(t for label, t in dev.items() if label.startswith("decidability"))
    out = map_topics([logic], index=index)[0]
    assert out["directions"] == ["outside"] and out["fields"] == [] and "threshold" in out["reason"]["en"]


def test_chinese_keyphrases_map_by_chinese_seed_terms():
    topic = {"id": "zh", "label": "量子密钥分发 · 量子通信 · 安全性", "keyphrases": ["量子密钥分发", "量子通信", "安全性"]}
    m = map_topics([topic], embedder=None)[0]   # term evidence only
    assert m["fields"][0]["field"] == "information/quantum-communication"
    assert m["fields"][0]["similarity"] is None and "n/a" in m["reason"]["en"]


def test_most_specific_term_wins_and_excludes_apply():
    from frontierwatch.catalog import load_taxonomy
    tax = load_taxonomy()
    sim = tax.field("manufacturing/simulation")
    score, matches = match_terms(["quantum simulation"], {"en": ("simulation",), "zh": ()}, ceiling=[2])
    assert score == 0 and matches == []
    hydrogen = FieldIndex(tax, None).compiled[[f.key for f in tax.fields].index("energy/hydrogen")]
    assert match_terms(["hydrogen bonds"], hydrogen)[1] == []
    assert match_terms(["hydrogen storage"], hydrogen)[1][0]["term"] == "hydrogen storage"
    assert sim.terms["en"]


def test_parameters_change_the_mapping_reproducibly(index):
    topics = _sample("heldout")[:30]
    a = map_topics(topics, index=index)
    assert a == map_topics(topics, index=index)
    strict = map_topics(topics, index=index, params=MappingParams(threshold=0.9))
    assert sum(m["directions"] != ["outside"] for m in strict) < sum(m["directions"] != ["outside"] for m in a)


def test_mapping_reads_the_topics_stage_shape_and_is_what_the_store_keeps(edition_store, embedder):
    """Topics come from the topics stage with ``{"phrase", "weight"}`` keyphrases: the mapping uses them (not only
    the label), and the mapping stored for the map — which pages and editions read — is exactly that mapping."""
    from frontierwatch.catalog import read_directions
    from frontierwatch.catalog.mapping import _phrases
    from frontierwatch.topics import list_topics

    listed = list_topics(edition_store, "2017-12-31")
    topics = listed["topics"]
    assert all(isinstance(k, dict) and set(k) == {"phrase", "weight"} for t in topics for k in t["keyphrases"])
    label_only = [t | {"keyphrases": []} for t in topics]
    assert sum(len(_phrases(t, 10)) for t in topics) > sum(len(_phrases(t, 10)) for t in label_only)
    as_strings = [t | {"keyphrases": [k["phrase"] for k in t["keyphrases"]]} for t in topics]
    mapped = map_topics(topics, embedder=embedder)
    assert mapped == map_topics(as_strings, embedder=embedder)
    assert mapped != map_topics(label_only, embedder=embedder)
    stored = read_directions(edition_store, listed["map_id"])
    for m in mapped:
        kept = stored[m["topic_id"]]
        assert (kept["directions"], kept["fields"], kept["confidence"], kept["reason"]) == \
            (m["directions"], m["fields"], m["confidence"], m["reason"])
