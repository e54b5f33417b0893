"""Web of Science plain-text export reader ("Plain text file", full record with cited references).

Layout: a header ``FN Clarivate Analytics Web of Science`` / ``VR 1.0``; each record starts with ``PT <type>``
and ends with ``ER``; the file ends with ``EF``. A line is a two-character tag, a space and the value; lines that
start with three spaces continue the tag above — one value per line for the multi-valued tags (AU, AF, C1, CR),
wrapped text for the others (TI, AB, SO, DE, ID, WC). Fields taken:

- title TI, abstract AB, venue SO, authors AF (full names, else AU) as "First Last"
- institutions from C1 ('[Piwowar, Heather] Impactstory, Sanford, NC USA.': the organisation is the first part
  of the address, the country its end)
- date PY + PD ('FEB 13' → a full date; 'FEB' or none → the year only)
- ids: DI → doi (lower case), UT → wos ('WOS:000425413600001'), PM → pmid; SN/EI/BN (ISSN/ISBN) are not ids
- categories: DE author keywords and ID Keywords Plus → 'kw:<keyword>', WC → 'wos:<category>'
- cited_by_count TC, references CR (one cited-reference string per line)
- kind: 'patent' for PT P, else 'paper'.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from frontierwatch.sources.record import Record, Reject
from frontierwatch.sources.tagged import TaggedRecord, group_tagged
from frontierwatch.sources.textfile import (display_name, first_lines, institution_from_address, iter_text_lines,
                                            language_of, month_day_date, parse_date, split_list)
from frontierwatch.store.identity import parse_doi

log = logging.getLogger(__name__)

_TAG = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_HEADER = re.compile(r"^FN (.*(Web of Science|ISI Export|Thomson Reuters|Clarivate).*)$", re.I)


def _match_tag(text: str) -> tuple[str, str] | None:
    m = _TAG.match(text.rstrip())
    return (m.group(1), m.group(2) or "") if m else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def parse_wos_record(rec: TaggedRecord, file: str) -> Record | Reject:
    """Map one grouped WoS record (PT … ER) to a `Record`, or a `Reject` saying what is wrong."""
    if rec.undecodable:
        return Reject(file, rec.start, "record holds a line that is not valid text in the file's encoding", rec.raw)
    title = rec.text("TI")
    if not title:
        return Reject(file, rec.start, "record has no title (no TI tag)", rec.raw)
    _, year = parse_date(rec.text("PY"))
    published = month_day_date(year, rec.text("PD"))
    ids: dict[str, str] = {}
    if doi := parse_doi(rec.text("DI")):
        ids["doi"] = doi
    if ut := rec.text("UT"):
        ids["wos"] = ut.upper()
    if pmid := rec.text("PM"):
        ids["pmid"] = pmid
    keywords = split_list(rec.text("DE"), ";", commas=False) + split_list(rec.text("ID"), ";", commas=False)
    categories = [f"kw:{k}" for k in dict.fromkeys(keywords)]
    categories += [f"wos:{c}" for c in split_list(rec.text("WC"), ";", commas=False)]
    institutions = [i for a in rec.values("C1") if (i := institution_from_address(a))]
    return Record(
        title=title, source="wos", file=file, line=rec.start,
        kind="patent" if (rec.text("PT") or "").upper() == "P" else "paper",
        abstract=rec.text("AB"), language=language_of(title), published=published,
        year=None if published else year, categories=categories, ids=ids, venue=rec.text("SO"),
        authors=[display_name(a) for a in (rec.values("AF") or rec.values("AU"))],
        institutions=institutions, cited_by_count=_int(rec.text("TC")), references=rec.values("CR"),
    )


def read_wos(path: Path) -> Iterator[Record | Reject]:
    """Yield a `Record` (or `Reject`) per record of a WoS plain-text export (plain or .gz).

    `line` is the line of the record's PT tag. Streams: one record is held at a time.
    """
    file = str(path)
    count = 0
    for rec in group_tagged(iter_text_lines(Path(path)), _match_tag, {"PT"}, end_tag="ER"):
        count += 1
        yield parse_wos_record(rec, file)
    log.info("%s: %d WoS records", file, count)


def sniff_wos(path: Path, head: bytes) -> bool:
    """True when the file starts with a WoS 'FN … Web of Science' line followed by 'VR'."""
    lines = first_lines(head, 2)
    return len(lines) == 2 and _HEADER.match(lines[0]) is not None and lines[1].startswith("VR ")
