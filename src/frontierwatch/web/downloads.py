"""A topic's numbers as files an analyst can open: its per-year series and its evidence documents, as CSV
(UTF-8 with a byte-order mark, so Excel shows Chinese correctly) or as one XLSX workbook with both sheets.

Columns are named in the page language; values are the same the page shows (counts, shares, the signals of
each year by their glossary names), so a figure quoted from the file can be found on the page.
"""
from __future__ import annotations

import csv
import io

from frontierwatch.signals import glossary

__all__ = ["topic_tables", "tables_csv", "tables_xlsx", "SERIES_SIGNALS"]

# Signals per year written beside counts and shares (the ones the stage and forecast read most).
SERIES_SIGNALS = ("growth2", "count_growth2", "burst_weight", "patent_count", "affiliated_count")


def _source_url(doc: dict) -> str:
    doc_id = str(doc.get("doc_id") or "")
    if doc.get("doi"):
        return f"https://doi.org/{doc['doi']}"
    if doc_id.startswith("arxiv:"):
        return f"https://arxiv.org/abs/{doc_id.split(':', 1)[1]}"
    return ""


def topic_tables(detail: dict, series: list[dict], lang: str) -> dict[str, list[list]]:
    """``{"series": rows, "documents": rows}``, each a header row then data rows.

    `detail` is the core's topic answer (``signals_by_year`` and ``documents`` used when present), `series`
    the page's ``[{"year", "count", "share"}]``."""
    zh = lang == "zh"
    by_year = {}
    for row in detail.get("signals_by_year") or []:
        if isinstance(row, dict) and row.get("year") is not None:
            by_year[int(row["year"])] = row
    head = ["年份" if zh else "year", "文献数" if zh else "documents", "占全部文献比例" if zh else "share of all documents"]
    head += [glossary.signal_name(s, lang) for s in SERIES_SIGNALS]
    rows = [head]
    for r in series:
        signals = by_year.get(int(r["year"]), {})
        rows.append([int(r["year"]), r.get("count"), r.get("share")] + [signals.get(s) for s in SERIES_SIGNALS])
    docs = [["文献编号" if zh else "document id", "标题" if zh else "title", "年份" if zh else "year",
             "来源链接" if zh else "source link", "本站页面" if zh else "page on this site"]]
    for d in detail.get("documents") or []:
        if isinstance(d, dict):
            doc_id = d.get("doc_id") or d.get("id")
            docs.append([doc_id, d.get("title"), d.get("year"), _source_url(d), f"/documents/{doc_id}"])
    return {"series": rows, "documents": docs}


def tables_csv(rows: list[list]) -> bytes:
    """One table as CSV bytes, UTF-8 with a byte-order mark."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def tables_xlsx(tables: dict[str, list[list]], lang: str) -> bytes:
    """All tables as one workbook, one sheet each (sheet names in `lang`)."""
    from openpyxl import Workbook

    names = {"series": ("逐年数据", "per year"), "documents": ("证据文献", "evidence documents")}
    book = Workbook()
    book.remove(book.active)
    for key, rows in tables.items():
        sheet = book.create_sheet(names.get(key, (key, key))[0 if lang == "zh" else 1])
        for row in rows:
            sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
