"""OpenAlex API client against a real local HTTP server serving real OpenAlex records with cursors."""
from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from frontierwatch.errors import InputError
from frontierwatch.sources.openalex import read_openalex
from frontierwatch.sources.openalex_api import HarvestState, OpenAlexAPIError, OpenAlexClient
from frontierwatch.sources.record import Record, Reject

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "openalex"
MAILTO = "observatory@example.org"


def real_works() -> list[dict]:
    part = SAMPLES / "snapshot" / "works" / "updated_date=2023-05-16" / "part_000.gz"
    works = [json.loads(line) for line in gzip.decompress(part.read_bytes()).splitlines()]
    works += json.loads(gzip.decompress((SAMPLES / "works-2022-schema-sample.json.gz").read_bytes()))
    works.append(json.loads((SAMPLES / "api" / "W2741809807.json").read_text(encoding="utf-8")))
    return works


WORKS = real_works()
IDS = [w["id"] for w in WORKS]


def cursor_for(offset: int) -> str:
    return f"IlsxNjk{offset:04d}XQ=="  # opaque, like OpenAlex's base64 cursors


class FakeOpenAlex:
    """A `/works` endpoint paging `WORKS` by cursor; `failures[cursor]` lists statuses to answer first."""

    def __init__(self):
        self.requests: list[dict[str, list[str]]] = []
        self.headers: list[dict[str, str]] = []
        self.failures: dict[str, list[tuple[int, dict[str, str]]]] = {}

    def answer(self, handler: BaseHTTPRequestHandler):
        url = urlsplit(handler.path)
        params = parse_qs(url.query)
        self.requests.append(params)
        self.headers.append(dict(handler.headers))
        cursor = params.get("cursor", ["*"])[0]
        if params.get("filter", [""])[0].startswith("bogus"):
            return 400, {}, {"error": "Invalid query parameters error.",
                             "message": "bogus is not a valid field. Valid fields are listed at docs."}
        if self.failures.get(cursor):
            status, headers = self.failures[cursor].pop(0)
            return status, headers, {"error": "busy"}
        offset = 0 if cursor == "*" else int(cursor[7:11])
        size = int(params["per-page"][0])
        end = min(offset + size, len(WORKS))
        next_cursor = cursor_for(end) if end < len(WORKS) else None
        meta = {"count": len(WORKS), "db_response_time_ms": 3, "page": None, "per_page": size,
                "next_cursor": next_cursor, "groups_count": None}
        return 200, {}, {"meta": meta, "results": WORKS[offset:end], "group_by": []}


