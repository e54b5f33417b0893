"""What runs before what: the one place that orders the stages. `Observatory` (``core.py``) owns it.

``embed → topics → names → signals → forecast → directions`` for a topic map of one as-of date (`build`), and the same
path for whatever the catalog of a date needs but the store lacks (`ensure_built`). Stages never run the
stages above them: each reads the tables it needs and fails with a clear message when they are missing, and
only this module decides to build them.
"""
from __future__ import annotations

import logging
from datetime import date

from frontierwatch.errors import FrontierwatchError
from frontierwatch.settings import Settings
from frontierwatch.store import Store
from frontierwatch.timings import stage, stage_step

log = logging.getLogger(__name__)

HORIZON = 3  # years ahead the published forecast looks (the forecast stage's default)


def not_computed(en: str, zh: str) -> dict:
    """The marker of a section whose stage has not been run: ``{"computed": False, "note": {"en", "zh"}}``."""
    return {"computed": False, "note": {"en": en, "zh": zh}}


def embed(store: Store, settings: Settings, progress=None, model: str | None = None) -> int:
    """Missing vectors of `model` (default: the configured one; `frontierwatch.embed.embed_documents`, or the
    Spark embed job with ``settings.engine == "spark"``)."""
    from frontierwatch.embed import embed_documents
    if settings.engine == "spark":
        from frontierwatch.spark import engine as spark_engine
        return spark_engine.embed(store, settings, model)
    return embed_documents(store, model=model or settings.embed_model, progress=progress)


def compute_signals(store: Store, as_of: date | None, settings: Settings | None = None) -> dict:
    """``topic_signals`` and ``topic_axes`` of the map of `as_of` (`frontierwatch.signals.build_signals`). With
    ``settings.engine == "spark"`` every document is assigned by Spark to the map's centroids and the topic ×
    year counts and count-derived signals come from Spark aggregations (`frontierwatch.spark.engine.map_signals`;
    the report's ``spark`` part says how many assignments agree with the map's)."""
    from frontierwatch.signals import build_signals
    if settings is not None and settings.engine == "spark":
        from frontierwatch.spark import engine as spark_engine
        return spark_engine.map_signals(store, settings, as_of)
    return build_signals(store, as_of)


def compute_forecasts(store: Store, as_of: date | None, horizon: int = HORIZON, progress=None, corpus=None) -> dict:
    """``topic_forecasts`` of the map of `as_of`, from its stored signals (`frontierwatch.forecast.build_forecasts`);
    the forecaster learns from the document vectors of the map's own model, so missing ones are computed first
    (only that model: embedding a corpus with another model would be work nobody reads)."""
    from frontierwatch.embed import embed_documents
    from frontierwatch.forecast import build_forecasts
    from frontierwatch.topics.tables import map_row

    embed_documents(store, model=map_row(store, as_of)["embed_model"])  # the vectors `forecast.load_corpus` reads
    return build_forecasts(store, as_of, horizon, progress=progress, corpus=corpus)


def backtest(store: Store, settings: Settings, cutoffs: list[int], horizons: list[int], seeds: list[int], *,
             min_docs: int = 20, progress=None) -> list[dict]:
    """Embed what is missing, then run the forecast backtest (`frontierwatch.forecast.run_backtest`) for each
    horizon on one corpus and one cache: maps, features and forecasts of earlier builds and backtests are reused."""
    from frontierwatch.forecast import ForecastCaches, load_corpus, run_backtest

    with stage("embed", note="vectors") as timing:
        timing.rows = embed(store, settings)  # the vectors `forecast.load_corpus` reads: the maps' model
    corpus = load_corpus(store, model=settings.embed_model)
    caches = ForecastCaches(store)

    def step(name: str, done: int, total: int) -> None:  # each refit and forecast is a step of the stage
        stage_step(name)
        if progress:
            progress(name, done, total)

    results = []
    with stage("backtest", note="runs") as timing:
        for h in horizons:
            results.append(run_backtest(store, cutoffs, h, seeds, min_docs=min_docs, corpus=corpus, caches=caches,
                                        progress=step))
        timing.rows = len(cutoffs) * len(seeds) * len(horizons)
    return results


