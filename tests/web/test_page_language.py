"""Every page in Chinese has no English UI string and no raw key; every page in English no Chinese UI string.

Pages are rendered by the real app over the real arXiv sample store, signed in as an administrator so the
account, moderation and user pages render too; error pages (404, 422) and a form sent back with errors are
included. Data (paper titles, abstracts) is English and stays; the check looks for the catalog's own strings
(`i18n.MESSAGES`, several words long so a title word cannot trip it), message keys and column names.
"""
from __future__ import annotations

import re

import pytest

from frontierwatch.signals import SIGNAL_COLUMNS, glossary
from frontierwatch.web import i18n
from tests.web.conftest import csrf_of, sign_in

# Pydantic's and Starlette's own English, which once reached zh pages.
FOREIGN_EN = ("Input should", "Field required", "field required", "Not Found", "Method Not Allowed", "Links",
              "invalid input", "value is not", "String should")


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html.replace("&#39;", "'").replace("&amp;", "&"))


def _ui_strings(lang: str) -> set[str]:
    i = 1 if lang == "en" else 0
    out = set()
    for zh, en in i18n.MESSAGES.values():
        s = (zh, en)[i]
        if s == (zh, en)[1 - i]:
            continue
        s = s.split("{")[0].strip().rstrip("：:")  # the fixed part before a placeholder
        if (lang == "en" and len(s.split()) >= 2 and len(s) >= 8) or (lang == "zh" and len(s) >= 3):
            out.add(s)
    return out


@pytest.fixture
def pages(client, make_user, observatory):
    make_user("admin1", "admin")
    sign_in(client, "admin1")
    doc_id = observatory.store.con.execute("SELECT doc_id FROM documents ORDER BY doc_id LIMIT 1").fetchone()[0]
    return ["/", "/map", "/search?q=graph+neural+network", "/search?q=量子计算", f"/documents/{doc_id}",
            "/editions", "/methodology", "/hall", "/hall/submit/achievement", "/hall/submit/scenario",
            "/hall/moderate", "/match", "/match?q=drone+inspection", "/account", "/admin/users",
            "/directions/manufacturing", "/topics/T00001", "/no-such-page", "/search?q=x&page=0",
            "/editions/2019H2/zh.pdf"]


def _form_with_errors(client, lang: str) -> str:
    token = csrf_of(client.get(f"/hall/submit/achievement?lang={lang}").text)
    r = client.post("/hall/submit/achievement", data={"csrf_token": token, "title": "x", "trl": "12",
                                                      "links": "ftp://example.org"})
    assert r.status_code == 400
    return r.text


def test_zh_pages_have_no_english_ui_and_no_raw_keys(client, pages):
    english = _ui_strings("en")
    keys = {k for k in i18n.MESSAGES if "." in k} | {k for k in set(SIGNAL_COLUMNS) | set(glossary.COMPONENTS) if "_" in k}
    problems = {}
    texts = {path: _text(client.get(path + ("&" if "?" in path else "?") + "lang=zh").text) for path in pages}
    texts["form errors"] = _text(_form_with_errors(client, "zh"))
    for path, text in texts.items():
        found = [s for s in english if s in text] + [s for s in FOREIGN_EN if s in text]
        found += [k for k in keys if re.search(rf"(?<![\w/.-]){re.escape(k)}(?![\w/-])", text)]
        if found:
            problems[path] = found
    assert not problems, problems


def test_en_pages_have_no_chinese_ui(client, pages):
    chinese = {s for s in _ui_strings("zh") if re.search(r"[\u4e00-\u9fff]", s)}
    problems = {}
    texts = {path: _text(client.get(path + ("&" if "?" in path else "?") + "lang=en").text) for path in pages}
    texts["form errors"] = _text(_form_with_errors(client, "en"))
    for path, text in texts.items():
        found = [s for s in chinese if s in text]
        if found:
            problems[path] = found
    assert not problems, problems


def test_operator_instructions_are_not_shown_to_readers():
    zh = "截至 2019-12-31 的主题图中没有主题 'T99999'；可用 'frontierwatch topics --as-of 2019-12-31' 查看编号"
    assert i18n.for_readers(zh, "zh", pending=False) == "截至 2019-12-31 的主题图中没有主题 'T99999'"
    en = "no topic 'T99999' in the map as of 2019-12-31; use 'frontierwatch topics --as-of 2019-12-31' to see ids"
    assert i18n.for_readers(en, "en", pending=False) == "no topic 'T99999' in the map as of 2019-12-31"
    assert i18n.for_readers("尚无回测记录；请运行 frontierwatch backtest", "zh") == "尚无回测记录（网站下次更新数据后显示）"
    assert i18n.for_readers("no document 'x'", "en") == "no document 'x'"
