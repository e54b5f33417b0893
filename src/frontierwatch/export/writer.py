"""Writing an export as Parquet, CSV or XLSX, batch by batch, with its data dictionary.

The dictionary goes beside the file (``<name>.dictionary.csv``: column, type, meaning_zh, meaning_en), into the
Parquet file's metadata (``frontierwatch.dictionary``) and into a second XLSX sheet (``dictionary``). Files are
written under a temporary name and renamed when complete, so a killed export leaves no half file behind.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa

from frontierwatch.errors import InputError

FORMATS = ("parquet", "csv", "xlsx")
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header


def dictionary_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}.dictionary.csv")


def write_dictionary(path: Path, dictionary: list[tuple]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel opens UTF-8 Chinese correctly
        writer = csv.writer(fh)
        writer.writerow(["column", "type", "meaning_zh", "meaning_en"])
        writer.writerows(dictionary)


def write_export(reader: pa.RecordBatchReader, fmt: str, out: str | Path, dictionary: list[tuple]) -> dict:
    """Write every batch of `reader` to `out` in `fmt`; returns ``{"path", "rows", "dictionary"}``."""
    if fmt not in FORMATS:
        raise InputError(f"export format {fmt!r} should be one of {', '.join(FORMATS)}",
                         f"导出格式 {fmt!r} 应为 {', '.join(FORMATS)} 之一")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    names = [c[0] for c in dictionary]
    if reader.schema.names != names:
        raise ValueError(f"export columns {reader.schema.names} differ from the dictionary's {names}")
    rows = {"parquet": _parquet, "csv": _csv, "xlsx": _xlsx}[fmt](reader, tmp, dictionary)
    tmp.replace(out)
    write_dictionary(dictionary_path(out), dictionary)
    return {"path": out, "rows": rows, "dictionary": dictionary_path(out)}


def _parquet(reader, path: Path, dictionary) -> int:
    import pyarrow.parquet as pq
    schema = reader.schema.with_metadata({"frontierwatch.dictionary": json.dumps(dictionary, ensure_ascii=False)})
    rows = 0
    with pq.ParquetWriter(path, schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def _csv(reader, path: Path, dictionary) -> int:
    import pyarrow.csv as pacsv
    rows = 0
    with path.open("wb") as fh:
        fh.write("\ufeff".encode())  # BOM for Excel
        with pacsv.CSVWriter(fh, reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
                rows += batch.num_rows
    return rows


def _xlsx(reader, path: Path, dictionary) -> int:
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(reader.schema.names)
    rows = 0
    for batch in reader:
        rows += batch.num_rows
        if rows > XLSX_MAX_ROWS:
            raise InputError(f"{rows:,}+ rows do not fit an Excel sheet ({XLSX_MAX_ROWS:,}); export as parquet or csv",
                             f"超过 {XLSX_MAX_ROWS:,} 行，Excel 工作表放不下；请导出为 parquet 或 csv")
        for row in batch.to_pylist():
            sheet.append([v if not isinstance(v, (list, dict)) else json.dumps(v, ensure_ascii=False)
                          for v in row.values()])
    info = book.create_sheet("dictionary")
    info.append(["column", "type", "meaning_zh", "meaning_en"])
    for entry in dictionary:
        info.append(list(entry))
    book.save(path)
    return rows
