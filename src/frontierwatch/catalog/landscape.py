"""Landscape of a technology: who works on it — countries, institutions, their types, China's position and
provinces — and its patents (`catalog.patent_landscape`).

Computed from ``documents.institutions`` (STRUCT name, type, country, ror, province, city, address),
``documents.countries`` and ``documents.kind`` of the documents in each group (a topic's documents dated on or
before the as-of date). Countries, institutions, provinces, China's rank and RCA describe research output: papers
and other non-patent documents. Patents are counted apart (``patents``, ``patents_by_country`` and the patent
view): one company's patent portfolio (the PatentsView demo slice is NVIDIA's) must not outweigh the
literature, nor shift every topic's RCA through the corpus baseline.

Counting is *whole counting by document*, and every share is shown with its count and its denominator:

- a country's share = documents with at least one affiliation in that country / documents with a country
  (``n_with_country``); a document with authors in several countries counts for each, so country shares can
  add to more than 100% — the page says so;
- an institution's and an institution type's share = documents / documents with an affiliation
  (``n_with_affiliation``);
- a Chinese province's share = documents with an affiliation in that province / documents with a Chinese
  affiliation (``china.documents``).

Below the published minimum of affiliated documents (`MIN_AFFILIATED`, also given in every landscape as
``min_affiliated``) no share, rank or RCA is published — status ``sparse_affiliation_data`` with the counts and
a note saying why — because a percentage of one or three documents is not a finding. Where no document has any
affiliation (the arXiv corpus has none) the status is ``no_affiliation_data``.

China's revealed comparative advantage (RCA, Balassa) in a topic is
``(CN docs in topic / docs with a country in topic) / (CN docs in corpus / docs with a country in corpus)``,
where the corpus is every document dated on or before the as-of date. RCA > 1: China is relatively specialised.
China means the ISO code CN; Hong Kong, Macao and Taiwan are ranked under their own codes (HK, MO, TW).
"""
from __future__ import annotations

import logging
from datetime import date

import pyarrow as pa

from frontierwatch.catalog.landscape_queries import affiliation_rows, corpus_country_counts
from frontierwatch.catalog.patent_landscape import near_patents, patent_landscapes
from frontierwatch.catalog.queries import topic_members
from frontierwatch.sources.china_regions import province_name
from frontierwatch.sources.countries import country_name
from frontierwatch.store import Store

log = logging.getLogger(__name__)

__all__ = ["CHINA", "INSTITUTION_TYPES", "MIN_AFFILIATED", "MIN_PATENTS", "landscapes", "topic_members"]

CHINA = "CN"
MIN_AFFILIATED = 10
MIN_PATENTS = 5
INSTITUTION_TYPES = ("education", "company", "government", "facility", "healthcare", "nonprofit", "archive", "other")
TYPE_NAMES = {"education": ("高校", "education"), "company": ("企业", "company"), "government": ("政府机构", "government"),
              "facility": ("科研机构", "research facility"), "healthcare": ("医疗机构", "healthcare"),
              "nonprofit": ("非营利组织", "nonprofit"), "archive": ("档案与图书馆", "archive"), "other": ("其他", "other"),
              "unknown": ("未识别类型", "type not recognised")}
_NOTES = {
    "no_affiliation_data": ("无机构数据：该主题的论文不含机构与国家信息（专利另列）",
                            "No affiliation data: the topic's papers carry no institutions or countries (patents are "
                            "shown apart)"),
    "sparse_affiliation_data": ("机构数据不足：只有 {n} 篇文献带机构信息（公布的最低数量为 {min} 篇），不显示份额与排名",
                                "Too little affiliation data: documents with affiliations {n}, below the published "
                                "minimum of {min}, so no shares or ranks are shown"),
}


def _members_table(groups: dict[str, list[str]]) -> pa.Table:
    gids, dids = [], []
    for gid, docs in groups.items():
        gids += [gid] * len(docs)
        dids += list(docs)
    return pa.table({"group_id": pa.array(gids, pa.string()), "doc_id": pa.array(dids, pa.string())})


