"""Landscape of a technology: who works on it — countries, institutions, institution types, China's position.

Computed from ``documents.institutions`` (STRUCT name, type, country, ror), ``documents.countries`` and
``documents.kind`` of the documents in each group (a topic's documents dated on or before the as-of date).
Counting is *whole counting by document*: a document counts once for every distinct country / institution / type
among its affiliations, and shares divide by the documents that have at least one (so they can sum to > 1).

China's revealed comparative advantage (RCA, Balassa) in a topic is
``(CN docs in topic / docs with a country in topic) / (CN docs in corpus / docs with a country in corpus)``,
where the corpus is every document dated on or before the as-of date. RCA > 1: China is relatively specialised.

Where no document of a group has any affiliation (the arXiv corpus has none), the landscape says so —
``status = "no_affiliation_data"`` — and reports no shares: never zeros that look like data.
"""
from __future__ import annotations

import logging
from datetime import date

import pyarrow as pa

from frontierwatch.catalog.messages import bilingual
from frontierwatch.store import Store

log = logging.getLogger(__name__)

CHINA = "CN"
INSTITUTION_TYPES = ("education", "company", "government", "facility", "healthcare", "nonprofit", "archive", "other")


def _members_table(groups: dict[str, list[str]]) -> pa.Table:
    gids, dids = [], []
    for gid, docs in groups.items():
        gids += [gid] * len(docs)
        dids += list(docs)
    return pa.table({"group_id": pa.array(gids, pa.string()), "doc_id": pa.array(dids, pa.string())})


def corpus_country_shares(store: Store, as_of: date | None) -> tuple[int, dict[str, int]]:
    """Documents with any country, and documents per country, among those dated on or before `as_of`."""
    where = "WHERE published <= $d" if as_of else ""
    params = {"d": as_of} if as_of else {}
    total = store.con.execute(f"SELECT count(*) FROM documents {where} {'AND' if where else 'WHERE'} len(countries) > 0",
                              params).fetchone()[0]
    rows = store.con.execute(
        f"SELECT c, count(*) FROM (SELECT unnest(countries) AS c FROM documents {where}) GROUP BY c", params).fetchall()
    return total, dict(rows)


