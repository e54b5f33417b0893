"""CSV/TSV reader with a column mapping, and the Scopus CSV export.

A mapping goes from our field names to the file's column headers, e.g. ``{"title": "Article Title",
"year": "PY"}``. Our fields: title (required), abstract, doi, year, date, authors (authors_short: the abbreviated
names, used in a row whose full names are empty), keywords, index_keywords,
venue, cited_by, affiliations, references, doc_type, categories, wos_categories, eid (Scopus), wos (UT), pmid,
arxiv, cnki. Without a mapping the headers are recognised from `DEFAULT_HEADERS` (case-insensitive): Scopus, WoS
tab-delimited (two-letter codes), CNKI Excel/CSV exports ('Title-题名', 'Author-作者'…) and plain Chinese headers
(标题/题名, 摘要, 作者, 年份, 关键词, 来源…). A column named in an explicit mapping but missing from the file is an
`InputError` naming the file and the column; a file where no title column can be found likewise.

Values: authors split on ';' (Scopus' older 'Piwowar H., Priem J.' on '., '), Scopus author ids '(5719…)' dropped,
'Last, First' → 'First Last'; keywords and index keywords → 'kw:<keyword>'; WoS categories → 'wos:<category>';
affiliations split on ';' → institutions with a country from the end of the address; references split on ';';
doi lower-cased; EID → ids['scopus'], UT → ids['wos']; a document type naming a patent (专利) → kind 'patent'.
The delimiter is a tab when the header line holds one, else ',' (or ';' when that splits the header better).
Quoted fields may span lines; `line` is the line where the row starts.
"""
from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from frontierwatch.errors import InputError
from frontierwatch.sources.record import Record, Reject
from frontierwatch.sources.textfile import (RAW_LIMIT, display_name, first_lines,
                                            institution_from_address, iter_text_lines, language_of, parse_date,
                                            split_list, squash)
from frontierwatch.store.identity import parse_doi
from frontierwatch.text import has_cjk

log = logging.getLogger(__name__)

DEFAULT_HEADERS: dict[str, tuple[str, ...]] = {
    "title": ("Title", "Article Title", "Document Title", "TI", "Title-题名", "标题", "题名", "篇名", "题目"),
    "abstract": ("Abstract", "AB", "Summary-摘要", "摘要"),
    "doi": ("DOI", "DI", "DOI-DOI"),
    "year": ("Year", "Publication Year", "PY", "Year-年", "年份", "年", "出版年"),
    "date": ("Date", "Publication Date", "Published", "PubTime-发表时间", "发表时间", "出版日期", "日期"),
    "authors": ("Author full names", "Authors", "Author", "Author Full Names", "AF", "AU", "Author-作者", "作者"),
    "authors_short": ("Authors", "AU"),
    "keywords": ("Author Keywords", "Keywords", "DE", "Keyword-关键词", "关键词"),
    "index_keywords": ("Index Keywords", "Keywords Plus", "ID"),
    "venue": ("Source title", "Source Title", "Journal", "Venue", "SO", "Source-文献来源", "文献来源", "来源", "期刊",
              "刊名"),
    "cited_by": ("Cited by", "Times Cited", "Times Cited, All Databases", "Citations", "TC", "被引", "被引频次"),
    "affiliations": ("Affiliations", "Affiliation", "Addresses", "C1", "Organ-单位", "作者单位", "单位", "机构"),
    "references": ("References", "Cited References", "CR", "参考文献"),
    "doc_type": ("Document Type", "DT", "文献类型"),
    "wos_categories": ("WoS Categories", "Web of Science Categories", "WC"),
    "categories": ("Categories",),
    "eid": ("EID",),
    "wos": ("UT (Unique WOS ID)", "UT", "Accession Number"),
    "pmid": ("PubMed ID", "PMID", "PM"),
    "arxiv": ("arXiv ID", "arXiv"),
    "cnki": ("CNKI ID",),
}
FIELDS = tuple(DEFAULT_HEADERS)
SCOPUS_MAPPING: dict[str, str] = {
    "title": "Title", "abstract": "Abstract", "doi": "DOI", "year": "Year", "authors": "Authors",
    "keywords": "Author Keywords", "index_keywords": "Index Keywords", "venue": "Source title",
    "cited_by": "Cited by", "eid": "EID", "affiliations": "Affiliations", "references": "References",
    "doc_type": "Document Type", "pmid": "PubMed ID",
}
_SCOPUS_AUTHOR_ID = re.compile(r"\s*\(\d+\)\s*$")
_NO_VALUE = {"", "[no abstract available]", "n/a", "na", "null", "none", "-"}


