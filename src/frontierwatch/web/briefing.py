"""The topic page as a briefing: the core's numbers put into words a reader can quote (pure, no I/O).

The signals stage's glossary (`frontierwatch.signals.glossary`) names every signal, axis component, reason
for a missing component and lifecycle stage in Chinese and English; these functions turn a topic detail's
raw keys into named rows, so a page never shows a column name (raw keys stay in the API). Growth is stated
plainly — the topic's documents against the whole store's over the same years — from counts the page also
charts, so the words and the chart cannot disagree.
"""
from __future__ import annotations

import math

from frontierwatch.signals import glossary

__all__ = ["axis_panels", "signal_rows", "stage_sentence", "growth_statements", "skill_rows", "forecast_rows"]

AXES = ("breakthrough", "industrialisation")
# How a signal's value is written: a share of documents, a count, a calendar year, or a plain number.
_PERCENT = {"share", "peak_share", "share_prev2", "share_to_peak", "patent_share", "company_share",
            "application_language", "escore_share", "cross_field_share", "new_term_ratio"}
_COUNT = {"count", "cum_count", "count_prev2", "window_count", "patent_count", "paper_count", "affiliated_count",
          "patent_count_before", "cited_count", "burst_months"}
_YEAR = {"peak_year", "birth_year"}
_LOG_RATIO = {"growth1", "growth2", "growth3", "count_growth2", "patent_growth"}  # shown as ×e^g
_SKIP = {"year", "missing", "map_id", "topic_id"}


def _value_kind(key: str) -> str:
    return ("pct" if key in _PERCENT else "count" if key in _COUNT else "year" if key in _YEAR
            else "ratio" if key in _LOG_RATIO else "num")


def axis_panels(axes: dict | None, lang: str) -> list[dict]:
    """Both axes as ``[{"key", "score" (None: insufficient data), "rests_on", "of", "components": [{"name",
    "meaning", "value"}], "missing": [{"name", "reason"}]}]`` in `lang` (empty without axes)."""
    if not isinstance(axes, dict):
        return []
    reasons = axes.get("missing_reasons") or {}
    out = []
    for key in AXES:
        axis = axes.get(key)
        if not isinstance(axis, dict):
            continue
        parts = axis.get("components") or {}
        missing = list(axis.get("missing") or [])
        out.append({
            "key": key, "score": axis.get("score"), "rests_on": len(parts), "of": len(parts) + len(missing),
            "components": [{"name": glossary.component_name(c, lang), "meaning": glossary.component_meaning(c, lang),
                            "value": v} for c, v in sorted(parts.items(), key=lambda kv: -(kv[1] or 0))],
            "missing": [{"name": glossary.component_name(c, lang),
                         "reason": glossary.reason_text(reasons[c], lang) if c in reasons else ""} for c in missing],
        })
    return out


def signal_rows(signals: dict | None, lang: str) -> list[dict]:
    """The signals of one year as ``[{"name", "meaning", "value", "kind"}]`` in the glossary's order; a column
    the glossary does not name is left to the API rather than shown as a raw key."""
    if not isinstance(signals, dict):
        return []
    rows = []
    for key in glossary.SIGNALS:
        if key in _SKIP or signals.get(key) is None:
            continue
        kind, value, meaning = _value_kind(key), signals[key], glossary.signal_meaning(key, lang)
        if kind == "ratio":  # a log ratio reads better as the ratio itself: growth2 0.69 → ×2.0
            value = math.exp(min(float(value), 50.0))
            meaning = meaning.replace("之比的对数", "之比").replace("log ratio of", "ratio of")
        rows.append({"name": glossary.signal_name(key, lang), "meaning": meaning, "value": value, "kind": kind})
    return rows


def stage_sentence(axes: dict | None, lang: str) -> str:
    """The stage with the numbers it was decided on, one sentence ("" when the axes kept no basis)."""
    if not isinstance(axes, dict):
        return ""
    year = axes.get("year")
    return glossary.stage_explanation(axes.get("stage"), axes.get("stage_basis"), int(year) if year else None, lang)


def _ratio_text(ratio: float, lang: str) -> str:
    if ratio >= 1:
        return f"增长 {(ratio - 1) * 100:.0f}%" if lang == "zh" else f"up {(ratio - 1) * 100:.0f}%"
    return f"下降 {(1 - ratio) * 100:.0f}%" if lang == "zh" else f"down {(1 - ratio) * 100:.0f}%"


