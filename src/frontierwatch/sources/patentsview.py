"""PatentsView bulk tables → `Record`: one granted US patent per row of the ``g_patent`` table.

A directory of PatentsView tables is one source. The tables are recognised by their columns, whatever their
file names ('g_patent.tsv.zip', 'nvidia_patent.csv'), as CSV or TSV, plain, gzip or zip:

=========================  =====================================================================================
``g_patent``               patent_id, patent_type, patent_date, patent_title (+ wipo_kind, num_claims, withdrawn)
``g_patent_abstract``      patent_id, patent_abstract
``g_assignee_disambiguated`` patent_id, assignee_sequence, disambig_assignee_organization / _individual_name_*,
                           assignee_type, location_id
``g_cpc_current``          patent_id, cpc_sequence, cpc_group (+ cpc_section, cpc_class, cpc_subclass, cpc_type)
``g_inventor_disambiguated`` patent_id, inventor_sequence, disambig_inventor_name_first / _last
``g_location_disambiguated`` location_id, disambig_country (optional: gives assignees their country)
=========================  =====================================================================================

Every table is recognised (so walking the directory lists none as unknown), but records come from the patent
table only: reading it joins the other tables of the same directory (same file-name prefix when several sets
share a directory). The other tables are loaded into a scratch DuckDB database (it spills to disk, so the full
national dumps fit in memory), the patent table is streamed in file order, and each batch of patents looks up
its abstracts, assignees, CPC groups and inventors there. `Record.line` is the patent's row ordinal.

Mapping: ids ``patent`` 'US' + patent_id ('US10001996', design 'USD515086') — the key the USPTO XML connector
gives the same grant, so a patent in both sources is one document; published = patent_date (the grant date,
as the XML connector uses the publication date of a grant); categories 'cpc:<group>' in CPC sequence order;
assignees become institutions (type from the assignee type code and the name: company, education,
government; an individual owner gets no type), country from the location table when present, else 'US' for
the US assignee types (2, 4, 6, 8, 9) and none for foreign ones (3, 5, 7); inventors become authors.
Withdrawn patents are kept (they were granted; `withdrawn` is noted in other ids).

A patent row without an id or a title, or with the wrong number of cells, becomes a `Reject` (file, row
ordinal, reason in English and Chinese). Malformed rows of the other tables cannot become documents of their
own; they are counted and logged with their file and line. Attribution: "Data from PatentsView, USPTO, CC BY 4.0".
"""
from __future__ import annotations

import csv
import io
import logging
import re
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from frontierwatch.errors import InputError
from frontierwatch.sources.lines import RAW_LIMIT, open_binary
from frontierwatch.sources.queries import PatentsViewLookups
from frontierwatch.sources.record import Institution, Record, Reject

log = logging.getLogger(__name__)

SOURCE = "patentsview"
ATTRIBUTION = "Data from PatentsView, USPTO, CC BY 4.0"
BATCH = 2000
TABLES = {  # kind → columns that identify it
    "patent": {"patent_id", "patent_date", "patent_title"},
    "abstract": {"patent_id", "patent_abstract"},
    "assignee": {"patent_id", "assignee_sequence", "assignee_type"},
    "cpc": {"patent_id", "cpc_sequence", "cpc_group"},
    "inventor": {"patent_id", "inventor_sequence", "disambig_inventor_name_last"},
    "location": {"location_id", "disambig_country"},
}
_US_TYPES = {"2", "4", "6", "8", "9"}
_PERSON_TYPES = {"4", "5"}
_GOVERNMENT_TYPES = {"6", "7", "8", "9"}
_UNIVERSITY = re.compile(r"universit|college|polytechnic|institute of technology|regents of|board of trustees", re.I)
csv.field_size_limit(1 << 27)


def _open_text(path: Path) -> io.TextIOBase:
    """A text stream of a table: plain, gzip, or the first member of a zip archive."""
    if zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        member = next(n for n in archive.namelist() if not n.endswith("/"))
        return io.TextIOWrapper(archive.open(member), encoding="utf-8", errors="replace", newline="")
    return io.TextIOWrapper(open_binary(path), encoding="utf-8", errors="replace", newline="")


def _header(path: Path) -> tuple[list[str], str]:
    with _open_text(path) as fh:
        line = fh.readline()
    delimiter = "\t" if line.count("\t") > line.count(",") else ","
    return [c.strip().strip('"').lower() for c in next(csv.reader([line], delimiter=delimiter))], delimiter


def table_kind(path: Path) -> str | None:
    """Which PatentsView table `path` is ('patent', 'abstract', …), from its header; None if none."""
    try:
        columns = set(_header(path)[0])
    except (OSError, EOFError, UnicodeError, StopIteration, zipfile.BadZipFile, csv.Error):
        return None
    return next((kind for kind, needed in TABLES.items() if needed <= columns), None)


def sniff_patentsview(path: Path, head: bytes) -> bool:
    """True for any table of the PatentsView schema (recognised by its columns)."""
    if not (b"patent_id" in head or b"location_id" in head or zipfile.is_zipfile(path)):
        return False
    return table_kind(Path(path)) is not None


def _prefix(path: Path) -> str:
    name = path.name.lower()
    for word in ("patent_abstract", "patent", "assignee", "cpc", "inventor", "location"):
        if word in name:
            return name[:name.index(word)]
    return ""


