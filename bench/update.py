"""Monthly update benchmark: `update` with one held-back month of new papers against a full rebuild.

The shared arXiv corpus (every `--every`-th record, by default all of them) is split at 2018-12-31: the papers up
to then are ingested and built as of 2018-12-31; the papers first submitted in January 2019 are held back. Then,
from two copies of that store: (a) `update` ingests the month, brings the map up to its newest date without
refitting and recomputes counts, signals, axes, forecast and directions; (b) the baseline ingests the same month
and rebuilds (refits) the map as of that date, with the same steps after it. Both are timed step by step, in one
run on the same machine, and the ratio is reported. Usage:
``python bench/update.py [--every 1] [--first-year 2010] [--no-forecast]``.
"""
from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, peak_rss_mib, write_result  # noqa: E402

from frontierwatch.core import Observatory  # noqa: E402
from frontierwatch.topics.queries import parse_as_of  # noqa: E402

CUT = "2018-12-31"


def split(first_year: int, every: int, dest: Path) -> tuple[Path, Path, int, int]:
    """Write the sampled papers up to 2018 and those of January 2019 to two files; return them and their counts."""
    base, month = dest / "base.jsonl.gz", dest / "2019-01.jsonl.gz"
    n_base = n_month = 0
    with gzip.open(base, "wt", encoding="utf-8") as fb, gzip.open(month, "wt", encoding="utf-8") as fm:
        for year in range(first_year, 2020):
            with gzip.open(SHARED / "data" / "arxiv" / f"arxiv-{year}.jsonl.gz", "rt", encoding="utf-8") as fh:
                for i, line in enumerate(fh):
                    if i % every:
                        continue
                    if year < 2019:
                        fb.write(line)
                        n_base += 1
                    elif " Jan 2019 " in json.loads(line)["versions"][0]["created"]:
                        fm.write(line)
                        n_month += 1
    return base, month, n_base, n_month


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--every", type=int, default=1, help="keep every N-th record (1 = the whole corpus)")
    ap.add_argument("--first-year", type=int, default=2010)
    ap.add_argument("--no-forecast", action="store_true", help="skip the forecast step in both runs")
    args = ap.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="fw-bench-update-"))
    try:
        base, month, n_base, n_month = split(args.first_year, args.every, scratch)
        store = scratch / "store"
        t0 = time.perf_counter()
        with Observatory(store) as obs:
            obs.ingest([base])
            obs.build(parse_as_of(CUT), forecast=not args.no_forecast)
        initial = time.perf_counter() - t0
        shutil.copytree(store, scratch / "rebuild")

        t0 = time.perf_counter()
        with Observatory(store) as obs:
            report = obs.update([month], forecast=not args.no_forecast)
            as_of = report["topics"].as_of
        update_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        with Observatory(scratch / "rebuild") as obs:
            t1 = time.perf_counter()
            obs.ingest([month])
            ingest_s = time.perf_counter() - t1
            obs.build(as_of, forecast=not args.no_forecast)
            rebuild_steps = {"ingest": round(ingest_s, 2)} | obs.last_build["seconds"]
        rebuild_s = time.perf_counter() - t0
        result = {
            "corpus": f"shared/data/arxiv {args.first_year}-2018 + January 2019, every {args.every}. record",
            "documents_initial": n_base, "documents_new_month": n_month, "as_of_after": str(as_of),
            "forecast": not args.no_forecast, "initial_build_s": round(initial, 2),
            "update_s": round(update_s, 2), "update_steps_s": report["seconds"],
            "rebuild_s": round(rebuild_s, 2), "rebuild_steps_s": rebuild_steps,
            "rebuild_over_update": round(rebuild_s / update_s, 2), "target_update_s": 30,
            "peak_rss_mib": peak_rss_mib(),
            "command": "python bench/update.py " + " ".join(sys.argv[1:]),
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for k, v in result.items():
        print(f"{k:>22}: {v}")
    write_result("update" if args.every == 1 else f"update-every{args.every}", result)


if __name__ == "__main__":
    main()
