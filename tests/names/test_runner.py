"""The names stage on a real store: every topic named, Chinese names and summaries, no look-ahead, and the optional
LLM labeller's protocol against a real local HTTP server, with its cache."""
from __future__ import annotations

import json
import re
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from frontierwatch.errors import InputError
from frontierwatch.names import build_topic_names, read_topic_names
from frontierwatch.settings import load_settings

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[a-z]{3,}")   # an English word in running Chinese (acronyms are upper case)


def test_every_topic_gets_a_name_and_a_description(names_store):
    result = build_topic_names(names_store, date(2017, 12, 31))
    names = read_topic_names(names_store, result["map_id"])
    assert result["topics"] == len(names) == 24
    assert result["with_chinese_name"] >= 0.8 * len(names)
    for row in names.values():
        en, zh = row["name"]["en"], row["name"]["zh"]
        assert en and " · " not in en and len(en.split()) <= 10
        assert zh is None or (CJK.search(zh) and not LATIN_WORD.search(zh))
        assert row["summary"]["en"] and CJK.search(row["summary"]["zh"])
        assert not LATIN_WORD.search(row["summary"]["zh"].replace(zh or "", ""))   # no English on a Chinese page
        assert row["summary_zh_source"] == "template" and row["labeller"] == "offline"
        assert set(row["summary_docs"]) and row["evidence"]["keyphrases"]


def test_names_are_deterministic_and_rebuilding_replaces_them(names_store):
    first = build_topic_names(names_store, date(2017, 12, 31))
    a = read_topic_names(names_store, first["map_id"])
    build_topic_names(names_store, date(2017, 12, 31))
    assert read_topic_names(names_store, first["map_id"]) == a
    assert names_store.con.execute("SELECT count(*) FROM topic_names WHERE map_id = ?",
                                   [first["map_id"]]).fetchone()[0] == len(a)


def test_no_look_ahead_later_documents_do_not_change_earlier_names(names_store):
    before = build_topic_names(names_store, date(2016, 12, 31))
    names = read_topic_names(names_store, before["map_id"])
    names_store.con.execute("UPDATE documents SET title = 'Zorblax quantum widgets', abstract = 'Zorblax zorblax "
                            "widgets everywhere. Zorblax widgets grow.' WHERE published > DATE '2016-12-31'")
    build_topic_names(names_store, date(2016, 12, 31))
    assert read_topic_names(names_store, before["map_id"]) == names


class _Endpoint(BaseHTTPRequestHandler):
    """An OpenAI-compatible chat-completions endpoint: names a topic from the first keyphrase it is sent."""

    seen: list = []
    answer = None

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        first = body["messages"][1]["content"].split("Keyphrases: ")[1].split(";")[0]
        content = type(self).answer or json.dumps({"en": f"LLM name for {first}", "zh": f"大模型命名{len(first)}"})
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    _Endpoint.seen, _Endpoint.answer = [], None
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_the_llm_labeller_speaks_the_protocol_and_is_asked_once(names_store, endpoint, monkeypatch):
    monkeypatch.setenv("FRONTIERWATCH_LABELLER_API_KEY", "test-key")
    settings = load_settings(labeller="openai", labeller_base_url=endpoint, labeller_model="namer-1")
    result = build_topic_names(names_store, date(2017, 12, 31), settings=settings)
    assert result["labeller"] == "openai:namer-1" and result["labeller_requests"] == 24 == len(_Endpoint.seen)
    call = _Endpoint.seen[0]
    assert call["path"] == "/v1/chat/completions" and call["auth"] == "Bearer test-key"
    assert call["body"]["model"] == "namer-1" and call["body"]["temperature"] == 0
    assert [m["role"] for m in call["body"]["messages"]] == ["system", "user"]
    assert "Offline suggestion:" in call["body"]["messages"][1]["content"]
    names = read_topic_names(names_store, result["map_id"])
    row = next(iter(names.values()))
    assert row["name"]["en"].startswith("LLM name for") and row["zh_source"] == "labeller"
    assert row["evidence"]["offline_name"]["en"]          # the offline name stays as evidence
    again = build_topic_names(names_store, date(2017, 12, 31), settings=settings)   # a rebuild asks nothing
    assert again["labeller_requests"] == 0 and len(_Endpoint.seen) == 24
    assert read_topic_names(names_store, result["map_id"]) == names


def test_a_keyword_list_answer_is_refused_and_the_offline_name_kept(names_store, endpoint):
    _Endpoint.answer = json.dumps({"en": "robot, grasp, gripper, hand", "zh": "机器人"})
    settings = load_settings(labeller="openai", labeller_base_url=endpoint, labeller_model="namer-2")
    result = build_topic_names(names_store, date(2017, 12, 31), settings=settings)
    for row in read_topic_names(names_store, result["map_id"]).values():
        assert row["labeller"] == "offline" and row["evidence"]["labeller_refused"]


def test_an_unreachable_endpoint_is_a_clear_bilingual_error(names_store):
    settings = load_settings(labeller="openai", labeller_base_url="http://127.0.0.1:9/v1", labeller_model="m")
    with pytest.raises(InputError) as err:
        build_topic_names(names_store, date(2017, 12, 31), settings=settings)
    assert "127.0.0.1:9/v1/chat/completions" in err.value.en and "命名器接口" in err.value.zh
    settings = load_settings(labeller="openai")
    with pytest.raises(InputError, match="labeller_base_url"):
        build_topic_names(names_store, date(2017, 12, 31), settings=settings)


def test_names_made_with_another_glossary_are_named_again_by_the_core(names_store):
    from frontierwatch import pipeline
    from frontierwatch.names import names_stale

    day = date(2017, 12, 31)
    first = build_topic_names(names_store, day)
    map_id = first["map_id"]
    assert not names_stale(names_store, map_id)
    fresh = read_topic_names(names_store, map_id)
    # names stored by an older version: a placeholder Chinese name and no glossary fingerprint
    names_store.con.execute("UPDATE topic_names SET name_zh = '旧名称', evidence = '{}' WHERE map_id = ?", [map_id])
    assert names_stale(names_store, map_id)
    report = pipeline.ensure_built(names_store, load_settings(), day)
    assert "names" in report["built"]
    assert not names_stale(names_store, map_id)
    assert read_topic_names(names_store, map_id) == fresh


def test_names_made_in_worker_processes_equal_one_process(names_store, monkeypatch):
    """Topics are named in worker processes on a large map; the rows are the one-process rows, byte for byte."""
    import frontierwatch.names.runner as runner

    def rows():
        return names_store.con.execute(
            "SELECT topic_id, name_en, name_zh, zh_source, summary_en, summary_zh, summary_zh_source, summary_docs, "
            "evidence::VARCHAR FROM topic_names ORDER BY map_id, topic_id").fetchall()

    monkeypatch.setenv("FRONTIERWATCH_WORKERS", "1")
    build_topic_names(names_store, date(2017, 12, 31))
    alone = rows()
    monkeypatch.setenv("FRONTIERWATCH_WORKERS", "2")
    monkeypatch.setattr(runner, "MIN_PARALLEL", 2)
    monkeypatch.setattr(runner, "ROUND", 5)  # several rounds, each split over two workers
    build_topic_names(names_store, date(2017, 12, 31))
    assert rows() == alone and len(alone) > 5
