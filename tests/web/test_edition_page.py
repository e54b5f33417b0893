"""An edition read inside the site: entries by direction, each linked to its topic on the edition's map and
to its evidence documents; names and labels in the page language. Uses six entries of the REAL shared-corpus
2018H2 edition (tests/samples/web/edition-2018H2.en.json, cut from docs/catalog/shared)."""
from __future__ import annotations

import json
from pathlib import Path

from frontierwatch.web import i18n
from frontierwatch.web.views import edition_by_direction

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "web" / "edition-2018H2.en.json"


def test_edition_page_links_topics_and_sources(app):
    edition = json.loads(SAMPLE.read_text(encoding="utf-8"))
    groups = edition_by_direction(edition)
    assert [g["direction"]["id"] for g in groups] == ["manufacturing", "information", "materials"]
    env = app.state.web.templates.env
    for lang in ("zh", "en"):
        html = env.get_template("edition.html").render(
            lang=lang, t=i18n.translator(lang), user=None, csrf_field="c", csrf_token="", lang_url=lambda c: "",
            path="/", request=None, edition=edition, formats=("html", "pdf", "xlsx", "json", "md"),
            edition_lang="en", by_direction=groups)
        for e in edition["entries"]:
            assert f'/topics/{e["topic_id"]}?as_of=2018-12-31' in html
            assert '/documents/' + e['evidence'][0]['doc_id'].replace(':', '%3A') in html
        assert "/editions/2018H2/en.pdf" in html and "/map?as_of=2018-12-31" in html
        assert (">未来制造<" in html) == (lang == "zh")  # bilingual names in the reader's language ...
        assert (i18n.MESSAGES["edition.field"][0] in html) == (lang == "zh")  # ... the page's own words by the reader's


def test_unpublished_edition_page_is_a_readers_404(client):
    r = client.get("/editions/2019H2/zh")
    assert r.status_code == 404 and "尚未发布" in r.text and "frontierwatch" not in r.text.split("<footer")[0]
