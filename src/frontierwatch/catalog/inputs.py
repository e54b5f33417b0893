"""What an edition takes from the other stages, through their public APIs only.

* topic map of the as-of date — `frontierwatch.topics` (`build_topics` when the store lacks it, `list_topics`,
  `topic_detail`);
* per-topic signals, the two axes and the lifecycle stage — `frontierwatch.signals` (`load_signal_documents`,
  `compute_topic_signals`, `compute_axes`) over the map's assignments (``doc_topics``), documents dated on or
  before the as-of date only;
* forecast and backtest — `frontierwatch.forecast` when it offers them for a stored map, else ``None`` and the
  edition says "not computed" (never a made-up number).
"""
from __future__ import annotations

import hashlib
import json
import logging
from datetime import date
from pathlib import Path

import numpy as np

from frontierwatch.embed.embedders import DEFAULT_MODEL
from frontierwatch.errors import InputError, NotFoundError
from frontierwatch.store import Store

log = logging.getLogger(__name__)


def signal_year(as_of: date) -> int:
    """The last complete year at `as_of`: yearly signals of a mid-year edition use the year before."""
    return as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1


def ensure_topic_map(store: Store, as_of: date, *, seed: int = 0, embed_model: str = DEFAULT_MODEL,
                     progress=None) -> dict:
    """The topic map of exactly `as_of` (built with the topics stage when missing): its ``topic_maps`` row."""
    from frontierwatch.topics import build_topics
    from frontierwatch.topics.tables import map_row

    exists = store.table_exists("topic_maps") and store.con.execute(
        "SELECT count(*) FROM topic_maps WHERE as_of = ?", [as_of]).fetchone()[0]
    if not exists:
        log.info("no topic map as of %s: building it", as_of)
        build_topics(store, as_of, seed=seed, embed_model=embed_model, progress=progress)
    return map_row(store, as_of)


def topic_documents(store: Store, map_id: int, as_of: date, topic_ids: list[str], limit: int = 3000) -> dict[str, list[dict]]:
    """Documents of each topic dated on or before `as_of`, nearest the centroid first (at most `limit`)."""
    import pyarrow as pa

    wanted = pa.table({"topic_id": pa.array(topic_ids, pa.string())})  # noqa: F841 — read by DuckDB
    rows = store.con.execute(
        """SELECT topic_id, doc_id, title, abstract, year, kind FROM (
               SELECT t.topic_id, d.doc_id, d.title, d.abstract, d.year, d.kind,
                      row_number() OVER (PARTITION BY t.topic_id ORDER BY t.distance, d.doc_id) AS r
               FROM doc_topics t JOIN wanted w USING (topic_id) JOIN documents d USING (doc_id)
               WHERE t.map_id = ? AND d.published <= ?) WHERE r <= ? ORDER BY topic_id, r""",
        [map_id, as_of, limit]).fetchall()
    out: dict[str, list[dict]] = {t: [] for t in topic_ids}
    for tid, did, title, abstract, year, kind in rows:
        out[tid].append({"doc_id": did, "title": title, "abstract": abstract, "year": year, "kind": kind})
    return out


def topic_axes(store: Store, map_id: int, as_of: date) -> dict[str, dict]:
    """Breakthrough, industrialisation (with component contributions) and stage of every topic of the map, in
    `signal_year(as_of)`, computed by the signals stage from documents dated on or before `as_of`.

    Returns ``{topic_id: {"year", "breakthrough", "industrialisation", "breakthrough_parts",
    "industrialisation_parts", "missing_components", "stage", "signals": {name: value | None}}}``.
    """
    from frontierwatch.signals.axes import compute_axes
    from frontierwatch.signals.compute import compute_topic_signals
    from frontierwatch.signals.documents import load_signal_documents

    year = signal_year(as_of)
    members = store.con.execute(
        """SELECT t.doc_id, t.topic_id FROM doc_topics t JOIN documents d USING (doc_id)
           WHERE t.map_id = ? AND d.published <= ? AND d.year <= ? ORDER BY t.doc_id""",
        [map_id, as_of, year]).fetchall()
    if not members:
        return {}
    topic_of = dict(members)
    docs = load_signal_documents(store, year, doc_ids=list(topic_of))
    names = sorted(set(topic_of.values()))
    index = {t: i for i, t in enumerate(names)}
    frame = dict(docs)
    frame["topic_id"] = np.array([index[topic_of[d]] for d in docs["doc_id"]], dtype=np.int64)
    signals = compute_topic_signals(frame, years=[year])
    axes = compute_axes(signals).to_pylist()
    sig_rows = {r["topic_id"]: r for r in signals.to_pylist()}
    out = {}
    for r in axes:
        tid = names[r["topic_id"]]
        s = sig_rows.get(r["topic_id"], {})
        out[tid] = {"year": r["year"], "breakthrough": r["breakthrough"], "industrialisation": r["industrialisation"],
                    "breakthrough_parts": dict(r["breakthrough_parts"] or []),
                    "industrialisation_parts": dict(r["industrialisation_parts"] or []),
                    "missing_components": list(r["missing_components"] or []), "stage": r["stage"],
                    "signals": {k: _finite(v) for k, v in s.items() if k not in ("topic_id", "year", "missing")}}
    return out


