"""The published selection rule (issue 10, item 1) on the real editions of the sample store: entries follow the
published forecast probability, a declining topic is never promoted, an empty field says so, and the watch list
and outside risers never overlap the entries."""
from __future__ import annotations

import json

from markupsafe import escape

from frontierwatch.catalog import load_edition, render_edition
from frontierwatch.catalog.inputs import topic_axes, topic_forecasts
from frontierwatch.catalog.selection import published_probability
from frontierwatch.topics.tables import map_row

CODES = ("2016H2", "2017H2")


def _stored(store, code):
    ed = load_edition(store, code)
    m = map_row(store, __import__("datetime").date.fromisoformat(ed.as_of))
    return ed, m["map_id"]


def test_entries_follow_the_published_probability(edition_store):
    for code in CODES:
        ed, map_id = _stored(edition_store, code)
        forecasts, status = topic_forecasts(edition_store, map_id)
        sel = ed.parameters["selection"]
        assert sel["rule"] == ("forecast" if status == "ok" else "axes_fallback")
        if sel["rule"] != "forecast":
            continue
        assert sel["bar"] >= sel["min_probability"] and (ed.entries or code == "2016H2")
        order = sorted(ed.entries, key=lambda e: e["overall_rank"])
        probs = [published_probability(forecasts[e["topic_id"]]) for e in order]
        assert probs == sorted(probs, reverse=True)               # the rule's order is the published order
        for e in ed.entries:
            assert e["forecast"]["probability"] == forecasts[e["topic_id"]]["probability"] >= sel["bar"]
            assert e["breakthrough"]["score"] is not None or e["industrialisation"]["score"] is not None
        for f in {e["field"]["key"] for e in ed.entries}:        # within a field, rank follows probability too
            field = sorted((e for e in ed.entries if e["field"]["key"] == f), key=lambda e: e["rank"])
            assert [e["forecast"]["probability"] for e in field] == sorted(
                (e["forecast"]["probability"] for e in field), reverse=True)
            assert len(field) <= ed.parameters["selection"]["max_per_field"]


def test_a_declining_topic_is_never_promoted(edition_store):
    for code in CODES:
        ed, map_id = _stored(edition_store, code)
        axes = topic_axes(edition_store, map_id, __import__("datetime").date.fromisoformat(ed.as_of))
        declining = {t for t, a in axes.items() if a.get("stage") == "declining"}
        assert all(e["stage"] != "declining" for e in ed.entries)
        assert not declining & {e["topic_id"] for e in ed.entries}


def test_an_empty_field_says_so_in_both_languages(edition_store):
    ed = load_edition(edition_store, "2017H2")
    fields = [f for d in ed.directions for f in d["fields"]]
    empty = [f for f in fields if not f["entries"]]
    assert empty                                                # 24 topics cannot fill every field of the taxonomy
    for f in fields:
        assert (f["note"] is None) == bool(f["entries"])
    note = empty[0]["note"]
    assert "No topic in this corpus clears the bar" in note["en"] and "没有主题达到" in note["zh"]
    for lang in ("zh", "en"):
        md, html = (render_edition(ed, fmt, lang).decode() for fmt in ("md", "html"))
        assert note[lang] in md and note[lang] in html


def test_watch_and_outside_risers_never_overlap_the_entries(edition_store):
    for code in CODES:
        ed = load_edition(edition_store, code)
        entries = {e["topic_id"] for e in ed.entries}
        watch, risers = {w["topic_id"] for w in ed.watch}, {r["topic_id"] for r in ed.outside_risers}
        assert not entries & watch and not entries & risers and not watch & risers
        for w in ed.watch:
            assert w["stage"] == "declining" or w["forecast"]["probability"] is None or \
                w["forecast"]["probability"] < ed.parameters["selection"]["bar"] or w["stage"] is None
            assert w["reason"]["key"] in {"previous_declining", "previous_below_bar", "large_declining",
                                          "large_below_bar"} and w["reason"]["zh"] and w["name"]["zh"]
        for r in ed.outside_risers:
            assert r["stage"] != "declining" and r["name"]["en"] and r["summary"]["zh"]
    ed = load_edition(edition_store, "2017H2")
    assert ed.outside_risers                                    # the sample has topics outside the six directions
    doc = json.loads(render_edition(ed, "json", "zh"))
    assert isinstance(doc["watch"], list) and isinstance(doc["outside_risers"], list)


def test_every_format_states_the_rule_and_the_lists(edition_store):
    ed = load_edition(edition_store, "2017H2")
    for lang, heading in (("zh", "入选规则"), ("en", "Selection rule")):
        rule = ed.methodology["selection"][lang]
        for fmt in ("md", "html"):
            out = render_edition(ed, fmt, lang).decode()
            assert heading in out and (str(escape(rule)) if fmt == "html" else rule) in out
            assert ("观察名单" if lang == "zh" else "Watch list") in out
            assert ("六大方向以外的上升主题" if lang == "zh" else "Risers outside the six directions") in out
            for r in ed.outside_risers:
                assert (str(escape(r["name"][lang])) if fmt == "html" else r["name"][lang]) in out


def test_without_a_published_forecast_the_axes_fallback_is_stated(edition_store):
    """A map with no forecast (too little history) falls back to the axes rule and says so — never silently."""
    from datetime import date

    from frontierwatch.catalog import EditionParams
    from frontierwatch.catalog.inputs import topic_directions
    from frontierwatch.catalog.selection import select
    from frontierwatch.catalog.taxonomy import load_taxonomy
    from frontierwatch.topics import list_topics

    day = date(2017, 12, 31)
    map_id = map_row(edition_store, day)["map_id"]
    topics = list_topics(edition_store, day)["topics"]
    mapped = topic_directions(edition_store, map_id, [t["id"] for t in topics])
    axes = topic_axes(edition_store, map_id, day)
    sel = select(topics, mapped, axes, {}, [f.key for f in load_taxonomy().fields],
                 EditionParams(per_field=2, min_size=5).selection)
    assert sel.record["rule"] == "axes_fallback" and sel.record["bar"] is None
    assert "falls back to the axes rule" in sel.record["text"]["en"] and "改用两轴规则" in sel.record["text"]["zh"]
    assert all(axes[t["id"]]["stage"] != "declining" for _, t in sel.chosen)
