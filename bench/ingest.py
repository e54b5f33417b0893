"""Ingest benchmark: the full shared arXiv corpus into a scratch store.

Prints and records wall time, records/s, peak RSS, accepted/merged/rejected, distinct documents, and the time of
an idempotent re-ingest. Usage: ``python bench/ingest.py [--years 2007-2019]``.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, peak_rss_mib, write_result  # noqa: E402

from frontierwatch.sources import ingest  # noqa: E402
from frontierwatch.store import Store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--years", default="2007-2019")
    args = ap.parse_args()
    first, last = (int(y) for y in args.years.split("-"))
    files = [SHARED / "data" / "arxiv" / f"arxiv-{y}.jsonl.gz" for y in range(first, last + 1)]
    scratch = Path(tempfile.mkdtemp(prefix="fw-bench-ingest-"))
    try:
        store = Store(scratch / "store")
        t0 = time.perf_counter()
        summary = ingest(store, files)
        wall = time.perf_counter() - t0
        records = summary.accepted + summary.merged + summary.rejected
        docs = store.con.execute("SELECT count(*) FROM documents").fetchone()[0]
        t1 = time.perf_counter()
        again = ingest(store, files)
        rerun = time.perf_counter() - t1
        store.close()
        result = {
            "corpus": f"shared/data/arxiv {first}-{last}", "files": len(files), "records": records,
            "accepted": summary.accepted, "merged": summary.merged, "rejected": summary.rejected,
            "distinct_documents": docs, "wall_s": round(wall, 2), "records_per_s": round(records / wall),
            "reingest_s": round(rerun, 2), "reingest_changed": again.accepted + again.merged + again.rejected,
            "peak_rss_mib": peak_rss_mib(), "target_records_per_s": 20000,
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for k, v in result.items():
        print(f"{k:>22}: {v}")
    write_result("ingest", result)


if __name__ == "__main__":
    main()
