"""RIS reader (Research Information Systems tagged format, as exported by Scopus, WoS, EndNote, Zotero, CNKI).

A record is ``TY  - <type>`` … ``ER  -``; each line is a two-character tag, two spaces, a hyphen and a space, then
the value; untagged lines continue the previous value (wrapped abstracts). Fields taken:

- title: TI, T1 (then CT, BT for books); abstract: AB, N2; venue: T2, JF, JO, JA, BT (not for books)
- authors: AU, A1 ("Last, First" → "First Last"); institutions: AD (country parsed from the end when obvious)
- date: DA, PY, Y1 ("2012/01/12/" is a full date, "2012" or "2012///" a year)
- ids: DO (or a doi.org UR) → doi; AN "WOS:…" → wos, "2-s2.0-…" → scopus; SN (ISSN/ISBN) is not an id
- keywords: KW (one per tag, or ';'-separated) → 'kw:<keyword>'; cited by: "Cited By: N" in N1 (Scopus)
- kind: 'patent' for TY PAT, else 'paper'.

A record without a title is a `Reject` at its TY line; so is one holding an undecodable line.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from frontierwatch.sources.record import Record, Reject
from frontierwatch.sources.tagged import TaggedRecord, group_tagged
from frontierwatch.sources.textfile import (display_name, first_lines, institution_from_address, iter_text_lines,
                                            language_of, parse_date, split_list)
from frontierwatch.store.identity import parse_doi

log = logging.getLogger(__name__)

_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*)|\s*)$")
_CITED_BY = re.compile(r"Cited By(?: \(since \d+\))?:\s*(\d+)", re.I)
_BOOK_TYPES = {"BOOK", "EBOOK", "EDBOOK", "CHAP", "ECHAP"}


def _match_tag(text: str) -> tuple[str, str] | None:
    m = _TAG.match(text.rstrip())
    return (m.group(1), m.group(2) or "") if m else None


def _date(rec: TaggedRecord):
    """The first full date among DA, PY, Y1; else the first year (then `published` is None)."""
    parsed = [parse_date(rec.text(tag)) for tag in ("DA", "PY", "Y1")]
    full = next((d for d, _ in parsed if d), None)
    return (full, None) if full else (None, next((y for _, y in parsed if y), None))


def parse_ris_record(rec: TaggedRecord, file: str) -> Record | Reject:
    """Map one grouped RIS record to a `Record`, or a `Reject` saying what is wrong."""
    if rec.undecodable:
        return Reject(file, rec.start, "record holds a line that is not valid text in the file's encoding", rec.raw)
    ris_type = (rec.text("TY") or "").upper()
    title = rec.text("TI", "T1", "CT") or (rec.text("BT") if ris_type in _BOOK_TYPES else None)
    if not title:
        return Reject(file, rec.start, "record has no title (no TI/T1 tag)", rec.raw)
    published, year = _date(rec)
    ids: dict[str, str] = {}
    doi = parse_doi(rec.text("DO")) or next((parse_doi(u) for u in rec.values("UR") if "doi.org/" in u), None)
    if doi:
        ids["doi"] = doi
    for accession in rec.values("AN"):
        if accession.upper().startswith("WOS:"):
            ids["wos"] = accession.upper()
        elif accession.startswith("2-s2.0-"):
            ids["scopus"] = accession
    keywords = [k for value in rec.values("KW") for k in split_list(value, ";；", commas=False)]
    cited = next((int(m.group(1)) for note in rec.values("N1") if (m := _CITED_BY.search(note))), None)
    venue = None if ris_type in _BOOK_TYPES else rec.text("T2", "JF", "JO", "JA", "BT")
    return Record(
        title=title, source="ris", file=file, line=rec.start,
        kind="patent" if ris_type == "PAT" else "paper",
        abstract=rec.text("AB", "N2"), language=language_of(title), published=published, year=year,
        categories=[f"kw:{k}" for k in dict.fromkeys(keywords)], ids=ids, venue=venue,
        authors=[display_name(a) for a in rec.values("AU", "A1")],
        institutions=[i for a in dict.fromkeys(rec.values("AD")) if (i := institution_from_address(a))],
        cited_by_count=cited,
    )


def read_ris(path: Path) -> Iterator[Record | Reject]:
    """Yield a `Record` (or `Reject`) per RIS record of `path` (plain or .gz, any supported encoding).

    `line` is the line of the record's TY tag. Streams: one record is held at a time.
    """
    file = str(path)
    count = 0
    for rec in group_tagged(iter_text_lines(Path(path)), _match_tag, {"TY"}, end_tag="ER"):
        count += 1
        yield parse_ris_record(rec, file)
    log.info("%s: %d RIS records", file, count)


def sniff_ris(path: Path, head: bytes) -> bool:
    """True when the first non-blank line is a RIS type tag ('TY  - JOUR') and a second RIS tag follows."""
    lines = first_lines(head, 2)
    return (len(lines) == 2 and re.match(r"^TY  - [A-Z]{2,6}\s*$", lines[0]) is not None
            and _match_tag(lines[1]) is not None)
