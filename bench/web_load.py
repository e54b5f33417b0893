"""Web load benchmark: N concurrent clients for T seconds against the topic, search and match endpoints.

Starts `frontierwatch serve` on 127.0.0.1 (a real uvicorn process, loopback only) over a store, then runs
`--clients` asyncio clients that loop over a fixed mix of requests: the topic list, a topic's detail, full-text
search (English and Chinese queries) and matchmaking. Reports p50/p95/p99 latency per endpoint and overall,
the request rate and every error (non-200 answer or exception). Target (issue 6): p95 < 50 ms, 0 errors.

Usage: ``python bench/web_load.py --store fw-demo [--clients 50] [--seconds 60] [--port 8765]``
Writes ``bench/results/web_load.json``.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, write_result  # noqa: E402

QUERIES = ["neural network", "quantum computing", "solar cell", "wireless sensor network", "量子计算", "神经网络",
           "graph algorithm", "laser", "无人机", "robot control"]
NEEDS = ["drone inspection of power lines", "无人机巡检输电线路", "battery energy storage", "quantum communication"]


def _percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    arr = np.array(values) * 1000
    return {"n": len(values), "p50_ms": round(float(np.percentile(arr, 50)), 2),
            "p95_ms": round(float(np.percentile(arr, 95)), 2), "p99_ms": round(float(np.percentile(arr, 99)), 2),
            "max_ms": round(float(arr.max()), 2)}


async def _client(base: str, plan, stop_at: float, latencies: dict, errors: list) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        for name, url in plan:
            if time.perf_counter() >= stop_at:
                return
            start = time.perf_counter()
            try:
                r = await http.get(url)
                ok = r.status_code == 200
                detail = f"{r.status_code} {r.text[:120]}"
            except Exception as exc:  # counted, not fatal: the benchmark reports every failure
                ok, detail = False, repr(exc)
            latencies.setdefault(name, []).append(time.perf_counter() - start)
            if not ok:
                errors.append(f"{name} {url}: {detail}")


def _plan(topic_ids: list[str], offset: int):
    mix = []
    for i in itertools.count(offset):
        mix = [("topics", "/api/v1/topics?top=50"),
               ("topic", f"/api/v1/topics/{topic_ids[i % len(topic_ids)]}" if topic_ids else "/api/v1/topics"),
               ("search", f"/api/v1/search?q={QUERIES[i % len(QUERIES)]}"),
               ("match", f"/api/v1/match?q={NEEDS[i % len(NEEDS)]}")]
        yield from mix


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=ROOT / "fw-demo")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args()
    # the `serve` command's own function (same as `frontierwatch serve --host 127.0.0.1 --port P --store S`)
    cmd = [sys.executable, "-c", "import sys; from pathlib import Path; from frontierwatch.cli.web import serve_command; "
           "serve_command(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))", "127.0.0.1", str(args.port),
           str(args.store)]
    env = dict(os.environ, FRONTIERWATCH_SECRET_KEY="bench-only-key")
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{args.port}"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                topics = httpx.get(f"{base}/api/v1/topics", timeout=5).json()
                break
            except httpx.HTTPError:
                if server.poll() is not None:
                    sys.exit(f"server exited: {server.stdout.read()}")
                time.sleep(0.5)
        else:
            sys.exit("server did not start within 120 s")
        topic_ids = [str(t["id"]) for t in topics.get("topics", [])][:200]
        warm = time.perf_counter()  # one sequential pass over every distinct URL: imports, jieba, caches
        distinct = {url for _, url in itertools.islice(_plan(topic_ids, 0), 4 * max(len(topic_ids), 1) * 20)}
        for url in sorted(distinct):
            httpx.get(base + url, timeout=60)
        warm_seconds = time.perf_counter() - warm
        latencies: dict[str, list[float]] = {}
        errors: list[str] = []
        start = time.perf_counter()

        async def run() -> None:
            stop_at = time.perf_counter() + args.seconds
            await asyncio.gather(*(_client(base, _plan(topic_ids, i * 7), stop_at, latencies, errors)
                                   for i in range(args.clients)))
        asyncio.run(run())
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(10)
    everything = [x for values in latencies.values() for x in values]
    result = {"store": args.store.name, "clients": args.clients, "seconds": round(elapsed, 1),
              "topics_built": bool(topics.get("built")), "n_topic_ids": len(topic_ids),
              "warmup": {"urls": len(distinct), "seconds": round(warm_seconds, 1)}, "requests": len(everything), "requests_per_s": round(len(everything) / elapsed, 1),
              "errors": len(errors), "error_examples": errors[:10], "overall": _percentiles(everything),
              "endpoints": {name: _percentiles(values) for name, values in sorted(latencies.items())},
              "target": {"p95_ms": 50, "errors": 0}}
    print({k: result[k] for k in ("requests", "requests_per_s", "errors", "overall")})
    for name, stats in result["endpoints"].items():
        print(f"  {name:7s} {stats}")
    write_result("web_load", result)


if __name__ == "__main__":
    main()
