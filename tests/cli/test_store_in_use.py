"""While `frontierwatch serve` holds a store (DuckDB locks it to one process), `match` answers through the server and
other commands say plainly who holds the store — a real server process on loopback, a real store."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

SAMPLE = "topics/arxiv-topics.jsonl.gz"


def _fw(*args, **kw):
    return subprocess.run([sys.executable, "-m", "frontierwatch.cli", *args], capture_output=True, text=True,
                          timeout=600, **kw)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served_store(tmp_path_factory):
    from tests.conftest import SAMPLES

    store = tmp_path_factory.mktemp("served") / "store"
    assert _fw("ingest", str(SAMPLES / SAMPLE), "--store", str(store)).returncode == 0
    built = _fw("build", "--store", str(store))
    assert built.returncode == 0, built.stderr
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "frontierwatch.cli", "serve", "--store", str(store), "--port",
                             str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, FRONTIERWATCH_SECRET_KEY="test-secret"))
    url = f"http://127.0.0.1:{port}/"
    for _ in range(240):
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("the server did not start")
    yield store
    proc.terminate()
    proc.wait(timeout=30)


def test_match_answers_through_the_running_server(served_store):
    res = _fw("match", "neural network image classification", "--json", "--store", str(served_store))
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["topics"] and "why" in data["topics"][0]


def test_other_commands_name_the_server_holding_the_store(served_store):
    res = _fw("status", "--store", str(served_store))
    assert res.returncode == 1
    assert "in use by another process" in res.stderr and "frontierwatch serve" in res.stderr
