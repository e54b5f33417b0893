"""The Spark engine against the embedded engine on the shared arXiv corpus: seconds per stage, documents per
second per core, peak memory and Spark's overhead ratio, for ``local[1]``, ``local[2]`` and the embedded engine.

    python bench/spark.py [--every N] [--engines embedded,local[1],local[2]]

Each engine runs in its own process (so peak memory is its own: the process tree's resident memory — driver,
JVM and Python workers — sampled every 0.2 s) on the same files: every N-th line of each year's file of
``../shared/data/arxiv`` (default N = 64, for a run that fits a ten-minute slot on two shared cores). Stages:

* ``ingest`` — parse + identity + the store written (Spark: parse job, identity job, load through the seam);
* ``embed`` — vectors of the static model (Spark: `mapInArrow` in the executors, then into the store);
* ``fit`` — the topic map fitted on the driver (the same code in every run; not a Spark stage, shown for scale);
* ``assign`` — every document to its nearest centroid (Spark: broadcast centroids in the executors);
* ``counts`` — topic × year counts and the count-derived signals (Spark: ``groupBy`` aggregations).

Results merge into bench/results/spark.json by engine (run one engine per call under the heavy lock if a slot is
short); ``overhead`` is each stage's Spark seconds divided by the embedded engine's, from runs in that file.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, ROOT, SHARED, machine, tree_rss_mib, write_result  # noqa: E402
from pipeline import sample_files  # noqa: E402

AS_OF = date(2019, 12, 31)
N_TOPICS = 40


class PeakMemory:
    """Peak resident memory of this process tree while the block runs."""

    def __enter__(self):
        self.peak, self._stop = 0.0, threading.Event()

        def watch():
            while not self._stop.is_set():
                self.peak = max(self.peak, tree_rss_mib(os.getpid()))
                time.sleep(0.2)
        self._thread = threading.Thread(target=watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def arxiv_sample(every: int, scratch: Path) -> list[Path]:
    """Every `every`-th line of each shared arXiv year (`pipeline.sample_files`, the pipeline bench's sampler)."""
    return sample_files(sorted((SHARED / "data" / "arxiv").glob("arxiv-*.jsonl.gz")), every, scratch)


def run_one(engine: str, files: list[Path], scratch: Path) -> dict:
    """Every stage once with `engine` ("embedded" or a Spark master); returns seconds per stage and counts."""
    from frontierwatch import pipeline
    from frontierwatch.core import Observatory
    from frontierwatch.settings import load_settings
    from frontierwatch.topics import build_topics
    from frontierwatch.topics.tables import map_row

    store = scratch / f"store-{engine.replace('[', '').replace(']', '')}"
    spark = engine != "embedded"
    settings = load_settings(store=store, engine="spark" if spark else "embedded",
                             spark_master=engine if spark else None, spark_data=str(store / "parquet"))
    seconds, t0 = {}, time.perf_counter()
    with PeakMemory() as mem:
        if spark:
            from frontierwatch.spark import spark_session
            spark_session(engine)
            seconds["session start"] = round(time.perf_counter() - t0, 2)
        with Observatory(store, settings) as obs:
            t = time.perf_counter()
            summary = obs.ingest(files)
            seconds["ingest"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            pipeline.embed(obs.store, settings)
            seconds["embed"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            build_topics(obs.store, AS_OF, n_topics=N_TOPICS)  # fits and assigns (embedded) on the driver
            seconds["fit"] = round(time.perf_counter() - t, 2)
            m = map_row(obs.store, AS_OF)
            if spark:
                from frontierwatch.spark import engine as spark_engine
                t = time.perf_counter()
                assigned = spark_engine.assign_map(obs.store, settings, m["map_id"])
                seconds["assign"] = round(time.perf_counter() - t, 2)
                t = time.perf_counter()
                counts = spark_engine.count_signals_of_map(obs.store, settings, m["map_id"], m["as_of"])
                seconds["counts"] = round(time.perf_counter() - t, 2)
                n_assigned = assigned.num_rows
            else:
                from frontierwatch.embed import load_embeddings
                from frontierwatch.signals.compute import compute_topic_signals
                from frontierwatch.signals.documents import load_signal_documents
                from frontierwatch.topics.model import nearest_centroid
                from frontierwatch.topics.tables import fitted_assignments, map_centroids
                t = time.perf_counter()
                _, centroids = map_centroids(obs.store, m["map_id"])
                ids, vectors = load_embeddings(obs.store)
                nearest_centroid(vectors, centroids)
                seconds["assign"] = round(time.perf_counter() - t, 2)
                t = time.perf_counter()
                docs = load_signal_documents(obs.store, m["as_of"].year)
                topic_of = fitted_assignments(obs.store, m["map_id"])
                keep = [d in topic_of for d in docs["doc_id"]]
                frame = {"doc_id": docs["doc_id"][keep], "year": docs["year"][keep], "month": docs["month"][keep]}
                frame["topic_id"] = [topic_of[d][0] for d in frame["doc_id"]]
                counts = compute_topic_signals(frame)  # counts and count-derived signals only (no text given)
                seconds["counts"] = round(time.perf_counter() - t, 2)
                n_assigned = len(ids)
    if spark:
        from frontierwatch.spark import stop_spark
        stop_spark()
    cores = int(engine[6:-1]) if spark else os.cpu_count()
    docs = summary.accepted + summary.merged
    return {"engine": engine, "cores": cores, "documents": docs, "assigned": n_assigned,
            "topic_year_rows": counts.num_rows, "seconds": seconds,
            "docs_per_s": {k: round(docs / v, 1) for k, v in seconds.items() if k in ("ingest", "embed", "assign") and v},
            "docs_per_s_per_core": {k: round(docs / v / cores, 1) for k, v in seconds.items()
                                    if k in ("ingest", "embed", "assign") and v},
            "peak_memory_mib": round(mem.peak, 1), "load_average_after": [round(x, 2) for x in os.getloadavg()]}


def openalex_parse_rate(seconds: float = 10.0) -> dict:
    """Records per second on one core of the OpenAlex connector + validation (what a Spark parse task runs), on the
    demo corpus's OpenAlex works read again and again for `seconds`, and their mean JSON size."""
    from frontierwatch.sources.detect import plan_files
    from frontierwatch.sources.prepare import prepare
    from frontierwatch.sources.record import Reject

    plan, _ = plan_files([ROOT / "data" / "demo" / "openalex"], "auto")
    records, started, loops = 0, time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        for path, fmt in plan:
            for item in fmt.read(path):
                if not isinstance(item, Reject):
                    prepare(item, 1_000_000)
                records += 1
        loops += 1
    elapsed = time.perf_counter() - started
    raw = sum(len(line) for path, _ in plan if path.name.endswith(".gz") and "updated_date" in str(path)
              for line in gzip.open(path))
    lines = sum(1 for path, _ in plan if path.name.endswith(".gz") and "updated_date" in str(path) for _ in gzip.open(path))
    return {"records_per_s_one_core": round(records / elapsed, 1), "records": records, "seconds": round(elapsed, 1),
            "snapshot_partition_bytes_per_work": round(raw / max(lines, 1)),
            "files": [str(p.relative_to(ROOT)) for p, _ in plan]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--every", type=int, default=64, help="every N-th line of each year's file (default 64)")
    ap.add_argument("--engines", default="embedded,local[1],local[2]")
    ap.add_argument("--openalex", action="store_true", help="also measure the OpenAlex connector's rate on one core")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # child process: run this engine, print JSON
    ap.add_argument("--scratch", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        scratch = Path(args.scratch)
        files = sorted((scratch / "sample").glob("*.jsonl.gz"))
        print("RESULT " + json.dumps(run_one(args.one, files, scratch)))
        return
    scratch = Path(tempfile.mkdtemp(prefix="fw-bench-spark-"))
    (scratch / "sample").mkdir()
    files = arxiv_sample(args.every, scratch / "sample")
    out = RESULTS / "spark.json"
    old = json.loads(out.read_text()) if out.exists() else {}
    runs = {f'{r["engine"]}@{r.get("every", old.get("every"))}': r | {"every": r.get("every", old.get("every"))}
            for r in old.get("runs", [])}  # every engine and sample size measured so far
    openalex = openalex_parse_rate() if args.openalex else old.get("openalex_parse")
    for engine in args.engines.split(","):
        load_before = [round(x, 2) for x in os.getloadavg()]
        proc = subprocess.run([sys.executable, __file__, "--one", engine, "--scratch", str(scratch)],
                              capture_output=True, text=True, env=os.environ | {"FRONTIERWATCH_LANG": "en"})
        line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
        if proc.returncode or not line:
            sys.exit(f"{engine} failed:\n{proc.stderr[-3000:]}")
        key = f"{engine}@{args.every}"
        runs[key] = json.loads(line[0][7:]) | {"every": args.every, "load_average_before": load_before,
                                               "machine": machine()}
        print(engine, runs[key]["seconds"], runs[key]["peak_memory_mib"], "MiB", flush=True)
        _write(args.every, files, runs, openalex)  # after each engine, so a run cut short keeps what it measured


def _write(every: int, files: list[Path], runs: dict, openalex: dict | None) -> None:
    overhead = {}
    for key, run in runs.items():
        base = runs.get(f"embedded@{run['every']}")
        if base and run["engine"] != "embedded":
            overhead[key] = {k: round(v / base["seconds"][k], 2) for k, v in run["seconds"].items()
                             if base["seconds"].get(k)}
    write_result("spark", {
        "command": "python bench/spark.py --every N --openalex (N = each run's 'every')",
        "corpus": f"shared/data/arxiv ({len(files)} files), every N-th line of each",
        "as_of": AS_OF.isoformat(), "topics": N_TOPICS, "runs": list(runs.values()),
        "overhead_vs_embedded": overhead, "openalex_parse": openalex,
        "note": "Spark stages include their Python worker and JVM costs; 'session start' is the SparkSession's own. "
                "Runs of one engine may come from separate calls (see each run's load averages): the machine is shared, "
                "so compare ratios, not absolute seconds."})

if __name__ == "__main__":
    main()
