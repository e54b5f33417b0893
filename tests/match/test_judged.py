"""The judged needs (bench/match) are complete and balanced, and `evaluate_judged` scores what the product shows."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from frontierwatch.errors import InputError
from frontierwatch.match.judged import evaluate_judged, map_fingerprint, need_half, score_ranking
from frontierwatch.match.topic_index import topic_index

JUDGED = Path(__file__).resolve().parents[2] / "bench" / "match"
DIRECTIONS = {"manufacturing", "information", "materials", "energy", "space", "health"}


def test_the_judged_set_is_balanced_and_every_need_is_judged():
    needs = json.loads((JUDGED / "needs.v1.json").read_text(encoding="utf-8"))["needs"]
    judged = json.loads((JUDGED / "judgements.v1.json").read_text(encoding="utf-8"))
    assert len({n["id"] for n in needs}) == len(needs) == 48
    cells = Counter((n["lang"], n["direction"], need_half(n["id"])) for n in needs)
    assert set(cells) == {(lang, d, h) for lang in ("zh", "en") for d in DIRECTIONS for h in ("tune", "test")}
    assert set(cells.values()) == {2}  # two needs per language, direction and half
    assert set(judged["judgements"]) == {n["id"] for n in needs}
    grades = [v["grade"] for g in judged["judgements"].values() for v in g.values()]
    assert set(grades) <= {1, 2} and all(v["label"] for g in judged["judgements"].values() for v in g.values())
    assert judged["map"]["n_topics"] == 126 and len(judged["map"]["labels_sha256_16"]) == 16


def test_score_ranking_counts_what_the_map_allows():
    got = score_ranking(["B", "X", "A"], {"A": 2, "B": 1}, k=5)
    assert got["p_at_k"] == pytest.approx(0.4) and got["ceiling_p_at_k"] == pytest.approx(0.4)
    assert got["p_at_k_normalised"] == 1.0 and got["hit_at_1"] == 1.0
    assert got["strict_p_at_k"] == pytest.approx(0.2) and got["strict_hit_at_1"] == 0.0
    none = score_ranking(["A"], {}, k=5)
    assert none["p_at_k"] == 0 and none["p_at_k_normalised"] is None and none["hit_at_1"] is None
    assert need_half("jzh07") == "tune" and need_half("jen24") == "test"


def test_evaluate_judged_on_a_real_map(match_store):
    index = topic_index(match_store)
    plasma = {t: {"grade": 2, "label": label} for t, label, kp in zip(index.ids, index.labels, index.keyphrases)
              if "plasma" in " ".join(kp[:10])}
    assert plasma
    judgements = {"map": {"labels_sha256_16": map_fingerprint(index)},
                  "judgements": {"jen01": plasma, "jen02": plasma}}
    needs = [{"id": "jen01", "lang": "en", "text": "tokamak plasma disruption prediction"},
             {"id": "jen02", "lang": "en", "text": "asdf qwer zxcv"}]
    report = evaluate_judged(match_store, needs, judgements, ("bridge",))
    tune, test = report["methods"]["bridge"]["tune"]["en"], report["methods"]["bridge"]["test"]["en"]
    assert tune["hit_at_1"] == 1.0 and tune["refused"] == 0
    assert test["refused"] == 1 and test["p_at_k"] == 0  # nonsense is answered "no good match": nothing shown
    assert report["per_need"][1]["bridge"] == {"top": [], "refused": True}
    judgements["map"]["labels_sha256_16"] = "0" * 16
    with pytest.raises(InputError, match="judgements were made on map"):
        evaluate_judged(match_store, needs, judgements, ("bridge",))
