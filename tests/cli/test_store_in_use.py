"""The site stays up while the data is rebuilt (issue 12 item 5) — a real server process (uvicorn on loopback), real
commands in other processes, a real store from committed arXiv samples:

* while `ingest` + `build` run and publish beside it, the server answers a steady stream of requests with zero
  errors, and afterwards shows the new documents and the new topic map without a restart;
* the first administrator is made with the one-time setup link `serve` prints; a hall submission and its approval
  made during the rebuild are still there after it;
* commands that need the user database (`admin create`) say to use the site; `match` answers through it.
"""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from tests.conftest import SAMPLES

FIRST = SAMPLES / "arxiv" / "arxiv-sample.jsonl.gz"      # 1,506 papers, mostly 2010–2012
LATER = SAMPLES / "topics" / "arxiv-topics.jsonl.gz"     # 1,504 papers, 2014–2019
READS = ["/api/v1/status", "/api/v1/topics", "/api/v1/search?q=neural+network", "/api/v1/topic-map", "/",
         "/search?q=%E9%87%8F%E5%AD%90", "/map", "/directions/information", "/methodology", "TOPIC"]


def _fw(*args, **kw):
    return subprocess.run([sys.executable, "-m", "frontierwatch.cli", *args], capture_output=True, text=True,
                          timeout=900, **kw)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(store, base url, setup url) of a running `frontierwatch serve` over a built store."""
    store = tmp_path_factory.mktemp("served") / "store"
    assert _fw("ingest", str(FIRST), "--store", str(store)).returncode == 0
    built = _fw("build", "--store", str(store))
    assert built.returncode == 0, built.stderr
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "frontierwatch.cli", "serve", "--store", str(store), "--port",
                             str(port), "--poll", "0.2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=dict(os.environ, FRONTIERWATCH_SECRET_KEY="test-secret"))
    url = f"http://127.0.0.1:{port}/"
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    for _ in range(240):
        try:
            httpx.get(url, timeout=2)
            break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"the server did not start: {''.join(lines)[-2000:]}")
    setup = next((m.group(0) for line in lines for m in [re.search(r"http://\S+/setup\?token=\S+", line)] if m), None)
    yield store, url, setup
    proc.terminate()
    proc.wait(timeout=60)


def _admin_client(url: str, setup: str) -> httpx.Client:
    """A client signed in as the first administrator, made through the one-time setup link."""
    client = httpx.Client(base_url=url, timeout=120)
    page = client.get(setup)
    assert page.status_code == 200, page.text[:500]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    made = client.post("/setup", data={"csrf_token": csrf, "token": token, "username": "chief",
                                       "password": "a long admin password"}, follow_redirects=False)
    assert made.status_code == 303, made.text[:500]
    assert client.get(setup).status_code == 403  # works once
    return client


def _api_token(client: httpx.Client) -> str:
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)
    html = client.post("/account/token", data={"csrf_token": csrf}).text
    return re.search(r'<pre class="token" id="api-token">([^<]+)</pre>', html).group(1)


def test_the_site_stays_up_while_ingest_and_build_publish(served):
    store, url, setup = served
    assert setup, "serve printed no setup link for the first administrator"
    admin = _admin_client(url, setup)
    auth = {"Authorization": f"Bearer {_api_token(admin)}"}
    before_topics = httpx.get(url + "api/v1/topics", timeout=60).json()
    before_docs = httpx.get(url + "api/v1/status", timeout=60).json()["documents"]

    failures, answered, stop = [], [0], threading.Event()

    def steady_reader():
        with httpx.Client(base_url=url, timeout=120) as c:
            i = 0
            while not stop.is_set():
                path = READS[i % len(READS)]
                i += 1
                try:
                    if path == "TOPIC":  # a topic page of the map just listed (as of its date: still there later)
                        listed = c.get("/api/v1/topics").json()
                        topic = listed["topics"][i % len(listed["topics"])]["id"]
                        path = f"/topics/{topic}?as_of={listed['as_of']}"
                    r = c.get(path)
                    if r.status_code != 200:
                        failures.append((path, r.status_code, r.text[:300]))
                except httpx.HTTPError as exc:
                    failures.append((path, "error", repr(exc)))
                answered[0] += 1

    readers = [threading.Thread(target=steady_reader) for _ in range(2)]
    for t in readers:
        t.start()
    rebuild = subprocess.Popen(f'"{sys.executable}" -m frontierwatch.cli ingest "{LATER}" --store "{store}" && '
                               f'"{sys.executable}" -m frontierwatch.cli build --store "{store}"', shell=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(1.0)  # the hall is written while the rebuild runs
    achievement = {"title": "Graphene terahertz modulator", "description": "A graphene-based terahertz modulator "
                   "working at room temperature.", "direction": "information", "field": "terahertz", "trl": 4,
                   "organisation": "Test Lab", "contact": "lab@example.org", "links": []}
    made = httpx.post(url + "api/v1/achievements", json=achievement, headers=auth, timeout=120)
    assert made.status_code == 201, made.text
    item_id = made.json()["item_id"]
    decided = httpx.post(url + f"api/v1/moderation/{item_id}", json={"decision": "approve"}, headers=auth,
                         timeout=120)
    assert decided.status_code == 200, decided.text
    out, _ = rebuild.communicate(timeout=900)
    assert rebuild.returncode == 0, out[-3000:]

    deadline = time.time() + 120  # the server notices the rebuilt store and publishes it
    while time.time() < deadline:
        status = httpx.get(url + "api/v1/status", timeout=60).json()
        if status["documents"] > before_docs and httpx.get(url + "api/v1/topics", timeout=60).json()["as_of"] \
                != before_topics["as_of"]:
            break
        time.sleep(0.5)
    time.sleep(1.0)
    stop.set()
    for t in readers:
        t.join(timeout=120)

    assert failures == [] and answered[0] > 20, (failures[:5], answered[0])
    after_topics = httpx.get(url + "api/v1/topics", timeout=60).json()
    assert after_topics["as_of"] > before_topics["as_of"]
    assert {t["label"] for t in after_topics["topics"]} != {t["label"] for t in before_topics["topics"]}
    assert httpx.get(url + "api/v1/status", timeout=60).json()["documents"] == before_docs + 1504
    hall = httpx.get(url + "api/v1/achievements", timeout=60).json()["achievements"]
    assert [a["item_id"] for a in hall] == [item_id] and hall[0]["title"] == achievement["title"]
    generations = sorted(p.name for p in (store / "generations").glob("g*.duckdb"))
    assert 1 <= len(generations) <= 2  # older generations are removed


def test_commands_beside_the_server(served):
    store, url, _ = served
    status = _fw("status", "--json", "--store", str(store))  # batch commands work while the site runs
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["documents"] > 0
    res = _fw("match", "neural network image classification", "--json", "--store", str(store))
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["topics"]
    made = _fw("admin", "create", "--username", "second", "--password-stdin", "--store", str(store),
               input="another long password\n")
    assert made.returncode == 1
    assert "held by the running server" in made.stderr and "setup link" in made.stderr
