"""The one core API. The CLI, the web app and the catalog are thin clients of `Observatory`.

It owns the settings and the store, and delegates each job to its pipeline stage, so no command or route holds
SQL or stage logic of its own. A read whose stage has not been run answers, section by section, with the
explicit marker ``{"computed": False, "note": {"en", "zh"}}`` (`not_computed`) — never with invented numbers.

What runs before what is decided in one place, `frontierwatch.pipeline`, which this object owns: `build` runs
every stage for a map, and `catalog` builds whatever its date lacks through the same path before the catalog
stage reads. Each table is read by the query module of the stage that owns it; `frontierwatch.evidence` composes
the cross-stage answers from those readers. The class is cut along the domain: this module holds the run side
(ingest, build, update, backtest, catalog, alerts, exports), `frontierwatch.answers.TopicAnswers` the read side
(topics, one topic, maps, directions, editions, search, documents, match, risk flags) that it inherits.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import date
from pathlib import Path

from frontierwatch import pipeline
from frontierwatch.answers import LANGS, TopicAnswers
from frontierwatch.errors import InputError, NotFoundError, StoreBusyError
from frontierwatch.evidence import nan_to_none
from frontierwatch.pipeline import HORIZON, not_computed
from frontierwatch.settings import Settings, load_settings
from frontierwatch.store import Store
from frontierwatch.topics.queries import parse_as_of as _day

log = logging.getLogger(__name__)


class Observatory(TopicAnswers):
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
        """Ingest files/directories; see `frontierwatch.sources.ingest` (or `frontierwatch.spark.engine.ingest` with
        the spark engine). Timed: `last_run`."""
        from frontierwatch.sources.ingest import ingest
        from frontierwatch.timings import stage
        engine = self.settings.engine
        with self.timed("ingest", paths=[str(p) for p in paths], source=source, force=force or None,
                        engine=None if engine == "embedded" else engine), \
                stage("ingest", note="records") as timing:
            if engine == "spark":
                from frontierwatch.spark import engine as spark_engine
                summary = spark_engine.ingest(self.store, paths, source, self.settings, force=force)
            else:
                summary = ingest(self.store, paths, source, force=force, settings=self.settings, progress=progress)
            timing.rows = summary.accepted + summary.merged + summary.rejected
        return summary

    last_run: dict | None = None  # the stage timings of the last long command run here (`timed`)

    def timed(self, command: str, **args):
        """A context manager timing the long command `command` run inside it, stage by stage
        (`frontierwatch.timings`): at the end, whatever the outcome, the run is kept in `last_run` and recorded
        in the store (`frontierwatch.store.runs.recorded_run`; `frontierwatch status` shows the last one)."""
        from frontierwatch.store.runs import recorded_run
        return recorded_run(self.store, command, args, done=lambda run: setattr(self, "last_run", run))

    def status(self) -> dict:
        from frontierwatch.store.status import store_status
        return store_status(self.store)

    def rejects(self, limit: int | None = 100, file: str | None = None) -> list[dict]:
        from frontierwatch.store.status import list_rejects
        return list_rejects(self.store, limit, file)

    # -- embed → topics → signals → forecast → directions ----------------------------------------
    def embed(self, progress=None, model: str | None = None) -> int:
        """Compute missing vectors of `model` (default: the configured one); see `frontierwatch.embed.embed_documents`."""
        return pipeline.embed(self.store, self.settings, progress=progress, model=model)

    def build(self, as_of: date | str | None = None, *, n_topics: int | None = None, horizon: int = HORIZON,
              forecast: bool = True, progress=None, embed_progress=None):
        """Embed what is missing, fit the topic map as of `as_of` (default: latest date in the store), then
        compute its signals and axes, its forecasts and its topic → direction mapping, so every page and the
        catalog can read them (`frontierwatch.pipeline.build`), then run the alert rules. Returns the topics stage's `TopicMapInfo`;
        `last_build` holds every step's summary and seconds. Only the forecast is optional: a
        `FrontierwatchError` there (e.g. too little history) is logged and recorded in `last_build`, and the
        pages say "not computed". Timed stage by stage: `last_run`. Alert rules run after it."""
        day = _day(as_of)
        with self.timed("build", as_of=day.isoformat() if day else None, topics=n_topics, horizon=horizon,
                        forecast=forecast):
            info, self.last_build = pipeline.build(self.store, self.settings, day, n_topics=n_topics,
                                                   horizon=horizon, forecast=forecast, progress=progress,
                                                   embed_progress=embed_progress)
            self.last_build["alerts"] = self.evaluate_alerts()
        return info

    def name_topics(self, as_of: date | str | None = None, labeller: str | None = None) -> dict:
        """``topic_names`` of the map of `as_of`: a Chinese and English name and a summary for every topic; see
        `frontierwatch.names.build_topic_names`. `labeller` ("offline" | "openai") overrides the setting."""
        settings = self.settings if labeller is None else self.settings.model_copy(update={"labeller": labeller})
        return pipeline.name_topics(self.store, settings, _day(as_of))

    def compute_signals(self, as_of: date | str | None = None) -> dict:
        """``topic_signals`` and ``topic_axes`` of the map of `as_of`; see `frontierwatch.signals.build_signals`."""
        return pipeline.compute_signals(self.store, _day(as_of), self.settings)

    def compute_forecasts(self, as_of: date | str | None = None, horizon: int = HORIZON, progress=None) -> dict:
        """``topic_forecasts`` of the map of `as_of` (needs its signals); see
        `frontierwatch.forecast.build_forecasts`."""
        return pipeline.compute_forecasts(self.store, _day(as_of), horizon, progress=progress)

    def map_directions(self, as_of: date | str | None = None) -> dict:
        """Map every topic of the map of `as_of` to the six directions (catalog `map_topics`) and store it in
        ``topic_directions``. Returns ``{"map_id", "topics", "outside", "by_direction": {id: n}}``."""
        return pipeline.map_directions(self.store, self.settings, _day(as_of))

    def update(self, paths: list[Path], source: str = "auto", *, horizon: int = HORIZON, forecast: bool = True,
               progress=None, embed_progress=None, step=None) -> dict:
        """The monthly update: ingest new files, then bring the latest topic map up to the newest publication
        date without refitting it and recompute that map's signals, axes, forecast and directions
        (`frontierwatch.pipeline.update`), then run the alert rules. Returns ``{"ingest", "topics", "signals",
        ..., "alerts", "seconds"}``; timed stage by stage: `last_run`."""
        from frontierwatch.timings import stage
        with self.timed("update", paths=[str(p) for p in paths] or None, source=source):
            t0 = time.perf_counter()
            summary = self.ingest(paths, source, progress=progress) if paths else None
            ingest_s = time.perf_counter() - t0
            report = pipeline.update(self.store, self.settings, horizon=horizon, forecast=forecast, step=step,
                                     embed_progress=embed_progress)
            t0 = time.perf_counter()
            with stage("alerts", note="rules"):
                report["alerts"] = self.evaluate_alerts()
            report["seconds"] = {"ingest": round(ingest_s, 2)} | report["seconds"] | {
                "alerts": round(time.perf_counter() - t0, 2)}
        return {"ingest": summary} | report

    # -- backtest and catalog editions ----------------------------------------------------------
    def backtest(self, cutoffs: list[int], horizons: list[int] = (HORIZON,), seeds: list[int] = (0,), *,
                 min_docs: int = 20, progress=None) -> list[dict]:
        """Score the published forecast on past cutoffs for each horizon (`frontierwatch.forecast.run_backtest`,
        NaN written as None) and record each result in ``backtests``, the skill pages and catalog editions publish
        beside forecasts. Maps, features and forecasts made by earlier builds or backtests of the same corpus are
        reused, never recomputed."""
        from frontierwatch.forecast import record_backtest

        out = []
        with self.timed("backtest", cutoffs=list(cutoffs), horizons=list(horizons), seeds=list(seeds),
                        min_docs=min_docs):
            for result in pipeline.backtest(self.store, self.settings, list(cutoffs), list(horizons), list(seeds),
                                             min_docs=min_docs, progress=progress):
                result = nan_to_none(result)
                result["backtest_id"] = record_backtest(self.store, result)
                out.append(result)
        return out

    def catalog_backtest(self, cutoffs: list[int], horizon: int = HORIZON, *, min_docs: int = 20, draws: int = 100,
                         progress=None) -> dict:
        """The catalog's own backtest (`pipeline.catalog_backtest`: editions as of each cutoff with the published
        rule, scored beside alternative rules), recorded in ``catalog_backtests``; returns it with its id."""
        from frontierwatch.catalog.queries import write_catalog_backtest

        with self.timed("catalog backtest", cutoffs=list(cutoffs), horizon=horizon, min_docs=min_docs):
            result = nan_to_none(pipeline.catalog_backtest(self.store, self.settings, list(cutoffs), horizon,
                                                           min_docs=min_docs, draws=draws, progress=progress))
            result["backtest_id"] = write_catalog_backtest(self.store, result)
        return result

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

    def catalog(self, edition: str | None = None, *, as_of: date | str | None = None, lang: str = "zh", fmt: str = "html",
                out: str | Path | None = None, per_field: int = 3, min_size: int = 10,
                backtest: str | Path | None = None, rebuild: bool = False, progress=None) -> dict:
        """Build (or reuse, when stored with the same parameters) and save a catalog edition, then write it to
        `out` (default: the `edition_file` cache). What the edition reads — the topic map of its date, signals,
        forecasts, directions — is built first when the store lacks it (`frontierwatch.pipeline.ensure_built`);
        the catalog stage itself only reads. Without `edition`, the half-year edition of `as_of` (default: the end of
        the last complete year, `store.periods.default_as_of`). Returns ``{"edition", "as_of", "n_entries", "path",
        "reused"}``."""
        from frontierwatch.catalog import (EditionParams, build_edition, edition_as_of, edition_code, load_edition,
                                           save_edition)
        from frontierwatch.catalog import write_edition
        from frontierwatch.timings import stage, stage_step
        if per_field < 1 or min_size < 1:
            raise InputError(f"per_field={per_field} and min_size={min_size} should be >= 1",
                             f"per_field={per_field} 与 min_size={min_size} 必须 >= 1")
        day = _day(as_of)
        if edition is None:
            from frontierwatch.store.periods import default_as_of
            day = day or default_as_of(self.store)
            if day is None:
                raise InputError("no document has a publication date, so there is no edition to make; ingest dated "
                                 "documents first", "没有带发表日期的文献，无法编制目录；请先导入带日期的文献")
            edition = edition_code(day)
        params = EditionParams(per_field=per_field, min_size=min_size, topic_seed=self.settings.topic_seed,
                               embed_model=self.settings.embed_model, backtest_json=str(backtest) if backtest else None)

        def step(name: str) -> None:  # the caller's progress, and a step of the stage in progress (timings)
            stage_step(name)
            if progress:
                progress(name)

        with self.timed("catalog", edition=edition, as_of=day.isoformat() if day else None, lang=lang, fmt=fmt,
                        rebuild=rebuild or None):
            stored = load_edition(self.store, edition)
            expected = None
            if stored:
                expected = dict(stored.parameters) | params.as_dict()
                expected["as_of"] = (day or edition_as_of(edition)).isoformat()
            reused = bool(stored and not rebuild and stored.parameters == expected)
            if reused:
                model = stored
            else:
                day = day or edition_as_of(edition)
                pipeline.ensure_built(self.store, self.settings, day, mapping=params.mapping, progress=progress)
                with stage("catalog", note="entries") as timing:
                    model = build_edition(self.store, edition, day, params, progress=step)
                    save_edition(self.store, model)
                    timing.rows = len(model.entries)
            with stage("render"):
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
        return add_watch(self.store.users_tables, owner, kind, target, email=email, webhook=webhook, name=name)

    def watches(self, owner: str) -> list:
        """`owner`'s current watches, oldest first."""
        from frontierwatch.watch import list_watches
        return list_watches(self.store.users_tables, owner)

    def watch_remove(self, owner: str, watch_id: int):
        """Stop one of `owner`'s watches (its alerts stay)."""
        from frontierwatch.watch import remove_watch
        return remove_watch(self.store.users_tables, owner, watch_id)

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
        return {"raised": len(hall_alerts(self.store.users_tables)), "delivered": self.deliver_alerts()}

    def deliver_alerts(self) -> dict:
        """E-mail and webhook deliveries of alerts not sent yet (`frontierwatch.watch.delivery`)."""
        from frontierwatch.mail import Mailer
        from frontierwatch.watch.delivery import WebhookSender, deliver_alerts
        secret = self.settings.webhook_secret
        return deliver_alerts(self.store.users_tables, Mailer(self.settings),
                              WebhookSender(secret.get_secret_value() if secret else None), self.settings.public_url)

    def alerts(self, owner: str, *, unread: bool = False, limit: int = 200) -> list[dict]:
        """`owner`'s alerts, newest first, as JSON records (``id, watch, watch_name, kind, created, title,
        evidence, read`` …)."""
        from frontierwatch.watch import list_watches
        from frontierwatch.watch.alerts import list_alerts
        users = self.store.users_tables
        names = {w.watch_id: w for w in list_watches(users, owner, include_removed=True)}
        return [a.to_json(names.get(a.watch_id)) for a in list_alerts(users, owner, unread=unread, limit=limit)]

    def mark_alerts(self, owner: str, alert_ids: list[int] | None = None, read: bool = True) -> int:
        """Mark `owner`'s alerts read (or unread); all of them when `alert_ids` is None."""
        from frontierwatch.watch.alerts import mark_read
        return mark_read(self.store.users_tables, owner, alert_ids, read)

    # -- exports -------------------------------------------------------------------------------
    def export(self, what: str, fmt: str, out: str | Path, as_of: date | str | None = None) -> dict:
        """Write `what` (topics, signals, forecasts, documents, assignments) of the map as of `as_of` to `out` as
        parquet, csv or xlsx, streamed, with its data dictionary; see `frontierwatch.export`."""
        from frontierwatch.export import export_map
        return export_map(self, what, fmt, out, _day(as_of))

    # -- search index ---------------------------------------------------------------------------
    def ensure_search_index(self) -> dict | None:
        """(Re)build the full-text index when the documents changed since it was built; None when current."""
        from frontierwatch.search import ensure_index
        return ensure_index(self.store)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Observatory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


