"""The JSON API: shapes, bilingual errors, search in English and Chinese, OpenAPI."""
from __future__ import annotations

from tests.web.conftest import ACHIEVEMENT


def test_topics_answer_has_the_contract_shape(client):
    body = client.get("/api/v1/topics").json()
    assert "topics" in body and isinstance(body["topics"], list)
    if not body["built"]:
        assert "frontierwatch build" in body["message"]["en"] and body["message"]["zh"]


def test_directions(client):
    body = client.get("/api/v1/directions").json()
    assert len(body["directions"]) >= 6 and {"id", "name_zh", "name_en"} <= set(body["directions"][0])


def test_search_english_finds_every_word_and_says_its_chinese_form(client):
    body = client.get("/api/v1/search", params={"q": "neural network"}).json()
    docs = body["documents"]
    assert docs["terms"][:2] == ["neural", "network"] and "神经网络" in docs["terms"] and docs["total"] > 10
    assert [c["text"] for c in docs["query"]["concepts"]] == ["neural network"]
    assert all(r["matched_terms"] == 1 for r in docs["results"])
    top = docs["results"][0]
    marked = [top["title"][a:b].lower() for a, b in top["title_marks"]] + \
        [top["snippet"][a:b].lower() for a, b in top["snippet_marks"]]
    assert any("neural" in m for m in marked)


def test_search_chinese_query_finds_a_chinese_hall_item(client, signed_in):
    sub, csrf = signed_in("submitter")
    mod, mcsrf = signed_in("moderator")
    item = sub.post("/api/v1/achievements", json=ACHIEVEMENT | {"title": "钙钛矿叠层太阳电池"},
                    headers={"x-csrf-token": csrf}).json()
    mod.post(f"/api/v1/moderation/{item['item_id']}", json={"decision": "approve"}, headers={"x-csrf-token": mcsrf})
    body = client.get("/api/v1/search", params={"q": "钙钛矿"}).json()
    assert body["engine"].startswith("bm25")
    assert [h["title"] for h in body["hall"]] == ["钙钛矿叠层太阳电池"]


def test_document_and_errors_are_bilingual_json(client):
    assert client.get("/api/v1/documents/arxiv:1001.3246").json()["year"] == 2010
    err = client.get("/api/v1/documents/nope").json()["error"]
    assert err["status"] == 404 and err["message_en"] and err["message_zh"] != err["message_en"]
    bad = client.get("/api/v1/topics", params={"as_of": "yesterday"})
    assert bad.status_code == 422 and bad.json()["error"]["message_zh"].startswith("输入有误")


def test_match_and_editions_report_unbuilt_stages(client):
    for url in ("/api/v1/match?q=无人机巡检", "/api/v1/editions", "/api/v1/backtest", "/api/v1/topic-map"):
        body = client.get(url).json()
        assert body["built"] in (True, False)
    assert client.post("/api/v1/match", json={"text": "drone inspection"}).status_code == 200


def test_openapi_lists_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/topics", "/api/v1/search", "/api/v1/match", "/api/v1/achievements", "/api/v1/scenarios",
                 "/api/v1/moderation/{item_id}", "/api/v1/directions", "/api/v1/editions", "/api/v1/documents/{doc_id}"):
        assert path in spec["paths"], path
    assert "/login" not in spec["paths"]  # pages are not API


def test_public_lists(client):
    assert client.get("/api/v1/achievements").json() == {"achievements": []}
    assert client.get("/api/v1/scenarios").json() == {"scenarios": []}
    assert client.get("/api/v1/me").json() == {"user": None}
