"""BibTeX / BibLaTeX reader (.bib exports of Zotero, JabRef, Google Scholar, WoS, Scopus, arXiv).

Streams the file entry by entry: an entry starts at a line beginning with ``@type{`` (or ``@type(``) and ends when
its braces balance. A malformed entry (unbalanced braces, a field without '=') becomes a `Reject` at its start
line and never swallows the entries after it: a new ``@type{key,`` at the start of a line while an entry is still
open closes the broken one. ``@string`` macros (and the month names) are expanded; ``@comment`` and ``@preamble``
are skipped. LaTeX accents and common commands are turned into plain Unicode text.

Fields taken: title; abstract; author ('Last, First and …' → 'First Last'); journal/booktitle → venue;
date (BibLaTeX, full) else year; doi (or a doi.org url) → doi; eprint with archivePrefix arXiv → arxiv;
unique-id 'WOS:…' → wos (WoS export); keywords, author_keywords → 'kw:<keyword>'; affiliation(s) → institutions;
times-cited (WoS) or note 'cited By N' (Scopus) → cited_by_count; isbn/issn are not ids. kind is 'patent' for
@patent, else 'paper'.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from frontierwatch.sources.record import Record, Reject
from frontierwatch.sources.textfile import (RAW_LIMIT, display_name, first_lines,
                                            institution_from_address, iter_text_lines, language_of, parse_date,
                                            split_list, squash)
from frontierwatch.store.identity import parse_doi

log = logging.getLogger(__name__)

MAX_ENTRY_LINES = 5000
_ENTRY_START = re.compile(r"^\s*@\s*([A-Za-z]+)\s*([{(])")
_NEW_ENTRY = re.compile(r"^@\s*[A-Za-z]+\s*[{(]\s*[^\s,{}()=\"]*\s*,")
_ENTRY_TYPES = {"article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings", "manual",
                "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished", "online",
                "report", "thesis", "patent", "dataset", "software", "electronic", "periodical", "collection",
                "string", "comment", "preamble", "preprint", "standard", "webpage"}
_BARE_VALUE = re.compile(r"[^\s,#{}\"()]+")
_FIELD_NAME = re.compile(r"([A-Za-z][\w.:+/-]*)\s*=")
_VALUE_SPECIAL = re.compile(r'[\\{}"]')
_MONTHS = {m: m for m in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")}
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "c": "\u0327", "v": "\u030c", "H": "\u030b", "u": "\u0306", "k": "\u0328", "r": "\u030a"}
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
            "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}
_ACCENT_CMD = re.compile(r"\\([\"'`^~=.])\s*(?:\{\s*\\?([A-Za-z])\s*\}|\\?([A-Za-z]))"
                         r"|\\([cvHukr])\s*(?:\{\s*\\?([A-Za-z])\s*\}|\s+([A-Za-z]))")
_LETTER_CMD = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])\s*(?:\{\})?")
_FORMAT_CMD = re.compile(r"\\(?:emph|textit|textbf|textrm|texttt|textsc|textsf|mathrm|mathbf|mathit|url|mbox|text)"
                         r"\s*(?=\{)")


def latex_to_text(value: str) -> str:
    """Plain Unicode text of a BibTeX value: accents composed, escapes and formatting braces removed."""
    def accent(m: re.Match) -> str:
        cmd = m.group(1) or m.group(4)
        letter = next(g for g in (m.group(2), m.group(3), m.group(5), m.group(6)) if g)
        return unicodedata.normalize("NFC", letter + _ACCENTS[cmd])

    text = _ACCENT_CMD.sub(accent, value)
    text = _LETTER_CMD.sub(lambda m: _LETTERS[m.group(1)], text)
    text = _FORMAT_CMD.sub("", text)
    text = re.sub(r"\\([&%$#_{}])", r"\1", text).replace("~", " ")
    text = re.sub(r"(?<!\\)[{}]", "", text)
    return squash(text)


class BibtexSyntaxError(ValueError):
    """An entry that cannot be parsed; the message says where and why."""


def _read_value(body: str, pos: int, macros: dict[str, str]) -> tuple[str, int]:
    """Parse a value (braced, quoted, number or macro, '#'-concatenated) at `pos`; return it and the end."""
    parts = []
    while True:
        while pos < len(body) and body[pos].isspace():
            pos += 1
        if pos >= len(body):
            raise BibtexSyntaxError("value runs to the end of the entry")
        ch = body[pos]
        if ch in "{\"":
            depth, i = 0, pos + 1
            closer = "}" if ch == "{" else '"'
            while True:
                m = _VALUE_SPECIAL.search(body, i)
                if m is None:
                    raise BibtexSyntaxError("unterminated value")
                c, i = m.group(), m.start()
                if c == "\\":
                    i += 2
                    continue
                if c == closer and depth == 0:
                    break
                if c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                i += 1
            parts.append(body[pos + 1:i])
            pos = i + 1
        else:
            m = _BARE_VALUE.match(body, pos)
            if not m:
                raise BibtexSyntaxError(f"unexpected character {ch!r} where a value should start")
            word = m.group(0)
            parts.append(word if word.isdigit() else macros.get(word.lower(), word))
            pos += len(word)
        while pos < len(body) and body[pos].isspace():
            pos += 1
        if pos < len(body) and body[pos] == "#":
            pos += 1
            continue
        return "".join(parts), pos


def parse_entry_text(text: str, macros: dict[str, str]) -> tuple[str, str, dict[str, str]]:
    """``(type, key, fields)`` of one complete entry; field names lower case, values raw (LaTeX kept)."""
    m = _ENTRY_START.match(text)
    if not m:
        raise BibtexSyntaxError("entry does not start with @type{")
    entry_type, pos = m.group(1).lower(), m.end()
    closer = "}" if m.group(2) == "{" else ")"
    body = text[pos:].rstrip()
    if not body.endswith(closer):
        raise BibtexSyntaxError(f"entry does not end with '{closer}'")
    body = body[:-1]
    if entry_type in ("comment", "preamble"):
        return entry_type, "", {}
    fields: dict[str, str] = {}
    key = ""
    pos = 0
    if entry_type != "string":
        comma = body.find(",")
        key = (body if comma < 0 else body[:comma]).strip()
        pos = len(body) if comma < 0 else comma + 1
    while True:
        while pos < len(body) and (body[pos].isspace() or body[pos] == ","):
            pos += 1
        if pos >= len(body):
            return entry_type, key, fields
        fm = _FIELD_NAME.match(body, pos)
        if not fm:
            raise BibtexSyntaxError(f"expected 'name = value' near {body[pos:pos + 30]!r}")
        name = fm.group(1).lower()
        value, pos = _read_value(body, fm.end(), macros)
        fields[name] = value


def entry_to_record(entry_type: str, key: str, fields: dict[str, str], file: str, line: int) -> Record | Reject:
    """Map a parsed entry to a `Record`, or a `Reject` when it has no title."""
    get = {name: latex_to_text(value) for name, value in fields.items()}
    title = get.get("title")
    if not title:
        return Reject(file, line, f"entry '{key}' has no title", str(fields)[:RAW_LIMIT])
    published, year = parse_date(get.get("date"))
    if not published:
        year = parse_date(get.get("year"))[1] or year
    ids: dict[str, str] = {}
    doi = parse_doi(get.get("doi")) or (parse_doi(get["url"]) if "doi.org/" in get.get("url", "") else None)
    if doi:
        ids["doi"] = doi
    if get.get("eprint") and get.get("archiveprefix", get.get("eprinttype", "")).lower() == "arxiv":
        ids["arxiv"] = get["eprint"]
    unique = get.get("unique-id", "")
    if unique.upper().startswith(("WOS:", "ISI:")):
        ids["wos"] = "WOS:" + unique.split(":", 1)[1]
    keywords = split_list(get.get("keywords")) + split_list(get.get("author_keywords"))
    authors = [display_name(a) for a in re.split(r"\s+and\s+", get.get("author", "")) if a.strip()]
    cited = get.get("times-cited") or next(iter(re.findall(r"cited by:?\s*(\d+)", get.get("note", ""), re.I)), None)
    affiliations = split_list(get.get("affiliation") or get.get("affiliations"), ";", commas=False)
    return Record(
        title=title, source="bibtex", file=file, line=line, kind="patent" if entry_type == "patent" else "paper",
        abstract=get.get("abstract") or None, language=language_of(title), published=published,
        year=None if published else year, categories=[f"kw:{k}" for k in dict.fromkeys(keywords)], ids=ids,
        venue=get.get("journal") or get.get("journaltitle") or get.get("booktitle") or None,
        authors=[a for a in authors if a.lower() != "others"],
        institutions=[i for a in affiliations if (i := institution_from_address(a))],
        cited_by_count=int(cited) if cited and str(cited).isdigit() else None,
    )


def _raw(lines: list[str]) -> str:
    return "\n".join(lines[:50])[:RAW_LIMIT]


def _entries(path: Path) -> Iterator[tuple[int, str | None, str, str]]:
    """Yield ``(start_line, text, reason, raw)``: the text of a complete entry (reason ''), or None, why it broke
    and the raw lines read."""
    start, buf, depth, undecodable, opener = 0, [], 0, False, "{"
    for line in iter_text_lines(path):
        text = line.text
        if buf and _NEW_ENTRY.match(text):
            reason = f"entry not closed (unbalanced braces) before the next entry at line {line.number}"
            yield start, None, reason, _raw(buf)
            buf = []
        if not buf:
            m = _ENTRY_START.match(text)
            if not m:
                if line.undecodable:
                    yield line.number, None, "line is not valid text in the file's encoding", text[:RAW_LIMIT]
                continue  # other text between entries is a comment in BibTeX
            start, depth, undecodable, opener = line.number, 0, False, m.group(2)
        buf.append(text)
        undecodable = undecodable or line.undecodable
        clean = re.sub(r"\\.", "", text)
        depth += clean.count("{") - clean.count("}")
        if opener == "(":
            depth += clean.count("(") - clean.count(")")
        if depth <= 0:
            if undecodable:
                yield start, None, "entry holds bytes that are not valid text in the file's encoding", _raw(buf)
            else:
                yield start, "\n".join(buf), "", ""
            buf = []
        elif len(buf) > MAX_ENTRY_LINES:
            yield start, None, f"entry longer than {MAX_ENTRY_LINES} lines (unbalanced braces?)", _raw(buf)
            buf = []
    if buf:
        yield start, None, "entry not closed (unbalanced braces) at the end of the file", _raw(buf)


def read_bibtex(path: Path) -> Iterator[Record | Reject]:
    """Yield a `Record` (or `Reject`) per entry of a .bib file (plain or .gz); `line` is the entry's '@' line."""
    file = str(path)
    macros = dict(_MONTHS)
    count = 0
    for start, text, reason, raw in _entries(Path(path)):
        if text is None:
            yield Reject(file, start, reason, raw)
            continue
        try:
            entry_type, key, fields = parse_entry_text(text, macros)
        except BibtexSyntaxError as exc:
            yield Reject(file, start, f"malformed BibTeX entry: {exc}", text[:RAW_LIMIT])
            continue
        if entry_type == "string":
            macros.update({k: v for k, v in fields.items()})
        elif entry_type not in ("comment", "preamble"):
            count += 1
            yield entry_to_record(entry_type, key, fields, file, start)
    log.info("%s: %d BibTeX entries", file, count)


def sniff_bibtex(path: Path, head: bytes) -> bool:
    """True when the first line that is not a '%' comment opens a known BibTeX entry type ('@article{')."""
    for line in first_lines(head, 20):
        if line.lstrip().startswith("%"):
            continue
        m = _ENTRY_START.match(line)
        return bool(m) and m.group(1).lower() in _ENTRY_TYPES
    return False
