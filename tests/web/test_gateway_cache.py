"""The read cache (issue 6): answers stay cached until a public hall write, never go stale, and stay correct
under many concurrent readers of a real uvicorn server."""
from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.web.conftest import ACHIEVEMENT

SEARCH = "/api/v1/search?q=%E9%92%99%E9%92%9B%E7%9F%BF"  # 钙钛矿


def _hall_titles(client, url: str = SEARCH) -> list[str]:
    r = client.get(url)
    assert r.status_code == 200
    return [h["title"] for h in r.json()["hall"]]


def test_repeated_get_is_answered_from_the_response_cache_with_the_same_bytes(app, client):
    gateway = app.state.web.gateway
    first = client.get("/api/v1/search?q=neural%20network")
    assert gateway.raw_answer("/api/v1/search", b"q=neural%20network") == first.content
    again = client.get("/api/v1/search?q=neural%20network")
    assert again.content == first.content
    assert {k: v for k, v in again.headers.items() if k != "date"} == \
           {k: v for k, v in first.headers.items() if k != "date"}
    assert client.get("/api/v1/search?q=neural%20network&lang=en").content == first.content  # through the app


def test_bad_requests_are_never_cached(app, client):
    for _ in range(2):
        r = client.get("/api/v1/topics?top=0")
        assert r.status_code == 422 and r.json()["error"]["message_en"]
    assert app.state.web.gateway.raw_answer("/api/v1/topics", b"top=0") is None


def test_approval_and_edit_show_at_once_in_cached_public_answers(client, signed_in):
    sub, csrf = signed_in("submitter")
    mod, mcsrf = signed_in("moderator")
    assert _hall_titles(client) == [] and _hall_titles(client) == []  # now cached, twice
    item = sub.post("/api/v1/achievements", json=ACHIEVEMENT | {"title": "钙钛矿叠层太阳电池"},
                    headers={"x-csrf-token": csrf}).json()
    assert _hall_titles(client) == []  # pending items are not public
    assert sub.get(f"/api/v1/hall/{item['item_id']}").json()["title"] == "钙钛矿叠层太阳电池"  # the writer sees it
    r = mod.post(f"/api/v1/moderation/{item['item_id']}", json={"decision": "approve"}, headers={"x-csrf-token": mcsrf})
    assert r.status_code == 200
    assert _hall_titles(client) == ["钙钛矿叠层太阳电池"]  # the very next public read
    r = mod.put(f"/api/v1/achievements/{item['item_id']}", json=ACHIEVEMENT | {"title": "钙钛矿组件 v2"},
                headers={"x-csrf-token": mcsrf})
    assert r.status_code == 200
    assert _hall_titles(client) == ["钙钛矿组件 v2"]


def test_a_hall_write_keeps_the_cached_stage_reads(app, client, signed_in):
    gateway = app.state.web.gateway
    mod, mcsrf = signed_in("moderator")
    sub, csrf = signed_in("submitter")
    topics, searched = client.get("/api/v1/topics?top=5"), client.get(SEARCH)
    assert topics.status_code == searched.status_code == 200
    item = sub.post("/api/v1/achievements", json=ACHIEVEMENT, headers={"x-csrf-token": csrf}).json()
    mod.post(f"/api/v1/moderation/{item['item_id']}", json={"decision": "approve"}, headers={"x-csrf-token": mcsrf})
    assert gateway.raw_answer("/api/v1/topics", b"top=5") == topics.content  # no hall table behind it: kept
    assert gateway.raw_answer("/api/v1/search", SEARCH.split("?")[1].encode()) is None  # hall hits: dropped
    gateway.clear_cache(keep_stage_reads=False)
    assert gateway.raw_answer("/api/v1/topics", b"top=5") is None


def test_a_computation_that_raced_with_a_write_is_not_cached(app):
    gateway = app.state.web.gateway

    def read_then_a_write_lands():
        value = gateway.status()  # a real store read ...
        gateway.clear_cache()  # ... then a hall write clears the cache before the reader stores its answer
        return value

    assert gateway.cached(("race",), read_then_a_write_lands)
    calls = []
    gateway.cached(("race",), lambda: calls.append(1) or "fresh")
    assert calls == [1]  # recomputed: the raced answer was not kept
    assert gateway.cached(("race",), lambda: calls.append(2) or "again") == "fresh" and calls == [1]


def test_many_concurrent_readers_get_correct_answers_while_the_cache_is_cleared(app, live_server):
    urls = ["/api/v1/topics?top=5", "/api/v1/search?q=neural%20network", "/api/v1/search?q=quantum",
            "/api/v1/search?q=%E7%A5%9E%E7%BB%8F%E7%BD%91%E7%BB%9C", "/api/v1/search?q=graph&limit=5",
            "/api/v1/search?q=graph&limit=5&offset=5", "/api/v1/match?q=battery%20energy%20storage",
            "/api/v1/documents/arxiv:1001.3246", "/api/v1/directions"]
    with httpx.Client(base_url=live_server, timeout=60) as http:
        expected = {url: http.get(url).json() for url in urls}
    gateway = app.state.web.gateway
    stop = threading.Event()

    def writer():  # what every approval does, as often as possible
        while not stop.is_set():
            gateway.clear_cache()
            time.sleep(0.005)

    def reader(seed: int) -> list[str]:
        order = urls * 4
        random.Random(seed).shuffle(order)
        wrong = []
        with httpx.Client(base_url=live_server, timeout=60) as http:
            for url in order:
                r = http.get(url)
                if r.status_code != 200 or r.json() != expected[url]:
                    wrong.append(f"{url}: {r.status_code} {r.text[:200]}")
        return wrong

    clearing = threading.Thread(target=writer)
    clearing.start()
    try:
        with ThreadPoolExecutor(16) as pool:
            wrong = [w for got in pool.map(reader, range(16)) for w in got]
    finally:
        stop.set()
        clearing.join()
    assert wrong == []
