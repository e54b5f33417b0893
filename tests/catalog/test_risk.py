"""Risk flags on real documents: the matched terms and the documents that hold them, for a human to assess."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from frontierwatch.catalog import RiskParams, risk_flags

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "topics" / "arxiv-topics.jsonl.gz"


def _docs() -> list[dict]:
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [{"doc_id": "arxiv:" + r["id"], "title": r["title"], "abstract": r["abstract"]} for r in rows]


def test_flag_carries_terms_and_evidence_documents():
    docs = [d for d in _docs() if "privacy" in (d["title"] + d["abstract"]).lower()]
    assert len(docs) >= 3
    topic = {"label": "privacy · data", "keyphrases": ["privacy", "data", "users"]}
    flags = risk_flags(topic, docs)
    privacy = next(f for f in flags if f["category"] == "privacy")
    assert privacy["keyphrase_terms"] == ["privacy"] and privacy["name"]["zh"] == "隐私与数据保护"
    assert privacy["terms"]["privacy"] == privacy["n_documents"] == len(docs)
    ev = privacy["documents"][0]
    assert ev["doc_id"] in {d["doc_id"] for d in docs} and "privacy" in ev["terms"]
    assert len(privacy["documents"]) <= RiskParams().evidence_docs


def test_document_evidence_needs_enough_documents():
    docs = _docs()
    private = [d for d in docs if "privacy" in (d["title"] + d["abstract"]).lower()]
    others = [d for d in docs if "privacy" not in (d["title"] + d["abstract"]).lower()]
    topic = {"label": "network · users", "keyphrases": ["network", "users"]}
    assert not any(f["category"] == "privacy" for f in risk_flags(topic, private[:1] + others[:200]))
    flags = risk_flags(topic, private[:4] + others[:50], params=RiskParams(min_docs=3, min_share=0.02))
    flag = next(f for f in flags if f["category"] == "privacy")
    assert flag["keyphrase_terms"] == [] and flag["n_documents"] == 4 and flag["share"] == round(4 / 54, 4)


def test_chinese_terms_and_no_flag_without_terms():
    topic = {"label": "基因驱动 · 蚊虫", "keyphrases": ["基因驱动", "蚊虫"]}
    flags = risk_flags(topic, [])
    assert [f["category"] for f in flags] == ["biosafety"] and flags[0]["keyphrase_terms"] == ["基因驱动"]
    assert risk_flags({"label": "graph · vertices", "keyphrases": ["graph", "vertices"]}, _docs()[:20]) == []


def test_term_lookups_see_the_same_grams_when_only_term_starts_are_expanded():
    from frontierwatch.catalog.risk import _grams, load_risk_terms

    terms = {ttoks for cat in load_risk_terms().categories for _, ttoks in cat.terms.en}
    starts = frozenset(t[0] for t in terms)
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as fh:
        texts = [f"{r['title']}. {r['abstract']}" for r in map(json.loads, fh)]
    texts.append("Military drones - dual-use, privacy-preserving surveillance of missiles")
    found = 0
    for text in texts:
        full, cut = _grams(text), _grams(text, starts)
        assert cut <= full and full & terms == cut & terms
        found += bool(full & terms)
    assert found >= 1
