"""The forecast as a user meets it, scored from the outside (issue 17 item 0): for each report cutoff T,
`frontierwatch build --as-of T-12-31`, then the order `frontierwatch topics --sort forecast` shows, scored
against each topic's extreme-growth label at T+3 computed from the store's own document → topic assignments of
that map (≥ 20 documents in T, the CSET rule) — beside recency and momentum on the same map and the backtest's
AP for that cutoff (seed = the store's topic seed).

Nothing here calls the forecast stage: it reads what the product publishes (the core API `Observatory.build`
and `Observatory.topics`, the CLI's own calls) and the store's ``doc_topics`` / ``documents``.

    python bench/forecast_product.py --store STORE [--cutoffs 2013,2014,2015,2016] [--horizon 3]

Writes ``bench/results/forecast-product.json``; rows of other cutoffs already there (same horizon and seed) are
kept, so the cutoffs can be measured in separate runs.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import peak_rss_mib, write_result  # noqa: E402
from forecast_tuning import git_commit  # noqa: E402

from frontierwatch.core import Observatory  # noqa: E402
from frontierwatch.forecast.metrics import average_precision, extreme_growth, precision_at  # noqa: E402


def outcome_table(store, map_id: int, cutoff: int, horizon: int) -> dict:
    """Per topic of the map: documents per year (≤ T + h, every document assigned to the map), from SQL."""
    rows = store.tables.sql(
        """SELECT t.topic_id, d.year, count(*) FROM doc_topics t JOIN documents d USING (doc_id)
           WHERE t.map_id = ? AND d.year BETWEEN ? AND ? GROUP BY ALL""",
        [map_id, cutoff - 12, cutoff + horizon]).rows()
    out: dict[str, dict[int, int]] = {}
    for tid, year, n in rows:
        out.setdefault(tid, {})[int(year)] = int(n)
    return out


def score_cutoff(obs: Observatory, cutoff: int, horizon: int, min_docs: int) -> dict:
    t0 = time.perf_counter()
    obs.build(date(cutoff, 12, 31), horizon=horizon)
    seconds = obs.last_build["seconds"]
    shown = obs.topics(date(cutoff, 12, 31), sort="forecast", horizon=horizon)
    counts = outcome_table(obs.store, shown["map_id"], cutoff, horizon)
    years = range(min(min(c) for c in counts.values()), cutoff + horizon + 1)
    totals = {y: sum(c.get(y, 0) for c in counts.values()) for y in years}
    ids = [t["id"] for t in shown["topics"]]
    share = {y: np.array([counts.get(t, {}).get(y, 0) / max(totals[y], 1) for t in ids]) for y in years}
    past = np.stack([share[y] for y in years if y <= cutoff], axis=1)
    peak, peak_year = past.max(axis=1), np.array([y for y in years if y <= cutoff])[
        past.shape[1] - 1 - np.argmax(past[:, ::-1], axis=1)]
    label = extreme_growth(share[cutoff + horizon], peak, peak_year, cutoff + horizon)
    n_t = np.array([counts.get(t, {}).get(cutoff, 0) for t in ids])
    ok = n_t >= min_docs
    rank = np.array([(t["forecast"] or {}).get("rank") or 0 for t in shown["topics"]], dtype=float)
    published = -np.where(rank > 0, rank, np.inf)          # the shown order: rank 1 first, unranked last
    mean_year = np.array([sum(y * n for y, n in counts.get(t, {}).items() if y <= cutoff)
                          / max(sum(n for y, n in counts.get(t, {}).items() if y <= cutoff), 1) for t in ids])
    with np.errstate(divide="ignore", invalid="ignore"):
        momentum = share[cutoff] / share[cutoff - 2]
    y = label[ok]
    return {"cutoff": cutoff, "map_id": shown["map_id"], "n_topics": len(ids), "n_eligible": int(ok.sum()),
            "n_positive": int(y.sum()), "n_ranked_eligible": int((rank[ok] > 0).sum()),
            "published": {"ap": average_precision(y, published[ok]), "p_at_50": precision_at(y, published[ok], 50)},
            "recency": {"ap": average_precision(y, mean_year[ok]), "p_at_50": precision_at(y, mean_year[ok], 50)},
            "momentum": {"ap": average_precision(y, np.nan_to_num(momentum[ok], nan=-1, posinf=1e9)),
                         "p_at_50": precision_at(y, np.nan_to_num(momentum[ok], nan=-1, posinf=1e9), 50)},
            "build_seconds": seconds, "seconds": round(time.perf_counter() - t0, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", required=True)
    ap.add_argument("--cutoffs", default="2013,2014,2015,2016")
    ap.add_argument("--horizon", type=int, default=3)
    ap.add_argument("--backtest", default="bench/results/backtest.json", help="backtest JSON to compare with")
    args = ap.parse_args()
    cutoffs = [int(c) for c in args.cutoffs.split(",")]
    with Observatory(args.store) as obs:
        seed = obs.settings.topic_seed
        rows = [score_cutoff(obs, c, args.horizon, 20) for c in cutoffs]
    bt = json.loads(Path(args.backtest).read_text()) if Path(args.backtest).is_file() else None
    for r in rows:
        match = [x for x in (bt or {}).get("results", []) if x["cutoff"] == r["cutoff"] and x["seed"] == seed
                 and bt.get("horizon") == args.horizon]
        r["backtest_ap"] = match[0]["methods"]["frontierwatch"]["ap"] if match and "frontierwatch" in match[0][
            "methods"] else None
        print(f"{r['cutoff']}: published AP {r['published']['ap']:.3f} p@50 {r['published']['p_at_50']:.2f} | recency "
              f"{r['recency']['ap']:.3f} | momentum {r['momentum']['ap']:.3f} | backtest AP {r['backtest_ap']} | "
              f"{r['n_eligible']} eligible, {r['n_positive']} positive", flush=True)
    path = Path(__file__).resolve().parent / "results" / "forecast-product.json"
    earlier = json.loads(path.read_text()) if path.is_file() else {}
    if earlier.get("horizon") == args.horizon and earlier.get("seed") == seed:
        rows = sorted([r for r in earlier["results"] if r["cutoff"] not in cutoffs] + rows, key=lambda r: r["cutoff"])
        args.cutoffs = ",".join(str(r["cutoff"]) for r in rows)
    write_result("forecast-product", {
        "command": f"python bench/forecast_product.py --store <store> --cutoffs {args.cutoffs} --horizon {args.horizon}",
        "commit": git_commit(), "seed": seed, "horizon": args.horizon, "results": rows,
        "mean": {k: float(np.mean([r[k]["ap"] for r in rows])) for k in ("published", "recency", "momentum")},
        "peak_rss_mib": peak_rss_mib()})


if __name__ == "__main__":
    main()
