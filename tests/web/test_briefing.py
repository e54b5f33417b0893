"""The topic page as a briefing, on a REAL core answer (tests/samples/web/core-answers.json, demo corpus):
signals, components and missing-data reasons by name in the page language, never as column names; growth
stated against the whole store; the stage with its numbers."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from frontierwatch.signals import SIGNAL_COLUMNS, glossary
from frontierwatch.web import i18n
from frontierwatch.web.briefing import axis_panels, growth_statements, signal_rows, skill_rows, stage_sentence
from frontierwatch.web.views import topic_series, topic_view

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "web" / "core-answers.json"


@pytest.fixture(scope="module")
def detail() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))["topic_computed"]


def _text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_axes_name_their_components_and_say_how_many_they_rest_on(detail):
    zh = axis_panels(detail["axes"], "zh")
    assert [p["key"] for p in zh] == ["breakthrough", "industrialisation"]
    bt = zh[0]
    assert bt["rests_on"] == len(detail["axes"]["breakthrough"]["components"]) and bt["of"] == 7
    assert {c["name"] for c in bt["components"]} <= {v[0] for v in glossary.COMPONENTS.values()}
    assert all(m["name"] in {v[0] for v in glossary.COMPONENTS.values()} for m in bt["missing"])
    # the contributions still add up to the score the page prints
    assert sum(c["value"] for c in bt["components"]) == pytest.approx(bt["score"])


def test_missing_components_say_why_and_insufficient_axes_are_not_numbers():
    axes = {"year": 2019, "stage": "mature", "missing_reasons": {"patenting": "few_patents", "impact": "no_variation"},
            "breakthrough": {"score": None, "components": {"burst": 0.1, "momentum": 0.2}, "missing": ["impact"]},
            "industrialisation": {"score": 0.4, "components": {"scale": 0.1, "company_involvement": 0.2,
                                                               "application_language": 0.1}, "missing": ["patenting"]}}
    zh, en = axis_panels(axes, "zh"), axis_panels(axes, "en")
    assert zh[0]["score"] is None and zh[0]["rests_on"] == 2
    assert zh[1]["missing"] == [{"name": "专利占比", "reason": glossary.reason_text("few_patents", "zh")}]
    assert en[0]["missing"][0]["reason"].startswith("the same value for every topic")


def test_signal_rows_cover_every_column_by_name_and_show_growth_as_ratios(detail):
    assert set(SIGNAL_COLUMNS) <= set(glossary.SIGNALS)  # no column can reach a page unnamed
    rows = signal_rows(detail["signals"], "en")
    names = {r["name"] for r in rows}
    assert "2-year share growth" in names and "growth2" not in names
    g2 = next(r for r in rows if r["name"] == "2-year share growth")
    assert g2["kind"] == "ratio" and g2["meaning"].startswith("ratio of")
    assert g2["value"] == pytest.approx(2.718281828 ** detail["signals"]["growth2"])


def test_growth_is_stated_against_the_whole_store():
    series = [{"year": 2016, "count": 13}, {"year": 2017, "count": 20}, {"year": 2019, "count": 37},
              {"year": 2014, "count": 10}]
    totals = {2014: 1000, 2016: 1000, 2019: 1400, "unknown": 1000}  # the store status counts undated documents
    zh = growth_statements(series, totals, 2019, "zh")
    en = growth_statements(series, totals, 2019, "en")
    assert zh[0] == "近 3 年（2016→2019 年）年度文献数由 13 篇变为 37 篇（增长 185%），同期全库增长 40%：快于全库。"
    assert en[1].startswith("In 5 years (2014 → 2019) its documents went from 10 to 37 a year (up 270%)")
    assert growth_statements(series, totals, None, "en") == []       # no as-of year: no claim
    assert growth_statements(series, {2019: 5}, 2019, "en") == []     # no store totals for the start year


def test_stage_sentence_states_the_numbers():
    axes = {"year": 2019, "stage": "growing",
            "stage_basis": {"count": 37.0, "count_prev2": 13.0, "count_ratio": 2.78, "share": 0.0062,
                            "share_prev2": 0.0087, "share_ratio": 0.71, "share_to_peak": 0.49, "peak_year": 2015.0,
                            "birth_year": 2012.0}}
    assert "13 → 37" in stage_sentence(axes, "zh") and "2017→2019" in stage_sentence(axes, "zh")
    assert "49% of its peak (2015)" in stage_sentence(axes, "en")
    assert stage_sentence({"year": 2019, "stage": "growing"}, "en") == ""  # rows without a basis: no sentence


def test_skill_rows_are_named():
    skill = {"backtest_id": 3, "horizon": 3, "cutoffs": [2015, 2016], "mean_ap": 0.21, "best_baseline": "recency",
             "best_baseline_ap": 0.25, "positive_rate": 0.06, "label": "demo"}
    zh = {r["name"]: r for r in skill_rows(skill, "zh")}
    assert zh["回测截止年份"]["value"] == "2015、2016" and zh["实际快速增长的主题比例"]["kind"] == "pct"
    assert "backtest_id" not in str(skill_rows(skill, "en"))


def test_topic_page_shows_no_signal_or_component_keys(app, detail):
    env = app.state.web.templates.env
    keys = set(SIGNAL_COLUMNS) | set(glossary.COMPONENTS) | set(glossary.REASONS)
    keys = {k for k in keys if "_" in k}  # one-word keys (count, share, burst) are also ordinary words
    for lang in ("zh", "en"):
        html = env.get_template("topic.html").render(
            lang=lang, t=i18n.translator(lang), user=None, csrf_field="c", csrf_token="", lang_url=lambda c: "",
            path="/", request=None, topic_id=detail["id"], topic=topic_view(detail, lang),
            series=topic_series(detail), growth=[], backtest=None, as_of=None)
        text = _text(html)
        assert not [k for k in keys if re.search(rf"\b{k}\b", text)], lang
        assert ("两年占比增长" in text) == (lang == "zh") and ("2-year share growth" in text) == (lang == "en")