def catalog_backtest(store: Store, settings: Settings, cutoffs: list[int], horizon: int = HORIZON, *,
                     params=None, min_docs: int = 20, draws: int = 100, progress=None) -> dict:
    """The catalog's own backtest (`frontierwatch.catalog.backtest`): for each cutoff T, make sure the store holds
    what the edition as of T-12-31 reads (`ensure_built`: documents ≤ T only), take its selection exactly as an
    edition publishes it, and score it and the alternative rules on the outcome of every topic at T + `horizon` —
    the forecast backtest's own label on the same fit (`forecast.take_snapshot` → ``Snapshot.outcome``).
    `params` is a `catalog.EditionParams` (default: an edition's defaults). Returns `summarise_catalog`'s dict."""
    from frontierwatch.catalog import EditionParams
    from frontierwatch.catalog.backtest import score_edition, summarise_catalog
    from frontierwatch.catalog.edition import selection_at
    from frontierwatch.forecast import ForecastCaches, load_corpus, take_snapshot
    from frontierwatch.forecast.backtest import check_cutoffs
    from frontierwatch.forecast.runner import match_topics
    from frontierwatch.names import read_topic_names
    from frontierwatch.topics.tables import map_centroids

    params = params or EditionParams(topic_seed=settings.topic_seed, embed_model=settings.embed_model)
    step = progress or (lambda name: None)
    with stage("embed", note="vectors") as timing:
        timing.rows = embed(store, settings)
    corpus = load_corpus(store, model=settings.embed_model)
    first, last = corpus.full_years()
    check_cutoffs(sorted(cutoffs), horizon, first, last)
    caches = ForecastCaches(store)
    editions = []
    for cutoff in sorted(cutoffs):
        day = date(cutoff, 12, 31)
        step(f"edition as of {day}")
        ensure_built(store, settings, day, mapping=params.mapping)
        with stage("catalog backtest", note="topics") as timing:
            got = selection_at(store, day, params)
            m, map_id = got["map"], got["map_id"]
            snap = take_snapshot(corpus, cutoff, m["seed"], n_topics=_map_params(m).get("n_topics"), caches=caches)
            label, log_ratio = snap.outcome(horizon)
            ok = snap.eligible(min_docs)
            ids, centroids = map_centroids(store, map_id)
            index = match_topics(centroids, snap.centroids, map_id, day)
            outcomes = {tid: {"label": bool(label[i]), "log_ratio": float(log_ratio[i]), "eligible": bool(ok[i]),
                              "recency": -float(snap.signals["mean_age"][i])} for tid, i in zip(ids, index)}
            chosen = got["selection"].chosen
            names = read_topic_names(store, map_id, [t["id"] for _, t in chosen])
            editions.append(score_edition(
                cutoff, horizon, chosen, got["candidates"], got["mapped"], got["axes"], outcomes,
                per_field=params.per_field, min_size=params.min_size, draws=draws, seed=m["seed"] or 0,
                names=names, forecasts=got["forecasts"], rule=got["selection"].record["rule"]))
            timing.rows = len(ids)
    out = summarise_catalog(editions, horizon)
    out.update(min_docs=min_docs, draws=draws, embed_model=settings.embed_model,
               selection=params.selection.as_dict(), n_documents=int(len(corpus.years)))
    return out


def _map_params(m: dict) -> dict:
    import json

    return json.loads(m["params"]) if isinstance(m["params"], str) else (m["params"] or {})


def name_topics(store: Store, settings: Settings, as_of: date | None) -> dict:
    """``topic_names`` of the map of `as_of`: a Chinese and English name and a summary for every topic
    (`frontierwatch.names.build_topic_names`)."""
    from frontierwatch.names import build_topic_names
    return build_topic_names(store, as_of, settings=settings)


