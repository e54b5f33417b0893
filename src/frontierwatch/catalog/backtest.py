"""The catalog's own backtest (issue 10 item 2): how many entries of past editions really took off?

For each cutoff T the core builds what the edition as of T-12-31 reads (the map, names, signals, axes, published
forecast and directions of that date, `pipeline.ensure_built`), and this module takes the selection exactly as
an edition publishes it (`catalog.edition.selection_at` → `catalog.selection.select`). The outcome of every
topic of that map comes from the forecast backtest's own label code (`forecast.Snapshot.outcome`: extreme growth
within the horizon, and the log share ratio share(T+h)/share(T)) on the same fit, later documents assigned to
its topics — there is one definition of "took off", not two.

Rules scored on the same map (`score_edition`):

* ``frontierwatch`` — the published rule: its entries, 0…``per_field`` per field;
* ``axes_top3`` — the rule editions used before (the top ``per_field`` candidates of each field by the mean of the
  two axes, whatever their forecast and stage) at its own number of entries;
* ``axes_fields`` — the old rule trimmed to the published rule's number of entries N: the fields' best topics by
  the mean of the axes first (rank 1 of every field, then rank 2 …, each round in order of the axes), so the old
  rule's per-field slots compare at the same N;
* ``axes``, ``size``, ``recency``, ``random`` — at the published rule's number of entries N (so hit rates compare
  at the same N): the top N eligible candidates by the mean of the axes, by size (documents ≤ T), by recency
  (mean document year), and N drawn at random (``draws`` draws from a fixed seed; mean and spread reported).

Candidates are the topics of the six directions (best-mapped field) with at least ``min_size`` documents, junk
topics dropped — the pool `select` reads; *eligible* ones also have the forecast's ``min_docs`` documents in year T
(those the forecast ranks and the label is defined for). The positive rate of the eligible candidates is the
base rate a rule has to beat. Pure: everything comes in as arguments.
"""
from __future__ import annotations

import math

import numpy as np

from frontierwatch.catalog.selection import mean_axes
from frontierwatch.catalog.taxonomy import OUTSIDE

__all__ = ["RULES", "score_edition", "summarise_catalog"]

RULES = ("frontierwatch", "axes_top3", "axes_fields", "axes", "size", "recency", "random")


def _measure(ids: list[str], outcomes: dict[str, dict]) -> dict:
    """Entries, hits, hit rate and mean realised share ratio of a list of chosen topic ids."""
    got = [outcomes[i] for i in ids if i in outcomes]
    hits = sum(1 for o in got if o["label"])
    ratios = [math.exp(o["log_ratio"]) for o in got if o["log_ratio"] is not None]
    return {"n_entries": len(ids), "hits": hits, "hit_rate": hits / len(got) if got else None,
            "mean_share_ratio": float(np.mean(ratios)) if ratios else None}