def landscapes(store: Store, groups: dict[str, list[str]], as_of: date | None = None, *, top: int = 5,
               min_affiliated: int = MIN_AFFILIATED, min_patents: int = MIN_PATENTS,
               map_id: int | None = None) -> dict[str, dict]:
    """Landscape of each group of documents (e.g. a topic's members).

    Parameters
    ----------
    groups : ``{group id: [doc_id, ...]}``; documents missing from the store are ignored.
    as_of : only documents published on or before it count (None: all).
    top : how many countries, institutions and provinces to list.
    min_affiliated : the published minimum of affiliated documents below which no share is shown.
    min_patents : below this many patents the patent view gives counts but no growth ratio.
    map_id : when the groups are topics of this map, the patent view also lists the patents near each topic
        (`patent_landscape.near_patents`) as ``patent_view["near"]``.

    Returns
    -------
    ``{group id: {"status": "ok" | "sparse_affiliation_data" | "no_affiliation_data", "n_documents",
    "n_with_affiliation", "n_with_country", "min_affiliated", "papers", "patents", "other_kinds",
    "countries": [{"country", "name": {"zh", "en"}, "documents", "share"}], "institutions": [{"name", "type",
    "country", "documents", "share"}], "institution_types": [{"type", "name": {"zh", "en"}, "documents", "share"}],
    "provinces": [{"province", "name": {"zh", "en"}, "documents", "share"}], "china": {"documents", "share", "rank", "of_countries", "rca"} | None,
    "patents_by_country": [...], "patent_view": {see patent_landscape}, "note": {"zh", "en"} | None}}``.
    """
    if not groups:
        return {}
    members = _members_table(groups)
    rows = affiliation_rows(store, members, as_of)
    counts = {g: rest for g, *rest in rows["counts"]}
    country_rows, inst_rows, type_rows, province_rows = (rows["countries"], rows["institutions"], rows["types"],
                                                         rows["provinces"])
    patent_views = patent_landscapes(store, members, list(groups), as_of, min_patents=min_patents, top=top)
    corpus_total, corpus_by_country = corpus_country_counts(store, as_of)
    near = near_patents(store, map_id, as_of, list(groups)) if map_id is not None and as_of else {}
    for gid, view in patent_views.items():
        if view["status"] != "no_patent_data":
            view["near"] = near.get(gid)

    out: dict[str, dict] = {}
    for gid in groups:
        n, aff, with_country, pap, pat = counts.get(gid, (0, 0, 0, 0, 0))
        status = "no_affiliation_data" if not aff else ("ok" if aff >= min_affiliated else "sparse_affiliation_data")
        note = None
        if status != "ok":
            zh, en = _NOTES[status]
            note = {"zh": zh.format(n=aff, min=min_affiliated), "en": en.format(n=aff, min=min_affiliated)}
        out[gid] = {"status": status, "n_documents": n, "n_with_affiliation": aff, "n_with_country": with_country,
                    "min_affiliated": min_affiliated, "papers": pap, "patents": pat, "other_kinds": n - pap - pat,
                    "countries": [], "institutions": [], "institution_types": [], "provinces": [], "china": None,
                    "patents_by_country": [], "patent_view": patent_views.get(gid), "note": note}
    ranked: dict[str, list[dict]] = {}
    for gid, c, k, k_pat in country_rows:
        if k:
            ranked.setdefault(gid, []).append({"country": c, "name": _names(c), "documents": k,
                                               "share": round(k / out[gid]["n_with_country"], 4)})
        if k_pat:
            out[gid]["patents_by_country"].append({"country": c, "patents": k_pat})
    for gid, name, typ, country, k in inst_rows:
        out[gid]["institutions"].append({"name": name, "type": typ, "country": country,
                                         "country_name": _names(country) if country else None, "documents": k,
                                         "share": round(k / out[gid]["n_with_affiliation"], 4)})
    for gid, typ, k in type_rows:
        zh, en = TYPE_NAMES.get(typ, (typ, typ))
        out[gid]["institution_types"].append({"type": typ, "name": {"zh": zh, "en": en}, "documents": k,
                                              "share": round(k / out[gid]["n_with_affiliation"], 4)})
    cn_docs = {gid: next((c["documents"] for c in rows if c["country"] == CHINA), 0) for gid, rows in ranked.items()}
    for gid, code, k in province_rows:
        out[gid]["provinces"].append({"province": code, "name": {"zh": province_name(code, "zh"),
                                                                 "en": province_name(code, "en")}, "documents": k,
                                      "share": round(k / cn_docs[gid], 4) if cn_docs.get(gid) else None})
    for gid, entry in out.items():
        if entry["status"] != "ok":  # below the published minimum: counts only, no shares, ranks or RCA
            for key in ("institutions", "institution_types", "provinces"):
                entry[key] = []
            continue
        rows = ranked.get(gid, [])
        china = next((i for i, c in enumerate(rows) if c["country"] == CHINA), None)
        if entry["n_with_country"]:
            corpus_cn = corpus_by_country.get(CHINA, 0)
            share = cn_docs.get(gid, 0) / entry["n_with_country"]
            entry["china"] = {"documents": cn_docs.get(gid, 0), "share": round(share, 4),
                              "rank": None if china is None else _rank(rows, china), "of_countries": len(rows),
                              "rca": round(share / (corpus_cn / corpus_total), 4) if corpus_cn and corpus_total else None}
        entry["countries"] = rows[:top]
        entry["institutions"] = entry["institutions"][:top]
        entry["provinces"] = entry["provinces"][:top]
        entry["patents_by_country"] = entry["patents_by_country"][:top]
    log.info("landscapes of %d groups (%d with enough affiliations)", len(out),
             sum(1 for e in out.values() if e["status"] == "ok"))
    return out


def _names(code: str) -> dict:
    return {"zh": country_name(code, "zh"), "en": country_name(code, "en")}


def _rank(ranked: list[dict], index: int) -> int:
    """Competition rank (1 + countries with strictly more documents), so ties share a rank."""
    n = ranked[index]["documents"]
    return 1 + sum(1 for c in ranked if c["documents"] > n)
