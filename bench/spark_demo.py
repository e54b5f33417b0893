"""`make demo` on the Spark engine: the demo's commands run from fresh stores by each engine, then compared.

Issue 13's last done-when: ``frontierwatch build --engine spark`` on the demo corpus gives the same catalog as
``make demo``. This script runs (a) exactly the commands of the Makefile's ``demo`` target (ingest, status, build,
topics, backtest, the 2018H2 edition in English JSON and the 2019H2 edition in zh + en × every format — all but
``serve``) with the embedded engine, and (b) the same commands with ``--engine spark --spark-master local[2]``
(and ``FRONTIERWATCH_ENGINE=spark`` in the environment, so a command without the option — ``catalog``, whose
2018H2 edition builds a map the store lacks — runs the same engine), each into its own fresh store. Then it
compares the two stores and editions: documents, keys, provenance, rejects, vectors, maps, topics, the
document → topic assignment, topic × year counts, every signal (≤ 1e-9), axes, forecasts, directions, names,
lineage, backtests and the JSON catalog editions, and writes ``bench/results/spark_demo.json`` (date, machine,
load, commit, seconds per command and per stage of each engine, and every difference found).

The commands are the CLI's (a subprocess per command, as a user types them), so the run can be split into
steps, each its own call — on a shared machine, each under a lock held for at most ten minutes; a step that is
interrupted resumes when run again (the commands resume):

    python bench/spark_demo.py --step ingest  --engine embedded   # fresh store: the old one is removed
    python bench/spark_demo.py --step build   --engine embedded   # build + topics
    python bench/spark_demo.py --step backtest --engine embedded
    python bench/spark_demo.py --step catalog --engine embedded   # 11 editions files
    ... the same four with --engine spark ...
    python bench/spark_demo.py --step compare                     # → bench/results/spark_demo.json

``--step all`` runs everything in order. Stores live under ``--work`` (default ``fw-spark-demo``).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, write_result  # noqa: E402

AS_OF = "2019-12-31"
MASTER = "local[2]"
ENGINES = ("embedded", "spark")
STEPS = ("ingest", "build", "backtest", "catalog")


def demo_commands(step: str, store: Path) -> list[list[str]]:
    """The Makefile's ``demo`` commands of `step` (keep in step with the Makefile), for the store `store`."""
    s, out = ["--store", str(store)], store / "editions"
    if step == "ingest":
        return [["ingest", "data/demo", *s], ["status", *s]]
    if step == "build":
        return [["build", "--as-of", AS_OF, *s], ["topics", "--as-of", AS_OF, "--top", "15", "--sort", "forecast", *s]]
    if step == "backtest":
        return [["backtest", "--cutoffs", "2015,2016", "--horizon", "3", "--json", str(out / "backtest.json"),
                 "--report", str(out / "backtest.html"), *s]]
    if step == "catalog":
        cmds = [["catalog", "--edition", "2018H2", "--lang", "en", "--format", "json",
                 "--out", str(out / "catalog-2018H2.en.json"), *s]]
        for lang in ("zh", "en"):
            for fmt in ("html", "pdf", "xlsx", "json", "md"):
                cmds.append(["catalog", "--edition", "2019H2", "--lang", lang, "--format", fmt,
                             "--out", str(out / f"catalog-2019H2.{lang}.{fmt}"), *s])
        return cmds
    raise ValueError(step)


def engine_args(engine: str, command: str) -> list[str]:
    """``--engine spark --spark-master local[2]`` for the commands that take it (ingest, build, update)."""
    if engine == "spark" and command in ("ingest", "build"):
        return ["--engine", "spark", "--spark-master", MASTER]
    return []


def run_step(work: Path, engine: str, step: str) -> None:
    """Run `step`'s commands with `engine` into ``work/<engine>``, appending each command's wall seconds (and
    the load average before and after) to ``work/timings.json``."""
    store = work / engine
    if step == "ingest" and store.exists():
        shutil.rmtree(store)  # fresh stores: what a new user gets from `make demo`
    (store / "editions").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop("FRONTIERWATCH_STORE", None)
    if engine == "spark":
        env.update(FRONTIERWATCH_ENGINE="spark", FRONTIERWATCH_SPARK_MASTER=MASTER)
    else:
        env["FRONTIERWATCH_ENGINE"] = "embedded"
    fw = str(Path(sys.executable).with_name("frontierwatch"))
    timings_path = work / "timings.json"
    for cmd in demo_commands(step, store):
        argv = [fw, cmd[0], *engine_args(engine, cmd[0]), *cmd[1:]]
        load_before = os.getloadavg()[0]
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
        except KeyboardInterrupt:  # stopped (a time limit): the seconds spent so far are recorded, then rerun resumes
            proc = subprocess.CompletedProcess(argv, "interrupted", "", "")
        seconds = time.perf_counter() - t0
        timings = json.loads(timings_path.read_text()) if timings_path.exists() else []
        timings.append({"engine": engine, "step": step, "argv": ["frontierwatch", *map(_relative, argv[1:])],
                        "rc": proc.returncode,
                        "seconds": round(seconds, 2), "load_before": round(load_before, 2),
                        "load_after": round(os.getloadavg()[0], 2),
                        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        timings_path.write_text(json.dumps(timings, indent=1, ensure_ascii=False))
        print(f"{engine} {' '.join(cmd[:1])}: rc {proc.returncode}, {seconds:.1f} s", flush=True)
        if proc.returncode == "interrupted":
            raise SystemExit(f"{engine}: {' '.join(cmd[:1])} interrupted after {seconds:.0f} s; run the step again")
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
            raise SystemExit(f"{engine}: {' '.join(argv)} failed (rc {proc.returncode})")


def _relative(arg: str) -> str:
    """A path argument as a path from the repository root (no machine paths in the committed result)."""
    return arg.replace(str(ROOT) + "/", "")


def commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return head.stdout.strip() + ("+changes" if dirty else "")
    except OSError:
        return "unknown"


def main() -> None:
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a time limit's SIGTERM: record, then stop
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--step", choices=(*STEPS, "compare", "all"), default="all")
    parser.add_argument("--engine", choices=(*ENGINES, "both"), default="both")
    parser.add_argument("--work", type=Path, default=ROOT / "fw-spark-demo", help="folder of the two stores")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    engines = ENGINES if args.engine == "both" else (args.engine,)
    steps = STEPS if args.step == "all" else (() if args.step == "compare" else (args.step,))
    for step in steps:
        for engine in engines:
            run_step(args.work, engine, step)
    if args.step in ("compare", "all"):
        from spark_demo_compare import compare_stores
        result = compare_stores(args.work / "embedded", args.work / "spark")
        timings = json.loads((args.work / "timings.json").read_text())
        for t in timings:
            t["argv"] = [_relative(a) for a in t["argv"]]
        done = {f"{t['engine']} {t['step']}" for t in timings if t["rc"] == 0}
        steps = [s for s in STEPS if all(f"{e} {s}" in done for e in ENGINES)]
        seconds = {e: {s: round(sum(t["seconds"] for t in timings if t["engine"] == e and t["step"] == s), 1)
                       for s in steps} for e in ENGINES}  # interrupted and resumed attempts included
        write_result("spark_demo", {"commit": commit(), "master": MASTER, "as_of": AS_OF, "steps_compared": steps,
                                    "seconds_per_step": seconds, "commands": timings, **result})


if __name__ == "__main__":
    main()
