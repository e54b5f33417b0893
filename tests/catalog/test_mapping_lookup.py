"""The direction mapping's term look-ups give exactly what scanning the terms gives, on real keyphrases and titles.

`CompiledTerms.best` looks a keyphrase's sub-phrases up in an index of the field's term tokens, `TopicContext.first`
looks the terms up in the set of the context's sub-phrases, and `map_topics` finds each (field, keyphrase) best term
once for both the ceilings and the evidence. Each is checked against a plain scan, in the fields' order, of every
field of the shipped taxonomy over the hand-labelled real topics' keyphrases (bench/results/directions_labels.json)
and the titles of the 1,504 real papers of the topic sample.
"""
from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import pytest

from frontierwatch.catalog import load_taxonomy, map_topics
from frontierwatch.catalog.mapping import CompiledTerms, TopicContext, _phrases
from frontierwatch.text import has_cjk, term_tokens, to_simplified

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "bench" / "results" / "directions_labels.json"
SAMPLE = ROOT / "tests" / "samples" / "topics" / "arxiv-topics.jsonl.gz"
CHINESE = ["量子计算", "人形機器人 控制", "氢能 储能", "固态电池", "脑机接口 医疗"]


def contains(hay, needle) -> bool:
    n = len(needle)
    return n > 0 and any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def plain_best(compiled: CompiledTerms, phrase: str, ok: bool) -> tuple[int, str | None]:
    """The rule: scan the field's terms in order, keep a strictly more specific one (ambiguous ones need context)."""
    en, zh = compiled.en, compiled.zh
    if not ok and (compiled.ambiguous_en or compiled.ambiguous_zh):
        en = [(t, k) for t, k in en if k not in compiled.ambiguous_en]
        zh = [t for t in zh if t not in compiled.ambiguous_zh]
    best, best_term, toks = 0, None, term_tokens(phrase)
    for term, ttoks in en:
        if ttoks and len(ttoks) > best and contains(toks, ttoks):
            best, best_term = len(ttoks), term
    if has_cjk(phrase):
        for term in zh:
            size = 2 if len(term) >= 3 else 1
            if size > best and term in to_simplified(phrase):
                best, best_term = size, term
    return best, best_term


def plain_first(context: TopicContext, en, zh) -> str | None:
    for term, ttoks in en:
        if any(contains(toks, ttoks) for toks in context.tokens):
            return term
    return next((term for term in zh if term in context.text), None)


@pytest.fixture(scope="module")
def topics() -> list[dict]:
    samples = json.loads(LABELS.read_text(encoding="utf-8"))["samples"]
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as f:
        titles = [json.loads(line)["title"] for line in f]
    out = []
    for name in ("dev", "heldout", "editions", "promoted_v2"):
        for t in samples[name]["topics"]:
            phrases = [k if isinstance(k, str) else k[0] for k in t["keyphrases"]]
            out.append({"id": f"{name}-{t['id']}", "label": t["label"], "keyphrases": phrases,
                        "titles": titles[len(out) * 5 % len(titles):][:5]})
    out.append({"id": "zh", "label": "", "keyphrases": CHINESE, "titles": ["等离子体 托卡马克 ITER"]})
    return out


def test_best_term_is_the_scan_in_order(topics):
    fields = load_taxonomy().fields
    compiled = [CompiledTerms.of_field(f) for f in fields] + [CompiledTerms.of(p.terms)
                                                              for p in load_taxonomy().products]
    phrases = sorted({p for t in topics for p in _phrases(t, 10)})
    assert len(phrases) > 1000
    found = 0
    for c in compiled:
        for phrase in phrases:
            for ok in (True, False):
                assert c.best(phrase, term_tokens(phrase), ok) == plain_best(c, phrase, ok), (phrase, ok)
                found += c.best(phrase, term_tokens(phrase), ok)[1] is not None
    assert found > 500


def test_context_terms_are_the_scan_in_order(topics):
    fields = load_taxonomy().fields
    hits = 0
    for t in topics:
        context = TopicContext.of(_phrases(t, 10), t["titles"])
        for f in fields:
            c = CompiledTerms.of_field(f)
            for en, zh in ((c.ex_en, c.ex_zh), (c.ctx_en, c.ctx_zh)):
                assert context.first(en, zh) == plain_first(context, en, zh)
                hits += context.first(en, zh) is not None
    assert hits > 20
    bare = TopicContext(context.tokens, context.text)   # made without its sub-phrases: they are found on demand
    assert all(bare.first(c.ctx_en, c.ctx_zh) == context.first(c.ctx_en, c.ctx_zh)
               for c in map(CompiledTerms.of_field, fields))


def test_mapping_evidence_is_the_per_field_scan(topics):
    """Every field's term score and matches in `map_topics` equal scanning each keyphrase again per field."""
    tax = load_taxonomy()
    mapped = map_topics(topics, taxonomy=tax, embedder=None)
    compiled = [CompiledTerms.of_field(f) for f in tax.fields]
    for topic, m in zip(topics, mapped):
        phrases = _phrases(topic, 10)
        context = TopicContext.of(phrases, topic["titles"])
        usable = [None if c.excluded(context) else c.has_context(context) for c in compiled]
        ceiling = [max((plain_best(c, p, ok)[0] for c, ok in zip(compiled, usable) if ok is not None), default=0)
                   for p in phrases]
        for f, c, ok in zip(tax.fields, compiled, usable):
            if ok is None:
                continue
            total, matches = 0.0, []
            for rank, phrase in enumerate(phrases):
                size, term = plain_best(c, phrase, ok)
                if term is not None and size >= ceiling[rank]:
                    total += (1.0 if size > 1 else 0.5) / (1.0 + rank / 4.0)
                    matches.append({"term": term, "keyphrase": phrase, "rank": rank})
            entry = next((s for s in m["best"] + m["fields"] if s["field"] == f.key), None)
            if entry is not None:
                assert entry["term_score"] == round(1.0 - math.exp(-total), 4) and entry["matched_terms"] == matches
    assert sum(m["directions"] != ["outside"] for m in mapped) > 200
