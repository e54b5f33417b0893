"""What the observatory answers about its data: the read side of `Observatory` (the run side is `core.py`).

`TopicAnswers` is the half of `Observatory` that only reads: topics and one topic with everything known about it,
the maps a reader can choose, directions, backtest summary, stored editions, search, documents, match and risk
flags. It expects ``self.store`` and ``self.settings`` (set by `Observatory.__init__`) and is never used alone, so
`Observatory` stays the one API the CLI, the web app and reports call. A part whose stage has not run answers with
its `not_computed` marker, never with invented numbers.
"""
from __future__ import annotations

import json
from datetime import date

from frontierwatch import pipeline
from frontierwatch.errors import InputError, NotFoundError
from frontierwatch.evidence import (axes_view, clean_row, direction_names, headline, mapping_view, named_lineage,
                                    no_nan, topic_evidence, topic_list_evidence)
from frontierwatch.pipeline import HORIZON, not_computed
from frontierwatch.topics.queries import parse_as_of as _day

LANGS = ("zh", "en")
TOPIC_SORTS = ("size", "forecast", "breakthrough", "industrialisation")


class TopicAnswers:
    """The read-side methods of `Observatory` (see the module docstring)."""

    # -- reads for the pages -------------------------------------------------------------------
    def topics(self, as_of: date | str | None = None, top: int | None = None, horizon: int = HORIZON,
               sort: str = "size", evidence: bool = False) -> dict:
        """`list_topics` plus, per topic, ``name`` {zh, en} (None before the names stage), ``stage``, ``axes``
        {breakthrough, industrialisation}, ``forecast`` {probability with its 90% interval, call, expected and
        required share ratio, eligible, rank} and ``directions`` (ids) where computed (else None);
        ``not_computed`` maps each missing part to its `not_computed` marker.

        `sort`: ``size`` (default), ``forecast`` (the published order: most likely extreme growth first, exactly
        the order the backtest scores), ``breakthrough`` or
        ``industrialisation``, highest first (topics without the value last), then the first `top`.
        `evidence` adds, per topic, what the claims rest on: both axes with each component's contribution,
        the forecast's driving signals of the as-of year and the topic's most central documents.
        """
        from frontierwatch.catalog import read_directions
        from frontierwatch.forecast import read_forecasts
        from frontierwatch.signals import read_axes
        from frontierwatch.topics import list_topics
        from frontierwatch.topics.junk import is_junk_topic
        if sort not in TOPIC_SORTS:
            raise InputError(f"sort={sort!r} must be one of {', '.join(TOPIC_SORTS)}",
                             f"排序方式 {sort!r} 须为 {', '.join(TOPIC_SORTS)} 之一")
        listed = list_topics(self.store, _day(as_of), top if sort == "size" else None)
        from frontierwatch.names import read_topic_names
        axes, forecasts, directions = (read_axes(self.store, listed["map_id"]),
                                       read_forecasts(self.store, listed["map_id"], horizon),
                                       read_directions(self.store, listed["map_id"]))
        names = read_topic_names(self.store, listed["map_id"])
        for t in listed["topics"]:
            a, f, d = axes.get(t["id"]), forecasts.get(t["id"]), directions.get(t["id"])
            t["name"] = names[t["id"]]["name"] if t["id"] in names else None
            t["stage"] = a["stage"] if a else None
            t["axes"] = {k: a[k] for k in ("year", "breakthrough", "industrialisation")} if a else None
            t["forecast"] = f or None
            t["directions"] = d["directions"] if d else None
            t["junk"] = is_junk_topic(t.get("keyphrases") or t.get("label"))  # boilerplate, not a technology
        if sort != "size":
            def key(t):
                if sort == "forecast":   # the published order (ties were broken when it was made); unranked last
                    rank = (t["forecast"] or {}).get("rank")
                    return (rank is None, rank or 0, -t["size"], t["id"])
                value = (t["axes"] or {}).get(sort)
                return (value is None, -(value or 0.0), -t["size"], t["id"])
            listed["topics"] = sorted(listed["topics"], key=key)[:top]
        listed["sort"] = sort
        if evidence:
            found = topic_list_evidence(self.store, listed["map_id"], [t["id"] for t in listed["topics"]])
            for t in listed["topics"]:
                t["evidence"] = found.get(t["id"])
        listed["not_computed"] = {k: v for k, v in (("names", None if names else _NO_NAMES),
                                                    ("signals", None if axes else _NO_SIGNALS),
                                                    ("forecast", None if forecasts else _NO_FORECAST),
                                                    ("directions", None if directions else _NO_DIRECTIONS)) if v}
        return listed

    def topic(self, topic_id: str, as_of: date | str | None = None, horizon: int = HORIZON) -> dict:
        """`topic_detail` plus ``name`` {zh, en} and ``summary`` {zh, en} (names stage), ``signals`` (latest year), ``signals_by_year``, ``axes`` (scores, contributions,
        missing components), ``stage``, ``forecast``, ``forecast_skill`` (latest backtest), ``landscape`` (the
        catalog's: countries, institutions, types, Chinese provinces, China's rank and RCA, the patent view), ``risk_flags``, ``directions`` and
        ``mapping`` — each real data or a `not_computed` marker."""
        from frontierwatch.catalog import landscapes, read_directions, topic_documents, topic_members
        from frontierwatch.risk import flag_topic
        from frontierwatch.topics import topic_detail
        from frontierwatch.topics.tables import map_row

        day = _day(as_of)
        detail = topic_detail(self.store, topic_id, day)
        detail["lineage"] = named_lineage(self.store, detail["lineage"])
        info = map_row(self.store, day)
        map_id, map_day = info["map_id"], info["as_of"]
        try:
            ev = topic_evidence(self.store, topic_id, day, horizon)
        except NotFoundError:
            ev = None
        if ev is None:
            detail.update(signals=_NO_SIGNALS, signals_by_year=_NO_SIGNALS, axes=_NO_SIGNALS, stage=None)
        else:
            detail["signals"] = clean_row(ev["signals"])
            detail["signals_by_year"] = [clean_row(r) for _, r in sorted(ev["series"].items())]
            detail["axes"] = axes_view(ev["axes"])
            detail["stage"] = ev["axes"].get("stage")
        forecast = ev and ev["forecast"]
        detail["forecast"] = clean_row(forecast) if forecast else _NO_FORECAST
        detail["forecast_skill"] = (ev and ev["skill"]) or _NO_BACKTEST
        detail["landscape"] = landscapes(self.store, topic_members(self.store, map_id, map_day, [topic_id]),
                                         map_day, map_id=map_id)[topic_id]
        docs = topic_documents(self.store, map_id, map_day, [topic_id])[topic_id]
        detail["risk_flags"] = flag_topic(detail, docs)
        from frontierwatch.names import read_topic_names
        around = [n["id"] for n in detail["neighbours"]]
        names = read_topic_names(self.store, map_id, [topic_id, *around])
        for n in detail["neighbours"]:   # neighbours by name where the names stage ran, as the topic itself
            n["name"] = (names.get(n["id"]) or {}).get("name")
        named = names.get(topic_id)
        if named is None:
            detail["name"], detail["summary"], detail["naming"] = None, _NO_NAMES, _NO_NAMES
        else:
            detail["name"], detail["summary"] = named["name"], named["summary"]
            detail["naming"] = {k: named[k] for k in ("zh_source", "summary_zh_source", "summary_docs", "labeller",
                                                       "evidence")}
        mapped = read_directions(self.store, map_id).get(topic_id)
        if mapped is None:
            detail["directions"], detail["mapping"] = _NO_DIRECTIONS, _NO_DIRECTIONS
        else:
            view = mapping_view(mapped)
            detail["directions"] = direction_names(view["directions"])
            detail["mapping"] = {k: view[k] for k in ("fields", "confidence", "reason", "products",
                                                      "taxonomy_version")}
        return detail

    def document_topic(self, doc_id: str) -> dict | None:
        """The topic of a document in the latest map holding it (``topic_id``, ``label``, ``as_of``) or None."""
        from frontierwatch.topics import document_topic
        return document_topic(self.store, doc_id)

    def map_dates(self) -> list[dict]:
        """The topic maps a reader can choose "as of", newest first: ``[{"as_of", "map_id", "n_topics"}]``."""
        from frontierwatch.topics import map_dates
        return map_dates(self.store)

    def topic_map(self, as_of: date | str | None = None) -> list[dict]:
        """Points of the topic map: ``[{"id", "label", "name", "x", "y", "size", "field", "field_label", "stage",
        "directions"}]`` (layout coordinates of the topics stage)."""
        keys = ("id", "label", "name", "x", "y", "size", "field", "field_label", "stage", "directions", "junk")
        return [{k: t.get(k) for k in keys} for t in self.topics(as_of)["topics"]
                if t.get("x") is not None and t.get("y") is not None]

    def candidate_topics(self, as_of: date | str | None = None) -> dict:
        """Candidate new topics of the map of `as_of`; see `frontierwatch.topics.candidate_topics`."""
        from frontierwatch.topics import candidate_topics
        return candidate_topics(self.store, _day(as_of))

    def directions(self) -> list[dict]:
        """The taxonomy's six directions as bilingual records (``id``, ``name_zh/en``, ``description_zh/en``,
        ``fields``) with ``n_topics`` mapped to each in the latest map (None when not mapped yet)."""
        from frontierwatch.catalog import load_taxonomy, read_directions
        from frontierwatch.topics.tables import map_row

        try:
            mapped = read_directions(self.store, map_row(self.store)["map_id"])
        except NotFoundError:  # no topic map yet: the directions still list, without counts
            mapped = {}
        counts: dict[str, int] | None = {} if mapped else None
        for m in mapped.values():
            for d in m["directions"]:
                counts[d] = counts.get(d, 0) + 1

        def flat(node) -> dict:
            return {"id": node.id, "name_zh": node.name["zh"], "name_en": node.name["en"],
                    "description_zh": node.description.get("zh", ""), "description_en": node.description.get("en", "")}

        return [flat(d) | {"fields": [flat(f) | {"key": f.key} for f in d.fields],
                           "n_topics": None if counts is None else counts.get(d.id, 0)}
                for d in load_taxonomy().directions]

    def topic_directions(self, as_of: date | str | None = None) -> dict:
        """Every topic of the map of `as_of` (default: latest) with its six-direction mapping, largest first:
        ``{"as_of", "map_id", "topics": [{"topic_id", "label", "size", "directions", "fields", "confidence",
        "reason", "products"}]}``. Maps the topics first when the store holds no mapping of that map."""
        from frontierwatch.catalog import read_directions
        from frontierwatch.topics import list_topics

        listed = list_topics(self.store, _day(as_of))
        mapped = read_directions(self.store, listed["map_id"])
        if any(t["id"] not in mapped for t in listed["topics"]):
            pipeline.map_directions(self.store, self.settings, date.fromisoformat(listed["as_of"]))
            mapped = read_directions(self.store, listed["map_id"])
        rows = []
        for t in listed["topics"]:
            view = mapping_view(mapped[t["id"]])
            rows.append({"topic_id": t["id"], "label": t["label"], "size": t["size"], "directions": view["directions"],
                         "fields": view["fields"], "confidence": view["confidence"], "reason": view["reason"],
                         "products": view["products"]})
        return {"as_of": listed["as_of"], "map_id": listed["map_id"], "topics": rows}

    def backtest_summary(self) -> dict:
        """The latest stored backtest as `run_backtest` wrote it (``summary``, ``results``, ``horizon``, ...) and
        ``by_horizon``, the latest of each horizon (`forecast.queries.backtests_by_horizon`), or a `not_computed`
        marker."""
        from frontierwatch.forecast import latest_backtest
        from frontierwatch.forecast.queries import backtests_by_horizon
        row = latest_backtest(self.store)
        if row is None:
            return _NO_BACKTEST
        return no_nan(json.loads(row["result_json"])) | {"backtest_id": row["backtest_id"], "created": str(row["created"]),
                                                         "by_horizon": no_nan(backtests_by_horizon(self.store))}

    # -- catalog editions ----------------------------------------------------------------------
    def editions(self) -> list[dict]:
        """Stored editions, oldest first: ``[{"edition", "as_of", "map_id", "n_entries", "created", "langs",
        "formats", "headline": [topic rows of the best-ranked entries]}]``."""
        from frontierwatch.catalog import load_edition, stored_editions
        from frontierwatch.catalog.render import renderable_formats
        out = []
        for row in stored_editions(self.store):
            model = load_edition(self.store, row["edition"])
            ranked = sorted(model.entries, key=lambda e: (e["overall_rank"], e["topic_id"])) if model else []
            out.append(row | {"langs": list(LANGS), "formats": list(renderable_formats()),
                              "headline": [headline(e) for e in ranked]})
        return out

    def search(self, query: str, limit: int = 20, offset: int = 0, **filters) -> dict:
        """Documents holding every concept of `query`, in Chinese or English (glossary bridge), BM25-ranked, with
        the filters ``year_from``, ``year_to``, ``kind``, ``source``, ``direction``, ``language``: ``{"engine",
        "terms", "query", "total", "filters", "facets", "results": [{"doc_id", "score", "matched", "title",
        "title_marks", "year", "kind", "language", "sources", "snippet", "snippet_marks"}]}``; see
        `frontierwatch.search`."""
        from frontierwatch.search import search_documents, tokenizer_name
        return {"engine": tokenizer_name()} | search_documents(self.store, query, limit, offset, **filters)

    def document(self, doc_id: str) -> dict:
        """One document's shown fields (`frontierwatch.store.documents.get_document`); NotFoundError if unknown."""
        from frontierwatch.store.documents import get_document
        doc = get_document(self.store, doc_id)
        if doc is None:
            raise NotFoundError(f"no document {doc_id!r}", f"没有文献 {doc_id!r}")
        return doc

    def has_topic_map(self) -> bool:
        """Whether the store holds any topic map (pages say "not built yet" until it does)."""
        from frontierwatch.topics.tables import map_count
        return map_count(self.store) > 0

    # -- match ---------------------------------------------------------------------------------
    def match(self, text: str, top: int = 10, lang: str | None = None, as_of: date | str | None = None) -> dict:
        """Technologies, documents, teams and achievements for a need, each with why; see `frontierwatch.match`."""
        from frontierwatch.match import match_need
        return match_need(self.store, text, top=top, lang=lang, as_of=as_of)

    # -- risk ------------------------------------------------------------------------------------
    def risk_flags(self, as_of: date | str | None = None) -> dict:
        """Risk flags of every topic of the map of `as_of`; see `frontierwatch.risk.runner.flag_map`."""
        from frontierwatch.risk import load_risk_taxonomy
        from frontierwatch.risk.runner import flag_map
        return flag_map(self.store, _day(as_of), taxonomy=load_risk_taxonomy(self.settings.risk_taxonomy))

    def catalog_backtest_summary(self) -> dict:
        """The latest stored catalog backtest (`catalog_backtest`'s result), or a `not_computed` marker."""
        from frontierwatch.catalog.queries import catalog_backtest_known_at
        return no_nan(catalog_backtest_known_at(self.store) or {}) or not_computed(
            "no catalog backtest yet; run frontierwatch backtest --catalog", "尚无目录回测；请运行 frontierwatch backtest --catalog")


_NO_NAMES = not_computed("topic names not computed for this topic map; run frontierwatch build",
                         "该主题图尚未生成主题名称；请运行 frontierwatch build")
_NO_SIGNALS = not_computed("signals and axes not computed for this topic map; run frontierwatch build",
                           "该主题图尚未计算信号与双轴；请运行 frontierwatch build")
_NO_FORECAST = not_computed("forecast not computed for this topic map; run frontierwatch build",
                            "该主题图尚未计算预测；请运行 frontierwatch build")
_NO_BACKTEST = not_computed("no backtest recorded; run frontierwatch backtest",
                            "尚无回测记录；请运行 frontierwatch backtest")
_NO_DIRECTIONS = not_computed("topics not mapped to the six directions yet; run frontierwatch build",
                              "主题尚未归入六大方向；请运行 frontierwatch build")