def sibling_tables(path: Path) -> dict[str, Path]:
    """The other PatentsView tables beside a patent table, preferring those with the same file-name prefix."""
    found: dict[str, list[Path]] = {}
    for other in sorted(p for p in path.parent.iterdir() if p.is_file() and not p.name.startswith(".")):
        if other != path and (kind := table_kind(other)) and kind != "patent":
            found.setdefault(kind, []).append(other)
    prefix = _prefix(path)
    return {kind: next((p for p in paths if _prefix(p) == prefix), paths[0]) for kind, paths in found.items()}


def _assignee(row: dict) -> Institution | None:
    code = (row.get("type") or "").strip()[-1:]
    org = (row.get("org") or "").strip()
    name = org or " ".join(p for p in (row.get("first"), row.get("last")) if p).strip()
    if not name:
        return None
    if code in _PERSON_TYPES or not org:
        kind = None
    elif code in _GOVERNMENT_TYPES:
        kind = "government"
    else:
        kind = "education" if _UNIVERSITY.search(name) else "company"
    country = (row.get("country") or "").strip().upper() or ("US" if code in _US_TYPES else None)
    return Institution(name=name, type=kind, country=country if country and len(country) == 2 else None)


def _record(row: dict, extra: dict, file: str, ordinal: int) -> Record:
    try:
        published = date.fromisoformat(row.get("patent_date", "").strip()[:10])
    except ValueError:
        published = None
    pid = row["patent_id"].strip()
    ids = {"patent": f"US{pid}"}
    if (row.get("wipo_kind") or "").strip():
        ids["patent_kind"] = row["wipo_kind"].strip()
    if (row.get("withdrawn") or "").strip() == "1":
        ids["withdrawn"] = "1"
    return Record(
        title=" ".join(row["patent_title"].split()), source=SOURCE, file=file, line=ordinal, kind="patent",
        abstract=(extra.get("abstract") or "").strip() or None, language="en", published=published,
        categories=[f"cpc:{g.strip()}" for g in dict.fromkeys(extra.get("cpc") or []) if g and g.strip()],
        ids=ids, venue="USPTO", authors=[n for n in extra.get("inventor") or [] if n],
        institutions=[i for a in extra.get("assignee") or [] if (i := _assignee(a))])


def _check(row: list[str], columns: list[str], file: str, ordinal: int) -> dict | Reject:
    raw = "\t".join(row)[:RAW_LIMIT]
    if len(row) != len(columns):
        return Reject(file, ordinal, f"row has {len(row)} cells, the header has {len(columns)} / "
                                     f"该行有 {len(row)} 个字段，表头有 {len(columns)} 个", raw)
    values = dict(zip(columns, row))
    if not values.get("patent_id", "").strip():
        return Reject(file, ordinal, "row has no patent_id / 该行缺少 patent_id", raw)
    if not values.get("patent_title", "").strip():
        pid = values["patent_id"].strip()
        return Reject(file, ordinal, f"patent {pid} has no patent_title / 专利 {pid} 缺少标题（patent_title）", raw)
    return values


def read_patentsview(path: str | Path) -> Iterator[Record | Reject]:
    """Yield a `Record` (or `Reject`) per row of a PatentsView patent table, joined with its sibling tables.

    The other tables yield nothing themselves (they are read with their patent table). Raises `InputError` for a
    file that is not a PatentsView table.
    """
    path = Path(path)
    kind = table_kind(path)
    if kind is None:
        raise InputError(f"{path}: not a PatentsView table (expected the columns of g_patent, g_patent_abstract, "
                         "g_assignee_disambiguated, g_cpc_current or g_inventor_disambiguated)",
                         f"{path}：不是 PatentsView 数据表（应含 g_patent、g_patent_abstract、g_assignee_disambiguated、"
                         "g_cpc_current 或 g_inventor_disambiguated 的列）")
    if kind != "patent":
        log.info("%s: PatentsView %s table, read with the patent table beside it", path, kind)
        return
    file = str(path)
    columns, delimiter = _header(path)
    with tempfile.TemporaryDirectory(prefix="fw-patentsview-") as scratch:
        lookups = PatentsViewLookups({k: (p, _header(p)[1]) for k, p in sibling_tables(path).items()},
                                     Path(scratch))
        try:
            with _open_text(path) as fh:
                reader = csv.reader(fh, delimiter=delimiter)
                next(reader, None)
                batch: list[tuple[int, dict | Reject]] = []
                for ordinal, row in enumerate(reader, start=1):
                    batch.append((ordinal, _check(row, columns, file, ordinal)))
                    if len(batch) >= BATCH:
                        yield from _finish(batch, lookups, file)
                        batch = []
                yield from _finish(batch, lookups, file)
        finally:
            lookups.close()


def _finish(batch: list[tuple[int, dict | Reject]], lookups: PatentsViewLookups, file: str) -> Iterator[Record | Reject]:
    ids = [item["patent_id"].strip() for _, item in batch if isinstance(item, dict)]
    extra = lookups.fetch(ids) if ids else {}
    for ordinal, item in batch:
        yield item if isinstance(item, Reject) else _record(item, extra.get(item["patent_id"].strip(), {}), file, ordinal)