def _finite(v):
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v


def _stored_forecasts(store: Store, map_id: int, horizon: int) -> dict[str, dict]:
    if not store.table_exists("topic_forecasts"):
        return {}
    rows = store.con.execute(
        """SELECT topic_id, probability, call, expected_share_ratio, threshold, eligible, model
           FROM topic_forecasts WHERE map_id = ? AND horizon = ?""", [map_id, horizon]).fetchall()
    keys = ("topic_id", "probability", "call", "expected_share_ratio", "threshold", "eligible", "model")
    return {r[0]: {k: _finite(v) for k, v in zip(keys, r)} for r in rows}


def topic_forecasts(store: Store, map_id: int, as_of: date, horizon: int = 3,
                    compute: bool = True) -> tuple[dict[str, dict], str]:
    """Forecast per topic of the map (``topic_forecasts`` of the forecast stage): ``(by topic, status)``.

    When the map has none yet and `compute` is set, the forecast stage trains and writes them now (the catalog
    computes whatever its as-of date needs). A forecast that cannot be trained (too little history) gives
    ``({}, "not_computed")`` and editions say so.
    """
    from frontierwatch.errors import FrontierwatchError

    rows = _stored_forecasts(store, map_id, horizon)
    if not rows and compute:
        from frontierwatch.forecast.runner import build_forecasts, build_signals

        try:
            build_signals(store, as_of)  # the forecast learns from stored signals of this map
            build_forecasts(store, as_of, horizon=horizon)
        except FrontierwatchError as exc:
            log.warning("forecast as of %s not computed: %s", as_of, exc)
            return {}, "not_computed"
        rows = _stored_forecasts(store, map_id, horizon)
    return rows, ("ok" if rows else "not_computed")


def load_backtest(path: str | Path | None, store: Store | None = None) -> tuple[dict | None, dict]:
    """The backtest an edition cites: ``(backtest JSON or None, reference for the parameters)``.

    From `path` when given, else the latest backtest recorded in the store by ``frontierwatch backtest`` (the skill
    measured on this very corpus), else None (editions then say no backtest was run).
    """
    if path is None:
        if store is None or not store.table_exists("backtests"):
            return None, {"file": None, "sha256": None}
        row = store.con.execute("SELECT backtest_id, result FROM backtests ORDER BY backtest_id DESC LIMIT 1").fetchone()
        if row is None:
            return None, {"file": None, "sha256": None}
        raw = row[1] if isinstance(row[1], str) else json.dumps(row[1])
        return json.loads(raw), {"file": None, "backtest_id": row[0], "sha256": hashlib.sha256(raw.encode()).hexdigest()}
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
    return data, {"file": p.name, "sha256": hashlib.sha256(raw).hexdigest()}


def require_documents(store: Store, as_of: date) -> int:
    n = store.con.execute("SELECT count(*) FROM documents WHERE published <= ?", [as_of]).fetchone()[0]
    if not n:
        raise NotFoundError(f"the store has no document dated on or before {as_of}; ingest data or pick a later --as-of",
                            f"数据库中没有 {as_of} 及以前的文献；请导入数据或选择更晚的 --as-of")
    return n
