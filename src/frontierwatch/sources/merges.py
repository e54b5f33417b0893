"""OpenAlex merged works: the snapshot's ``merged_ids/works`` tables applied to documents, by both engines.

OpenAlex merges duplicate works: a work id listed in ``merged_ids/works/<date>.csv.gz`` (columns merge_date, id,
merge_into_id) no longer exists, and its record lives on as the surviving work. The identity rule here:

* the document holding the merged id is folded into the document holding the surviving id (`merge_rows`: from then
  on one document — keys, provenance, citations and versions go with it; the folded document and its vectors are
  removed);
* when only the merged work's document exists, it takes the surviving id (``openalex_id`` and its key), so a later
  copy of the surviving work joins it;
* when only the surviving work's document exists, the merged id becomes one of its keys, so a later copy of the
  merged work joins it.

Every merge table ever ingested is kept (``openalex_merges``) and all of them are applied at the end of every ingest,
after the records, so the result does not depend on whether the works or the merge table came first, and applying
them again changes nothing. `fold_merges` is the rule on plain rows; the embedded ingest applies it to the store
(`frontierwatch.sources.queries.apply_openalex_merges`), the Spark identity job to the documents it resolves on the
driver (`frontierwatch.spark.identity`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from frontierwatch.sources.rows import merge_rows

__all__ = ["MergeFold", "fold_merges", "merge_keys", "read_work_merges", "work_merge_files"]


@dataclass
class MergeFold:
    """What the merge tables change: ``rows`` (doc_id → the document's new row), ``gone`` (folded doc_id → the
    doc_id it was folded into) and ``keys`` ((key, doc_id) rows to add)."""

    rows: dict[str, dict] = field(default_factory=dict)
    gone: dict[str, str] = field(default_factory=dict)
    keys: list[tuple[str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.rows or self.gone or self.keys)


def merge_keys(pairs: list[tuple[str, str]]) -> list[str]:
    """The identity keys (``openalex:W…``) the merge pairs speak of."""
    return sorted({f"openalex:{w}" for pair in pairs for w in pair})


def fold_merges(pairs: list[tuple[str, str]], doc_of: dict[str, str], rows: dict[str, dict]) -> MergeFold:
    """Apply the merge `pairs` ((merged id, surviving id), in the order OpenAlex merged them) to documents.

    `doc_of` maps the `merge_keys` to the documents holding them (keys no document holds are absent); `rows` holds
    those documents' rows (with ``cited_by_year`` and ``updated``). Neither is changed."""
    out, doc_of = MergeFold(), dict(doc_of)

    def holder(key: str) -> str | None:
        doc = doc_of.get(key)
        while doc in out.gone:
            doc = out.gone[doc]
        return doc

    def row(doc: str) -> dict:
        return out.rows.get(doc) or rows[doc]

    for merged, kept in pairs:
        key_m, key_k = f"openalex:{merged}", f"openalex:{kept}"
        doc_m, doc_k = holder(key_m), holder(key_k)
        if doc_m is None and doc_k is None or doc_m == doc_k:
            continue
        if doc_k is None:  # the merged work's document takes the surviving id
            out.rows[doc_m] = dict(row(doc_m), openalex_id=kept)
            doc_of[key_k] = doc_m
            out.keys.append((key_k, doc_m))
        elif doc_m is None:  # a later copy of the merged work joins the surviving document
            doc_of[key_m] = doc_k
            out.keys.append((key_m, doc_k))
        else:  # one work: the merged document is folded into the surviving one
            old, new = row(doc_k), row(doc_m)
            folded = dict(merge_rows(old, new), doc_id=doc_k, openalex_id=kept)
            stamps = [u for u in (old.get("updated"), new.get("updated")) if u]
            folded["updated"] = max(stamps) if stamps else None
            out.rows[doc_k] = folded
            out.rows.pop(doc_m, None)
            out.gone[doc_m] = doc_k
    return out


def work_merge_files(skipped: list[tuple[Path, str]]) -> list[Path]:
    """The OpenAlex ``merged_ids/works`` tables among the files an ingest plan skipped (they hold no documents),
    oldest first."""
    from frontierwatch.sources.openalex import openalex_entity_kind
    return sorted((p for p, _ in skipped if "works" in (x.lower() for x in Path(p).parts[-2:-1])
                   and openalex_entity_kind(Path(p)) == "merged_ids"), key=lambda p: Path(p).name)


def read_work_merges(files: list[Path]) -> list[tuple[str, str, date | None, str]]:
    """(merged id, surviving id, merge date, file) of every row of the `files` (``merged_ids/works`` tables)."""
    import csv
    import io

    from frontierwatch.sources.lines import open_binary
    from frontierwatch.sources.openalex import read_merged_ids

    out = []
    for path in files:
        dates = {}
        with open_binary(path) as fh:  # the merge date of each row (read_merged_ids gives the ids)
            for r in csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8", newline="")):
                try:
                    dates[r.get("id", "").rsplit("/", 1)[-1]] = date.fromisoformat((r.get("merge_date") or "")[:10])
                except ValueError:
                    pass
        out += [(merged, kept, dates.get(merged), str(path)) for merged, kept in read_merged_ids(path)]
    return out
