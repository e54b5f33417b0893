"""Identity resolution of one batch of records, in file order: which document each record is, and what changes.

`IdentityIndex` is the part of ``document_keys`` a run has touched, loaded from the store on demand (the keys a
batch asks about, then every key of the documents they lead to), so a small update of a large store does not
read every key first. The rules themselves are in `frontierwatch.store.identity`.

`resolve_batch` turns prepared records and rejects into the rows to write; it holds no SQL (the reads and the
transaction are `frontierwatch.sources.queries`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from frontierwatch.sources.prepare import Prepared, new_doc_id
from frontierwatch.sources.record import Reject
from frontierwatch.sources.rows import combine_rows
from frontierwatch.store.identity import scheme_of

KeyReader = Callable[[list[str], list[str]], list[tuple[str, str]]]  # (keys, doc_ids) -> (key, doc_id) rows


class IdentityIndex:
    """key → doc_id and each document's strong id schemes, for the keys and documents a run has met.

    Parameters
    ----------
    read_keys : ``read_keys(keys, doc_ids)`` returns the stored ``(key, doc_id)`` rows whose key is in `keys`
        or whose document is in `doc_ids`.
    """

    def __init__(self, read_keys: KeyReader):
        self._read = read_keys
        self.doc_of: dict[str, str] = {}
        self.schemes: dict[str, set[str]] = {}
        self._whole: set[str] = set()  # documents all of whose keys are loaded

    def _remember(self, key: str, doc_id: str) -> None:
        self.doc_of[key] = doc_id
        if not key.startswith("title:"):
            self.schemes.setdefault(doc_id, set()).add(scheme_of(key))

    def load(self, keys: list[str]) -> None:
        """Read from the store what `resolve` and `add` need to know about `keys`: the documents holding them
        and all the keys of those documents. Keys already known are not asked again."""
        unknown = sorted({k for k in keys if k not in self.doc_of})
        if not unknown:
            return
        docs = {d for _, d in self._read(unknown, [])} - self._whole
        for key, doc_id in self._read([], sorted(docs)) if docs else []:
            self._remember(key, doc_id)
        self._whole |= docs

    def resolve(self, keys: list[str], tkey: str | None) -> str | None:
        """The document these keys identify, or None. A candidate is refused when the record has an id of a scheme
        the candidate already holds with another value (two arXiv papers sharing a journal DOI stay two)."""
        for key in (*keys, *([tkey] if tkey else [])):
            doc_id = self.doc_of.get(key)
            if doc_id is not None and not any(
                scheme_of(k) in self.schemes.get(doc_id, ()) and self.doc_of.get(k) != doc_id for k in keys
            ):
                return doc_id
        return None

    def add(self, doc_id: str, keys: list[str]) -> list[str]:
        """Register keys for `doc_id`; return those that are new."""
        fresh = [k for k in keys if k not in self.doc_of]
        for key in fresh:
            self._remember(key, doc_id)
        self._whole.add(doc_id)
        return fresh


@dataclass
class Resolution:
    """What a batch of records changes. ``documents`` are whole rows to (re)write, each with its ``order``:
    documents that existed first (in the order they were read), then new ones by the line that created them —
    the order rows reach the table in. ``keys``: (line, position, key, doc_id); ``provenance``: (line, doc_id);
    ``replaced``: doc_ids whose stored row is rewritten."""

    documents: list[tuple[float, dict]] = field(default_factory=list)
    keys: list[tuple[int, int, str, str]] = field(default_factory=list)
    provenance: list[tuple[int, str]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    accepted: int = 0
    merged: int = 0
    unchanged: int = 0


def resolve_batch(index: IdentityIndex, items: list[Prepared | Reject], known_lines: set[int],
                  fetch_documents: Callable[[list[str]], dict[str, dict]]) -> Resolution:
    """Resolve `items` (in line order) against `index`, merging duplicates into their documents.

    A record whose line is in `known_lines` (stored by an earlier run from the same file) counts as unchanged and
    adds no provenance; `known_lines` gains the lines of this batch. `fetch_documents(doc_ids)` reads the stored
    rows of documents that existed before the batch.
    """
    out = Resolution()
    index.load([k for it in items if isinstance(it, Prepared) for k in (*it.keys, *([it.tkey] if it.tkey else []))])
    resolved: list[tuple[Prepared, str, bool]] = []  # prepared record, doc_id, doc existed before this batch
    created: dict[str, int] = {}  # new doc_id -> line that created it
    for item in items:
        if isinstance(item, Reject):
            out.rejects.append(item)
            continue
        doc_id = index.resolve(item.keys, item.tkey)
        existed = doc_id is not None and doc_id not in created
        if doc_id is None:
            doc_id = new_doc_id(item.keys, item.tkey)
            created[doc_id] = item.line
        fresh = index.add(doc_id, item.keys + ([item.tkey] if item.tkey else []))
        out.keys += [(item.line, i, k, doc_id) for i, k in enumerate(fresh)]
        resolved.append((item, doc_id, existed))

    existing = sorted({d for _, d, e in resolved if e})
    rows = fetch_documents(existing) if existing else {}
    before = {d: dict(r) for d, r in rows.items()}
    first_of_new: set[str] = set()
    for rec, doc_id, _ in resolved:
        row = dict(rec.row, doc_id=doc_id)
        rows[doc_id] = combine_rows(rows[doc_id], row) if doc_id in rows else row
        if rec.line in known_lines:
            out.unchanged += 1
            continue
        known_lines.add(rec.line)
        out.provenance.append((rec.line, doc_id))
        if doc_id in created and doc_id not in first_of_new:
            first_of_new.add(doc_id)
            out.accepted += 1
        else:
            out.merged += 1
    for position, (doc_id, row) in enumerate(rows.items()):
        if doc_id not in before:
            out.documents.append((created[doc_id], row))
        elif before[doc_id] != row:
            out.documents.append((position - len(rows) - 1.0, row))  # before every new document, in read order
            out.replaced.append(doc_id)
    fresh_rejects = [r for r in out.rejects if r.line not in known_lines]
    known_lines.update(r.line for r in fresh_rejects)
    out.rejects = fresh_rejects
    return out
