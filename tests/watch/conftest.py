"""Fixtures of the watch tests: the topics sample (1,504 real arXiv papers of 2014–2017) split by date — papers
up to 2016 ingested, embedded and built into a topic map as of 2016-12-31 (once per session), the 2017 papers
kept aside as the "new month" an update brings."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "topics" / "arxiv-topics.jsonl.gz"
AS_OF = "2016-12-31"


def _split(dest: Path) -> tuple[Path, Path]:
    """Write the sample's papers first submitted up to 2016 and those of 2017 to two files under `dest`."""
    old, new = [], []
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as fh:
        for line in fh:
            created = json.loads(line)["versions"][0]["created"]  # "Mon, 2 Apr 2007 19:18:42 GMT"
            (new if " 2017 " in created else old).append(line)
    dest.mkdir(parents=True, exist_ok=True)
    paths = dest / "arxiv-upto-2016.jsonl.gz", dest / "arxiv-2017.jsonl.gz"
    for path, lines in zip(paths, (old, new)):
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.writelines(lines)
    return paths


@pytest.fixture(scope="session")
def split_sample(tmp_path_factory) -> tuple[Path, Path]:
    return _split(tmp_path_factory.mktemp("watch-sample"))


@pytest.fixture(scope="session")
def _built_store_dir(split_sample, tmp_path_factory) -> Path:
    from frontierwatch.core import Observatory
    from frontierwatch.topics.queries import parse_as_of

    path = tmp_path_factory.mktemp("watch-built") / "store"
    with Observatory(path) as obs:
        obs.ingest([split_sample[0]])
        obs.build(parse_as_of(AS_OF), n_topics=12, forecast=False)
    return path


@pytest.fixture
def built_store(_built_store_dir, tmp_path, monkeypatch) -> Path:
    """A writable copy of the store built as of 2016-12-31 (the 2017 papers not ingested yet)."""
    path = tmp_path / "store"
    shutil.copytree(_built_store_dir, path)
    monkeypatch.setenv("FRONTIERWATCH_STORE", str(path))
    monkeypatch.delenv("FRONTIERWATCH_PROFILE", raising=False)
    return path


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(monkeypatch):
    """A real SMTP server (aiosmtpd) on localhost; yields the list of received envelopes. The settings point the
    product's SMTP sender at it (plain SMTP, as to a local relay)."""
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    for key, value in (("HOST", "127.0.0.1"), ("PORT", str(port)), ("TLS", "none"), ("FROM", "alerts@frontierwatch.test")):
        monkeypatch.setenv(f"FRONTIERWATCH_SMTP_{key}", value)
    yield inbox.messages
    controller.stop()


@pytest.fixture
def webhook_server():
    """A real HTTP server on localhost that answers 500 to the first POST and 204 after; yields
    ``(url, requests)`` with each request's headers and body."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    requests: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append({"headers": dict(self.headers), "body": body})
            self.send_response(500 if len(requests) == 1 else 204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", requests
    server.shutdown()
    server.server_close()
