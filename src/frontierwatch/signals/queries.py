"""The signals stage's tables (migration 0004): the one writer and the one reader of ``topic_signals`` and
``topic_axes``. (The document columns the signals are computed from are read in `signals.documents`.)

Every other stage reads signals and axes through these functions, in these shapes:

* `read_signals` → the ``topic_signals`` rows as a `pyarrow.Table` (all columns);
* `read_axes` → ``{topic_id: {"year", "breakthrough", "industrialisation", "stage", "breakthrough_parts":
  {component: contribution}, "industrialisation_parts": {...}, "missing_components": [...]}}`` with NaN as None.
"""
from __future__ import annotations

import logging
import math

import pyarrow as pa

from frontierwatch.store import Store

log = logging.getLogger(__name__)

__all__ = ["read_axes", "read_signals", "write_signals"]


def write_signals(store: Store, map_id: int, signals: pa.Table, axes: pa.Table) -> None:
    """Replace the ``topic_signals`` and ``topic_axes`` rows of map `map_id`, together.

    `signals` has the columns of `compute_topic_signals`, `axes` those of `compute_axes` (both without
    ``map_id``, which is added)."""
    def with_map(table: pa.Table) -> pa.Table:
        return pa.table({"map_id": pa.array([map_id] * table.num_rows, pa.int32()),
                         **{c: table.column(c) for c in table.column_names}})

    with store.tables.transaction():
        store.tables.replace("topic_signals", with_map(signals), where={"map_id": map_id})
        store.tables.replace("topic_axes", with_map(axes), where={"map_id": map_id})


def _last_per_topic(table: pa.Table) -> pa.Table:
    """The last row of each topic of a table ordered by topic_id and year."""
    ids = table.column("topic_id").to_pylist()
    keep = [i for i in range(len(ids)) if i + 1 == len(ids) or ids[i + 1] != ids[i]]
    return table.take(pa.array(keep, pa.int64()))


def _where(map_id: int, topic_ids: list[str] | None, year: int | None, up_to: bool) -> dict:
    where: dict = {"map_id": map_id}
    if topic_ids is not None:
        where["topic_id in"] = list(topic_ids)
    if year is not None:
        where["year <=" if up_to else "year"] = int(year)
    return where


def read_signals(store: Store, map_id: int, *, topic_ids: list[str] | None = None, year: int | None = None,
                 latest: bool = False) -> pa.Table:
    """``topic_signals`` rows of a map as Arrow: every column, ordered by topic_id and year.

    `topic_ids` keeps those topics; `year` keeps that year (with `latest`: the latest year up to it);
    `latest` keeps each topic's latest year."""
    table = store.tables.read("topic_signals", where=_where(map_id, topic_ids, year, latest),
                              order_by=["topic_id", "year"])
    return _last_per_topic(table) if latest else table


def _finite(value):
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _parts(value) -> dict:
    if isinstance(value, dict) and set(value) == {"key", "value"}:  # older DuckDB MAP shape
        return dict(zip(value["key"], value["value"]))
    return {k: _finite(v) for k, v in dict(value or {}).items()}


def read_axes(store: Store, map_id: int, *, topic_ids: list[str] | None = None,
              year: int | None = None) -> dict[str, dict]:
    """Both axes and the stage of every topic of a map, from ``topic_axes``: each topic's latest year up to
    `year` (default: its latest year). See the module docstring for the shape."""
    table = store.tables.read("topic_axes", where=_where(map_id, topic_ids, year, True), order_by=["topic_id", "year"])
    out = {}
    for r in _last_per_topic(table).to_pylist():
        out[r["topic_id"]] = {"year": r["year"], "breakthrough": _finite(r["breakthrough"]),
                              "industrialisation": _finite(r["industrialisation"]), "stage": r["stage"],
                              "breakthrough_parts": _parts(r["breakthrough_parts"]),
                              "industrialisation_parts": _parts(r["industrialisation_parts"]),
                              "missing_components": list(r["missing_components"] or [])}
    return out
