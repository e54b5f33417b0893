"""Matchmaking quality: precision@5 of topic ranking on the judged needs and on the shipped automatic set.

Two sets, on a store with a topic map — by default the demo store, built first when missing:

* the **judged set** (`bench/match/`: 24 Chinese + 24 English needs, every topic of the demo map graded by hand
  before any matcher ran; see its README): P@5, normalised P@5 and hit@1 per language, on the tuning half, the
  test half and all needs, for the product's method and the variants it was chosen from, beside the matcher of
  main before this set existed (fusion, matchmaking glossary only). Scored only on the map it was judged on;
* the shipped **automatic set** (`frontierwatch.match.evaluate`, 52 needs, relevance by expected terms and arXiv
  categories) for every method, an ablation without the taxonomy's seed terms, and the "no good match" bar on
  the 52 needs and 16 nonsense inputs.

Writes bench/results/match_eval.json with the date, machine, load average and commit. About two minutes on a
built demo store (2 cores).

    python bench/match_eval.py [--store PATH]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, write_result  # noqa: E402

from frontierwatch.match import DEFAULT_METHOD, METHODS, evaluate, load_eval_needs, match_need  # noqa: E402
from frontierwatch.match.judged import evaluate_judged  # noqa: E402
from frontierwatch.match.matcher import MIN_MEANING  # noqa: E402

# Inputs that are not needs at all (keyboard runs, chit-chat, recipes, foreign function words): the "no good match"
# bar must refuse every one of them while passing every evaluation need.
NONSENSE = ["asdf qwer zxcv", "des la und", "今天天气很好我们去公园散步", "lorem ipsum dolor sit amet", "我想吃火锅",
            "xyz 123 abc", "the cat sat on the mat", "请帮我订一张机票", "hello world", "的了吗呢", "banana smoothie recipe",
            "周末去哪里玩", "football match results yesterday", "红烧肉的做法", "qwertyuiop", "zzzz"]


def no_match_calibration(store: Store) -> dict:
    """How the "no good match" bar splits the evaluation needs (should all pass) and `NONSENSE` (should all fail)."""
    needs = [match_need(store, n["text"], top=5, lang=n["lang"])["good_match"] for n in load_eval_needs()]
    junk = {t: match_need(store, t, top=5)["good_match"] for t in NONSENSE}
    return {"rule": f"a non-junk topic shares a keyphrase term (BM25 > 0) or multilingual cosine >= {MIN_MEANING}",
            "needs_passed": sum(needs), "needs": len(needs),
            "nonsense_refused": sum(not v for v in junk.values()), "nonsense": len(junk),
            "nonsense_passed": [t for t, v in junk.items() if v]}
from frontierwatch.store import Store  # noqa: E402


def _ensure_demo_store(path: Path) -> None:
    if (path / "frontierwatch.duckdb").exists():
        return
    cli = [sys.executable, "-m", "frontierwatch.cli"]
    subprocess.run(cli + ["ingest", str(ROOT / "data" / "demo"), "--store", str(path)], check=True)
    subprocess.run(cli + ["build", "--store", str(path)], check=True)


JUDGED = ROOT / "bench" / "match"
# the variants the product's method was chosen from on the tuning half (bench/match/README.md)
JUDGED_METHODS = ("bridge", "fusion", "bm25+documents", "bridge+documents", "fusion+documents")


def _commit() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + (" (uncommitted changes)" if git("status", "--porcelain", "src") else "")


def judged(store: Store) -> dict:
    """The judged set: the variants, and main's matcher before this set (fusion without the names glossary)."""
    needs = json.loads((JUDGED / "needs.v1.json").read_text(encoding="utf-8"))["needs"]
    grades = json.loads((JUDGED / "judgements.v1.json").read_text(encoding="utf-8"))
    report = evaluate_judged(store, needs, grades, JUDGED_METHODS)
    before = evaluate_judged(store, needs, grades, ("fusion",), use_names=False)
    report["methods"]["main before: fusion, matchmaking glossary only"] = before["methods"]["fusion"]
    for row, old in zip(report["per_need"], before["per_need"]):
        row["main before"] = old["fusion"]
    return report


def _line(name: str, scores: dict) -> str:
    return "  ".join(f"{lang} P@5 {s['p_at_k']:.3f} (ceiling {s['ceiling_p_at_k']:.3f}) normalised "
                     f"{s['p_at_k_normalised']:.3f} hit@1 {s['hit_at_1']:.3f}"
                     for lang, s in ((lang, scores[lang]) for lang in ("zh", "en")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=ROOT / "fw-demo", help="store with a topic map (demo store)")
    args = parser.parse_args()
    _ensure_demo_store(args.store)
    started = time.perf_counter()
    with Store(args.store, read_only=True) as store:
        judged_report = judged(store)
        report = evaluate(store, METHODS)
        ablation = evaluate(store, ("bridge", "fusion"), use_taxonomy=False)
        calibration = no_match_calibration(store)
    for name, scores in judged_report["methods"].items():
        for half in ("tune", "test", "all"):
            print(f"judged {name:48s} {half:4s} {_line(name, scores[half])}")
    print(f"no good match: {calibration['needs_passed']}/{calibration['needs']} needs pass, "
          f"{calibration['nonsense_refused']}/{calibration['nonsense']} nonsense inputs refused")
    for name, scores in report["methods"].items():
        print(f"{name:18s} P@5 {scores['p_at_k']:.3f}  normalised {scores['p_at_k_normalised']:.3f}  "
              f"hit@1 {scores['hit_at_1']:.3f}  zh {scores['by_language']['zh']['p_at_k']:.3f}  "
              f"en {scores['by_language']['en']['p_at_k']:.3f}")
    write_result("match_eval", {
        "store": args.store.name, "commit": _commit(), "default_method": DEFAULT_METHOD, "judged": judged_report,
        **{k: v for k, v in report.items()},
        "ablation_without_taxonomy_terms": ablation["methods"], "no_good_match": calibration, "seconds": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()
