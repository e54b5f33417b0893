"""arXiv's XML feeds → `Record`: OAI-PMH ``ListRecords`` pages (``metadataPrefix=arXiv``) and API Atom feeds.

Both map to the fields the JSON-lines arXiv reader fills, so the three arXiv sources merge cleanly:
kind 'paper', language 'en', source 'arxiv', published = date of the first version, ids ``arxiv`` (version
stripped: ``1201.0330``, ``hep-ex/0307015``) and ``doi`` (lower case, first one when several), categories with
the primary category first (the store takes ``categories[0]`` as the primary category), venue = journal-ref,
authors as 'Forenames Keyname' (a suffix such as 'Jr' is left out, as in the JSON-lines reader), institutions
from author affiliations when the feed has them (name only).

Pages are streamed with ``iterparse`` and each record is cleared once read, so a 1,000-record harvest page
stays small in memory. `Record.line` is the 1-based ordinal of the ``<record>`` / ``<entry>`` in the file,
deleted OAI records included (they are skipped, not rejected, but keep their ordinal so lines stay stable).
A file that breaks off mid-way yields the records before the break and one `Reject` for the break.
"""
from __future__ import annotations

import gzip
import logging
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree as ET

from frontierwatch.errors import InputError
from frontierwatch.sources.record import Institution, Record, Reject

log = logging.getLogger(__name__)

SOURCE = "arxiv"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
ARXIV = "{http://arxiv.org/OAI/arXiv/}"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV_ATOM = "{http://arxiv.org/schemas/atom}"

_VERSION = re.compile(r"v\d+$")
_ABS_URL = re.compile(r"^https?://(?:export\.)?arxiv\.org/abs/", re.I)
_CATEGORY = re.compile(r"^[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?$")  # leaves out ACM ('I.2.7') and MSC ('68T05')
_OAI_NO_DATA = {"noRecordsMatch"}
_BROKEN = (ET.ParseError, EOFError, OSError, zlib.error)  # bad XML, or a truncated / corrupt gzip stream


def read_arxiv_oai(path: str | Path) -> Iterator[Record | Reject]:
    """Yield a `Record` per live ``<record>`` of an OAI-PMH ListRecords page in the arXiv metadata format.

    Deleted records (``<header status="deleted">``) are skipped. A record without arXiv metadata (another
    metadataPrefix), id or title is rejected. An OAI-PMH ``<error>`` other than noRecordsMatch raises
    `InputError`: the page holds no data and the harvest request needs fixing.
    """
    file, ordinal, kept = str(path), 0, 0
    with _open(path) as stream:
        try:
            parent = None
            for event, elem in ET.iterparse(stream, events=("start", "end")):
                if event == "start":
                    if elem.tag == f"{OAI}ListRecords":
                        parent = elem
                    continue
                if elem.tag == f"{OAI}error" and elem.get("code") not in _OAI_NO_DATA:
                    raise InputError(
                        f"{file}: OAI-PMH error {elem.get('code')}: {_clean(elem)}; fix the harvest request.",
                        f"{file}：OAI-PMH 错误 {elem.get('code')}：{_clean(elem)}；请修正采集请求。")
                if elem.tag != f"{OAI}record":
                    continue
                ordinal += 1
                item = _from_oai_record(elem, file, ordinal)
                _drop(parent, elem)
                if item is not None:
                    kept += isinstance(item, Record)
                    yield item
        except _BROKEN as err:
            yield Reject(file, ordinal + 1, f"XML breaks off after record {ordinal}: {err}")
    log.info("arxiv oai %s: %d records of %d", file, kept, ordinal)


def oai_resumption_token(path: str | Path) -> str | None:
    """The page's ``resumptionToken`` (ask for the next page with it); None on the last page or when absent."""
    with _open(path) as stream:
        parent = None
        for event, elem in ET.iterparse(stream, events=("start", "end")):
            if event == "start":
                parent = elem if elem.tag == f"{OAI}ListRecords" else parent
            elif elem.tag == f"{OAI}resumptionToken":
                return (elem.text or "").strip() or None
            elif elem.tag == f"{OAI}record":
                _drop(parent, elem)
    return None


def read_arxiv_atom(path: str | Path) -> Iterator[Record | Reject]:
    """Yield a `Record` per ``<entry>`` of an arXiv API Atom feed (``export.arxiv.org/api/query``).

    The API reports a bad query as an entry whose id is ``…/api/errors#…``; it becomes a `Reject` with the
    API's message. Entries without id or title are rejected.
    """
    file, ordinal, kept = str(path), 0, 0
    with _open(path) as stream:
        try:
            root = None
            for event, elem in ET.iterparse(stream, events=("start", "end")):
                if event == "start":
                    root = elem if root is None else root
                    continue
                if elem.tag != f"{ATOM}entry":
                    continue
                ordinal += 1
                item = _from_atom_entry(elem, file, ordinal)
                _drop(root, elem)
                kept += isinstance(item, Record)
                yield item
        except _BROKEN as err:
            yield Reject(file, ordinal + 1, f"XML breaks off after entry {ordinal}: {err}")
    log.info("arxiv atom %s: %d records of %d", file, kept, ordinal)


def sniff_arxiv_oai(path: str | Path, head: bytes) -> bool:
    """True when `head` is an OAI-PMH response carrying arXiv-format metadata (gzip heads are opened)."""
    head = _plain_head(path, head)
    return b"<OAI-PMH" in head and (b"http://arxiv.org/OAI/arXiv/" in head or b'metadataPrefix="arXiv"' in head)