@pytest.fixture
def api(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    fake = FakeOpenAlex()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, headers, body = fake.answer(self)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


def client(api, **kwargs) -> OpenAlexClient:
    delays = kwargs.pop("delays", [])
    opts = {"mailto": MAILTO, "per_page": 20, "backoff": 0.5, "sleep": delays.append, "jitter": lambda: 0.0,
            "timeout": 10.0}
    return OpenAlexClient(base_url=api.base_url, **{**opts, **kwargs})


def test_harvest_every_record_once_through_429_and_503(api):
    api.failures = {cursor_for(20): [(429, {"Retry-After": "0"})], cursor_for(40): [(503, {})]}
    delays: list[float] = []
    got = list(client(api, delays=delays).iter_works(filter="publication_year:2018"))
    assert [w["id"] for w in got] == IDS and len(set(IDS)) == 69
    assert delays == [0.0, 0.25]  # Retry-After: 0 honoured; then backoff 0.5 s × 2⁰ × jitter factor 0.5
    cursors = [r.get("cursor", [None])[0] for r in api.requests]
    assert cursors == ["*", cursor_for(20), cursor_for(20), cursor_for(40), cursor_for(40), cursor_for(60)]
    assert all(r["mailto"] == [MAILTO] and r["filter"] == ["publication_year:2018"] for r in api.requests)
    assert all(MAILTO in h["User-Agent"] for h in api.headers)


def test_fetch_to_jsonl_is_read_by_read_openalex(api, tmp_path):
    out, state_file = tmp_path / "harvest.jsonl", tmp_path / "harvest.state.json"
    state = client(api).fetch_to_jsonl(out, search="open access", state_file=state_file)
    assert state.done and state.count == 69 and state.pages == 4
    assert HarvestState.load(state_file, state.query) == state
    items = list(read_openalex(out))
    assert [i.line for i in items] == list(range(1, 70))
    assert sum(isinstance(i, Record) for i in items) == 53 and sum(isinstance(i, Reject) for i in items) == 16
    assert items[-1].ids["openalex"] == "W2741809807" and items[-1].file == str(out)
    again = client(api).fetch_to_jsonl(out, search="open access", state_file=state_file)
    assert again.count == 69 and len(api.requests) == 4  # a finished harvest asks nothing more


def test_interrupted_harvest_resumes_from_saved_cursor(api, tmp_path):
    out, state_file = tmp_path / "h.jsonl", tmp_path / "h.state"
    first = client(api).fetch_to_jsonl(out, filter="type:article", state_file=state_file, max_pages=1)
    assert (first.count, first.cursor, first.done) == (20, cursor_for(20), False)
    assert len(out.read_bytes().splitlines()) == 20
    api.failures = {cursor_for(40): [(500, {})] * 3}  # page 3 keeps failing: the run dies after page 2
    with pytest.raises(OpenAlexAPIError) as err:
        client(api, max_retries=2).fetch_to_jsonl(out, filter="type:article", state_file=state_file)
    assert "3 times" in err.value.en and "OpenAlex" in err.value.zh
    with out.open("ab") as fh:  # a crash in the middle of writing a page
        fh.write(b'{"id": "https://openalex.org/W1", "title": "half a li')
    final = client(api).fetch_to_jsonl(out, filter="type:article", state_file=state_file)
    assert final.done and final.count == 69
    ids = [json.loads(line)["id"] for line in out.read_bytes().splitlines()]
    assert ids == IDS
    cursors = [r.get("cursor", [None])[0] for r in api.requests]
    assert cursors.count("*") == 1 and cursors.count(cursor_for(20)) == 1


def test_iter_pages_commits_a_page_only_after_it_was_handled(api, tmp_path):
    state_file = tmp_path / "pages.state"
    seen: list[str] = []
    with pytest.raises(RuntimeError):
        for page in client(api).iter_pages(state_file=state_file):
            if page.cursor != "*":
                raise RuntimeError("consumer died before handling page 2")
            seen += [w["id"] for w in page.works]
    assert json.loads(state_file.read_text())["count"] == 20
    seen += [w["id"] for w in client(api).iter_works(state_file=state_file)]
    assert seen == IDS


def test_cap_on_records_and_no_partial_pages(api, tmp_path):
    state_file = tmp_path / "cap.state"
    got = list(client(api).iter_works(max_records=30, state_file=state_file))
    assert [w["id"] for w in got] == IDS[:30]
    assert [r["per-page"] for r in api.requests] == [["20"], ["10"]]
    assert list(client(api).iter_works(max_records=30, state_file=state_file)) == []
    more = list(client(api).iter_works(max_records=45, state_file=state_file))
    assert [w["id"] for w in more] == IDS[30:45]


def test_client_error_is_bilingual_and_not_retried(api):
    with pytest.raises(InputError) as err:
        list(client(api).iter_works(filter="bogus:1"))
    assert "HTTP 400" in err.value.en and "bogus is not a valid field" in err.value.en
    assert "HTTP 400" in err.value.zh and "请检查" in err.value.zh
    assert len(api.requests) == 1


def test_backoff_grows_exponentially_with_jitter(api):
    api.failures = {"*": [(503, {}), (502, {}), (429, {}), (500, {})]}
    delays: list[float] = []
    got = list(client(api, delays=delays, backoff=1.0, max_backoff=5.0, jitter=lambda: 0.5).iter_works())
    assert len(got) == 69
    assert delays == [0.75, 1.5, 3.0, 3.75]  # min(2^n, 5) × (0.5 + 0.5/2)


def test_state_of_another_query_and_bad_settings(api, tmp_path):
    state_file = tmp_path / "q.state"
    list(client(api).iter_works(filter="a:1", max_pages=1, state_file=state_file))
    with pytest.raises(InputError):
        list(client(api).iter_works(filter="b:2", state_file=state_file))
    with pytest.raises(InputError):
        OpenAlexClient(per_page=500)
    with pytest.raises(InputError):  # state says works were written but the output file is gone
        client(api).fetch_to_jsonl(tmp_path / "missing.jsonl", filter="a:1", state_file=state_file)
