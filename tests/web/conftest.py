"""Fixtures for the web tests: a small real store (the committed arXiv sample), the app, signed-in clients."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from frontierwatch.core import Observatory
from frontierwatch.settings import load_settings
from frontierwatch.web import create_app

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def base_store(tmp_path_factory, arxiv_sample_path):
    """A store with the 1,506 real arXiv records of tests/samples and its search index, built once."""
    path = tmp_path_factory.mktemp("web") / "store"
    with Observatory(path, load_settings(store=path)) as obs:
        obs.ingest([arxiv_sample_path])
        obs.ensure_search_index()
    return path


@pytest.fixture(scope="session")
def arxiv_sample_path():
    from pathlib import Path

    return Path(__file__).resolve().parents[1] / "samples" / "arxiv" / "arxiv-sample.jsonl.gz"


@pytest.fixture(scope="session")
def built_store(tmp_path_factory):
    """A store with the 1,504 real arXiv records of the topics sample ingested and built (map, names, signals,
    forecast where trainable, directions), once per session: the pages that need a topic map read copies of it."""
    from pathlib import Path

    path = tmp_path_factory.mktemp("web-built") / "store"
    sample = Path(__file__).resolve().parents[1] / "samples" / "topics" / "arxiv-topics.jsonl.gz"
    with Observatory(path, load_settings(store=path)) as obs:
        obs.ingest([sample])
        obs.build()
    return path


@pytest.fixture
def built_observatory(built_store, store_copy):
    """An `Observatory` on a private copy of `built_store`."""
    path = store_copy(built_store)
    obs = Observatory(path, load_settings(store=path))
    yield obs
    obs.close()


@pytest.fixture
def observatory(base_store, store_copy):
    path = store_copy(base_store)
    obs = Observatory(path, load_settings(store=path))
    yield obs
    obs.close()


@pytest.fixture
def app(observatory):
    return create_app(observatory, observatory.settings, secret_key="test-secret-key")


@pytest.fixture
def client(app):
    with TestClient(app, headers={"accept": "text/html"}) as c:
        yield c


@pytest.fixture
def hall(app):
    return app.state.web.hall


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in through the login form; return the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": username, "password": password, "csrf_token": token, "next": "/hall"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    return csrf_of(client.get("/account").text)


@pytest.fixture
def make_user(hall):
    def make(username: str, role: str):
        return hall.create_user(username, PASSWORD, role)
    return make


@pytest.fixture
def signed_in(app, make_user):
    """A factory of TestClients signed in as a new user of `role`: returns (client, csrf_token)."""
    clients = []

    def make(role: str, username: str | None = None):
        username = username or f"{role}_user"
        make_user(username, role)
        c = TestClient(app, headers={"accept": "text/html"})
        clients.append(c)
        return c, sign_in(c, username)
    yield make
    for c in clients:
        c.close()


ACHIEVEMENT = {"title": "Perovskite tandem solar cell with 29% efficiency",
               "description": "A two-terminal perovskite/silicon tandem cell, certified 29.1% on 1 cm2.",
               "direction": "energy", "field": "solar", "trl": 5, "organisation": "Demo Lab",
               "contact": "lab@example.org", "links": ["https://example.org/tandem"]}
SCENARIO = {"title": "无人机巡检输电线路", "sector": "电力", "problem": "需要在山区对高压输电线路进行自动化巡检，识别绝缘子缺陷。",
            "constraints": "续航 2 小时以上", "budget_band": "1m_5m", "deadline": "2099-12-31",
            "organisation": "某电网公司", "contact": "grid@example.org"}


@pytest.fixture
def live_server(app):
    """The app served by a real uvicorn server on a free loopback port, in a thread: yields its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def app_routes(app) -> list[tuple[str, set[str]]]:
    """Every route of the app as ``(path, methods)``, included routers flattened (FastAPI ≥ 0.16x wraps them)."""
    out = []

    def walk(routes):
        for route in routes:
            if hasattr(route, "effective_candidates"):
                walk(route.effective_candidates())
            elif getattr(route, "methods", None):
                out.append((route.path, set(route.methods)))
    walk(app.routes)
    return out