def map_directions(store: Store, settings: Settings, as_of: date | None, mapping=None) -> dict:
    """Map every topic of the map of `as_of` to the six directions (catalog `map_topics`, with `mapping` — a
    `MappingParams` — or the defaults; the titles of each topic's central documents are read as context) and
    store it in ``topic_directions``.

    Returns ``{"map_id", "topics", "outside", "by_direction": {id: n}}``."""
    from frontierwatch.catalog import OUTSIDE, MappingParams, load_taxonomy, map_topics, write_directions
    from frontierwatch.catalog.mapping import default_embedder
    from frontierwatch.catalog.queries import central_titles
    from frontierwatch.topics import list_topics
    from frontierwatch.topics.tables import map_row

    params = mapping or MappingParams()
    listed = list_topics(store, as_of)
    taxonomy = load_taxonomy(settings.taxonomy)
    embedder = default_embedder(settings.embed_model)
    titles = central_titles(store, listed["map_id"], map_row(store, as_of)["as_of"],
                            [t["id"] for t in listed["topics"]])
    mapped = map_topics([t | {"titles": titles.get(t["id"], [])} for t in listed["topics"]], taxonomy=taxonomy,
                        embedder=embedder, params=params)
    write_directions(store, listed["map_id"], {m["topic_id"]: m for m in mapped}, taxonomy.version,
                     mapping=params.as_dict(), embedder=getattr(embedder, "name", None))
    by_direction: dict[str, int] = {}
    for m in mapped:
        for d in m["directions"]:
            by_direction[d] = by_direction.get(d, 0) + 1
    return {"map_id": listed["map_id"], "topics": len(mapped), "outside": by_direction.pop(OUTSIDE, 0),
            "by_direction": by_direction}


def build(store: Store, settings: Settings, as_of: date | None = None, *, n_topics: int | None = None,
          horizon: int = HORIZON, forecast: bool = True, progress=None, embed_progress=None) -> tuple:
    """Embed what is missing, fit the topic map as of `as_of` (default: the end of the last complete year,
    `store.periods.default_as_of`), then its
    signals and axes, its forecasts and its topic → direction mapping. Returns ``(TopicMapInfo, report)``;
    the report holds every step's summary and ``seconds``. Only the forecast may fail (e.g. too little
    history): it is logged and reported as `not_computed`, and the pages say so."""
    from frontierwatch.topics import build_topics

    def step(name: str) -> None:  # the caller's progress, and a step of the stage in progress (timings)
        stage_step(name)
        if progress:
            progress(name)

    seconds: dict[str, float] = {}
    with stage("embed", note="vectors") as timing:
        timing.rows = embed(store, settings, progress=embed_progress)
    seconds["embed"] = timing.seconds
    walk = _walk_forward(store, settings, as_of, horizon) if forecast else None
    try:
        return _build_stages(store, settings, as_of, n_topics, horizon, forecast, walk, step, progress, seconds)
    finally:
        if walk is not None:
            walk.cancel()


def _walk_forward(store: Store, settings: Settings, as_of: date | None, horizon: int):
    """The forecast's training maps, started in a worker while the other stages run (`forecast.prefit`)."""
    from frontierwatch.forecast.prefit import start_walk_forward
    from frontierwatch.store.periods import default_as_of

    day = as_of or default_as_of(store)
    if day is None or settings.workers == 1:
        return None
    with stage("walk-forward", note="maps") as timing:
        walk = start_walk_forward(store, day, settings.topic_seed, settings.embed_model, horizon, start=False)
        timing.rows = len(walk.cutoffs) if walk else 0
    return walk


