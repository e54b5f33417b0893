"""Matchmaking quality: precision@5 of topic ranking on the shipped evaluation needs, per method.

Runs `frontierwatch.match.evaluate` (52 needs, half Chinese, half English, six directions) on a store with a
topic map — by default the demo store, built first when missing — for every method (multilingual, static, bm25,
bridge, fusion, multilingual+bm25) plus an ablation without the taxonomy's seed terms in the bridge, and writes
bench/results/match_eval.json with the date and the machine. Takes about a minute on a built store (2 cores).

    python bench/match_eval.py [--store PATH]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, write_result  # noqa: E402

from frontierwatch.match import DEFAULT_METHOD, METHODS, evaluate  # noqa: E402
from frontierwatch.store import Store  # noqa: E402


def _ensure_demo_store(path: Path) -> None:
    if (path / "frontierwatch.duckdb").exists():
        return
    cli = [sys.executable, "-m", "frontierwatch.cli"]
    subprocess.run(cli + ["ingest", str(ROOT / "data" / "demo"), "--store", str(path)], check=True)
    subprocess.run(cli + ["build", "--store", str(path)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=ROOT / "fw-demo", help="store with a topic map (demo store)")
    args = parser.parse_args()
    _ensure_demo_store(args.store)
    started = time.perf_counter()
    with Store(args.store) as store:
        report = evaluate(store, METHODS)
        ablation = evaluate(store, ("bridge", "fusion"), use_taxonomy=False)
    for name, scores in report["methods"].items():
        print(f"{name:18s} P@5 {scores['p_at_k']:.3f}  normalised {scores['p_at_k_normalised']:.3f}  "
              f"hit@1 {scores['hit_at_1']:.3f}  zh {scores['by_language']['zh']['p_at_k']:.3f}  "
              f"en {scores['by_language']['en']['p_at_k']:.3f}")
    write_result("match_eval", {
        "store": args.store.name, "default_method": DEFAULT_METHOD, **{k: v for k, v in report.items()},
        "ablation_without_taxonomy_terms": ablation["methods"], "seconds": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()
