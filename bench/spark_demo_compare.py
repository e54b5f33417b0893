"""The comparison half of `bench/spark_demo.py`: two stores built by the demo's commands (embedded engine, Spark
engine) compared table by table and edition by edition, read through the table seam (`store.tables`).

Every table a page, the catalog or the API reads is compared on its key: equal values, floats within a tolerance
(1e-9 for signals, axes, forecasts and every other double; 1e-6 for float32 vectors and centroids and 1e-5 for
float32 distances — the Spark embed job sums the same float32 products in another batch split). Columns that
record when or how long something ran (``created``, ``run_id``, ``seconds``) are left out, and a map is named by
its as-of date rather than its id. JSON columns and the JSON editions are compared as documents, leaving out what
names a run (build times, the machine's load and timings, the store's map id); every differing path is listed.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

__all__ = ["compare_stores"]

# table → key columns (rows are compared in key order)
TABLES = {
    "documents": ["doc_id"], "document_citations": ["doc_id"], "document_versions": ["doc_id"],
    "document_keys": ["key"], "provenance": ["file", "line"], "rejects": ["file", "line"],
    "topic_maps": ["map_id"], "topic_fields": ["map_id", "field_id"], "topics": ["map_id", "topic_id"],
    "doc_topics": ["map_id", "doc_id"], "topic_lineage": ["map_id", "topic_id", "prev_topic_id"],
    "candidate_topics": ["map_id", "candidate_id"], "topic_names": ["map_id", "topic_id"],
    "topic_signals": ["map_id", "topic_id", "year"], "topic_axes": ["map_id", "topic_id", "year"],
    "topic_forecasts": ["map_id", "topic_id", "horizon"], "topic_directions": ["map_id", "topic_id"],
    "backtests": ["horizon", "backtest_id"], "catalog_editions": ["edition"],
    "catalog_entries": ["edition", "topic_id"],
}
IGNORED = {"created", "run_id", "seconds", "started"}
FLOAT32_TOL = {"centroid": 1e-6, "distance": 1e-5}
TOL = 1e-9
# left out of the editions' comparison: build times, and the map's id (a store-internal counter that a build stopped
# and resumed advances; the map itself is compared by its as-of date in the tables)
VOLATILE_JSON = {"created", "generated", "generated_at", "built", "seconds", "map_id", "timings", "wall_seconds"}


def _close(a, b, tol: float) -> tuple[bool, float]:
    """Equal (floats within `tol`, NaN equal to NaN/None, lists and dicts element by element); the largest
    absolute difference of the floats met."""
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            na = a is None or (isinstance(a, float) and math.isnan(a))
            nb = b is None or (isinstance(b, float) and math.isnan(b))
            return na and nb, 0.0
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b), 0.0
        d = abs(a - b)
        return d <= tol, d
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return False, 0.0
        ok, worst = True, 0.0
        for x, y in zip(a, b):
            same, d = _close(x, y, tol)
            ok, worst = ok and same, max(worst, d)
        return ok, worst
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return False, 0.0
        return _close([a[k] for k in sorted(a)], [b[k] for k in sorted(b)], tol)
    return a == b, 0.0


ORPHANS: dict[str, dict[str, int]] = {}  # store → table → rows of maps the store no longer holds


def _read(path: Path, table: str, key: list[str]):
    """The rows of `table`, volatile columns left out; a map is named by its as-of date, not by its id (ids count
    the maps a store has made, which an interrupted and resumed build advances), and rows of a map the store
    no longer holds are left out and counted (`ORPHANS`)."""
    from frontierwatch.store import Store
    with Store(path, read_only=True) as store:
        if not store.tables.exists(table):
            return None
        data = store.tables.read(table)
        maps = dict(store.tables.sql("SELECT map_id, CAST(as_of AS VARCHAR) FROM topic_maps").rows())
    rows = data.select([c for c in data.column_names if c not in IGNORED]).to_pylist()
    if "map_id" in data.column_names:
        kept = [r for r in rows if r["map_id"] in maps]
        if len(kept) < len(rows):
            ORPHANS.setdefault(path.name, {})[table] = len(rows) - len(kept)
        for r in kept:
            for col in ("map_id", "prev_map_id"):
                if col in r and r[col] is not None:
                    r[col] = maps.get(r[col], f"map {r[col]}")
        rows = kept
    return sorted(rows, key=lambda r: tuple(str(r[k]) for k in key))


def compare_table(a_path: Path, b_path: Path, table: str, key: list[str]) -> dict:
    """``{"rows": [n_a, n_b], "equal", "differing": {column: n}, "max_abs_diff": {column: x}, "examples"}``."""
    a, b = _read(a_path, table, key), _read(b_path, table, key)
    if a is None or b is None:
        return {"rows": [None if a is None else len(a), None if b is None else len(b)],
                "equal": a is None and b is None}
    out = {"rows": [len(a), len(b)], "differing": {}, "max_abs_diff": {}, "examples": []}
    keys_a, keys_b = [tuple(r[k] for k in key) for r in a], [tuple(r[k] for k in key) for r in b]
    if keys_a != keys_b:
        only_a, only_b = set(keys_a) - set(keys_b), set(keys_b) - set(keys_a)
        out["keys_only_embedded"], out["keys_only_spark"] = len(only_a), len(only_b)
        out["examples"] = [{"only_embedded": list(k)} for k in sorted(only_a, key=str)[:3]] + [
            {"only_spark": list(k)} for k in sorted(only_b, key=str)[:3]]
        common = set(keys_a) & set(keys_b)
        a = [r for r, k in zip(a, keys_a) if k in common]
        b = [r for r, k in zip(b, keys_b) if k in common]
    for ra, rb in zip(a, b):
        for col in ra:
            docs = _as_json(ra[col]), _as_json(rb.get(col))
            if docs[0] is not None and docs[1] is not None:  # a JSON column: compared as a document
                same, d = not _json_diff(*docs), 0.0
            else:
                same, d = _close(ra[col], rb.get(col), FLOAT32_TOL.get(col, TOL))
            if d:
                out["max_abs_diff"][col] = max(out["max_abs_diff"].get(col, 0.0), d)
            if not same:
                out["differing"][col] = out["differing"].get(col, 0) + 1
                if len(out["examples"]) < 6:
                    out["examples"].append({"key": [str(ra[k]) for k in key], "column": col,
                                            "embedded": str(ra[col])[:200], "spark": str(rb.get(col))[:200]})
    out["equal"] = not out["differing"] and keys_a == keys_b
    return out


def _as_json(value):
    """The parsed document of a JSON text column, else None."""
    if not (isinstance(value, str) and value[:1] in ("{", "[")):
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def compare_vectors(a_path: Path, b_path: Path) -> dict:
    """The document vectors of the two stores: same documents, largest absolute difference."""
    from frontierwatch.embed import load_embeddings
    from frontierwatch.store import Store
    from frontierwatch.errors import NotFoundError
    try:
        with Store(a_path, read_only=True) as a, Store(b_path, read_only=True) as b:
            ids_a, va = load_embeddings(a)
            ids_b, vb = load_embeddings(b)
    except NotFoundError:  # not built yet (a partial run)
        return {"rows": [None, None], "equal": None}
    same_ids = ids_a == ids_b
    return {"rows": [len(ids_a), len(ids_b)], "same_documents": same_ids,
            "max_abs_diff": float(np.abs(va - vb).max()) if same_ids and len(ids_a) else None,
            "equal": same_ids and (not len(ids_a) or float(np.abs(va - vb).max()) <= 1e-6)}


def _json_diff(a, b, path: str = "", out: list | None = None) -> list[str]:
    out = [] if out is None else out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k in VOLATILE_JSON:
                continue
            if k not in a or k not in b:
                out.append(f"{path}/{k} (only in {'spark' if k in b else 'embedded'})")
            else:
                _json_diff(a[k], b[k], f"{path}/{k}", out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            _json_diff(x, y, f"{path}/{i}", out)
    elif not _close(a, b, TOL)[0]:
        out.append(f"{path}: {str(a)[:80]!r} vs {str(b)[:80]!r}")
    return out


def compare_editions(a_dir: Path, b_dir: Path) -> dict:
    """Every JSON file of the two editions folders (catalog editions, the backtest) compared as documents."""
    out = {}
    for f in sorted(a_dir.glob("*.json")):
        other = b_dir / f.name
        if not other.exists():
            out[f.name] = {"equal": False, "missing": "spark"}
            continue
        a, b = json.loads(f.read_text()), json.loads(other.read_text())
        diffs = _json_diff(a, b)
        entry = {"equal": not diffs, "differences": diffs[:20], "n_differences": len(diffs)}
        if isinstance(a, dict) and "entries" in a:
            entry["entries"] = len(a["entries"])
        out[f.name] = entry
    return out


def stage_seconds(path: Path) -> list[dict]:
    """Each recorded run of the store (`runs`): command, status, seconds and seconds per stage."""
    from frontierwatch.store import Store
    with Store(path, read_only=True) as store:
        rows = store.tables.read("runs", ["run_id", "command", "status", "seconds", "profile"],
                                 order_by="run_id").to_pylist()
    out = []
    for r in rows:
        profile = json.loads(r["profile"])
        stages: dict[str, float] = {}
        for s in profile.get("stages", []):
            stages[s["stage"]] = round(stages.get(s["stage"], 0.0) + float(s.get("seconds") or 0.0), 2)
        out.append({"command": r["command"], "status": r["status"], "seconds": round(r["seconds"], 2),
                    "stages": stages})
    return out


def compare_stores(embedded: Path, spark: Path) -> dict:
    tables = {name: compare_table(embedded, spark, name, key) for name, key in TABLES.items()}
    tables["embeddings (vectors)"] = compare_vectors(embedded, spark)
    editions = compare_editions(embedded / "editions", spark / "editions")
    differing = ([t for t, r in tables.items() if r["equal"] is False]
                 + [e for e, r in editions.items() if not r["equal"]])
    return {"equal": not differing, "differing": differing, "tables": tables, "editions": editions,
            "orphan_rows": ORPHANS, "runs": {"embedded": stage_seconds(embedded), "spark": stage_seconds(spark)}}
