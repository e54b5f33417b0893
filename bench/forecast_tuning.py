"""Forecast choices made on the tuning cutoffs only (issue 17 items 1 and 3): feature families by ablation,
model variants, on cutoffs 2010–2012, horizon 3, outcomes ≤ 2015, three seeds.

The corpus is cut at the end of 2015 before anything is computed, so no document, outcome or citation after
2015 can reach a tuning decision; the report cutoffs (2013–2016, outcomes to 2019) are evaluated separately and
once per release (`frontierwatch backtest`, ``bench/results/backtest.json``). Each variant runs the product's own
as-of path (`forecast_at`) with another forecaster, on the same cached maps.

    python bench/forecast_tuning.py --store STORE [--variants product,+authors] [--seeds 0,1,2] [--json NAME]

Writes ``bench/results/forecast-tuning.json``: per variant the mean AP, p@50, F1 and Brier over the 9 (cutoff,
seed) runs and per cutoff, the best baseline, and the ablation deltas against the product, with the command,
commit, date, machine and load average.
"""
from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, peak_rss_mib, write_result  # noqa: E402

from frontierwatch.forecast import ForecastCaches, TopicForecaster, load_corpus  # noqa: E402
from frontierwatch.forecast.backtest import TUNING_CUTOFFS, _mean, evaluate, summarise  # noqa: E402
from frontierwatch.forecast.features import FAMILIES, PRODUCT_FEATURES  # noqa: E402
from frontierwatch.forecast.model import PRODUCT_SIGNALS  # noqa: E402
from frontierwatch.settings import Settings  # noqa: E402
from frontierwatch.store import Store  # noqa: E402

HORIZON, OUTCOMES_UNTIL, SEEDS = 3, 2015, (0, 1, 2)


def _with(*families: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(PRODUCT_FEATURES + tuple(f for fam in families for f in FAMILIES[fam])))


def _without(family: str) -> tuple[str, ...]:
    return tuple(f for f in PRODUCT_FEATURES if f not in FAMILIES[family])


VARIANTS = {
    "product": {},
    "+authors": {"features": _with("authors")},
    "+diffusion": {"features": _with("diffusion")},
    "+novelty": {"features": _with("novelty")},
    "+venue (leaks: journal-ref is added after acceptance)": {"features": _with("venue")},
    "+authors+diffusion+novelty": {"features": _with("authors", "diffusion", "novelty")},
    "-neighbours": {"features": _without("neighbours"), "signals": {k: v for k, v in PRODUCT_SIGNALS.items()
                                                                   if not k.startswith("neighbour")}},
    "no signal ranks": {"signals": {}},
    "+margin (regression of r − g)": {"members": ("boost", "logistic", "margin")},
    "rank features": {"rank_features": True},
    "rank features +margin": {"rank_features": True, "members": ("boost", "logistic", "margin")},
    "train on the maps of seeds 0-2": {"train_seeds": SEEDS},
}


def git_commit() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return sha + ("+uncommitted changes" if dirty else "")
    except OSError:
        return "unknown"


def run_variant(corpus, caches, spec: dict, seeds=SEEDS) -> dict:
    spec = dict(spec)
    options = {k: spec.pop(k) for k in ("train_seeds",) if k in spec}
    results = []
    for cutoff in TUNING_CUTOFFS:
        for seed in seeds:
            result, _ = evaluate(corpus, cutoff, seed, HORIZON, 20, 200, caches,
                                 lambda s=seed: TopicForecaster(seed=s, **spec), **options)
            results.append(result)
    summary = summarise(results)
    fw = summary.get("frontierwatch", {})
    best = max((m for m in summary if m not in ("frontierwatch", "random")), key=lambda m: summary[m]["mean_ap"])
    per_cutoff = {}
    for c in TUNING_CUTOFFS:
        rows = [r["methods"].get("frontierwatch", {}).get("ap", np.nan) for r in results if r["cutoff"] == c]
        per_cutoff[str(c)] = _mean(rows)
    return {"mean_ap": fw.get("mean_ap"), "mean_p_at_50": fw.get("mean_p_at_50"), "mean_f1": fw.get("mean_f1"),
            "mean_brier": fw.get("mean_brier"), "ap_by_cutoff": per_cutoff, "best_baseline": best,
            "best_baseline_ap": summary[best]["mean_ap"], "runs": len(results),
            "trained_runs": sum(r["trained"] for r in results)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", required=True, help="store with the shared arXiv corpus ingested and embedded")
    ap.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated variant names")
    ap.add_argument("--seeds", default=",".join(map(str, SEEDS)), help="topic-model seeds, comma-separated")
    ap.add_argument("--json", default="forecast-tuning", help="result name under bench/results/")
    args = ap.parse_args()
    seeds = tuple(int(x) for x in args.seeds.split(","))
    logging.basicConfig(level=logging.WARNING)
    t0 = time.perf_counter()
    with Store(args.store) as store:
        corpus = load_corpus(store, model=Settings().embed_model).until(OUTCOMES_UNTIL)  # nothing after 2015 decides
        caches = ForecastCaches(store)
        out = {}
        for name in args.variants.split(","):
            t = time.perf_counter()
            out[name] = run_variant(corpus, caches, VARIANTS[name], seeds)
            out[name]["seconds"] = round(time.perf_counter() - t, 1)
            print(f"{name:58s} AP {out[name]['mean_ap']:.3f}  p@50 {out[name]['mean_p_at_50']:.3f}  "
                  f"F1 {out[name]['mean_f1']:.3f}  Brier {out[name]['mean_brier']:.4f}  "
                  f"(best baseline {out[name]['best_baseline']} {out[name]['best_baseline_ap']:.3f})", flush=True)
    base = out.get("product", {}).get("mean_ap")
    for v in out.values():
        v["delta_ap_vs_product"] = None if base is None or v["mean_ap"] is None else round(v["mean_ap"] - base, 4)
    write_result(args.json, {
        "command": "python bench/forecast_tuning.py --store <store: frontierwatch ingest ../shared/data/arxiv; "
                   "frontierwatch embed> --variants " + args.variants
                   + " --seeds " + args.seeds,
        "commit": git_commit(), "protocol": {"cutoffs": list(TUNING_CUTOFFS), "horizon": HORIZON, "seeds": list(seeds),
                                             "outcomes_until": OUTCOMES_UNTIL, "label": "extreme-growth-8pct",
                                             "min_docs": 20},
        "variants": out, "wall_seconds": round(time.perf_counter() - t0, 1), "peak_rss_mib": peak_rss_mib()})


if __name__ == "__main__":
    main()
