"""The catalog's one data model: `build_edition` → `Edition`, which every renderer (html, pdf, xlsx, json, md) reads.

An edition lists, per direction and field of the taxonomy, the top technologies (topics of the topic map as of
the edition's date) with their evidence; then the changes against the previous edition stored in the store;
then a methodology appendix. Every number comes from the store and `EditionParams` (recorded in the edition),
so rebuilding with the same store and parameters gives the same edition. The model is language-neutral (every
label carries zh and en); the language only picks what the renderers print.

Selection follows the published rule of `catalog.selection` (forecast probability bar, not declining, an axis
measured; 0…``per_field`` entries per field, never padded), with a watch / cooling list and the strongest risers
outside the six directions; ``score`` (mean of the two axes) is still shown with every entry.
"""
from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from datetime import date

from frontierwatch.embed.embedders import DEFAULT_MODEL
from frontierwatch import __version__
from frontierwatch.catalog import inputs
from frontierwatch.catalog.briefing import entry_name, entry_summary, why_now
from frontierwatch.catalog.changes import diff_editions, edition_lineage
from frontierwatch.catalog.landscape import landscapes, topic_members
from frontierwatch.catalog.mapping import MappingParams
from frontierwatch.catalog.messages import bilingual, text
from frontierwatch.catalog.selection import SelectionParams, mean_axes, select
from frontierwatch.catalog.queries import (list_editions, previous_edition_code, read_edition, topic_documents,
                                           write_edition)
from frontierwatch.risk import FlagParams, flag_topic, load_risk_taxonomy
from frontierwatch.catalog.taxonomy import OUTSIDE, load_taxonomy
from frontierwatch.errors import InputError
from frontierwatch.store import Store

log = logging.getLogger(__name__)

_EDITION = re.compile(r"^(\d{4})(H[12]|Q[1-4])?$")


