"""CNKI (中国知网) export reader: the RefWorks and EndNote text exports, UTF-8 or GB18030.

Both are tagged text with one record per blank-line separated block; untagged lines continue the value above
(CNKI wraps long abstracts). Empty fields may appear as a bare tag ('vo ').

RefWorks: ``RT Journal Article`` opens a record; A1 authors (';'-separated), AD affiliations, T1 title, JF venue,
YR year, FD date, K1 keywords, AB abstract, DO DOI, LK link (its ``filename=`` is the CNKI id), SN/CN (ISSN and
domestic serial number, not ids), vo/IS/OP volume/issue/pages (not used).
EndNote: ``%0 Journal Article`` opens a record; %A author (one per line), %+ affiliations, %T title, %J venue
(%B for conference proceedings), %D date, %K keywords, %X abstract, %R DOI, %U link, %@ ISSN (not an id).

kind is 'patent' for the Patent types (专利), else 'paper'. Keywords become 'kw:<keyword>'; affiliations become
institutions cut to the organisation ('清华大学计算机系' → '清华大学'), country 'CN' only when the address ends in a
six-digit Chinese postcode or names the country.
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

_REFWORKS_TAG = re.compile(r"^([A-Z][A-Z0-9]|vo)(?: (.*)|\s*)$")
_ENDNOTE_TAG = re.compile(r"^(%[A-Z0-9@!?+*$&#^()=~\]\[|>])(?: (.*)|\s*)$")
_REFWORKS_KNOWN = {"RT", "SR", "A1", "A2", "A3", "A4", "AD", "T1", "T2", "T3", "JF", "JO", "YR", "FD", "VO", "IS",
                   "SP", "OP", "K1", "AB", "NO", "PB", "PP", "ED", "SN", "CN", "LA", "DS", "LK", "DO", "DB", "UL",
                   "CL", "ID", "RP", "AV", "ET", "WT", "OL", "U1", "U2", "U3", "U4", "U5", "FT", "WP", "SL"}
_CNKI_FILENAME = re.compile(r"[?&](?:filename|FileName)=([A-Za-z0-9_.-]+)")


def _match_refworks(text: str) -> tuple[str, str] | None:
    m = _REFWORKS_TAG.match(text.rstrip())
    if not m or m.group(1).upper() not in _REFWORKS_KNOWN:
        return None  # an unknown two-letter start is wrapped text, not a tag
    return m.group(1).upper(), m.group(2) or ""


def _match_endnote(text: str) -> tuple[str, str] | None:
    m = _ENDNOTE_TAG.match(text.rstrip())
    return (m.group(1), m.group(2) or "") if m else None


# our field → (RefWorks tags, EndNote tags)
_FIELDS = {
    "type": (("RT",), ("%0",)), "title": (("T1",), ("%T",)), "venue": (("JF", "JO", "T2"), ("%J", "%B")),
    "authors": (("A1",), ("%A",)), "affiliations": (("AD",), ("%+",)), "keywords": (("K1",), ("%K",)),
    "abstract": (("AB",), ("%X",)), "date": (("FD", "YR"), ("%8", "%D")), "doi": (("DO",), ("%R",)),
    "link": (("LK", "UL"), ("%U",)),
}


def parse_cnki_record(rec: TaggedRecord, file: str, flavour: str) -> Record | Reject:
    """Map one grouped record (`flavour` 'refworks' or 'endnote') to a `Record`, or a `Reject`."""
    col = 0 if flavour == "refworks" else 1

    def text(name: str) -> str | None:
        return rec.text(*_FIELDS[name][col])

    def values(name: str) -> list[str]:
        return rec.values(*_FIELDS[name][col])

    if rec.undecodable:
        return Reject(file, rec.start, "record holds a line that is not valid text in the file's encoding", rec.raw)
    title = text("title")
    if not title:
        return Reject(file, rec.start, f"record has no title (no {_FIELDS['title'][col][0]} tag)", rec.raw)
    dates = [parse_date(rec.text(tag)) for tag in _FIELDS["date"][col]]  # FD/%8 (full date) before YR/%D
    published = next((d for d, _ in dates if d), None)
    year = None if published else next((y for _, y in dates if y), None)
    ids: dict[str, str] = {}
    if doi := parse_doi(text("doi")):
        ids["doi"] = doi
    for link in values("link"):
        if m := _CNKI_FILENAME.search(link):
            ids["cnki"] = m.group(1).upper()
            break
    authors = [display_name(a) for v in values("authors") for a in split_list(v, ";；", commas=False)]
    affiliations = [a for v in values("affiliations") for a in split_list(v, ";；", commas=False)]
    keywords = [k for v in values("keywords") for k in split_list(v, ";；")]
    kind = "patent" if re.search(r"patent|专利", text("type") or "", re.I) else "paper"
    return Record(
        title=title, source="cnki", file=file, line=rec.start, kind=kind, abstract=text("abstract"),
        language=language_of(title), published=published, year=year,
        categories=[f"kw:{k}" for k in dict.fromkeys(keywords)], ids=ids, venue=text("venue"),
        authors=list(dict.fromkeys(authors)),
        institutions=[i for a in dict.fromkeys(affiliations) if (i := institution_from_address(a))],
    )


def read_cnki(path: Path) -> Iterator[Record | Reject]:
    """Yield a `Record` (or `Reject`) per record of a CNKI RefWorks or EndNote export (plain or .gz).

    The flavour is taken from the first tagged line ('RT …' or '%0 …'); `line` is the line of the record's RT
    or %0 tag. Streams: one record is held at a time.
    """
    file = str(path)
    lines = iter_text_lines(Path(path))
    flavour, buffered, seen = None, [], 0
    for line in lines:  # find the flavour from the first non-blank lines, keeping the lines read so far
        buffered.append(line)
        stripped = line.text.strip()
        seen += bool(stripped)
        if stripped.startswith("%0"):
            flavour = "endnote"
        elif stripped.startswith("RT "):
            flavour = "refworks"
        if flavour or seen > 50:
            break
    if flavour is None:
        log.warning("%s: no RefWorks 'RT' or EndNote '%%0' record start in the first lines", file)
        return
    match = _match_refworks if flavour == "refworks" else _match_endnote
    start = {"RT"} if flavour == "refworks" else {"%0"}

    def all_lines():
        yield from buffered
        yield from lines

    count = 0
    for rec in group_tagged(all_lines(), match, start, blank_ends=True):
        count += 1
        yield parse_cnki_record(rec, file, flavour)
    log.info("%s: %d CNKI %s records", file, count, flavour)


def sniff_cnki(path: Path, head: bytes) -> bool:
    """True when the first non-blank line opens a RefWorks ('RT <type>') or EndNote ('%0 <type>') record and the
    next line is a tag of the same flavour."""
    lines = first_lines(head, 2)
    if len(lines) < 2:
        return False
    if re.match(r"^RT \S", lines[0]):
        return _match_refworks(lines[1]) is not None
    if re.match(r"^%0 \S", lines[0]):
        return _match_endnote(lines[1]) is not None
    return False
