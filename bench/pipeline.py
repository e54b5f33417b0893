"""Pipeline benchmark: raw files to a published catalog edition on the shared arXiv corpus, as a user runs it.

From a fresh store: ``frontierwatch ingest <shared arXiv files>`` → ``build --as-of 2019-12-31`` (the edition's
date, so the catalog reads that map) → ``catalog --edition 2019H2``, then two more editions on the same store:
the same edition in Chinese (``other_language``: the map is there, only the edition is made) and the edition of
another period (``catalog --edition 2018H2``: its map, names, signals, forecast and directions are built first;
``--second none`` skips it). Each command runs as its own process with ``--profile``, so the figures are the
product's own: wall time per command (measured here), each stage's seconds, rows and peak memory (from the
profile), and the command's peak memory with its worker processes. Repeated `--repeat` times with a fresh store
each time; the medians and each stage's share of the median run are reported with the load average.

    python bench/pipeline.py [--repeat 3] [--edition 2019H2] [--second 2018H2] [--every N] [--budget SECONDS]

``--every N`` runs on a sample: every N-th line of each year's file (the same years, so the same cutoffs and
editions), written to scratch files before the clock starts — for a machine or a time slot where the whole
corpus does not fit; the result says which. ``--budget`` stops starting new passes once that many seconds have
gone (the passes done are reported). Writes bench/results/pipeline.json (``pipeline-every-N.json`` for a sample).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, tree_rss_mib, write_result  # noqa: E402

TARGETS = {"fresh_to_edition_s": 180, "second_edition_s": 20, "peak_rss_mib": 4096}


def run_command(args: list[str], profile: Path) -> dict:
    """Run ``frontierwatch ARGS --profile PROFILE``: its wall time, peak RSS of the command's process (``wait4``)
    and of its process tree (the command with its worker processes, sampled every 0.2 s), and its profile."""
    cmd = [sys.executable, "-m", "frontierwatch.cli", *args, "--profile", str(profile)]
    log = profile.with_suffix(".log")
    t0 = time.perf_counter()
    peak_tree = [0.0]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.2):
                peak_tree[0] = max(peak_tree[0], tree_rss_mib(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        done.set()
        sampler.join()
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{args[0]} failed ({proc.returncode}):\n{log.read_text()[-2000:]}")
    prof = json.loads(profile.read_text())
    # the process's peak: its stages' high-water marks (the kernel's, reset per stage — which also resets what
    # wait4 reports at exit, so that figure alone can miss an earlier stage's peak) and wait4's
    own = max(usage.ru_maxrss / 1024, prof.get("peak_rss_mib") or 0.0)
    out = {"wall_s": round(wall, 2), "peak_rss_mib": round(max(own, peak_tree[0]), 1),
           "peak_rss_process_mib": round(own, 1), "peak_rss_tree_mib": round(peak_tree[0], 1), "profile": prof}
    stages = ", ".join(f"{s['stage']} {s['seconds']:.1f}" for s in out["profile"]["stages"])
    print(f"  {args[0]}: {out['wall_s']:.1f} s ({stages}), peak RSS {out['peak_rss_mib']:.0f} MiB "
          f"(process {out['peak_rss_process_mib']:.0f}, with workers {out['peak_rss_tree_mib']:.0f})", flush=True)
    return out


def edition_end(edition: str) -> str:
    """The as-of date of an edition code (2019H2 → 2019-12-31, 2019H1 → 2019-06-30): `build` fits that map, so
    the catalog reads it instead of fitting another for its own date."""
    return f"{edition[:4]}-{'06-30' if edition.endswith('H1') else '12-31'}"


def one_pass(files: list[Path], edition: str, second: str, scratch: Path) -> dict:
    store = scratch / "store"
    steps = {}
    load = [round(x, 2) for x in os.getloadavg()]
    steps["ingest"] = run_command(["ingest", *map(str, files), "--store", str(store)], scratch / "ingest.json")
    steps["build"] = run_command(["build", "--as-of", edition_end(edition), "--store", str(store)],
                                 scratch / "build.json")
    steps["catalog"] = run_command(["catalog", "--edition", edition, "--lang", "en", "--format", "html",
                                    "--out", str(scratch / f"{edition}.html"), "--store", str(store)],
                                   scratch / "catalog.json")
    # the same edition in the other language: a second edition of a map the store holds
    steps["other_language"] = run_command(["catalog", "--edition", edition, "--lang", "zh", "--format", "html",
                                           "--out", str(scratch / f"{edition}.zh.html"), "--store", str(store)],
                                          scratch / "other_language.json")
    if second != "none":  # another period: its map, names, signals, forecast and directions are built first
        steps["second_edition"] = run_command(["catalog", "--edition", second, "--lang", "en", "--format", "html",
                                               "--out", str(scratch / f"{second}.html"), "--store", str(store)],
                                              scratch / "second.json")
    fresh = sum(steps[k]["wall_s"] for k in ("ingest", "build", "catalog"))
    return {"load_average_before": load, "fresh_to_edition_s": round(fresh, 2),
            "other_language_s": steps["other_language"]["wall_s"],
            "second_edition_s": steps["second_edition"]["wall_s"] if "second_edition" in steps else None,
            "peak_rss_mib": max(s["peak_rss_mib"] or 0 for s in steps.values()), "commands": steps}


def stage_shares(run: dict) -> list[dict]:
    """Every stage of the fresh path (ingest, build, catalog) with its seconds and share of the path's time."""
    total = run["fresh_to_edition_s"]
    rows = []
    for name in ("ingest", "build", "catalog"):
        cmd = run["commands"][name]
        covered = 0.0
        for s in cmd["profile"]["stages"]:
            covered += s["seconds"]
            rows.append({"command": name, "stage": s["stage"], "seconds": s["seconds"],
                         "share": round(s["seconds"] / total, 3), "rows": s.get("rows"),
                         "peak_rss_mib": s.get("peak_rss_mib"), "steps": s.get("steps", [])})
        rows.append({"command": name, "stage": "(start-up, store open, outside stages)",
                     "seconds": round(cmd["wall_s"] - covered, 2), "share": round((cmd["wall_s"] - covered) / total, 3)})
    return rows


