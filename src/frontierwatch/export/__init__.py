"""Exports: topics, signals, forecasts, documents and assignments of a topic map as Parquet, CSV or XLSX, streamed,
each with its data dictionary (column, type, meaning zh/en)."""
from frontierwatch.export.dictionary import DICTIONARY, WHAT
from frontierwatch.export.writer import FORMATS, write_export

__all__ = ["DICTIONARY", "FORMATS", "WHAT", "export_map"]


def export_map(obs, what: str, fmt: str, out, as_of=None) -> dict:
    """Export `what` of the topic map as of `as_of` (default: the latest) to `out`; see the module docstring."""
    import pyarrow as pa

    from frontierwatch.errors import InputError
    from frontierwatch.export.queries import stream
    from frontierwatch.topics.queries import parse_as_of
    if what not in WHAT:
        raise InputError(f"export {what!r} should be one of {', '.join(WHAT)}",
                         f"导出内容 {what!r} 应为 {', '.join(WHAT)} 之一")
    listed = obs.topics(as_of)
    day = parse_as_of(listed["as_of"])
    dictionary = DICTIONARY[what]
    if what == "topics":
        names = [c[0] for c in dictionary]
        rows = [{"id": t["id"], "label": t["label"], "field": t.get("field"), "field_label": t.get("field_label"),
                 "size": t["size"], "stage": t.get("stage"),
                 "breakthrough": (t.get("axes") or {}).get("breakthrough"),
                 "industrialisation": (t.get("axes") or {}).get("industrialisation"),
                 "probability": (t.get("forecast") or {}).get("probability"),
                 "call": (t.get("forecast") or {}).get("call"),
                 "expected_share_ratio": (t.get("forecast") or {}).get("expected_share_ratio"),
                 "directions": ";".join(t.get("directions") or []), "as_of": day} for t in listed["topics"]]
        types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_(),
                 "date": pa.date32()}
        schema = pa.schema([(n, types[ty]) for n, ty, _, _ in dictionary])
        table = pa.Table.from_pylist(rows, schema=schema).select(names)
        reader = pa.RecordBatchReader.from_batches(schema, table.to_batches())
    else:
        reader = stream(obs.store, what, listed["map_id"], day)
    return write_export(reader, fmt, out, dictionary) | {"what": what, "as_of": str(day), "map_id": listed["map_id"]}

