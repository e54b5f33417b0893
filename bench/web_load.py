"""Web load benchmark: N concurrent clients for T seconds against the topic, search and match endpoints.

Two mixes, run one after the other against the same server and reported side by side: ``warm`` loops over 10
fixed queries and 4 needs after a warm-up pass (so it measures cached answers), ``cold`` sends *distinct* real
queries the cache has never seen — search words and match needs cut from document titles of the store (Chinese and
English; the same seeded draw every run) and each topic page once — so every answer is computed (`--mix`).

Starts `frontierwatch serve` on 127.0.0.1 (a real uvicorn process, loopback only) over a store, then runs
`--clients` asyncio clients that loop over a fixed mix of requests: the topic list, a topic's detail, full-text
search (English and Chinese queries) and matchmaking. Reports p50/p95/p99 latency per endpoint and overall,
the request rate and every error (non-200 answer or exception). Target (issue 6): p95 < 50 ms, 0 errors.
Each client is closed-loop over one keep-alive connection (`--client raw`, a lean asyncio HTTP/1.1 client, so
that the load generator does not eat the CPU the server needs on a small machine; `--client httpx` for the
heavier httpx.AsyncClient). The server's caches are warmed first by one sequential pass over every distinct URL.

Usage: ``python bench/web_load.py --store fw-demo [--clients 20] [--seconds 45] [--mix both|warm|cold] [--port 8765]``
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
from urllib.parse import quote

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, write_result  # noqa: E402

QUERIES = ["neural network", "quantum computing", "solar cell", "wireless sensor network", "量子计算", "神经网络",
           "graph algorithm", "laser", "无人机", "robot control"]
NEEDS = ["drone inspection of power lines", "无人机巡检输电线路", "battery energy storage", "quantum communication"]


CLIENTS = {"raw": "asyncio HTTP/1.1 keep-alive connection per client (bench/web_load.py _Http11), closed loop, "
                  "full body read; error = status != 200 or body not a JSON object, or an exception/timeout (30 s)",
           "httpx": "httpx.AsyncClient per client, closed loop; error = status != 200 or an exception (30 s timeout)"}


def _server_stack() -> dict:
    """What uvicorn runs on here ("auto" picks httptools and uvloop when they are installed)."""
    import importlib.util

    import uvicorn

    return {"uvicorn": uvicorn.__version__, "processes": 1,
            "http": "httptools" if importlib.util.find_spec("httptools") else "h11",
            "loop": "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"}


def _percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    arr = np.array(values) * 1000
    return {"n": len(values), "p50_ms": round(float(np.percentile(arr, 50)), 2),
            "p95_ms": round(float(np.percentile(arr, 95)), 2), "p99_ms": round(float(np.percentile(arr, 99)), 2),
            "max_ms": round(float(arr.max()), 2)}


class _Http11(asyncio.Protocol):
    """A lean HTTP/1.1 keep-alive client connection (asyncio protocol): sends a GET, reads the whole answer
    (Content-Length or chunked body), returns (status, body). httpx spends most of its CPU in its own layers,
    which on a 2-core machine competes with the server; this client does the same requests for a fraction."""

    def __init__(self):
        self.transport = None
        self.buf = bytearray()
        self.waiter: asyncio.Future | None = None
        self.closed = False

    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        self.closed = True
        if self.waiter and not self.waiter.done():
            self.waiter.set_exception(ConnectionError(f"connection closed: {exc!r}"))

    def data_received(self, data):
        self.buf += data
        if self.waiter and not self.waiter.done():
            got = self._parse()
            if got is not None:
                self.waiter.set_result(got)

    def _parse(self):
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:])}
        start = end + 4
        if "content-length" in headers:
            stop = start + int(headers["content-length"])
            if len(self.buf) < stop:
                return None
            body = bytes(self.buf[start:stop])
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body, pos = bytearray(), start
            while True:
                line_end = self.buf.find(b"\r\n", pos)
                if line_end < 0:
                    return None
                size = int(bytes(self.buf[pos:line_end]).split(b";")[0], 16)
                if len(self.buf) < line_end + 2 + size + 2:
                    return None
                body += self.buf[line_end + 2:line_end + 2 + size]
                pos = line_end + 2 + size + 2
                if size == 0:
                    stop = pos
                    break
            body = bytes(body)
        else:
            raise ValueError(f"answer without a length: {head[0]}")
        del self.buf[:stop]
        return status, body, headers.get("connection", "").lower() == "close"

    async def get(self, target: str, host: str):
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n".encode())
        return await self.waiter


async def _client(base: str, plan, stop_at: float, latencies: dict, errors: list) -> None:
    """One closed-loop client: the next request only after the previous answer was read in full."""
    host, port = base.split("//", 1)[1].rsplit(":", 1)
    loop = asyncio.get_running_loop()
    conn = None
    for name, url in plan:
        if time.perf_counter() >= stop_at:
            break
        target = quote(url, safe="/?=&")  # percent-encoded UTF-8, as a browser or httpx sends it
        start = time.perf_counter()
        try:
            if conn is None or conn.closed:
                conn = (await loop.create_connection(_Http11, host, int(port)))[1]
            status, body, close = await asyncio.wait_for(conn.get(target, f"{host}:{port}"), 30)
            ok = status == 200 and body[:1] == b"{"  # every API answer here is a JSON object
            detail = f"{status} {body[:120].decode('utf-8', 'replace')}"
            if close:
                conn.transport.close()
                conn = None
        except Exception as exc:  # counted, not fatal: the benchmark reports every failure
            ok, detail = False, repr(exc)
            if conn is not None:
                conn.transport.close()
                conn = None
        latencies.setdefault(name, []).append(time.perf_counter() - start)
        if not ok:
            errors.append(f"{name} {url}: {detail}")
    if conn is not None:
        conn.transport.close()


async def _httpx_client(base: str, plan, stop_at: float, latencies: dict, errors: list) -> None:
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


def _cold_pool(base: str, topic_ids: list[str], n: int) -> list[tuple[str, str]]:
    """Distinct real requests: search words and needs cut from document titles (a seeded draw over the store's
    documents, read through the API's own search of common words), and every topic page once."""
    import random
    import re

    rng = random.Random(20261130)
    titles: list[str] = []
    for word in ("network", "learning", "quantum", "model", "system", "control", "material", "energy", "数据", "系统",
                 "研究", "技术", "分析", "设计", "控制", "方法"):
        got = httpx.get(f"{base}/api/v1/search", params={"q": word, "limit": 100}, timeout=60).json()
        titles += [r["title"] for r in got.get("documents", {}).get("results", [])]
    rng.shuffle(titles)
    searches, needs = [], []
    for title in dict.fromkeys(titles):
        words = re.findall(r"[A-Za-z][A-Za-z\-]{3,}|[\u4e00-\u9fff]{2,6}", title)
        if len(words) >= 2:
            start = rng.randrange(0, len(words) - 1)
            searches.append(" ".join(words[start:start + 2]))
        needs.append(title[:120])
    searches = list(dict.fromkeys(searches))
    pool = [("topic", f"/api/v1/topics/{t}") for t in topic_ids]
    pool += [("search", f"/api/v1/search?q={q}") for q in searches]
    pool += [("match", f"/api/v1/match?q={q}") for q in needs]
    rng.shuffle(pool)
    return pool[:n]


async def _run_cold(base: str, pool: list, clients: int, seconds: float, latencies: dict, errors: list) -> None:
    """`clients` closed-loop clients sharing one queue of distinct requests (none asked twice)."""
    queue = iter(pool)
    stop_at = time.perf_counter() + seconds

    def plan():
        for item in queue:
            yield item

    await asyncio.gather(*(_client(base, plan(), stop_at, latencies, errors) for _ in range(clients)))


def _summary(latencies: dict, errors: list, elapsed: float) -> dict:
    everything = [x for values in latencies.values() for x in values]
    return {"seconds": round(elapsed, 1), "requests": len(everything),
            "requests_per_s": round(len(everything) / elapsed, 1) if elapsed else 0.0, "errors": len(errors),
            "error_examples": errors[:10], "overall": _percentiles(everything),
            "endpoints": {name: _percentiles(values) for name, values in sorted(latencies.items())}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=ROOT / "fw-demo")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--mix", choices=("both", "warm", "cold"), default="both",
                    help="warm: fixed queries after a warm-up (cache hits); cold: distinct real queries; both: one then the other")
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw",
                    help="raw: the lean asyncio HTTP/1.1 keep-alive client here; httpx: httpx.AsyncClient (CPU-heavy)")
    args = ap.parse_args()
    # the `serve` command's own function (same as `frontierwatch serve --host 127.0.0.1 --port P --store S`)
    cmd = [sys.executable, "-c", "import sys; from pathlib import Path; from frontierwatch.cli.web import serve_command; "
           "serve_command(host=sys.argv[1], port=int(sys.argv[2]), store=Path(sys.argv[3]))", "127.0.0.1", str(args.port),
           str(args.store)]
    load_before = [round(x, 2) for x in os.getloadavg()]  # write_result records the load after the run
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
        warm_start = time.perf_counter()  # the server precomputes topic pages and indexes once per generation
        while time.perf_counter() - warm_start < 900:
            precompute = (httpx.get(f"{base}/api/v1/status", timeout=60).json().get("server") or {}).get("precompute")
            if not precompute or precompute.get("state") != "warming":
                break
            time.sleep(1.0)
        print("server precompute:", precompute, flush=True)
        topic_ids = [str(t["id"]) for t in topics.get("topics", [])][:200]
        runs: dict[str, dict] = {}
        if args.mix in ("both", "cold"):
            pool = _cold_pool(base, topic_ids, 100_000)
            cold_lat: dict[str, list[float]] = {}
            cold_err: list[str] = []
            start = time.perf_counter()
            asyncio.run(_run_cold(base, pool, args.clients, args.seconds, cold_lat, cold_err))
            runs["cold"] = {"distinct_requests_available": len(pool), **_summary(cold_lat, cold_err,
                                                                                  time.perf_counter() - start)}
        warm_seconds, distinct = 0.0, set()
        if args.mix in ("both", "warm"):
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
                one = _client if args.client == "raw" else _httpx_client
                await asyncio.gather(*(one(base, _plan(topic_ids, i * 7), stop_at, latencies, errors)
                                       for i in range(args.clients)))
            asyncio.run(run())
            runs["warm"] = _summary(latencies, errors, time.perf_counter() - start)
    finally:
        server.terminate()
        server.wait(10)
    main_run = runs.get("warm") or runs["cold"]
    result = {"store": args.store.name, "clients": args.clients, "seconds": main_run["seconds"],
              "load_average_1_5_15_before": load_before,
              "client": CLIENTS[args.client], "server": _server_stack(),
              "mix": [name for name, _ in itertools.islice(_plan(["ID"], 0), 4)], "queries": QUERIES, "needs": NEEDS,
              "topics_built": bool(topics.get("built")), "n_topic_ids": len(topic_ids),
              "warmup": {"urls": len(distinct), "seconds": round(warm_seconds, 1)},
              "server_precompute": precompute,
              **{k: main_run[k] for k in ("requests", "requests_per_s", "errors", "error_examples", "overall",
                                          "endpoints")},
              "runs": runs,
              "target": {"warm_p95_ms": 50, "cold_p95_ms": 300, "errors": 0}}
    for name, run_result in runs.items():
        print(name, {k: run_result[k] for k in ("requests", "requests_per_s", "errors", "overall")})
        for endpoint, stats in run_result["endpoints"].items():
            print(f"  {endpoint:7s} {stats}")
    write_result("web_load", result)


if __name__ == "__main__":
    main()
