"""The evaluation set ships with the product and the evaluator scores it."""
from __future__ import annotations

from frontierwatch.match import evaluate, load_eval_needs


def test_eval_set_is_balanced_and_complete():
    needs = load_eval_needs()
    assert len(needs) >= 40
    assert sum(n["lang"] == "zh" for n in needs) == sum(n["lang"] == "en" for n in needs)
    assert {n["direction"] for n in needs} == {"manufacturing", "information", "materials", "energy", "space", "health"}
    assert all(n["terms"] and n["categories"] and n["text"] for n in needs)
    assert len({n["id"] for n in needs}) == len(needs)


def test_evaluate_reports_precision(match_store):
    needs = tuple(n for n in load_eval_needs() if n["id"] in {"zh07", "zh09", "zh18", "en19", "en10"})
    report = evaluate(match_store, methods=("bridge",), needs=needs)
    assert report["n_needs"] == 5 and report["map"]["n_topics"] == 12
    scores = report["methods"]["bridge"]
    assert 0.4 <= scores["p_at_k"] <= 1.0 and scores["hit_at_k"] == 1.0
