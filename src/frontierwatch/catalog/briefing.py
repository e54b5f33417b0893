"""What each catalog entry says in words: its name, what it is, and why it is listed now (zh + en).

* ``name`` and ``summary`` come from the names stage (``topic_names``, read through `frontierwatch.names`); a topic
  without a Chinese name keeps its English one in the Chinese edition, marked "暂无中文译名", and ``name_zh_source``
  says ``none`` — an edition never invents a translation.
* ``why`` is built here from the entry's own numbers — documents in the signal year against two years before, the
  lifecycle stage, the forecast and its call, and the two largest breakthrough components — so every figure in the
  sentence is one the entry shows.
"""
from __future__ import annotations

from frontierwatch.catalog.messages import component

STAGE = {"emerging": ("emerging", "萌芽期"), "growing": ("growing", "成长期"), "mature": ("mature", "成熟期"),
         "declining": ("declining", "衰退期")}
NO_ZH_NAME = "（暂无中文译名）"


def entry_name(names: dict | None, label: str) -> dict:
    """``{"name": {"zh", "en"}, "name_zh_source"}`` of an entry from its ``topic_names`` row (or its label)."""
    if not names:
        return {"name": {"en": label, "zh": f"{label}{NO_ZH_NAME}"}, "name_zh_source": "none"}
    en, zh = names["name"]["en"], names["name"]["zh"]
    return {"name": {"en": en, "zh": zh or f"{en}{NO_ZH_NAME}"}, "name_zh_source": names["zh_source"] if zh else "none"}


def entry_summary(names: dict | None, name: dict, size: int, year: int) -> dict:
    """``{"summary": {"zh", "en"}, "summary_sources": {...}, "summary_docs": [...]}`` from the names stage."""
    if not names:
        return {"summary": {"en": f"{name['en']}: {size:,} documents as of {year}.",
                            "zh": f"本主题截至{year}年共有相关文献{size:,}篇。"},
                "summary_sources": {"en": "template", "zh": "template"}, "summary_docs": []}
    return {"summary": dict(names["summary"]),
            "summary_sources": {"en": "documents", "zh": names["summary_zh_source"]},
            "summary_docs": names["summary_docs"]}


def why_now(counts_by_year: dict, year: int, stage: str | None, forecast: dict, breakthrough: dict) -> dict:
    """The reasons an entry is listed now, in one sentence per language, from its own numbers."""
    now, before = int(counts_by_year.get(str(year), 0) or 0), int(counts_by_year.get(str(year - 2), 0) or 0)
    en, zh = [], []
    if before:
        ratio = now / before
        en.append(f"{now:,} documents in {year} against {before:,} in {year - 2} (×{ratio:.1f})")
        zh.append(f"{year}年文献{now:,}篇，{year - 2}年为{before:,}篇（{ratio:.1f}倍）")
    else:
        en.append(f"{now:,} documents in {year}, none in {year - 2}")
        zh.append(f"{year}年文献{now:,}篇，{year - 2}年尚无")
    if stage in STAGE:
        en.append(f"stage {STAGE[stage][0]}")
        zh.append(f"生命周期处于{STAGE[stage][1]}")
    if forecast.get("probability") is not None:
        called = forecast.get("call")
        en.append(f"probability of extreme growth within 3 years {forecast['probability']:.2f}"
                  + (" (called)" if called else ""))
        zh.append(f"3年内极端增长概率{forecast['probability']:.2f}" + ("（判定增长）" if called else ""))
    drivers = sorted((breakthrough.get("components") or {}).items(), key=lambda kv: -kv[1])[:2]
    if drivers:
        en.append("driven by " + " and ".join(component(k, "en").lower() for k, _ in drivers))
        zh.append("主要驱动信号为" + "与".join(component(k, "zh") for k, _ in drivers))
    return {"en": "; ".join(en) + ".", "zh": "；".join(zh) + "。", "drivers": [k for k, _ in drivers]}