def landscapes(store: Store, groups: dict[str, list[str]], as_of: date | None = None, *, top: int = 5,
               min_affiliated: int = 10) -> dict[str, dict]:
    """Landscape of each group of documents (e.g. a topic's members).

    Parameters
    ----------
    groups : ``{group id: [doc_id, ...]}``; documents missing from the store are ignored.
    as_of : only documents published on or before it count (None: all).
    top : how many countries and institutions to list.
    min_affiliated : below this many documents with affiliations the status is ``sparse_affiliation_data``
        (the shares are still given, but say little).

    Returns
    -------
    ``{group id: {"status": "ok" | "sparse_affiliation_data" | "no_affiliation_data", "n_documents", "n_with_affiliation", "papers",
    "patents", "other_kinds", "countries": [{"country", "documents", "share"}], "institutions": [{"name",
    "type", "country", "documents", "share"}], "institution_types": {type: share}, "china": {"documents",
    "share", "rank", "rca"} | None, "patents_by_country": [...], "note": {"zh", "en"} | None}}``.
    """
    if not groups:
        return {}
    members = _members_table(groups)  # noqa: F841 — read by DuckDB below
    store.con.register("catalog_members", members)
    try:
        date_filter = "AND d.published <= $d" if as_of else ""
        params = {"d": as_of} if as_of else {}
        base = f"""SELECT m.group_id, d.doc_id, d.kind, d.institutions, d.countries FROM catalog_members m
                   JOIN documents d ON d.doc_id = m.doc_id WHERE true {date_filter}"""
        counts = {g: (n, aff, pap, pat) for g, n, aff, pap, pat in store.con.execute(
            f"""SELECT group_id, count(*), count(*) FILTER (WHERE len(institutions) > 0 OR len(countries) > 0),
                       count(*) FILTER (WHERE kind = 'paper'), count(*) FILTER (WHERE kind = 'patent')
                FROM ({base}) GROUP BY group_id""", params).fetchall()}
        with_country = dict(store.con.execute(
            f"SELECT group_id, count(*) FROM ({base}) WHERE len(countries) > 0 GROUP BY group_id", params).fetchall())
        country_rows = store.con.execute(
            f"""SELECT group_id, c, count(*) AS n, count(*) FILTER (WHERE kind = 'patent') AS n_pat
                FROM (SELECT group_id, kind, unnest(countries) AS c FROM ({base})) GROUP BY ALL
                ORDER BY group_id, n DESC, c""", params).fetchall()
        inst_rows = store.con.execute(
            f"""SELECT group_id, name, any_value(type ORDER BY type NULLS LAST), any_value(country ORDER BY country NULLS LAST),
                       count(DISTINCT doc_id) AS n
                FROM (SELECT group_id, doc_id, i.name AS name, i.type AS type, i.country AS country
                      FROM (SELECT group_id, doc_id, unnest(institutions) AS i FROM ({base})))
                WHERE name IS NOT NULL AND name <> '' GROUP BY group_id, name ORDER BY group_id, n DESC, name""",
            params).fetchall()
        type_rows = store.con.execute(
            f"""SELECT group_id, coalesce(t, 'unknown'), count(DISTINCT doc_id)
                FROM (SELECT group_id, doc_id, unnest(institutions).type AS t FROM ({base})) GROUP BY ALL""",
            params).fetchall()
    finally:
        store.con.unregister("catalog_members")
    corpus_total, corpus_by_country = corpus_country_shares(store, as_of)

    out: dict[str, dict] = {}
    for gid in groups:
        n, aff, pap, pat = counts.get(gid, (0, 0, 0, 0))
        status = "no_affiliation_data" if not aff else ("ok" if aff >= min_affiliated else "sparse_affiliation_data")
        entry = {"status": status, "n_documents": n, "n_with_affiliation": aff,
                 "papers": pap, "patents": pat, "other_kinds": n - pap - pat, "countries": [], "institutions": [],
                 "institution_types": {}, "china": None, "patents_by_country": [],
                 "note": {"ok": None, "no_affiliation_data": bilingual("no_affiliation_data"),
                          "sparse_affiliation_data": bilingual("sparse_affiliation_data")}[status]}
        out[gid] = entry
    for gid, c, k, k_pat in country_rows:
        denom = with_country.get(gid) or 1
        out[gid]["countries"].append({"country": c, "documents": k, "share": round(k / denom, 4)})
        if k_pat:
            out[gid]["patents_by_country"].append({"country": c, "patents": k_pat})
    for gid, name, typ, country, k in inst_rows:
        denom = out[gid]["n_with_affiliation"] or 1
        out[gid]["institutions"].append({"name": name, "type": typ, "country": country, "documents": k,
                                         "share": round(k / denom, 4)})
    for gid, typ, k in type_rows:
        denom = out[gid]["n_with_affiliation"] or 1
        out[gid]["institution_types"][typ] = round(k / denom, 4)
    for gid, entry in out.items():
        ranked = entry["countries"]
        china = next((i for i, c in enumerate(ranked) if c["country"] == CHINA), None)
        if entry["status"] != "no_affiliation_data" and with_country.get(gid):
            cn_docs = ranked[china]["documents"] if china is not None else 0
            corpus_cn = corpus_by_country.get(CHINA, 0)
            rca = None
            if corpus_cn and corpus_total:
                rca = round((cn_docs / with_country[gid]) / (corpus_cn / corpus_total), 4)
            entry["china"] = {"documents": cn_docs, "share": round(cn_docs / with_country[gid], 4),
                              "rank": None if china is None else _rank(ranked, china),
                              "of_countries": len(ranked), "rca": rca}
        entry["countries"] = ranked[:top]
        entry["institutions"] = entry["institutions"][:top]
        entry["patents_by_country"] = entry["patents_by_country"][:top]
    log.info("landscapes of %d groups (%d with affiliations)", len(out),
             sum(1 for e in out.values() if e["status"] != "no_affiliation_data"))
    return out


def _rank(ranked: list[dict], index: int) -> int:
    """Competition rank (1 + countries with strictly more documents), so ties share a rank."""
    n = ranked[index]["documents"]
    return 1 + sum(1 for c in ranked if c["documents"] > n)


def topic_members(store: Store, map_id: int, as_of: date, topic_ids: list[str] | None = None) -> dict[str, list[str]]:
    """``{topic id: [doc_id, ...]}`` of a topic map's assignments (``doc_topics``), dated on or before `as_of`."""
    rows = store.con.execute(
        """SELECT t.topic_id, list(t.doc_id ORDER BY t.doc_id) FROM doc_topics t JOIN documents d USING (doc_id)
           WHERE t.map_id = ? AND d.published <= ? GROUP BY t.topic_id""", [map_id, as_of]).fetchall()
    wanted = set(topic_ids) if topic_ids is not None else None
    return {tid: docs for tid, docs in rows if wanted is None or tid in wanted}