def sample_files(files: list[Path], every: int, scratch: Path) -> list[Path]:
    """Every `every`-th line of each file, gzipped under `scratch` with the same names (years stay in the names)."""
    out = []
    for f in files:
        target = scratch / f.name
        with gzip.open(f, "rb") as src, gzip.open(target, "wb", compresslevel=1) as dst:
            for i, line in enumerate(src):
                if i % every == 0:
                    dst.write(line)
        out.append(target)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--edition", default="2019H2")
    ap.add_argument("--second", default="2018H2", help="second edition on the same store, or none")
    ap.add_argument("--every", type=int, default=1, help="sample: every N-th line of each file (default: all)")
    ap.add_argument("--budget", type=float, default=None, help="start no new pass after this many seconds")
    ap.add_argument("--keep", type=Path, default=None, help="keep the last pass's store and editions here")
    args = ap.parse_args()
    files = sorted((SHARED / "data" / "arxiv").glob("arxiv-*.jsonl.gz"))
    sample_dir = Path(tempfile.mkdtemp(prefix="fw-bench-sample-")) if args.every > 1 else None
    if sample_dir:
        files = sample_files(files, args.every, sample_dir)
    runs = []
    began = time.perf_counter()
    for i in range(args.repeat):
        if runs and args.budget and time.perf_counter() - began > args.budget:
            print(f"budget of {args.budget:.0f} s spent: {len(runs)} of {args.repeat} passes run", flush=True)
            break
        scratch = Path(tempfile.mkdtemp(prefix="fw-bench-pipeline-"))
        try:
            runs.append(one_pass(files, args.edition, args.second, scratch))
            if args.keep and i == args.repeat - 1:
                shutil.rmtree(args.keep, ignore_errors=True)
                shutil.copytree(scratch, args.keep)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        r = runs[-1]
        parts = ", ".join(f"{k} {v['wall_s']:.1f}" for k, v in r["commands"].items())
        print(f"run {i + 1}: fresh → {args.edition} {r['fresh_to_edition_s']:.1f} s ({parts}), second edition "
              f"{r['second_edition_s']} s, peak RSS {r['peak_rss_mib']:.0f} MiB, load {r['load_average_before'][0]}",
              flush=True)
    if sample_dir:
        shutil.rmtree(sample_dir, ignore_errors=True)
    median_fresh = statistics.median(r["fresh_to_edition_s"] for r in runs)
    median_run = min(runs, key=lambda r: abs(r["fresh_to_edition_s"] - median_fresh))
    result = {
        "corpus": f"shared/data/arxiv ({len(files)} files)" + (f", every {args.every}th line" if args.every > 1 else ""),
        "documents": median_run["commands"]["ingest"]["profile"]["stages"][0].get("rows"),
        "edition": args.edition, "second_edition": args.second, "repeat": args.repeat, "passes_run": len(runs), "fresh_to_edition_s": median_fresh,
        "other_language_s": statistics.median(r["other_language_s"] for r in runs),
        "second_edition_s": statistics.median(r["second_edition_s"] for r in runs) if args.second != "none" else None,
        "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
        "commands_median_s": {k: statistics.median(r["commands"][k]["wall_s"] for r in runs)
                              for k in runs[0]["commands"]},
        "stages_of_median_run": stage_shares(median_run),
        "second_edition_stages": (median_run["commands"]["second_edition"]["profile"]["stages"]
                                  if args.second != "none" else None),
        "targets": TARGETS,
        "runs": [{k: v for k, v in r.items() if k != "commands"} | {"commands_s": {k: c["wall_s"] for k, c in r["commands"].items()}}
                 for r in runs],
        "command": f"python bench/pipeline.py --repeat {args.repeat} --edition {args.edition} --second {args.second}"
                   + (f" --every {args.every}" if args.every > 1 else ""),
    }
    for k in ("fresh_to_edition_s", "other_language_s", "second_edition_s", "peak_rss_mib", "commands_median_s"):
        print(f"{k:>22}: {result[k]}")
    for s in result["stages_of_median_run"]:
        print(f"  {s['command']:>8} {s['stage']:<40} {s['seconds']:8.1f} s {s['share'] * 100:5.1f}%")
    write_result("pipeline" if args.every == 1 else f"pipeline-every-{args.every}", result)


if __name__ == "__main__":
    main()