class _LineFeed:
    """Feeds decoded lines to `csv.reader` and remembers whether an undecodable line went into the current row."""

    def __init__(self, lines):
        self._lines, self.undecodable, self.last_number = lines, False, 0

    def __iter__(self):
        for line in self._lines:
            self.undecodable = self.undecodable or line.undecodable
            self.last_number = line.number
            yield line.text + "\n"


def _delimiter(header: str) -> str:
    if "\t" in header:
        return "\t"
    return ";" if header.count(";") > header.count(",") else ","


def _norm(header: str) -> str:
    return squash(header.lstrip("\ufeff")).casefold()


def resolve_columns(headers: list[str], mapping: dict[str, str] | None, file: str) -> dict[str, int]:
    """Column index per our field. An explicit `mapping` must name existing columns; the defaults are best-effort."""
    index = {}
    for i, h in enumerate(headers):
        index.setdefault(_norm(h), i)
    if mapping is not None:
        unknown = sorted(set(mapping) - set(FIELDS))
        if unknown:
            raise InputError(f"{file}: unknown field(s) {unknown} in the column mapping; known fields: {list(FIELDS)}",
                             f"{file}：列映射中有未知字段 {unknown}；可用字段：{list(FIELDS)}")
        columns = {}
        for field, header in mapping.items():
            if _norm(header) not in index:
                raise InputError(
                    f"{file}: column '{header}' (for field '{field}') is not in the header; the file has: {headers}",
                    f"{file}：表头中没有列 '{header}'（对应字段 '{field}'）；文件的列为：{headers}")
            columns[field] = index[_norm(header)]
        if "title" not in columns:
            raise InputError(f"{file}: the column mapping has no 'title' column; add e.g. title='Title'",
                             f"{file}：列映射缺少 'title'（题名）列；例如 title='Title'")
        return columns
    columns = {}
    for field, candidates in DEFAULT_HEADERS.items():
        for candidate in candidates:
            if _norm(candidate) in index:
                columns[field] = index[_norm(candidate)]
                break
    if "title" not in columns:
        raise InputError(
            f"{file}: no title column found (looked for {list(DEFAULT_HEADERS['title'])}); the file has: {headers}; "
            f"pass a column mapping such as title='<your title column>'",
            f"{file}：找不到题名列（已查找 {list(DEFAULT_HEADERS['title'])}）；文件的列为：{headers}；请提供列映射")
    return columns


def _authors(value: str | None) -> list[str]:
    if not value:
        return []
    if ";" in value or "；" in value:
        parts = split_list(value, ";；", commas=False)
    elif has_cjk(value):
        parts = split_list(value, ",，、")
    elif re.search(r"\.,\s", value):
        parts = [p.strip() for p in re.split(r"(?<=\.),\s+", value)]
    else:
        parts = [value]
    return [display_name(_SCOPUS_AUTHOR_ID.sub("", p)) for p in parts if p.strip()]


def row_to_record(row: dict[str, str], file: str, line: int, source: str, raw: str) -> Record | Reject:
    """Map one row (our field → cell text) to a `Record`, or a `Reject` when the title is empty."""
    get = {k: text for k, v in row.items() if v and (text := squash(v)).lower() not in _NO_VALUE}
    title = get.get("title")
    if not title:
        return Reject(file, line, "row has no title (the title cell is empty)", raw)
    published, year = parse_date(get.get("date"))
    if not published:
        year = parse_date(get.get("year"))[1] or year
    ids: dict[str, str] = {}
    if doi := parse_doi(get.get("doi")):
        ids["doi"] = doi
    for field, scheme in (("eid", "scopus"), ("wos", "wos"), ("pmid", "pmid"), ("arxiv", "arxiv"), ("cnki", "cnki")):
        if get.get(field):
            ids[scheme] = get[field].upper() if scheme == "wos" else get[field]
    keywords = split_list(get.get("keywords")) + split_list(get.get("index_keywords"))
    categories = [f"kw:{k}" for k in dict.fromkeys(keywords)]
    categories += [f"wos:{c}" for c in split_list(get.get("wos_categories"), ";", commas=False)]
    categories += split_list(get.get("categories"))
    cited = get.get("cited_by", "").replace(",", "")
    doc_type = get.get("doc_type", "")
    return Record(
        title=title, source=source, file=file, line=line,
        kind="patent" if re.search(r"patent|专利", doc_type, re.I) else "paper",
        abstract=get.get("abstract"), language=language_of(title), published=published,
        year=None if published else year, categories=categories, ids=ids, venue=get.get("venue"),
        authors=_authors(get.get("authors") or get.get("authors_short")),
        institutions=[i for a in split_list(get.get("affiliations"), ";；", commas=False)
                      if (i := institution_from_address(a))],
        cited_by_count=int(cited) if cited.isdigit() else None,
        references=split_list(get.get("references"), ";", commas=False),
    )


