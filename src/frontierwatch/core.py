"""The one core API. The CLI, the web app and the catalog are thin clients of `Observatory`.

It owns the settings and the store, and delegates each job to its pipeline stage, so no command or route holds
SQL or stage logic of its own. A read whose stage has not been run answers, section by section, with the
explicit marker ``{"computed": False, "note": {"en", "zh"}}`` (`not_computed`) — never with invented numbers.

The bulk reads across stages (latest axes / forecasts / directions of every topic of a map, the stored editions,
the full backtest JSON) live in `frontierwatch.evidence`.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import date
from functools import cache
from pathlib import Path

from frontierwatch.errors import FrontierwatchError, InputError, NotFoundError, StoreBusyError
from frontierwatch.evidence import (axes_view, catalog_topic, clean_row, direction_names, headline, read_axes,
                                    read_backtest, read_directions, read_editions, read_forecasts,
                                    topic_list_evidence)
from frontierwatch.settings import Settings, load_settings
from frontierwatch.store import Store

log = logging.getLogger(__name__)

HORIZON = 3  # years ahead the published forecast looks (the forecast stage's default)
LANGS = ("zh", "en")
TOPIC_SORTS = ("size", "forecast", "breakthrough", "industrialisation")


def not_computed(en: str, zh: str) -> dict:
    """The marker of a section whose stage has not been run: ``{"computed": False, "note": {"en", "zh"}}``."""
    return {"computed": False, "note": {"en": en, "zh": zh}}


def _day(value: date | str | None) -> date | None:
    from frontierwatch.topics.queries import parse_as_of
    return parse_as_of(value)


class Observatory:
    """An observatory over one store.

    Parameters
    ----------
    store : store directory (defaults to the settings' ``store``), or an open `Store` — e.g. the published
        generation a server reads (`frontierwatch.store.generations.GenerationStore`).
    settings : typed settings; defaults to `load_settings()`.
    read_only : open the store read-only (serving pages).
    """

    def __init__(self, store: str | Path | None = None, settings: Settings | None = None, *,
                 read_only: bool = False, create: bool = True):
        self.settings = settings or load_settings()
        if isinstance(store, Store):
            self.store_path, self.store = store.path, store
        else:
            self.store_path = Path(store) if store else self.settings.store
            self.store = Store(self.store_path, read_only=read_only, create=create)
        self.last_build: dict | None = None  # what the last `build` did, step by step (seconds included)

    # -- sources → store -----------------------------------------------------------------------
    def ingest(self, paths: list[Path], source: str = "auto", *, force: bool = False, progress=None):
        """Ingest files/directories; see `frontierwatch.sources.ingest`."""
        from frontierwatch.sources.ingest import ingest
        return ingest(self.store, paths, source, force=force, settings=self.settings, progress=progress)

    def status(self) -> dict:
        from frontierwatch.store.status import store_status
        return store_status(self.store)

    def rejects(self, limit: int | None = 100, file: str | None = None) -> list[dict]:
        from frontierwatch.store.status import list_rejects
        return list_rejects(self.store, limit, file)

    # -- embed → topics → signals → forecast → directions ----------------------------------------
    def embed(self, progress=None) -> int:
        """Compute missing vectors of the configured model; see `frontierwatch.embed.embed_documents`."""
        from frontierwatch.embed import embed_documents
        return embed_documents(self.store, model=self.settings.embed_model, progress=progress)

    def build(self, as_of: date | None = None, *, n_topics: int | None = None, horizon: int = HORIZON,
              forecast: bool = True, progress=None, embed_progress=None):
        """Embed what is missing, fit the topic map as of `as_of` (default: latest date in the store), then
        compute its signals and axes, its forecasts and its topic → direction mapping, so every page and the
        catalog can read them. Returns the topics stage's `TopicMapInfo`; `last_build` holds every step's
        summary and seconds. Only the forecast is optional: a `FrontierwatchError` there (e.g. too little
        history) is logged and recorded in `last_build`, and the pages say "not computed"."""
        from frontierwatch.topics import build_topics
        step = progress or (lambda name: None)
        seconds: dict[str, float] = {}
        t0 = time.perf_counter()
        self.embed(progress=embed_progress)
        seconds["embed"] = time.perf_counter() - t0
        info = build_topics(self.store, as_of, seed=self.settings.topic_seed, n_topics=n_topics, progress=progress,
                            embed_model=self.settings.embed_model, embed=False)
        seconds["topics"] = info.seconds
        report: dict = {"topics": info}
        self._refresh_map(info.as_of, horizon, forecast, step, seconds, report)
        self.last_build = report | {"seconds": {k: round(v, 2) for k, v in seconds.items()}}
        log.info("build as of %s: %s", info.as_of, self.last_build["seconds"])
        return info

    def _refresh_map(self, as_of: date, horizon: int, forecast: bool, step, seconds: dict, report: dict) -> None:
        """What follows a new map, in order: signals and axes, the forecast (optional: a `FrontierwatchError`
        there is logged and recorded as not computed), the directions, then the alert rules."""
        t0 = time.perf_counter()
        step("signals")
        report["signals"] = self.compute_signals(as_of)
        seconds["signals"] = time.perf_counter() - t0
        if forecast:
            t0 = time.perf_counter()
            step("forecast")
            try:
                report["forecast"] = self.compute_forecasts(
                    as_of, horizon, progress=lambda name, done, total: step(f"forecast: {name}"))
            except FrontierwatchError as exc:
                log.warning("forecast of the map as of %s not computed: %s", as_of, exc.en)
                report["forecast"] = not_computed(exc.en, exc.zh)
            seconds["forecast"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        step("directions")
        report["directions"] = self.map_directions(as_of)
        seconds["directions"] = time.perf_counter() - t0
        step("alerts")
        report["alerts"] = self.evaluate_alerts()

    def compute_signals(self, as_of: date | str | None = None) -> dict:
        """``topic_signals`` and ``topic_axes`` of the map of `as_of`; see `frontierwatch.forecast.build_signals`."""
        from frontierwatch.forecast import build_signals
        return build_signals(self.store, _day(as_of))

    def compute_forecasts(self, as_of: date | str | None = None, horizon: int = HORIZON, progress=None) -> dict:
        """``topic_forecasts`` of the map of `as_of` (needs its signals); see
        `frontierwatch.forecast.build_forecasts`."""
        from frontierwatch.forecast import build_forecasts
        return build_forecasts(self.store, _day(as_of), horizon, progress=progress)

    def map_directions(self, as_of: date | str | None = None) -> dict:
        """Map every topic of the map of `as_of` to the six directions (catalog `map_topics`) and store it in
        ``topic_directions``. Returns ``{"map_id", "topics", "outside", "by_direction": {id: n}}``."""
        from frontierwatch.catalog import OUTSIDE, load_taxonomy, map_topics
        from frontierwatch.catalog.edition import save_topic_directions
        from frontierwatch.catalog.mapping import default_embedder
        from frontierwatch.topics import list_topics

        listed = list_topics(self.store, _day(as_of))
        taxonomy = load_taxonomy()
        mapped = map_topics([catalog_topic(t) for t in listed["topics"]], taxonomy=taxonomy,
                            embedder=default_embedder(self.settings.embed_model))
        save_topic_directions(self.store, listed["map_id"], {m["topic_id"]: m for m in mapped}, taxonomy.version)
        by_direction: dict[str, int] = {}
        for m in mapped:
            for d in m["directions"]:
                by_direction[d] = by_direction.get(d, 0) + 1
        return {"map_id": listed["map_id"], "topics": len(mapped), "outside": by_direction.pop(OUTSIDE, 0),
                "by_direction": by_direction}

    def update(self, paths: list[Path], source: str = "auto", *, horizon: int = HORIZON, forecast: bool = True,
               progress=None, embed_progress=None, step=None) -> dict:
        """The monthly update: ingest new files, embed them, then bring the latest topic map up to the newest
        publication date without refitting it (`frontierwatch.topics.update`: same topics, every document
        reassigned to its nearest centroid, lineage kept) and recompute that map's signals, axes, forecast and
        directions, then run the alert rules. When no document is newer than the latest fitted map, the new
        documents are only assigned to it (as before). Returns ``{"ingest", "topics", "signals", ...,
        "alerts", "seconds"}``."""
        from frontierwatch.topics import assign_new_documents
        from frontierwatch.topics.tables import latest_published, map_row
        from frontierwatch.topics.update import map_from_centroids, update_source
        step = step or (lambda name: None)
        seconds: dict[str, float] = {}
        t0 = time.perf_counter()
        report: dict = {"ingest": self.ingest(paths, source, progress=progress) if paths else None}
        seconds["ingest"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        self.embed(progress=embed_progress)
        seconds["embed"] = time.perf_counter() - t0
        latest, source_map = map_row(self.store), update_source(self.store)
        newest = max(latest_published(self.store) or latest["as_of"], latest["as_of"])
        t0 = time.perf_counter()
        step("topics")
        if newest == source_map["as_of"]:  # nothing newer than the fitted map: assign only
            report["topics"] = assign_new_documents(self.store, embed=False)
            seconds["topics"] = time.perf_counter() - t0
            report["alerts"] = self.evaluate_alerts()
        else:
            report["topics"] = map_from_centroids(self.store, source_map["as_of"], newest)
            seconds["topics"] = time.perf_counter() - t0
            self._refresh_map(newest, horizon, forecast, step, seconds, report)
        report["seconds"] = {k: round(v, 2) for k, v in seconds.items()}
        log.info("update to %s: %s", newest, report["seconds"])
        return report

    # -- reads for the pages -------------------------------------------------------------------
    def topics(self, as_of: date | str | None = None, top: int | None = None, horizon: int = HORIZON,
               sort: str = "size", evidence: bool = False) -> dict:
        """`list_topics` plus, per topic, ``stage``, ``axes`` {breakthrough, industrialisation}, ``forecast``
        {probability, call, expected_share_ratio, eligible} and ``directions`` (ids) where computed (else None);
        ``not_computed`` maps each missing part to its `not_computed` marker.

        `sort`: ``size`` (default), ``forecast`` (probability of extreme growth), ``breakthrough`` or
        ``industrialisation``, highest first (topics without the value last), then the first `top`.
        `evidence` adds, per topic, what the claims rest on: both axes with each component's contribution,
        the forecast's driving signals of the as-of year and the topic's most central documents.
        """
        from frontierwatch.topics import list_topics
        if sort not in TOPIC_SORTS:
            raise InputError(f"sort={sort!r} must be one of {', '.join(TOPIC_SORTS)}",
                             f"排序方式 {sort!r} 须为 {', '.join(TOPIC_SORTS)} 之一")
        listed = list_topics(self.store, _day(as_of), top if sort == "size" else None)
        axes, forecasts, directions = (read_axes(self.store, listed["map_id"]),
                                       read_forecasts(self.store, listed["map_id"], horizon),
                                       read_directions(self.store, listed["map_id"]))
        for t in listed["topics"]:
            a, f, d = axes.get(t["id"]), forecasts.get(t["id"]), directions.get(t["id"])
            t["stage"] = a["stage"] if a else None
            t["axes"] = {k: a[k] for k in ("year", "breakthrough", "industrialisation")} if a else None
            t["forecast"] = ({k: f[k] for k in ("probability", "call", "expected_share_ratio", "eligible")}
                             if f else None)
            t["directions"] = d["directions"] if d else None
        if sort != "size":
            def key(t):
                value = (t["forecast"] or {}).get("probability") if sort == "forecast" else (t["axes"] or {}).get(sort)
                return (value is None, -(value or 0.0), -t["size"], t["id"])
            listed["topics"] = sorted(listed["topics"], key=key)[:top]
        listed["sort"] = sort
        if evidence:
            found = topic_list_evidence(self.store, listed["map_id"], [t["id"] for t in listed["topics"]])
            for t in listed["topics"]:
                t["evidence"] = found.get(t["id"])
        listed["not_computed"] = {k: v for k, v in (("signals", None if axes else _NO_SIGNALS),
                                                    ("forecast", None if forecasts else _NO_FORECAST),
                                                    ("directions", None if directions else _NO_DIRECTIONS)) if v}
        return listed

    def topic(self, topic_id: str, as_of: date | str | None = None, horizon: int = HORIZON) -> dict:
        """`topic_detail` plus ``signals`` (latest year), ``signals_by_year``, ``axes`` (scores, contributions,
        missing components), ``stage``, ``forecast``, ``forecast_skill`` (latest backtest), ``landscape`` (the
        catalog's: countries, institutions, types, Chinese provinces, China's rank and RCA, the patent view), ``risk_flags``, ``directions`` and
        ``mapping`` — each real data or a `not_computed` marker."""
        from frontierwatch.catalog import landscapes, risk_flags, topic_members
        from frontierwatch.catalog.inputs import topic_documents
        from frontierwatch.forecast import topic_evidence
        from frontierwatch.topics import topic_detail
        from frontierwatch.topics.tables import map_row

        day = _day(as_of)
        detail = topic_detail(self.store, topic_id, day)
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
        detail["risk_flags"] = risk_flags(catalog_topic(detail), docs)
        mapped = read_directions(self.store, map_id).get(topic_id)
        if mapped is None:
            detail["directions"], detail["mapping"] = _NO_DIRECTIONS, _NO_DIRECTIONS
        else:
            detail["directions"] = direction_names(mapped["directions"])
            detail["mapping"] = {k: mapped[k] for k in ("fields", "confidence", "reason", "products",
                                                        "taxonomy_version")}
        return detail

    def topic_map(self, as_of: date | str | None = None) -> list[dict]:
        """Points of the topic map: ``[{"id", "label", "x", "y", "size", "field", "field_label", "stage",
        "directions"}]`` (layout coordinates of the topics stage)."""
        keys = ("id", "label", "x", "y", "size", "field", "field_label", "stage", "directions")
        return [{k: t.get(k) for k in keys} for t in self.topics(as_of)["topics"]
                if t.get("x") is not None and t.get("y") is not None]

    def candidate_topics(self, as_of: date | str | None = None) -> dict:
        from frontierwatch.topics import candidate_topics
        return candidate_topics(self.store, _day(as_of))

    def directions(self) -> list[dict]:
        """The taxonomy's six directions as bilingual records (``id``, ``name_zh/en``, ``description_zh/en``,
        ``fields``) with ``n_topics`` mapped to each in the latest map (None when not mapped yet)."""
        from frontierwatch.catalog import load_taxonomy
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

    def backtest_summary(self) -> dict:
        """The latest stored backtest as `run_backtest` wrote it (``summary``, ``results``, ``horizon``, ...),
        or a `not_computed` marker."""
        return read_backtest(self.store) or _NO_BACKTEST

    # -- catalog editions ----------------------------------------------------------------------
    def editions(self) -> list[dict]:
        """Stored editions, oldest first: ``[{"edition", "as_of", "map_id", "n_entries", "created", "langs",
        "formats", "headline": [topic rows of the best-ranked entries]}]``."""
        from frontierwatch.catalog import load_edition
        out = []
        for row in read_editions(self.store):
            model = load_edition(self.store, row["edition"])
            ranked = sorted(model.entries, key=lambda e: (e["overall_rank"], e["topic_id"])) if model else []
            out.append(row | {"langs": list(LANGS), "formats": list(renderable_formats()),
                              "headline": [headline(e) for e in ranked]})
        return out

    def edition_file(self, edition: str, lang: str = "zh", fmt: str = "html") -> Path:
        """A stored edition rendered in `lang` and `fmt`, cached under ``<store>/cache/editions/`` by the
        edition's content (a rebuilt edition renders anew). Raises NotFoundError for an unpublished edition."""
        from frontierwatch.catalog import FORMATS, load_edition, write_edition
        if lang not in LANGS or fmt not in FORMATS:
            raise InputError(f"edition file {lang}.{fmt}: language zh|en, format {'|'.join(FORMATS)}",
                             f"目录文件 {lang}.{fmt}：语言为 zh|en，格式为 {'|'.join(FORMATS)}")
        model = load_edition(self.store, edition)
        if model is None:
            raise NotFoundError(f"edition {edition} is not published; run frontierwatch catalog --edition {edition}",
                                f"目录 {edition} 尚未发布；请运行 frontierwatch catalog --edition {edition}")
        digest = hashlib.sha256(json.dumps(model.to_json(), sort_keys=True, default=str).encode()).hexdigest()[:12]
        path = self.store.cache_dir / "editions" / f"{edition}-{digest}" / f"{lang}.{fmt}"
        if not path.is_file():
            tmp = path.with_name(f".{path.name}.tmp")
            write_edition(model, fmt, lang, tmp)
            tmp.replace(path)
        return path

    def catalog(self, edition: str, *, as_of: date | str | None = None, lang: str = "zh", fmt: str = "html",
                out: str | Path | None = None, per_field: int = 3, min_size: int = 10,
                backtest: str | Path | None = None, rebuild: bool = False, progress=None) -> dict:
        """Build (or reuse, when stored with the same parameters) and save a catalog edition, then write it to
        `out` (default: the `edition_file` cache). Returns ``{"edition", "as_of", "n_entries", "path", "reused"}``."""
        from frontierwatch.catalog import EditionParams, build_edition, edition_as_of, load_edition, save_edition
        from frontierwatch.catalog import write_edition
        if per_field < 1 or min_size < 1:
            raise InputError(f"per_field={per_field} and min_size={min_size} should be >= 1",
                             f"per_field={per_field} 与 min_size={min_size} 必须 >= 1")
        day = _day(as_of)
        params = EditionParams(per_field=per_field, min_size=min_size, topic_seed=self.settings.topic_seed,
                               embed_model=self.settings.embed_model, backtest_json=str(backtest) if backtest else None)
        stored = load_edition(self.store, edition)
        expected = None
        if stored:
            expected = dict(stored.parameters) | params.as_dict()
            expected["as_of"] = (day or edition_as_of(edition)).isoformat()
        reused = bool(stored and not rebuild and stored.parameters == expected)
        if reused:
            model = stored
        else:
            model = build_edition(self.store, edition, day, params, progress=progress)
            save_edition(self.store, model)
        path = write_edition(model, fmt, lang, out) if out else self.edition_file(edition, lang, fmt)
        return {"edition": model.edition, "as_of": model.as_of, "n_entries": len(model.entries), "path": path,
                "reused": reused, "alerts": self.evaluate_alerts(edition=model.edition)}

    # -- watchlists and alerts (user database) ---------------------------------------------------
    def watch_add(self, owner: str, kind: str, target: str, *, email: str | None = None,
                  webhook: str | None = None, name: str | None = None):
        """Follow a topic (id of the latest map), a direction (taxonomy id) or a saved search query for
        `owner` (``watch.profile_owner`` / ``watch.user_owner``); see `frontierwatch.watch.watchlists`."""
        from frontierwatch.watch import add_watch, check_target
        check_target(self, kind, target)
        return add_watch(self.store.users, owner, kind, target, email=email, webhook=webhook, name=name)

    def watches(self, owner: str) -> list:
        """`owner`'s current watches, oldest first."""
        from frontierwatch.watch import list_watches
        return list_watches(self.store.users, owner)

    def watch_remove(self, owner: str, watch_id: int):
        """Stop one of `owner`'s watches (its alerts stay)."""
        from frontierwatch.watch import remove_watch
        return remove_watch(self.store.users, owner, watch_id)

    def evaluate_alerts(self, *, edition: str | None = None) -> dict:
        """Run the alert rules (`frontierwatch.watch.rules`) on the latest map, and on `edition` when given, then
        deliver what is new. Returns ``{"raised", "delivered"}``; while ``frontierwatch serve`` holds the user
        database the rules are left to the server, which runs them when it publishes the new data."""
        from frontierwatch.watch.rules import evaluate_alerts
        try:
            raised = evaluate_alerts(self, edition=edition)
        except StoreBusyError as exc:
            log.info("alerts left to the running server: %s", exc.en)
            return not_computed("the running server evaluates the alerts when it publishes this data",
                                "正在运行的网站会在发布这批数据时检查提醒")
        return {"raised": len(raised), "delivered": self.deliver_alerts()}

    def hall_alerts(self) -> dict:
        """The release-hall rule alone (saved searches matched by newly approved items), then delivery; run by
        the web app after every hall decision."""
        from frontierwatch.watch.rules import hall_alerts
        return {"raised": len(hall_alerts(self.store.users)), "delivered": self.deliver_alerts()}

    def deliver_alerts(self) -> dict:
        """E-mail and webhook deliveries of alerts not sent yet (`frontierwatch.watch.delivery`)."""
        from frontierwatch.mail import Mailer
        from frontierwatch.watch.delivery import WebhookSender, deliver_alerts
        secret = self.settings.webhook_secret
        return deliver_alerts(self.store.users, Mailer(self.settings),
                              WebhookSender(secret.get_secret_value() if secret else None), self.settings.public_url)

    def alerts(self, owner: str, *, unread: bool = False, limit: int = 200) -> list[dict]:
        """`owner`'s alerts, newest first, as JSON records (``id, watch, watch_name, kind, created, title,
        evidence, read`` …)."""
        from frontierwatch.watch import list_watches
        from frontierwatch.watch.alerts import list_alerts
        users = self.store.users
        names = {w.watch_id: w for w in list_watches(users, owner, include_removed=True)}
        return [a.to_json(names.get(a.watch_id)) for a in list_alerts(users, owner, unread=unread, limit=limit)]

    def mark_alerts(self, owner: str, alert_ids: list[int] | None = None, read: bool = True) -> int:
        """Mark `owner`'s alerts read (or unread); all of them when `alert_ids` is None."""
        from frontierwatch.watch.alerts import mark_read
        return mark_read(self.store.users, owner, alert_ids, read)

    # -- exports -------------------------------------------------------------------------------
    def export(self, what: str, fmt: str, out: str | Path, as_of: date | str | None = None) -> dict:
        """Write `what` (topics, signals, forecasts, documents, assignments) of the map as of `as_of` to `out` as
        parquet, csv or xlsx, streamed, with its data dictionary; see `frontierwatch.export`."""
        from frontierwatch.export import export_map
        return export_map(self, what, fmt, out, _day(as_of))

    # -- match ---------------------------------------------------------------------------------
    def match(self, text: str, top: int = 10, lang: str | None = None, as_of: date | str | None = None) -> dict:
        """Technologies, documents, teams and achievements for a need, each with why; see `frontierwatch.match`."""
        from frontierwatch.match import match_need
        return match_need(self.store, text, top=top, lang=lang, as_of=as_of)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Observatory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_NO_SIGNALS = not_computed("signals and axes not computed for this topic map; run frontierwatch build",
                           "该主题图尚未计算信号与双轴；请运行 frontierwatch build")
_NO_FORECAST = not_computed("forecast not computed for this topic map; run frontierwatch build",
                            "该主题图尚未计算预测；请运行 frontierwatch build")
_NO_BACKTEST = not_computed("no backtest recorded; run frontierwatch backtest",
                            "尚无回测记录；请运行 frontierwatch backtest")
_NO_DIRECTIONS = not_computed("topics not mapped to the six directions yet; run frontierwatch build",
                              "主题尚未归入六大方向；请运行 frontierwatch build")


@cache
def renderable_formats() -> tuple[str, ...]:
    """Edition formats this installation can render (pdf needs WeasyPrint and its system libraries)."""
    from frontierwatch.catalog import FORMATS
    out = []
    for fmt in FORMATS:
        try:
            if fmt == "pdf":
                import weasyprint  # noqa: F401
            elif fmt == "xlsx":
                import openpyxl  # noqa: F401
        except (ImportError, OSError) as exc:
            log.info("edition format %s not available: %s", fmt, exc)
            continue
        out.append(fmt)
    return tuple(out)