def sniff_arxiv_atom(path: str | Path, head: bytes) -> bool:
    """True when `head` is an Atom feed from the arXiv API (gzip heads are opened)."""
    head = _plain_head(path, head)
    return b"http://www.w3.org/2005/Atom" in head and (
        b"arxiv.org/api" in head or b"http://arxiv.org/schemas/atom" in head or b"arxiv.org/abs/" in head)


# ---------------------------------------------------------------- mapping

def _from_oai_record(elem: ET.Element, file: str, ordinal: int) -> Record | Reject | None:
    header = elem.find(f"{OAI}header")
    if header is not None and header.get("status") == "deleted":
        return None
    meta = elem.find(f"{OAI}metadata/{ARXIV}arXiv")
    if meta is None:
        ident = _text(header, f"{OAI}identifier")
        return Reject(file, ordinal, f"record {ident or '?'} has no arXiv metadata (harvest with metadataPrefix=arXiv)",
                      _raw(elem))
    arxiv_id = _VERSION.sub("", _text(meta, f"{ARXIV}id"))
    authors, institutions = [], []
    for author in meta.iterfind(f"{ARXIV}authors/{ARXIV}author"):
        name = " ".join(f"{author.findtext(f'{ARXIV}forenames', '')} {author.findtext(f'{ARXIV}keyname', '')}".split())
        if name:
            authors.append(name)
        institutions += [_clean(a) for a in author.iterfind(f"{ARXIV}affiliation")]
    return _record(
        file, ordinal, arxiv_id=arxiv_id, title=_text(meta, f"{ARXIV}title"),
        abstract=_text(meta, f"{ARXIV}abstract"), published=_date(_text(meta, f"{ARXIV}created")),
        doi=_text(meta, f"{ARXIV}doi"), categories=_text(meta, f"{ARXIV}categories").split(),
        journal_ref=_text(meta, f"{ARXIV}journal-ref"), authors=authors, affiliations=institutions, raw=elem)


def _from_atom_entry(elem: ET.Element, file: str, ordinal: int) -> Record | Reject:
    entry_id = _text(elem, f"{ATOM}id")
    if "/api/errors" in entry_id:
        return Reject(file, ordinal, f"arXiv API error: {_text(elem, f'{ATOM}summary') or entry_id}", _raw(elem))
    arxiv_id = _VERSION.sub("", _ABS_URL.sub("", entry_id))
    primary = elem.find(f"{ARXIV_ATOM}primary_category")
    categories = [primary.get("term", "")] if primary is not None else []
    categories += [c.get("term", "") for c in elem.iterfind(f"{ATOM}category")]
    authors, affiliations = [], []
    for author in elem.iterfind(f"{ATOM}author"):
        if _text(author, f"{ATOM}name"):
            authors.append(_text(author, f"{ATOM}name"))
        affiliations += [_clean(a) for a in author.iterfind(f"{ARXIV_ATOM}affiliation")]
    return _record(
        file, ordinal, arxiv_id=arxiv_id, title=_text(elem, f"{ATOM}title"),
        abstract=_text(elem, f"{ATOM}summary"), published=_date(_text(elem, f"{ATOM}published")),
        doi=_text(elem, f"{ARXIV_ATOM}doi"), categories=[c for c in categories if _CATEGORY.match(c)],
        journal_ref=_text(elem, f"{ARXIV_ATOM}journal_ref"), authors=authors, affiliations=affiliations, raw=elem)


def _record(file: str, ordinal: int, *, arxiv_id: str, title: str, abstract: str, published: date | None,
            doi: str, categories: list[str], journal_ref: str, authors: list[str], affiliations: list[str],
            raw: ET.Element) -> Record | Reject:
    if not arxiv_id:
        return Reject(file, ordinal, "record has no arXiv id", _raw(raw))
    if not title:
        return Reject(file, ordinal, f"arXiv {arxiv_id} has no title", _raw(raw))
    ids = {"arxiv": arxiv_id}
    if doi:
        ids["doi"] = doi.split()[0].lower()
    return Record(
        title=title, source=SOURCE, file=file, line=ordinal, kind="paper", abstract=abstract or None,
        language="en", published=published, categories=list(dict.fromkeys(c for c in categories if c)), ids=ids,
        venue=journal_ref or None, authors=authors,
        institutions=[Institution(name=n) for n in dict.fromkeys(affiliations) if n])


# ---------------------------------------------------------------- helpers

def _text(node: ET.Element | None, path: str) -> str:
    if node is None:
        return ""
    found = node.find(path)
    return _clean(found) if found is not None else ""


def _clean(node: ET.Element) -> str:
    return " ".join("".join(node.itertext()).split())


def _date(text: str) -> date | None:
    """'2007-03-30' or '2007-03-31T02:26:18Z' → date(2007, 3, 30/31); anything else → None."""
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _raw(elem: ET.Element) -> str:
    return ET.tostring(elem, encoding="unicode")


def _drop(parent: ET.Element | None, elem: ET.Element) -> None:
    """Free a finished record: clear it and detach it from its parent so the tree does not grow."""
    elem.clear()
    if parent is not None and len(parent) and parent[-1] is elem:
        parent.remove(elem)


@contextmanager
def _open(path: str | Path) -> Iterator[BinaryIO]:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"arXiv feed file not found: {path}; check the path.",
                         f"找不到 arXiv 文件：{path}；请检查路径。")
    with path.open("rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    with (gzip.open(path, "rb") if gz else path.open("rb")) as stream:
        yield stream


def _plain_head(path: str | Path, head: bytes) -> bytes:
    if head[:2] != b"\x1f\x8b":
        return head
    try:
        with gzip.open(path, "rb") as stream:
            return stream.read(65536)
    except (OSError, EOFError):
        return b""
