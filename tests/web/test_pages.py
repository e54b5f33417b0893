"""Every page renders in both languages, the language choice is remembered, unbuilt parts say so."""
from __future__ import annotations

import pytest

PAGES = ["/", "/map", "/search", "/search?q=neural+network", "/search?q=量子计算", "/editions", "/methodology",
         "/hall", "/hall?kind=scenario", "/login", "/register", "/match", "/match?q=drone+inspection",
         "/directions/energy", "/topics/0", "/documents/arxiv:1001.3246"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_in_both_languages(client, url, lang):
    r = client.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
    assert r.status_code == 200, r.text[:400]
    assert ("未来产业瞭望站" if lang == "zh" else "Frontier Watch") in r.text
    assert ("English" if lang == "zh" else "中文") in r.text  # the switch to the other language
    assert 'lang="zh-CN"' in r.text if lang == "zh" else 'lang="en"' in r.text


def test_language_is_remembered_in_a_cookie(client):
    client.get("/?lang=en")
    assert client.cookies.get("fw_lang") == "en"
    assert "Six directions of future industries" in client.get("/hall").text or "Release hall" in client.get("/hall").text
    client.get("/?lang=zh")
    assert "成果发布大厅" in client.get("/hall").text


def test_switch_link_keeps_the_query(client):
    html = client.get("/search?q=quantum&lang=zh").text
    assert 'href="/search?q=quantum&amp;lang=en"' in html


def test_home_shows_six_directions_and_an_honest_unbuilt_state(client):
    html = client.get("/?lang=zh").text
    for name in ("未来制造", "未来信息", "未来材料", "未来能源", "未来空间", "未来健康"):
        assert name in html
    assert "1,506" in html  # documents in the sample store
    assert "尚未发布" in html  # no topic map in this store: said, not faked


def test_search_finds_documents_in_english(client):
    html = client.get("/search?q=neural+networks&lang=en").text
    assert "Salience-Affected <mark>Neural Networks</mark>" in html


def test_document_page_and_missing_document(client):
    assert "Salience-Affected Neural Networks" in client.get("/documents/arxiv:1001.3246").text
    r = client.get("/documents/arxiv:0000.0000")
    assert r.status_code == 404 and "0000.0000" in r.text


def test_unknown_direction_and_page_are_404(client):
    assert client.get("/directions/nowhere").status_code == 404
    r = client.get("/no/such/page", headers={"accept": "application/json"})
    assert r.status_code == 404 and r.json()["error"]["message_zh"]


def test_static_echarts_is_vendored_with_its_licence(client):
    r = client.get("/static/vendor/echarts/echarts.min.js")
    assert r.status_code == 200 and len(r.content) > 1_000_000
    assert "Apache License" in client.get("/static/vendor/echarts/LICENSE").text


def test_edition_download_of_an_unpublished_edition_is_404(client):
    r = client.get("/editions/2019H2/zh.pdf")
    # the page speaks to a web reader (no command to run); the API keeps the operator's hint
    assert r.status_code == 404 and "尚未发布" in r.text and "frontierwatch catalog" not in r.text
    assert "Not Found" not in r.text and "not published" not in r.text  # no English on the zh error page
    assert "frontierwatch catalog" in client.get("/editions/2019H2/zh.pdf", headers={"accept": "application/json"}).text
    assert client.get("/editions/2019H2/zh.exe").status_code == 404


def test_security_headers(client):
    r = client.get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"


def test_head_is_answered_like_get_without_a_body(client):
    for path in ("/", "/search?q=graph", "/api/v1/status", "/no-such-page"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code and head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]


def test_validation_errors_speak_the_page_language(client):
    zh = client.get("/search?q=x&page=0")
    assert zh.status_code == 422 and "页码不能小于 1" in zh.text and "Input should" not in zh.text
    en = client.get("/search?q=x&page=abc&lang=en")
    assert en.status_code == 422 and "page must be a whole number" in en.text and "页码" not in en.text
    api = client.get("/api/v1/topics?top=0", headers={"accept": "application/json"}).json()["error"]
    assert api["message_zh"].startswith("输入有误：") and "Input should" not in api["message_zh"]