def _read(path: Path, mapping: dict[str, str] | None, delimiter: str | None, source: str,
          strict: bool) -> Iterator[Record | Reject]:
    file = str(path)
    feed = _LineFeed(iter_text_lines(Path(path)))
    lines = iter(feed)
    header_line = next((line for line in lines if line.strip()), None)
    if header_line is None:
        raise InputError(f"{file} is empty; expected a header line with column names",
                         f"{file} 是空文件；应有一行列名")
    header_number = feed.last_number
    delim = delimiter or _delimiter(header_line)
    headers = next(csv.reader([header_line], delimiter=delim))
    if mapping is None and any(_norm(h) == "eid" for h in headers) and source == "table":
        mapping, strict = SCOPUS_MAPPING, False
    if mapping is not None and not strict:
        present = {_norm(h) for h in headers}
        mapping = {f: h for f, h in mapping.items() if _norm(h) in present or f == "title"}
        if mapping.get("authors") == "Authors" and "author full names" in present:
            mapping["authors"] = "Author full names"  # newer Scopus exports: full names with author ids
            mapping["authors_short"] = "Authors"
    columns = resolve_columns(headers, mapping, file)
    reader = csv.reader(lines, delimiter=delim)
    count = 0
    previous = reader.line_num
    while True:
        feed.undecodable = False
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Reject(file, header_number + previous + 1, f"malformed row: {exc}")
            previous = reader.line_num
            continue
        start = header_number + previous + 1
        previous = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        raw = delim.join(cells)[:RAW_LIMIT]
        if feed.undecodable:
            yield Reject(file, start, "row holds bytes that are not valid text in the file's encoding", raw)
            continue
        row = {field: cells[i] if i < len(cells) else None for field, i in columns.items()}
        count += 1
        yield row_to_record(row, file, start, source, raw)
    log.info("%s: %d rows", file, count)


def read_table(path: Path, mapping: dict[str, str] | None = None,
               delimiter: str | None = None) -> Iterator[Record | Reject]:
    """Yield a `Record` (or `Reject`) per data row of a CSV/TSV file (plain or .gz, any supported encoding).

    `mapping` maps our field names to column headers (every named column must exist); None recognises the
    common headers (`DEFAULT_HEADERS`; a file with an 'EID' column is read as Scopus). `delimiter` None
    detects tab, ',' or ';' from the header line.
    """
    return _read(Path(path), mapping, delimiter, "table", strict=mapping is not None)


def read_scopus(path: Path) -> Iterator[Record | Reject]:
    """Yield a `Record` (or `Reject`) per row of a Scopus CSV export (`SCOPUS_MAPPING`; the columns the user
    left out of the export are simply absent, only 'Title' is required). Source 'scopus'."""
    return _read(Path(path), SCOPUS_MAPPING, None, "scopus", strict=False)


def _header_cells(head: bytes) -> list[str]:
    lines = first_lines(head, 1)
    if not lines:
        return []
    try:
        return next(csv.reader([lines[0]], delimiter=_delimiter(lines[0])))
    except csv.Error:
        return []


def sniff_scopus(path: Path, head: bytes) -> bool:
    """True when the header line has Scopus' 'EID' and 'Source title' columns (and a 'Title')."""
    present = {_norm(h) for h in _header_cells(head)}
    return {"eid", "source title", "title"} <= present


def sniff_table(path: Path, head: bytes) -> bool:
    """True for a delimited table whose header has a recognised title column and two more known columns
    (Scopus files are left to `sniff_scopus`)."""
    headers = _header_cells(head)
    if len(headers) < 3 or sniff_scopus(path, head):
        return False
    present = {_norm(h) for h in headers}
    known = [f for f, names in DEFAULT_HEADERS.items() if any(_norm(n) in present for n in names)]
    return "title" in known and len(known) >= 3