def growth_statements(series: list[dict], totals: dict | None, year: int | None, lang: str,
                      spans: tuple[int, ...] = (3, 5)) -> list[str]:
    """"In 3 years (2016 → 2019) its documents went from 13 to 37 a year (up 185%); the whole store's went
    up 40%: it grew faster than the store." — one sentence per span in `spans` whose start year has documents.

    `series` is the page's ``[{"year", "count"}]``, `totals` the store's documents per year, `year` the year
    the signals were computed for (the map's as-of year, not the newest straggler)."""
    if not series or year is None:
        return []
    counts = {int(r["year"]): r.get("count") or 0 for r in series}
    by_year = {int(k): v for k, v in (totals or {}).items() if str(k).isdigit()}  # 'unknown': undated documents
    out = []
    for span in spans:
        start = year - span
        c0, c1 = counts.get(start, 0), counts.get(year, 0)
        if not c0 or not by_year.get(start) or not by_year.get(year):
            continue
        ratio, corpus = c1 / c0, by_year[year] / by_year[start]
        faster = ratio > corpus * 1.1
        slower = ratio < corpus / 1.1
        if lang == "zh":
            verdict = "快于全库" if faster else "慢于全库" if slower else "与全库相当"
            out.append(f"近 {span} 年（{start}→{year} 年）年度文献数由 {c0:,} 篇变为 {c1:,} 篇（{_ratio_text(ratio, lang)}），"
                       f"同期全库{_ratio_text(corpus, lang)}：{verdict}。")
        else:
            verdict = ("faster than the store" if faster else "more slowly than the store" if slower
                       else "about as fast as the store")
            out.append(f"In {span} years ({start} → {year}) its documents went from {c0:,} to {c1:,} a year "
                       f"({_ratio_text(ratio, lang)}); the whole store's went {_ratio_text(corpus, lang)}: "
                       f"it grew {verdict}.")
    return out


_SKILL = {  # backtest summary field → (zh, en); the rest stay in the API
    "label": ("回测", "Backtest"), "horizon": ("预测期（年）", "Horizon (years)"),
    "cutoffs": ("回测截止年份", "Cut-off years"), "mean_ap": ("本模型平均精度（AP）", "Average precision (AP) of this model"),
    "best_baseline": ("最佳基线方法", "Best baseline"), "best_baseline_ap": ("最佳基线的平均精度", "AP of the best baseline"),
    "positive_rate": ("实际快速增长的主题比例", "Share of topics that took off"),
    "mean_f1": ("F1 值", "F1"), "created": ("回测时间", "Run on"),
}


def _named(key: str, index: int) -> str:
    from frontierwatch.web.i18n import MESSAGES
    pair = MESSAGES.get(key)
    return pair[index] if pair else key.split(".", 1)[1]


def skill_rows(skill: dict | None, lang: str) -> list[dict]:
    """The backtest skill published beside a forecast as named rows ``[{"name", "value", "kind"}]``."""
    if not isinstance(skill, dict):
        return []
    i = 0 if lang == "zh" else 1
    rows = []
    for key, names in _SKILL.items():
        value = skill.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, (list, tuple)):
            value, kind = "、".join(str(v) for v in value) if lang == "zh" else ", ".join(str(v) for v in value), "text"
        elif key == "positive_rate":
            kind = "pct"
        elif isinstance(value, float):
            kind = "num"
        elif key in ("label", "best_baseline"):   # a method or label key: its name in words, never the key
            value, kind = _named(("label." if key == "label" else "forecaster.") + str(value), i), "text"
        else:
            value, kind = str(value)[:19], "text"
        rows.append({"name": names[i], "value": value, "kind": kind})
    return rows


def forecast_rows(forecast: dict | None) -> dict:
    """The forecast's interval when the forecast stage publishes one: ``{"low", "high"}`` or {}."""
    if not isinstance(forecast, dict):
        return {}
    low = forecast.get("probability_low", forecast.get("interval_low"))
    high = forecast.get("probability_high", forecast.get("interval_high"))
    interval = forecast.get("interval")
    if isinstance(interval, (list, tuple)) and len(interval) == 2:
        low, high = interval
    return {"low": low, "high": high} if low is not None and high is not None else {}
