"""Read-only summaries of what a store holds: counts by source, kind, year and language; rejects; runs."""
from __future__ import annotations

from frontierwatch.store.database import Store


def _pairs(store: Store, sql: str) -> dict:
    return {str(k) if k is not None else "unknown": v for k, v in store.tables.sql(sql).rows()}


def store_status(store: Store) -> dict:
    """Counts of the store. ``documents`` is the number of distinct documents; ``records`` the provenance rows
    (one per source record, so duplicates merged from several files count once in ``documents``)."""
    def count(sql: str) -> int:
        return store.tables.sql(sql).scalar()

    docs = count("SELECT count(*) FROM documents")
    return {
        "store": str(store.path),
        "schema_version": store.schema_version(),
        "documents": docs,
        "records": count("SELECT count(*) FROM provenance"),
        "rejects": count("SELECT count(*) FROM rejects"),
        "by_source": _pairs(store, "SELECT s, count(*) FROM (SELECT unnest(sources) AS s FROM documents) GROUP BY s ORDER BY s"),
        "by_kind": _pairs(store, "SELECT kind, count(*) FROM documents GROUP BY kind ORDER BY kind"),
        "by_year": _pairs(store, "SELECT year, count(*) FROM documents GROUP BY year ORDER BY year NULLS LAST"),
        "by_language": _pairs(store, "SELECT language, count(*) FROM documents GROUP BY language ORDER BY 2 DESC"),
        "with_affiliations": count("SELECT count(*) FROM documents WHERE len(institutions) > 0"),
        "with_citations": count("SELECT count(*) FROM documents WHERE cited_by_count IS NOT NULL"),
        "runs": [
            {"run_id": r[0], "started": r[1].isoformat(timespec="seconds"), "status": r[2], "accepted": r[3],
             "merged": r[4], "rejected": r[5]}
            for r in store.tables.sql("SELECT run_id, started, status, accepted, merged, rejected FROM ingest_runs "
                                      "ORDER BY run_id DESC LIMIT 10").rows()
        ],
    }


def list_rejects(store: Store, limit: int | None = 100, file: str | None = None) -> list[dict]:
    """Rejected records, newest run first: file, line, reason and the start of the raw text."""
    sql = "SELECT file, line, reason, raw, raw_bytes, run_id FROM rejects"
    params: list = []
    if file:
        sql += " WHERE file = ?"
        params.append(file)
    sql += " ORDER BY run_id DESC, file, line"
    if limit:
        sql += f" LIMIT {int(limit)}"
    cols = ("file", "line", "reason", "raw", "raw_bytes", "run_id")
    return [dict(zip(cols, r)) for r in store.tables.sql(sql, params).rows()]