def _build_stages(store: Store, settings: Settings, as_of: date | None, n_topics: int | None, horizon: int,
                  forecast: bool, walk, step, progress, seconds: dict) -> tuple:
    """`build` after the embed stage: topics, names, signals, forecast (with the walk-forward fits `walk` made
    meanwhile, when given), directions."""
    from frontierwatch.topics import build_topics

    def topic_step(name: str) -> None:
        if name == "fields" and walk is not None:  # the map's own fit is done: its threads no longer need both cores
            walk.start()
        step(name)

    with stage("topics", note="topics") as timing:
        info = build_topics(store, as_of, seed=settings.topic_seed, n_topics=n_topics, progress=topic_step,
                            embed_model=settings.embed_model)
        timing.rows = info.n_topics
    seconds["topics"] = info.seconds
    report: dict = {"topics": info}
    with stage("names", note="topics") as timing:
        if progress:
            progress("names")
        report["names"] = name_topics(store, settings, info.as_of)
        timing.rows = report["names"].get("topics")
    seconds["names"] = timing.seconds
    with stage("signals", note="topics") as timing:
        if progress:
            progress("signals")
        report["signals"] = compute_signals(store, info.as_of, settings)
        timing.rows = report["signals"].get("topics")
    seconds["signals"] = timing.seconds
    if forecast:
        with stage("forecast", note="topics") as timing:
            if progress:
                progress("forecast")
            corpus = None
            if walk is not None:
                step("walk-forward maps from the worker")
                walk.collect(store)
                corpus = walk.corpus
            report["forecast"] = _try_forecast(store, info.as_of, horizon,
                                               lambda name, done, total: step(f"forecast: {name}"), corpus)
            timing.rows = report["forecast"].get("topics")
        seconds["forecast"] = timing.seconds
    with stage("directions", note="topics") as timing:
        if progress:
            progress("directions")
        report["directions"] = map_directions(store, settings, info.as_of)
        timing.rows = report["directions"]["topics"]
    seconds["directions"] = timing.seconds
    report["seconds"] = {k: round(v, 2) for k, v in seconds.items()}
    log.info("build as of %s: %s", info.as_of, report["seconds"])
    return info, report


def update(store: Store, settings: Settings, *, horizon: int = HORIZON, forecast: bool = True, step=None,
           embed_progress=None) -> dict:
    """Bring the latest topic map up to the newest publication date (stragglers after the last complete month left
    out: `store.periods.update_as_of`) without refitting it, then the same steps
    as `build` after the topics: names, signals and axes, forecast, directions.

    Embeds what is missing; then, when documents newer than the fitted map exist, writes the map as of the newest
    date with the fitted map's topics (`frontierwatch.topics.update.map_from_centroids`: every document
    reassigned to its nearest centroid, lineage kept) and recomputes what follows it; otherwise only assigns the
    new documents to the latest map (`assign_new_documents`). Returns ``{"topics", "signals", "forecast",
    "directions", "seconds"}``."""
    from frontierwatch.topics import assign_new_documents
    from frontierwatch.store.periods import update_as_of
    from frontierwatch.topics.tables import map_row
    from frontierwatch.topics.update import map_from_centroids, update_source

    step = step or (lambda name: None)
    seconds: dict[str, float] = {}
    with stage("embed", note="vectors") as timing:
        timing.rows = embed(store, settings, progress=embed_progress)
    seconds["embed"] = timing.seconds
    latest, source_map = map_row(store), update_source(store)
    newest = max(update_as_of(store) or latest["as_of"], latest["as_of"])
    step("topics")
    report: dict = {}
    if newest == source_map["as_of"]:  # nothing newer than the fitted map: assign only
        with stage("assign", note="documents") as timing:
            report["topics"] = assign_new_documents(store)
            timing.rows = report["topics"].n_assigned
        seconds["topics"] = timing.seconds
    else:
        with stage("topics", note="topics") as timing:
            report["topics"] = map_from_centroids(store, source_map["as_of"], newest)
            timing.rows = getattr(report["topics"], "n_topics", None)
        seconds["topics"] = timing.seconds
        with stage("names", note="topics") as timing:
            step("names")
            report["names"] = name_topics(store, settings, newest)
            timing.rows = report["names"].get("topics")
        seconds["names"] = timing.seconds
        with stage("signals", note="topics") as timing:
            step("signals")
            report["signals"] = compute_signals(store, newest, settings)
            timing.rows = report["signals"].get("topics")
        seconds["signals"] = timing.seconds
        if forecast:
            with stage("forecast", note="topics") as timing:
                step("forecast")
                report["forecast"] = _try_forecast(store, newest, horizon,
                                                   lambda name, done, total: step(f"forecast: {name}"))
                timing.rows = report["forecast"].get("topics")
            seconds["forecast"] = timing.seconds
        with stage("directions", note="topics") as timing:
            step("directions")
            report["directions"] = map_directions(store, settings, newest)
            timing.rows = report["directions"]["topics"]
        seconds["directions"] = timing.seconds
    report["seconds"] = {k: round(v, 2) for k, v in seconds.items()}
    log.info("update to %s: %s", newest, report["seconds"])
    return report