def score_edition(cutoff: int, horizon: int, chosen: list[tuple[str, dict]], candidates: list[dict],
                  mapped: dict[str, dict], axes: dict[str, dict], outcomes: dict[str, dict], *, per_field: int,
                  min_size: int, draws: int = 100, seed: int = 0, names: dict | None = None,
                  forecasts: dict | None = None, rule: str = "forecast") -> dict:
    """Score one edition as of `cutoff`: the published rule's `chosen` (``(field key, topic)`` in publication order)
    and the alternative rules on the same `candidates` (non-junk topics ``{"id", "size", ...}``), with `mapped`
    directions, `axes` and per-topic `outcomes` ``{topic_id: {"label", "log_ratio", "eligible", "recency"}}``.

    Returns ``{"cutoff", "horizon", "outcome_year", "selection_rule", "n_candidates", "n_eligible", "n_positive",
    "positive_rate", "rules": {rule: {"n_entries", "hits", "hit_rate", "mean_share_ratio", ...}}, "entries"}``."""
    pool = [t for t in candidates if t["size"] >= min_size and mapped[t["id"]]["directions"] != [OUTSIDE]]
    eligible = [t for t in pool if (outcomes.get(t["id"]) or {}).get("eligible")]
    n_pos = sum(1 for t in eligible if outcomes[t["id"]]["label"])
    fw_ids = [t["id"] for _, t in chosen]
    n = len(fw_ids)
    rules = {"frontierwatch": _measure(fw_ids, outcomes)}

    by_field: dict[str, list[dict]] = {}
    for t in pool:
        if mean_axes(axes.get(t["id"])) is not None:
            by_field.setdefault(mapped[t["id"]]["fields"][0]["field"], []).append(t)
    old, rounds = [], []
    for ts in by_field.values():
        ts.sort(key=lambda t: (-mean_axes(axes.get(t["id"])), -t["size"], t["id"]))
        old += [t["id"] for t in ts[:per_field]]
        rounds += [(rank, -mean_axes(axes.get(t["id"])), -t["size"], t["id"]) for rank, t in enumerate(ts[:per_field])]
    rules["axes_top3"] = _measure(old, outcomes)
    rules["axes_fields"] = _measure([r[3] for r in sorted(rounds)[:n]], outcomes)

    def top(key) -> list[str]:
        return [t["id"] for t in sorted(eligible, key=key)[:n]]

    rules["axes"] = _measure(top(lambda t: (-(mean_axes(axes.get(t["id"])) or -1.0), -t["size"], t["id"])), outcomes)
    rules["size"] = _measure(top(lambda t: (-t["size"], t["id"])), outcomes)
    rules["recency"] = _measure(top(lambda t: (-outcomes[t["id"]]["recency"], -t["size"], t["id"])), outcomes)
    rng = np.random.default_rng(seed * 100_003 + cutoff)
    ids = [t["id"] for t in eligible]
    runs = [_measure([ids[i] for i in rng.choice(len(ids), size=min(n, len(ids)), replace=False)], outcomes)
            for _ in range(draws)] if ids and n else []
    rates = [r["hit_rate"] for r in runs if r["hit_rate"] is not None]
    ratios = [r["mean_share_ratio"] for r in runs if r["mean_share_ratio"] is not None]
    rules["random"] = {"n_entries": min(n, len(ids)), "draws": len(runs),
                       "hit_rate": float(np.mean(rates)) if rates else None,
                       "hit_rate_sd": float(np.std(rates)) if rates else None,
                       "hit_rate_p05": float(np.quantile(rates, 0.05)) if rates else None,
                       "hit_rate_p95": float(np.quantile(rates, 0.95)) if rates else None,
                       "mean_share_ratio": float(np.mean(ratios)) if ratios else None}
    names, forecasts = names or {}, forecasts or {}
    entries = [{"topic_id": t["id"], "field": key, "name": (names.get(t["id"]) or {}).get("name"),
                "label": t.get("label"), "size": t["size"],
                "probability": (forecasts.get(t["id"]) or {}).get("probability"),
                "hit": bool(outcomes[t["id"]]["label"]) if t["id"] in outcomes else None,
                "share_ratio": (math.exp(outcomes[t["id"]]["log_ratio"]) if t["id"] in outcomes else None)}
               for key, t in chosen]
    return {"cutoff": cutoff, "horizon": horizon, "outcome_year": cutoff + horizon, "selection_rule": rule,
            "n_candidates": len(pool), "n_eligible": len(eligible), "n_positive": n_pos,
            "positive_rate": n_pos / len(eligible) if eligible else None, "rules": rules, "entries": entries}


def _mean(values) -> float | None:
    v = [x for x in values if x is not None]
    return float(np.mean(v)) if v else None


def summarise_catalog(editions: list[dict], horizon: int) -> dict:
    """The catalog backtest over editions: per rule the means over editions of hit rate, entries and share ratio
    (editions with no entry under a rule have no hit rate and are left out of that mean), the pooled hit rate
    (hits / entries), the mean positive rate of the eligible candidates, and the goal's two ratios (published rule
    over the positive rate, and over the old rule)."""
    rules = {}
    for name in RULES:
        rows = [e["rules"][name] for e in editions if name in e["rules"]]
        entries = sum(r["n_entries"] for r in rows)
        rules[name] = {"mean_hit_rate": _mean(r["hit_rate"] for r in rows),
                       "mean_entries": _mean(r["n_entries"] for r in rows),
                       "mean_share_ratio": _mean(r["mean_share_ratio"] for r in rows),
                       "pooled_hit_rate": (sum(r.get("hits", 0) for r in rows) / entries
                                           if entries and name != "random" else None)}
        if name == "random":
            rules[name]["mean_hit_rate_sd"] = _mean(r.get("hit_rate_sd") for r in rows)
    rate = _mean(e["positive_rate"] for e in editions)
    fw, old = rules["frontierwatch"]["mean_hit_rate"], rules["axes_top3"]["mean_hit_rate"]
    same_n = rules["axes_fields"]["mean_hit_rate"]
    cutoffs = sorted(e["cutoff"] for e in editions)
    return {"horizon": horizon, "cutoffs": cutoffs, "outcomes_through": max(cutoffs) + horizon if cutoffs else None,
            "positive_rate": rate, "rules": rules,
            "goal": {"hit_rate_over_positive_rate": fw / rate if fw is not None and rate else None,
                     "hit_rate_over_axes_top3": fw / old if fw is not None and old else None,
                     "hit_rate_over_axes_fields": fw / same_n if fw is not None and same_n else None,
                     "target_over_positive_rate": 4.0, "target_over_axes_top3": 2.0},
            "editions": editions}
