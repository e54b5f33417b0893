"""Search quality: precision@10 of document search on 40 written queries (20 Chinese, 20 English), judged by hand.

Queries: ``bench/search/queries.v1.json`` (written before any result was seen). Judgements:
``bench/search/judgements.v1.json`` — ``{query id: {doc_id: 1 | 0}}``, each document judged relevant (1) when its
title/abstract is about the query's subject, from a pool of the top 10 of every system compared, shuffled, without
saying which system returned it. Systems: ``current`` (this checkout's `Observatory.search`) and, when given,
``--baseline FILE`` (``{query id: {"total", "ids"}}`` written by another version, e.g. the search before the
bridge). P@10 = relevant among the first 10 / 10 (a query with fewer than 10 results loses the missing ranks).

    python bench/search_eval.py [--store fw-demo] [--baseline FILE] [--pool OUT]

``--pool OUT`` writes the documents not judged yet (shuffled, no system named) to judge, instead of scoring.
Writes ``bench/results/search_eval.json`` (date, machine, store, per-language P@10, per-query rows, and how many
returned documents are unjudged — counted as not relevant).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, write_result  # noqa: E402

from frontierwatch.search import ensure_index, search_documents  # noqa: E402
from frontierwatch.store import Store  # noqa: E402

HERE = ROOT / "bench" / "search"
K = 10


def _load(name: str) -> dict:
    path = HERE / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def run_current(store: Store, queries: list[dict]) -> dict:
    out = {}
    for q in queries:
        started = time.perf_counter()
        got = search_documents(store, q["q"], limit=K)
        out[q["id"]] = {"total": got["total"], "ids": [d["doc_id"] for d in got["results"]],
                        "ms": round((time.perf_counter() - started) * 1000, 1)}
    return out


def precision(runs: dict, queries: list[dict], judged: dict) -> dict:
    rows, by_lang, unjudged = [], {"zh": [], "en": []}, 0
    for q in queries:
        ids = runs[q["id"]]["ids"][:K]
        marks = judged.get(q["id"], {})
        unjudged += sum(1 for d in ids if d not in marks)
        p = sum(marks.get(d, 0) for d in ids) / K
        by_lang[q["lang"]].append(p)
        rows.append({"id": q["id"], "q": q["q"], "total": runs[q["id"]]["total"], "returned": len(ids),
                     "p_at_10": round(p, 2)})
    mean = {lang: round(sum(v) / len(v), 3) for lang, v in by_lang.items() if v}
    return {"p_at_10": mean, "unjudged_returned": unjudged, "per_query": rows}


def write_pool(store: Store, runs: dict[str, dict], queries: list[dict], judged: dict, out: Path) -> None:
    """Unjudged documents of every system, per query, shuffled (seeded), with title and abstract start."""
    rng = random.Random(20261130)
    pool = {}
    for q in queries:
        ids = sorted({d for r in runs.values() for d in r[q["id"]]["ids"][:K]} - set(judged.get(q["id"], {})))
        rng.shuffle(ids)
        if ids:
            rows = store.tables.sql("SELECT doc_id, title, left(coalesce(abstract, ''), 300) FROM documents "
                                    "WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [ids]).rows()
            text = {r[0]: (r[1], r[2]) for r in rows}
            pool[q["id"]] = {"q": q["q"], "docs": [{"doc_id": d, "title": text[d][0], "abstract": text[d][1]}
                                                   for d in ids]}
    out.write_text(json.dumps(pool, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"pool of {sum(len(p['docs']) for p in pool.values())} documents to judge in {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=ROOT / "fw-demo", help="store (the demo store by default)")
    parser.add_argument("--baseline", type=Path, help="another system's results to compare (and pool)")
    parser.add_argument("--pool", type=Path, help="write the unjudged pool here instead of scoring")
    args = parser.parse_args()
    queries = _load("queries.v1.json")["queries"]
    judged = _load("judgements.v1.json").get("judgements", {})
    with Store(args.store) as store:
        ensure_index(store)
        search_documents(store, "warm up", limit=1)  # loads the in-memory index once
        runs = {"current": run_current(store, queries)}
        if args.baseline:
            runs["baseline"] = json.loads(args.baseline.read_text(encoding="utf-8"))
        if args.pool:
            write_pool(store, runs, queries, judged, args.pool)
            return
        n_docs = store.tables.sql("SELECT count(*) FROM documents").scalar()
    report = {name: precision(r, queries, judged) for name, r in runs.items()}
    ms = sorted(r["ms"] for r in runs["current"].values())
    for name, rep in report.items():
        print(f"{name:9s} P@10 zh {rep['p_at_10'].get('zh')}  en {rep['p_at_10'].get('en')}  "
              f"(unjudged returned: {rep['unjudged_returned']})")
    write_result("search_eval", {
        "store": args.store.name, "documents": n_docs, "queries": len(queries), "k": K,
        "judgements": sum(len(v) for v in judged.values()),
        "median_ms_per_query_in_process": ms[len(ms) // 2],
        "systems": {"current": "Observatory.search: every concept, glossary zh<->en bridge, phrases",
                    **({"baseline": f"results read from {args.baseline.name}"} if args.baseline else {})},
        "results": report})


if __name__ == "__main__":
    main()