def _try_forecast(store: Store, as_of: date, horizon: int, progress=None, corpus=None) -> dict:
    try:
        return compute_forecasts(store, as_of, horizon, progress=progress, corpus=corpus)
    except FrontierwatchError as exc:
        log.warning("forecast of the map as of %s not computed: %s", as_of, exc.en)
        return not_computed(exc.en, exc.zh)


def ensure_built(store: Store, settings: Settings, as_of: date, *, horizon: int = HORIZON, mapping=None,
                 progress=None) -> dict:
    """Make sure the store holds what the catalog of `as_of` reads — the topic map of exactly that date, its
    names, its signals and axes, its forecasts (when they can be trained) and its direction mapping made with `mapping`
    (a `MappingParams`; default: the defaults) — building only what is missing, by the same path as `build`.
    Returns ``{"built": [steps run]}``."""
    from frontierwatch.catalog import MappingParams, load_taxonomy, read_directions
    from frontierwatch.forecast import read_forecasts
    from frontierwatch.names import names_stale, read_topic_names
    from frontierwatch.signals import read_axes
    from frontierwatch.store.documents import require_documents
    from frontierwatch.topics.tables import map_id_as_of

    step = progress or (lambda name: None)
    require_documents(store, as_of)
    map_id = map_id_as_of(store, as_of)
    if map_id is None:
        log.info("no topic map as of %s: building it", as_of)
        step("topics")
        build(store, settings, as_of, horizon=horizon, progress=progress)
        ran = ["embed", "topics", "names", "signals", "forecast", "directions"]
        map_id = map_id_as_of(store, as_of)
    else:
        ran = []
        if not read_topic_names(store, map_id, None) or names_stale(store, map_id):
            step("names")
            with stage("names", note="topics") as timing:
                timing.rows = name_topics(store, settings, as_of).get("topics")
            ran.append("names")
        if not read_axes(store, map_id):
            step("signals")
            with stage("signals", note="topics") as timing:
                timing.rows = compute_signals(store, as_of, settings).get("topics")
            ran.append("signals")
        if not read_forecasts(store, map_id, horizon):
            step("forecast")
            with stage("forecast", note="topics") as timing:
                timing.rows = _try_forecast(store, as_of, horizon,
                                            lambda name, done, total: stage_step(f"forecast: {name}")).get("topics")
            ran.append("forecast")
    params = (mapping or MappingParams()).as_dict()
    stored = read_directions(store, map_id)
    version = load_taxonomy(settings.taxonomy).version   # an edited taxonomy (new version) maps the topics again
    if not stored or any(m["mapping"] not in (None, params) or m["taxonomy_version"] != version
                         for m in stored.values()) or \
            (params != MappingParams().as_dict() and any(m["mapping"] is None for m in stored.values())):
        step("directions")
        with stage("directions", note="topics") as timing:
            timing.rows = map_directions(store, settings, as_of, mapping=mapping)["topics"]
        ran.append("directions")
    return {"built": ran}
