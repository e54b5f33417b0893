"""The pages with REAL core answers (tests/samples/web/core-answers.json, saved from the demo corpus):
not-computed markers, bilingual notes, edition links with their map date, years without thousands separators."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from markupsafe import escape

from frontierwatch.web import i18n
from frontierwatch.web.render import _fmt_year, _stage_name
from frontierwatch.web.views import headline_topics, is_not_computed, topic_view

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "web" / "core-answers.json"


@pytest.fixture(scope="module")
def answers() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def render(app, template: str, lang: str, **context) -> str:
    env = app.state.web.templates.env
    base = {"lang": lang, "t": i18n.translator(lang), "user": None, "csrf_field": "csrf_token", "csrf_token": "",
            "lang_url": lambda code: f"?lang={code}", "path": "/", "request": None}
    return env.get_template(template).render(base | context)


def test_markers_become_missing_sections_with_notes_in_the_page_language(answers):
    detail = answers["topic_not_computed"]
    assert is_not_computed(detail["signals"]) and is_not_computed(detail["forecast"])
    zh, en = topic_view(detail, "zh"), topic_view(detail, "en")
    for section in ("signals", "axes", "forecast", "forecast_skill"):
        assert zh[section] is None and en[section] is None
        assert zh["notes"][section] == i18n.for_readers(detail[section]["note"]["zh"], "zh")
        assert en["notes"][section] == i18n.for_readers(detail[section]["note"]["en"], "en")
        assert "frontierwatch" not in zh["notes"][section] + en["notes"][section]  # readers run no commands
    assert zh["directions"][0]["id"] == "manufacturing" and zh["mapping"]["confidence"]


def test_topic_page_with_markers_shows_notes_not_marker_keys(app, answers):
    detail = answers["topic_not_computed"]
    for lang in ("zh", "en"):
        html = render(app, "topic.html", lang, topic_id=detail["id"], topic=topic_view(detail, lang),
                      series=[], backtest=None, as_of="2019-12-31")
        assert "computed</dt>" not in html and "False" not in html and ">note<" not in html
        assert str(escape(i18n.for_readers(detail["forecast"]["note"][lang], lang))) in html
        assert str(escape(i18n.for_readers(detail["signals"]["note"][lang], lang))) in html
        assert detail["landscape"]["note"][lang] in html  # the landscape note in the page language ...
        other = "en" if lang == "zh" else "zh"
        assert detail["landscape"]["note"][other] not in html  # ... not the raw {zh, en} dict
        assert "/topics/T00045?as_of=2019-12-31" in html  # neighbours stay on the same map
        assert "/directions/manufacturing" in html


def test_topic_page_with_real_signals_writes_years_plainly(app, answers):
    detail = answers["topic_computed"]
    view = topic_view(detail, "en")
    assert view["signals"]["year"] == 2023 and "missing" not in view["signals"]
    html = render(app, "topic.html", "en", topic_id=detail["id"], topic=view, series=[], backtest=None, as_of=None)
    assert "2,023" not in html and "2,019" not in html and "2023.0" not in html and "2,005" not in html
    assert "2005–2022" in html  # trained-on years of the forecast
    assert "7.5%" in html  # forecast probability
    flag = detail["risk_flags"][0]
    assert flag["name"]["en"] in html and "{&#39;zh&#39;" not in html and "{'zh'" not in html
    assert "growing" in html


def test_home_headline_links_carry_the_editions_map_date(app, answers):
    editions = answers["editions"]
    headline = headline_topics(editions, None, "zh")
    html = render(app, "home.html", "zh", directions=[], from_taxonomy=True, status={"documents": 23451},
                  headline=headline, topics=None, hall_counts={"achievement": 0, "scenario": 0})
    first = editions[-1]["headline"][0]
    assert f'href="/topics/{first["id"]}?as_of={editions[-1]["as_of"]}"' in html
    assert first["direction"]["name"]["zh"] in html
    assert "23,451" in html  # counts keep their separators


@pytest.mark.parametrize("value,text", [(2023, "2023"), (2019.0, "2019"), ("2015", "2015"), (None, "—"),
                                        (float("nan"), "—")])
def test_year_format(value, text):
    assert _fmt_year(value) == text


def test_stage_names_follow_the_language():
    assert _stage_name("growing", "zh") == "成长期" and _stage_name("growing", "en") == "growing"
    assert _stage_name(None, "zh") == "—" and _stage_name("unheard", "en") == "unheard"


def test_editions_page_lists_entries_and_links_the_editions_map(app, answers):
    html = render(app, "editions.html", "en", editions=answers["editions"], formats=("html", "pdf"))
    edition = answers["editions"][-1]
    assert f'href="/map?as_of={edition["as_of"]}"' in html
    assert f'>{edition["n_entries"]}</td>' in html


def test_methodology_without_backtest_says_so_to_a_web_reader(client):
    en, zh = client.get("/methodology?lang=en").text, client.get("/methodology?lang=zh").text
    assert "No backtest recorded yet" in en and "尚无回测记录" in zh
    assert "frontierwatch backtest" not in en + zh  # a reader runs no commands


def test_map_page_keeps_the_requested_map_date_for_clicks(app):
    points = [{"id": "T1", "label": "a", "x": 0.0, "y": 1.0, "size": 3.0, "group": ""}]
    html = render(app, "map.html", "zh", points=points, as_of="2019-12-31", map_as_of="2019-12-31")
    assert 'data-as-of="2019-12-31"' in html and "截止日期 2019-12-31" in html


def test_match_reasons_read_as_phrases_not_dict_keys(app, answers):
    from frontierwatch.web.views import match_why
    t = i18n.translator("zh")
    topic_why = answers["match"]["topics"][0]["why"]
    text = " · ".join(match_why(topic_why, "zh", t))
    assert "computed" not in text and "{" not in text and "命中词" in text and "含义" in text
    assert "multilingual" not in text and "bm25" not in text  # scorer numbers stay in the API
    html = render(app, "match.html", "en", q="drone inspection", result=answers["match"], achievements=[])
    assert "computed" not in html and "matched_terms" not in html and "in meaning" in html
    # document votes (a BM25 sum, not a cosine) are said as documents found, never as closeness or a number
    voted = match_why({"similarity": {"static": 0.31, "bm25": 0.0, "documents": 42.5}}, "zh", t)
    assert voted == ["含义有关", "含有最匹配的文献"]
    assert match_why({"similarity": {"static": 0.31, "bm25": 0.0, "documents": 0.0}}, "en",
                     i18n.translator("en")) == ["related in meaning"]


def test_methodology_shows_the_catalog_backtest_in_the_readers_language(app, client):
    """The committed shared-corpus catalog backtest (bench/results/catalog_backtest.json) as /methodology shows
    it: every rule by name in the page's language (never a raw key), the base rate and the goal's ratios."""
    result = json.loads((Path(__file__).resolve().parents[2] / "bench" / "results" / "catalog_backtest.json")
                        .read_text(encoding="utf-8"))["catalog"]
    zh = render(app, "methodology.html", "zh", backtest={}, best_method=None, catalog_backtest=result)
    en = render(app, "methodology.html", "en", backtest={}, best_method=None, catalog_backtest=result)
    assert "目录回测" in zh and "旧规则：每领域两轴均值前三" in zh and "正例率" in zh
    assert "Catalog backtest" in en and "Old rule: top 3 per field by mean of the axes" in en
    for page in (zh, en):
        assert "axes_top3" not in page and "method.rule" not in page
        assert f"{result['rules']['frontierwatch']['mean_hit_rate']:.3f}" in page
    assert "尚无目录回测" in client.get("/methodology?lang=zh").text   # the test store has none: it says so


def test_match_documents_name_their_topic_and_zh_pages_never_print_an_english_name(app, answers):
    import copy
    result = copy.deepcopy(answers["match"])
    first, second = result["topics"][:2]
    first["name"] = {"en": "Only an English name", "zh": None}  # the names stage found no Chinese name
    second["name"] = {"en": "Drone inspection", "zh": "无人机巡检"}
    assert {d["why"]["topic_id"] for d in result["documents"]} == {second["id"]}
    zh = render(app, "match.html", "zh", q="无人机", result=result, achievements=[])
    en = render(app, "match.html", "en", q="drone", result=result, achievements=[])
    assert "主题：无人机巡检" in zh and f"主题 {second['id']}" not in zh  # documents cite their topic by name
    assert "Topics: Drone inspection" in en or "Drone inspection" in en.split("<ol")[-1]
    assert "Only an English name" not in zh and f"暂无中文名称（{first['id']}）" in zh
    assert "Only an English name" in en
