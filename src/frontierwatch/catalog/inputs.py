"""What an edition reads, and only reads: the stored outputs of the stages before it, for its as-of date.

* the topic map of exactly the as-of date — `frontierwatch.topics` (`map_row`, `list_topics`, `topic_detail`);
* both axes and the lifecycle stage of `signal_year` — ``topic_axes`` (`frontierwatch.signals.read_axes`);
* the forecast of the map — ``topic_forecasts`` (`frontierwatch.forecast.read_forecasts`); none stored means the
  edition says "not computed" (never a made-up number);
* the topic → direction mapping — ``topic_directions`` (`catalog.queries.read_directions`);
* the backtests it cites — a JSON file, or the latest ``backtests`` row, and the latest ``catalog_backtests`` row,
  each only when its outcomes end on or before the edition's date (`load_backtest`, `catalog_backtest`).

The catalog never computes these: `Observatory.catalog` makes sure they exist first (through `Observatory.build`),
and a missing one raises `NotFoundError` naming the command that makes it.
"""
from __future__ import annotations

import hashlib
import json
import logging
from datetime import date
from pathlib import Path

from frontierwatch.errors import InputError, NotFoundError
from frontierwatch.store import Store

log = logging.getLogger(__name__)

HORIZON = 3  # the forecast horizon an edition publishes (the core's default)


def signal_year(as_of: date) -> int:
    """The last complete year at `as_of`: yearly signals of a mid-year edition use the year before."""
    return as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1


def topic_names(store: Store, map_id: int, topic_ids: list[str]) -> dict[str, dict]:
    """Names and summaries of the topics (``topic_names``, the names stage's table; the core names a map's topics
    when it builds it). A topic without one is published under its keyphrase label and says so."""
    from frontierwatch.names import read_topic_names

    return read_topic_names(store, map_id, topic_ids)


def topic_axes(store: Store, map_id: int, as_of: date) -> dict[str, dict]:
    """Breakthrough, industrialisation (with component contributions) and stage of every topic of the map, in
    `signal_year(as_of)` — the stored ``topic_axes`` of `frontierwatch.signals.read_axes`."""
    from frontierwatch.signals import read_axes

    return read_axes(store, map_id, year=signal_year(as_of))


def topic_forecasts(store: Store, map_id: int, horizon: int = HORIZON) -> tuple[dict[str, dict], str]:
    """The stored forecast per topic of the map: ``(by topic, "ok" | "not_computed")``."""
    from frontierwatch.forecast import read_forecasts

    rows = read_forecasts(store, map_id, horizon)
    return rows, ("ok" if rows else "not_computed")


def topic_directions(store: Store, map_id: int, topic_ids: list[str]) -> dict[str, dict]:
    """The stored topic → direction mapping of the map (`catalog.queries.read_directions`); NotFoundError when a
    topic has none (the core maps a map's topics when it builds it)."""
    from frontierwatch.catalog.queries import read_directions

    mapped = read_directions(store, map_id)
    missing = [t for t in topic_ids if t not in mapped]
    if missing:
        raise NotFoundError(f"{len(missing)} topics of map {map_id} are not mapped to the six directions "
                            f"(e.g. {missing[:3]}); run frontierwatch build",
                            f"主题图 {map_id} 中有 {len(missing)} 个主题尚未归入六大方向（例如 {missing[:3]}）；"
                            f"请运行 frontierwatch build")
    return mapped


def load_backtest(path: str | Path | None, store: Store | None = None,
                  as_of: date | None = None) -> tuple[dict | None, dict]:
    """The backtest an edition cites: ``(backtest JSON or None, reference for the parameters)``.

    Only evidence knowable at the edition's date (issue 10 item 6): a backtest whose outcomes end in or before
    `signal_year(as_of)` (the last cutoff + the horizon). From `path` when given (InputError when its outcomes end
    later), else the latest such backtest recorded in the store by ``frontierwatch backtest`` (horizon 3 first),
    else None — a later backtest in the store is never cited, and the edition says which it cites or that it cites
    none (`evidence_text`).
    """
    year = signal_year(as_of) if as_of else None
    if path is None:
        from frontierwatch.forecast import latest_backtest

        row = (latest_backtest(store, 3, known_at=year) or latest_backtest(store, known_at=year)
               ) if store is not None else None
        if row is None:
            return None, {"file": None, "sha256": None, "known_at": year}
        raw = row["result_json"]
        data = json.loads(raw)
        return data, {"file": None, "backtest_id": row["backtest_id"], "sha256": hashlib.sha256(raw.encode()).hexdigest(),
                      "outcomes_through": outcomes_through(data), "known_at": year}
    p = Path(path)
    if not p.is_file():
        raise InputError(f"no backtest JSON at {p}; make one with 'frontierwatch backtest --json {p}'",
                         f"回测文件不存在：{p}；可用 'frontierwatch backtest --json {p}' 生成")
    raw = p.read_bytes()
    try:
        data = json.loads(raw)
    except ValueError:
        raise InputError(f"{p} is not JSON", f"{p} 不是 JSON 文件") from None
    if "summary" not in data:
        raise InputError(f"{p} has no 'summary'; expected the JSON of 'frontierwatch backtest'",
                         f"{p} 缺少 'summary'；应为 'frontierwatch backtest' 输出的 JSON")
    end = outcomes_through(data)
    if year is not None and end is not None and end > year:
        raise InputError(f"{p}: its outcomes run to {end}, after this edition's date {as_of}; an edition cites only "
                         f"a backtest whose last cutoff + horizon is at most {year} (leave out --backtest to cite "
                         f"the latest such one in the store)",
                         f"{p}：该回测的结果截至 {end} 年，晚于本版日期 {as_of}；目录只引用最后截止年加预测期不晚于 "
                         f"{year} 年的回测（不加 --backtest 则引用库中最新的此类回测）")
    return data, {"file": p.name, "sha256": hashlib.sha256(raw).hexdigest(), "outcomes_through": end,
                  "known_at": year}


def outcomes_through(backtest: dict) -> int | None:
    """The last year a backtest's outcomes read: its last cutoff + its horizon (None when it names neither)."""
    cutoffs = [c for c in backtest.get("cutoffs") or [r.get("cutoff") for r in backtest.get("results", [])] if c]
    return max(cutoffs) + int(backtest["horizon"]) if cutoffs and backtest.get("horizon") else None


def catalog_backtest(store: Store, as_of: date) -> dict | None:
    """The latest catalog backtest (`catalog.backtest`) whose outcomes end in or before `signal_year(as_of)`, or
    None: the same rule as `load_backtest`."""
    from frontierwatch.catalog.queries import catalog_backtest_known_at

    return catalog_backtest_known_at(store, signal_year(as_of))