def edition_as_of(edition: str) -> date:
    """Default as-of date of an edition code: ``2019H2`` → 2019-12-31, ``2019H1`` → 2019-06-30, ``2019`` → end of year."""
    m = _EDITION.match(edition or "")
    if not m:
        raise InputError(f"edition {edition!r} is not like 2019H2, 2019H1, 2019Q3 or 2019",
                         f"版次 {edition!r} 的格式应类似 2019H2、2019H1、2019Q3 或 2019")
    year, part = int(m.group(1)), m.group(2) or "H2"
    month = {"H1": 6, "H2": 12, "Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12}[part]
    day = {3: 31, 6: 30, 9: 30, 12: 31}[month]
    return date(year, month, day)


def edition_code(as_of: date) -> str:
    """The half-year edition of a date: ``2019-12-31`` → ``2019H2``, ``2019-03-01`` → ``2019H1``."""
    return f"{as_of.year}H{1 if as_of.month <= 6 else 2}"


@dataclass(frozen=True)
class EditionParams:
    """Everything that shapes an edition besides the store (recorded in the edition's parameters)."""

    per_field: int = 3
    min_size: int = 10
    evidence_docs: int = 3
    landscape_top: int = 5
    min_affiliated: int = 10
    topic_seed: int = 0
    embed_model: str = DEFAULT_MODEL
    mapping: MappingParams = field(default_factory=MappingParams)
    risk: FlagParams = field(default_factory=FlagParams)
    backtest_json: str | None = None
    min_probability: float = SelectionParams.min_probability
    top_share: float = SelectionParams.top_share

    @property
    def selection(self) -> SelectionParams:
        """The selection rule's parameters (``per_field`` is the most entries a field may list)."""
        return SelectionParams(max_per_field=self.per_field, min_size=self.min_size,
                               min_probability=self.min_probability, top_share=self.top_share)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["mapping"], d["risk"] = self.mapping.as_dict(), self.risk.as_dict()
        return d


@dataclass
class Edition:
    """One catalog edition. ``entries``: one dict per listed technology (see `build_edition`)."""

    edition: str
    as_of: str
    parameters: dict
    directions: list[dict]
    entries: list[dict]
    changes: dict
    methodology: dict
    outside: dict
    watch: list[dict] = field(default_factory=list)
    outside_risers: list[dict] = field(default_factory=list)
    generator: str = f"frontierwatch {__version__}"

    def to_json(self, lang: str = "en") -> dict:
        """The JSON edition: ``{"edition", "as_of", "lang", "parameters", "entries", ...}``."""
        return {"edition": self.edition, "as_of": self.as_of, "lang": lang, "parameters": self.parameters,
                "entries": self.entries, "directions": self.directions, "changes": self.changes,
                "outside": self.outside, "watch": self.watch, "outside_risers": self.outside_risers,
                "methodology": self.methodology, "generator": self.generator}

    @classmethod
    def from_json(cls, data: dict) -> "Edition":
        return cls(**{k: data[k] for k in ("edition", "as_of", "parameters", "directions", "entries", "changes",
                                           "methodology", "outside")}, generator=data.get("generator", ""),
                   watch=data.get("watch") or [], outside_risers=data.get("outside_risers") or [])


_score = mean_axes


def selection_at(store: Store, as_of: date, params: EditionParams, previous_ids: set[str] | None = None,
                 step=None) -> dict:
    """What the published rule chooses as of `as_of` and what it chose from — the one path editions and the
    catalog's own backtest (`catalog.backtest`) share: the map of that date, its topics (junk topics dropped:
    venue boilerplate, foreign function words — never a technology), their directions, axes and published
    forecasts, and `catalog.selection.select` on them. Reads only.

    Returns ``{"taxonomy", "map" (the map row), "map_id", "topics" (all), "candidates" (non-junk), "mapped",
    "axes", "forecasts", "forecast_status", "selection" (a `Selection`)}``."""
    from frontierwatch.topics import list_topics
    from frontierwatch.topics.junk import is_junk_topic
    from frontierwatch.topics.tables import map_row

    step = step or (lambda name: None)
    taxonomy = load_taxonomy()
    step("topics")
    info = map_row(store, as_of)
    map_id = info["map_id"]
    topics = list_topics(store, as_of)["topics"]
    step("mapping")
    mapped = inputs.topic_directions(store, map_id, [t["id"] for t in topics])
    step("signals")
    axes = inputs.topic_axes(store, map_id, as_of)
    forecasts, forecast_status = inputs.topic_forecasts(store, map_id)
    candidates = [t for t in topics if not is_junk_topic(t["keyphrases"])]
    sel = select(candidates, mapped, axes, forecasts, [f.key for f in taxonomy.fields], params.selection,
                 previous_ids or set())
    return {"taxonomy": taxonomy, "map": info, "map_id": map_id, "topics": topics, "candidates": candidates,
            "mapped": mapped, "axes": axes, "forecasts": forecasts, "forecast_status": forecast_status,
            "selection": sel}


def build_edition(store: Store, edition: str, as_of: date | None = None, params: EditionParams | None = None,
                  *, progress=None) -> Edition:
    """Build the edition model from what the store holds for `as_of`: the topic map of exactly that date, its
    topic → direction mapping, axes, forecasts and the latest backtest (`catalog.inputs`). It reads only; the core
    (`Observatory.catalog`) builds what is missing first. Raises NotFoundError naming the command otherwise.

    Entries: ``{"rank", "overall_rank", "direction": {"id", "name"}, "field": {"key", "name"}, "also_in",
    "topic_id", "name": {"zh", "en"}, "name_zh_source", "summary": {"zh", "en"}, "summary_sources",
    "summary_docs", "why": {"zh", "en", "drivers"}, "label", "keyphrases" (the evidence the name rests on), "size", "counts_by_year", "score", "breakthrough": {"score",
    "components", "missing"}, "industrialisation": {...}, "stage", "forecast": {"status", "probability", "call",
    "expected_share_ratio"}, "mapping": {"confidence", "reason", "matched_terms"}, "products", "evidence",
    "landscape", "risk_flags", "assessed_risks"}`` — ``assessed_risks`` are the governance assessments in force
    of the entry's topic or of the entry itself (`frontierwatch.risk`), as recorded when the edition is built.
    """
    from frontierwatch.store.documents import require_documents
    from frontierwatch.topics import topic_detail

    params = params or EditionParams()
    as_of = as_of or edition_as_of(edition)
    step = progress or (lambda name: None)
    require_documents(store, as_of)
    risk_taxonomy = load_risk_taxonomy()
    backtest, backtest_ref = inputs.load_backtest(params.backtest_json, store, as_of)
    before = previous_edition(store, as_of, edition)
    got = selection_at(store, as_of, params, {e["topic_id"] for e in before.entries} if before else set(), step)
    taxonomy, info, map_id, topics = got["taxonomy"], got["map"], got["map_id"], got["topics"]
    mapped, axes, forecasts, forecast_status, sel = (got[k] for k in ("mapped", "axes", "forecasts",
                                                                       "forecast_status", "selection"))
    chosen = sorted(sel.chosen, key=lambda kt: [f.key for f in taxonomy.fields].index(kt[0]))
    ids = [t["id"] for _, t in sel.chosen]
    step("landscape")
    lands = landscapes(store, topic_members(store, map_id, as_of, ids), as_of, top=params.landscape_top,
                       min_affiliated=params.min_affiliated, map_id=map_id)
    docs = topic_documents(store, map_id, as_of, ids)
    names = inputs.topic_names(store, map_id, ids + [t["id"] for t in sel.watch + sel.outside])
    year = inputs.signal_year(as_of)
    assessed = _assessed_risks(store, edition, ids)
    overall = ids  # publication order of the rule
    entries = []
    for key, t in chosen:
        f, m, a = taxonomy.field(key), mapped[t["id"]], axes.get(t["id"])
        detail = topic_detail(store, t["id"], as_of, n_docs=params.evidence_docs)
        named = entry_name(names.get(t["id"]), t["label"])
        forecast = _forecast(forecasts.get(t["id"]), forecast_status)
        entries.append({
            "rank": sum(1 for k, _ in chosen[: len(entries) + 1] if k == key), "overall_rank": overall.index(t["id"]) + 1,
            "direction": {"id": f.direction, "name": dict(taxonomy.direction(f.direction).name)},
            "field": {"key": key, "name": dict(f.name)},
            "also_in": [{"key": s["field"], "name": dict(taxonomy.field(s["field"]).name)} for s in m["fields"][1:]],
            "topic_id": t["id"], **named,
            **entry_summary(names.get(t["id"]), named["name"], t["size"], year),
            "why": why_now(t["counts_by_year"], year, a["stage"] if a else None, forecast, _axis(a, "breakthrough")),
            "label": t["label"], "keyphrases": [k["phrase"] for k in t["keyphrases"]],
            "size": t["size"], "counts_by_year": t["counts_by_year"], "score": _score(a),
            "breakthrough": _axis(a, "breakthrough"), "industrialisation": _axis(a, "industrialisation"),
            "stage": a["stage"] if a else None, "forecast": forecast,
            "mapping": {"confidence": m["confidence"], "reason": m["reason"],
                        "matched_terms": sorted({x["term"] for s in m["fields"] for x in s["matched_terms"]})},
            "products": [{"id": p["product"], "name": p["name"]} for p in m["products"]],
            "evidence": [{"doc_id": d["doc_id"], "title": d["title"], "year": d["year"]} for d in detail["documents"]],
            "landscape": lands.get(t["id"]),
            "risk_flags": flag_topic(t, docs.get(t["id"], []), params=params.risk, taxonomy=risk_taxonomy),
            "assessed_risks": assessed.get(t["id"], []),
        })
    n_outside = sum(1 for m in mapped.values() if m["directions"] == [OUTSIDE])
    parameters = params.as_dict() | {
        "as_of": as_of.isoformat(), "edition": edition, "signal_year": inputs.signal_year(as_of),
        "topic_map": {"map_id": map_id, "as_of": info["as_of"].isoformat(), "n_topics": info["n_topics"],
                      "model": info.get("model"), "seed": info.get("seed"), "embed_model": info.get("embed_model")},
        "taxonomy": taxonomy.identity(), "risk_taxonomy": risk_taxonomy.identity(), "backtest": backtest_ref,
        "forecast_status": forecast_status, "ranking": sel.record["rule"],
        "selection": params.selection.as_dict() | {k: sel.record[k] for k in ("rule", "bar", "n_published_forecasts")},
        "similarity_embedder": next((m.get("embedder") for m in mapped.values()), None),
    }
    listed = lambda t, **extra: _listed(t, names.get(t["id"]), axes.get(t["id"]), _forecast(  # noqa: E731
        forecasts.get(t["id"]), forecast_status), year, **extra)
    watch = [listed(t, reason={"key": t["reason"], **bilingual("watch_" + t["reason"])},
                    field={"key": mapped[t["id"]]["fields"][0]["field"],
                           "name": dict(taxonomy.field(mapped[t["id"]]["fields"][0]["field"]).name)})
             for t in sel.watch]
    model = Edition(edition=edition, as_of=as_of.isoformat(), parameters=parameters,
                    directions=_direction_summary(taxonomy, entries, mapped), entries=entries, changes={},
                    methodology=_methodology(backtest, sel.record, backtest_ref, inputs.catalog_backtest(store, as_of),
                                             as_of), outside={"n_topics": n_outside, "of": len(topics)},
                    watch=watch, outside_risers=[listed(t) for t in sel.outside])
    model.changes = diff_editions(before, model, edition_lineage(store, before, map_id))
    log.info("edition %s as of %s: %d entries from %d topics (%d outside the six)", edition, as_of, len(entries),
             len(topics), n_outside)
    return model


def _assessed_risks(store: Store, edition: str, topic_ids: list[str]) -> dict[str, list[dict]]:
    """Assessments in force of each topic (``topic``) or of its entry in this edition (``entry``), oldest first;
    reviewers appear by role only."""
    from frontierwatch.risk.governance import public_assessment
    from frontierwatch.risk.queries import current_assessments

    if not store.users_table_exists("risk_assessments"):
        return {}
    by_topic = current_assessments(store.users_tables, "topic", topic_ids)
    for key, found in current_assessments(store.users_tables, "entry", [f"{edition}/{t}" for t in topic_ids]).items():
        by_topic.setdefault(key.split("/", 1)[1], []).extend(found)
    return {k: [public_assessment(a) for a in v] for k, v in by_topic.items()}


def _forecast(fc: dict | None, status: str) -> dict:
    """The forecast an entry shows: the published row, or why there is none (never a made-up number)."""
    if fc and fc.get("eligible") is not False and fc.get("probability") is not None:
        return {"status": "ok", "probability": fc.get("probability"), "call": fc.get("call"),
                "expected_share_ratio": fc.get("expected_share_ratio")}
    return {"status": "missing" if status == "ok" else status, "probability": None, "call": None,
            "expected_share_ratio": None}


def _listed(t: dict, names: dict | None, a: dict | None, forecast: dict, year: int, **extra) -> dict:
    """A watch-list or outside-riser item: what the topic is, its size, stage, axes and forecast."""
    named = entry_name(names, t["label"])
    return {"topic_id": t["id"], **named, "summary": entry_summary(names, named["name"], t["size"], year)["summary"],
            "label": t["label"], "size": t["size"], "counts_by_year": t["counts_by_year"],
            "stage": a["stage"] if a else None, "breakthrough": a.get("breakthrough") if a else None,
            "industrialisation": a.get("industrialisation") if a else None, "forecast": forecast, **extra}


def _axis(a: dict | None, name: str) -> dict:
    """One axis of an entry: score, component contributions, and the components with no data (never zeros)."""
    from frontierwatch.signals.axes import BREAKTHROUGH, INDUSTRIALISATION

    components = BREAKTHROUGH if name == "breakthrough" else INDUSTRIALISATION
    if not a or a.get(name) is None:
        return {"score": None, "components": {}, "missing": list(components)}
    return {"score": round(a[name], 4), "components": {k: round(v, 4) for k, v in a[f"{name}_parts"].items()},
            "missing": [c for c in components if c not in a[f"{name}_parts"]]}


def _direction_summary(taxonomy, entries: list[dict], mapped: dict) -> list[dict]:
    out = []
    for d in taxonomy.directions:
        n_topics = sum(1 for m in mapped.values() if d.id in m["directions"])
        out.append({"id": d.id, "name": dict(d.name), "description": dict(d.description), "n_topics": n_topics,
                    "fields": [{"key": f.key, "name": dict(f.name),
                                "entries": [e["topic_id"] for e in entries if e["field"]["key"] == f.key],
                                "note": None if any(e["field"]["key"] == f.key for e in entries)
                                else bilingual("field_clears_nothing")}
                               for f in d.fields]})
    return out


def _methodology(backtest: dict | None, selection: dict, ref: dict, catalog_bt: dict | None, as_of: date) -> dict:
    from frontierwatch.signals.axes import BREAKTHROUGH, INDUSTRIALISATION

    return {"text": bilingual("method_text"), "selection_rule": selection["rule"], "selection": selection["text"],
            "breakthrough_components": {k: {"signal": v[0], "weight": v[2]} for k, v in BREAKTHROUGH.items()},
            "industrialisation_components": {k: {"signal": v[0], "weight": v[2]} for k, v in INDUSTRIALISATION.items()},
            "backtest": None if backtest is None else {
                "horizon": backtest.get("horizon"), "label": backtest.get("label"),
                "summary": backtest.get("summary"),
                "cutoffs": sorted({r.get("cutoff") for r in backtest.get("results", [])} - {None}),
                "outcomes_through": ref.get("outcomes_through"), "sample": _backtest_sample(backtest)},
            "evidence": _evidence(backtest, ref, as_of), "catalog_backtest": _catalog_backtest(catalog_bt)}


def _evidence(backtest: dict | None, ref: dict, as_of: date) -> dict:
    """Which backtest the edition cites and that it was knowable at its date, or that it cites none (zh, en)."""
    if backtest is None:
        return {lang: text("evidence_none", lang).format(year=ref.get("known_at") or as_of.year, as_of=as_of)
                for lang in ("zh", "en")}
    cutoffs = sorted({r.get("cutoff") for r in backtest.get("results", [])} - {None}) or backtest.get("cutoffs")
    return {lang: text("evidence_cited", lang).format(end=ref.get("outcomes_through"), h=backtest.get("horizon"),
                                                      cutoffs=", ".join(map(str, cutoffs or [])), as_of=as_of)
            for lang in ("zh", "en")}


def _catalog_backtest(result: dict | None) -> dict:
    """The catalog backtest an edition cites (knowable at its date): its rules' means and the base rate, or a note
    that none is cited."""
    if not result:
        return {"cited": False, "note": bilingual("catalog_backtest_none")}
    rate = result.get("positive_rate")
    fmt = {"cutoffs": ", ".join(map(str, result["cutoffs"])), "h": result["horizon"],
           "end": result["outcomes_through"], "rate": "–" if rate is None else f"{rate:.3f}"}
    return {"cited": True, "backtest_id": result.get("backtest_id"), "cutoffs": result["cutoffs"],
            "horizon": result["horizon"], "outcomes_through": result["outcomes_through"], "positive_rate": rate,
            "rules": {k: {m: v.get(m) for m in ("mean_hit_rate", "mean_entries", "mean_share_ratio")}
                      for k, v in result["rules"].items()},
            "intro": {lang: text("catalog_backtest_intro", lang).format(**fmt) for lang in ("zh", "en")}}


def _backtest_sample(backtest: dict) -> dict | None:
    """What the cited backtest's figures rest on: runs, topics scored, positives, and the Brier score."""
    fw = (backtest.get("summary") or {}).get("frontierwatch")
    if not fw or fw.get("n_eligible") is None:
        return None
    cal = backtest.get("calibration") or {}
    fmt = lambda v: "–" if v is None else f"{v:.4f}"  # noqa: E731
    return {"runs": fw.get("n_runs"), "n": fw.get("n_eligible"), "pos": fw.get("n_positive"),
            "brier": fmt(cal.get("brier")), "base": fmt(cal.get("brier_base_rate"))}


def save_edition(store: Store, model: Edition) -> None:
    """Store an edition (replacing one of the same code) so later editions can diff against it."""
    write_edition(store, model.to_json())


def load_edition(store: Store, edition: str) -> Edition | None:
    data = read_edition(store, edition)
    return Edition.from_json(data) if data else None


def previous_edition(store: Store, as_of: date, edition: str) -> Edition | None:
    """The stored edition with the latest as-of date before `as_of` (another code than `edition`)."""
    code = previous_edition_code(store, as_of, edition)
    return load_edition(store, code) if code else None


def stored_editions(store: Store) -> list[dict]:
    """Stored editions, oldest first (`catalog.queries.list_editions`)."""
    return list_editions(store)
