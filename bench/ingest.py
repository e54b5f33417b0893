"""Ingest benchmark: the full shared arXiv corpus into a scratch store, bulk path and record path side by side.

Each run is a fresh process and a fresh store; the two paths alternate (bulk, record, bulk, record, ...), so they
meet the same load, and the figures are medians over `--repeat` runs of each. Per run: wall time, records/s, CPU
seconds (all threads and worker processes: the work done, which the load of a shared machine does not change), peak
RSS, the load average before it, and a content hash of everything ingest writes (documents, keys, provenance,
rejects): the two paths must agree on it. The first bulk run also times an idempotent re-ingest.

    python bench/ingest.py [--years 2007-2019] [--repeat 3] [--paths bulk,record]

Writes bench/results/ingest.json. `--paths bulk` runs the bulk path only (the record path takes three times as
long): the record path's figures and content hash are then carried from the previous bench/results/ingest.json,
marked with the date they were measured, and the bulk runs are checked against that hash.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, SHARED, peak_rss_mib, write_result  # noqa: E402

RESULT = RESULTS / "ingest.json"

CONTENT_HASH = """
SELECT (SELECT hash(string_agg(md5(d::VARCHAR), '' ORDER BY doc_id)) FROM documents d),
       (SELECT hash(string_agg(key || '=' || doc_id, '' ORDER BY key)) FROM document_keys),
       (SELECT hash(string_agg(doc_id || file || line, '' ORDER BY file, line)) FROM provenance),
       (SELECT hash(string_agg(file || line || reason, '' ORDER BY file, line)) FROM rejects)"""


def cpu_seconds() -> float:
    """CPU time of this process (all its threads) and its finished children, user + system."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def one_run(files: list[Path], bulk: bool, store_dir: Path, rerun: bool) -> dict:
    """Ingest `files` into a new store in this process; the figures of that run."""
    from frontierwatch.settings import load_settings
    from frontierwatch.sources import ingest
    from frontierwatch.store import Store

    load = os.getloadavg()
    settings = load_settings(ingest_bulk=bulk)
    with Store(store_dir) as store:
        t0, c0 = time.perf_counter(), cpu_seconds()
        summary = ingest(store, files, settings=settings)
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        rss = peak_rss_mib()
        records = summary.accepted + summary.merged + summary.rejected
        out = {"path": "bulk" if bulk else "record", "wall_s": round(wall, 2), "records": records,
               "records_per_s": round(records / wall), "cpu_s": round(cpu, 2),
               "records_per_cpu_s": round(records / cpu), "peak_rss_mib": rss,
               "load_average_before": [round(x, 2) for x in load], "accepted": summary.accepted,
               "merged": summary.merged, "rejected": summary.rejected,
               "distinct_documents": store.tables.sql("SELECT count(*) FROM documents").rows()[0][0],
               "content_hash": [str(h) for h in store.tables.sql(CONTENT_HASH).rows()[0]]}
        if rerun:
            t1 = time.perf_counter()
            again = ingest(store, files, settings=settings)
            out["reingest_s"] = round(time.perf_counter() - t1, 2)
            out["reingest_changed"] = again.accepted + again.merged + again.rejected
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--years", default="2007-2019")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--paths", default="bulk,record", help="comma-separated: bulk, record")
    ap.add_argument("--one", choices=["bulk", "record"], help=argparse.SUPPRESS)  # a single run, in a child
    ap.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--rerun", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    first, last = (int(y) for y in args.years.split("-"))
    files = [SHARED / "data" / "arxiv" / f"arxiv-{y}.jsonl.gz" for y in range(first, last + 1)]
    if args.one:
        print(json.dumps(one_run(files, args.one == "bulk", args.store, args.rerun)))
        return
    paths = [p for p in ("bulk", "record") if p in args.paths.split(",")]
    previous = json.loads(RESULT.read_text()) if RESULT.exists() else {}
    runs: list[dict] = []
    for i in range(args.repeat):
        for path in paths:
            scratch = Path(tempfile.mkdtemp(prefix="fw-bench-ingest-"))
            try:
                cmd = [sys.executable, __file__, "--years", args.years, "--one", path, "--store", str(scratch / "store")]
                out = subprocess.run(cmd + (["--rerun"] if i == 0 and path == "bulk" else []), check=True,
                                     capture_output=True, text=True).stdout
                runs.append(json.loads(out.strip().splitlines()[-1]))
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            r = runs[-1]
            print(f"{path:>6} run {i + 1}: {r['wall_s']:.1f} s, {r['records_per_s']:,}/s, {r['cpu_s']:.1f} CPU s "
                  f"({r['records_per_cpu_s']:,}/CPU s), peak RSS {r['peak_rss_mib']} MiB, "
                  f"load {r['load_average_before'][0]}", flush=True)
    by = {p: [r for r in runs if r["path"] == p] for p in paths}
    median = {p: statistics.median(r["wall_s"] for r in rs) for p, rs in by.items()}
    records = runs[0]["records"]
    hashes = {tuple(r["content_hash"]) for r in runs}
    carried = {}
    for p in {"bulk", "record"} - set(paths):  # a path not run now: its last measured figures, with their date
        if previous.get("records") != records or p not in previous:
            sys.exit(f"--paths {args.paths}: no earlier {p} figures for this corpus in {RESULT}")
        old = [r for r in previous["runs"] if r["path"] == p]
        by[p], median[p] = old, previous[p]["median_wall_s"]
        carried[p] = {"measured": previous[p].get("measured", previous["date"]), "command": previous["command"]}
        hashes |= {tuple(r["content_hash"]) for r in old}
    result = {
        "corpus": f"shared/data/arxiv {first}-{last}", "files": len(files), "records": records,
        "distinct_documents": runs[0]["distinct_documents"], "accepted": runs[0]["accepted"],
        "merged": runs[0]["merged"], "rejected": runs[0]["rejected"], "repeat": args.repeat,
        **{p: {"median_wall_s": median[p], "records_per_s": round(records / median[p]),
               "median_cpu_s": statistics.median(r["cpu_s"] for r in by[p]),
               "records_per_cpu_s": round(records / statistics.median(r["cpu_s"] for r in by[p])),
               "peak_rss_mib": max(r["peak_rss_mib"] for r in by[p]),
               "load_average_1min_before": [r["load_average_before"][0] for r in by[p]], **carried.get(p, {})}
            for p in ("bulk", "record")},
        "speedup_bulk_over_record": round(median["record"] / median["bulk"], 2),
        "cpu_ratio_record_over_bulk": round(statistics.median(r["cpu_s"] for r in by["record"])
                                            / statistics.median(r["cpu_s"] for r in by["bulk"]), 2),
        "same_content_both_paths": len(hashes) == 1,
        "reingest_s": by["bulk"][0].get("reingest_s"), "reingest_changed": by["bulk"][0].get("reingest_changed"),
        "target_records_per_s": 20000, "runs": runs + [r for p in carried for r in by[p]],
        "command": f"python bench/ingest.py --years {args.years} --repeat {args.repeat}"
                   + (f" --paths {args.paths}" if carried else ""),
    }
    for k in ("records", "bulk", "record", "speedup_bulk_over_record", "same_content_both_paths", "reingest_s"):
        print(f"{k:>26}: {result[k]}")
    write_result("ingest", result)


if __name__ == "__main__":
    main()
