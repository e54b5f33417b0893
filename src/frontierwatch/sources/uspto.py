"""USPTO full-text patent XML → `Record`: grants and applications from 2001 on, streamed one document at a time.

Supported (the root element names the format):

- ``us-patent-grant`` — weekly grant files, DTD v4.0 (2004, ``xml2004``) to v4.5+ (``xml2006``, ``xml2014``);
- ``us-patent-application`` — weekly application files from 2005 (``xmlApp2004``);
- ``patent-application-publication`` — the 2001–2004 application format (``pap``).

USPTO bulk files concatenate thousands of XML documents, each with its own ``<?xml …?>`` declaration and
DOCTYPE, so the file as a whole is not XML. `read_uspto` reads lines, cuts a new document at every line that
starts with ``<?xml``, strips the prolog (the DOCTYPE internal subsets list image ENTITYs that a
non-validating parser cannot use) and replaces HTML / ISO named entities (``&lsquo;``, ``&minus;``, ``&agr;``)
by their characters before handing the document to ``xml.etree.ElementTree``. Memory holds one document.
Only the front matter is parsed: the document is cut after its abstract (description and claims are most of
the bytes and feed no `Record` field), so a fault inside the description does not reject the patent.
``.gz`` files and ``.zip`` archives of such files (the USPTO bulk download form) are read directly.

Recognised but not parsed yet: the 2001–2004 ST.32 grants (``PATDOC``, folder ``sgml``), the 1976–2001 APS
"greenbook" text and the BRS text dumps. `unsupported_reason(path, head)` names them ("… is not supported
yet"), so the format detector can list such a file as skipped with that reason. `sniff_uspto` answers False
for them: a sniffer says "this connector can read it", and a yes would make the ingest run of a folder holding
one such file fail. Read anyway (``--source uspto``), `read_uspto` raises `UnsupportedPatentFormat` (an
`InputError` with the same reason in English and Chinese) before yielding anything.

Assignee country: the address's ``country``; when it is missing (or "unknown") but the address has a US state
code, the country is taken to be ``US`` — USPTO writes the state and leaves the country out for US
addresses. An assignee with no address gets no country. Assignee type is ``company`` unless the name is
obviously a university (``education``) or a government body (``government``); an individual person who owns
the patent gets type None (OpenAlex's vocabulary has no type for people).
"""
from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

from frontierwatch.errors import InputError
from frontierwatch.sources.record import Institution, Record, Reject
from frontierwatch.sources.uspto_files import (UNSUPPORTED, decoded, open_streams, plain_head, replace_entities,
                                                  split_documents, supported_root, unsupported_format,
                                                  without_prolog)

log = logging.getLogger(__name__)

SOURCE = "uspto"
NPL_MAX_CHARS = 300

_ROOT_TAG = re.compile(r"\s*(?:<!--.*?-->\s*)*<([A-Za-z][\w.-]*)", re.S)
_CLASS_SYMBOL = re.compile(r"^([A-HY]\d\d[A-Z])\s*0*(\d+)\s*/\s*(\d+)")
_US_STATES = set(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP".split())
_UNIVERSITY = re.compile(r"universit|college|polytechnic|institute of technology|hochschule|école|ecole|"
                         r"regents of|board of trustees|school of", re.I)
_GOVERNMENT = re.compile(r"united states of america|secretary of|government|ministry|department of|"
                         r"national aeronautics|commissariat|\bnavy\b|\barmy\b|air force|national institutes? of",
                         re.I)
# USPTO assignee type codes (grant <role>, pap <assignee-type>): 02/03 US/foreign company,
# 04/05 US/foreign individual, 06/07 US/foreign government.
_GOVERNMENT_CODES = {"06", "07"}
_PERSON_CODES = {"04", "05"}


class UnsupportedPatentFormat(InputError):
    """A USPTO file in a format recognised but not parsed yet (ST.32 PATDOC, APS greenbook, BRS text)."""


def read_uspto(path: str | Path) -> Iterator[Record | Reject]:
    """Yield one `Record` per patent document in a USPTO XML file, or a `Reject` (file, ordinal, reason).

    `Record.line` is the 1-based ordinal of the XML document in the file. A document is rejected when it does
    not parse, has no title or no publication number; the documents around it are kept. A compressed file
    that breaks off ends with one `Reject` after every complete document before the break. Raises
    `UnsupportedPatentFormat` for the older formats (see `unsupported_reason`).

    >>> records = [r for r in read_uspto("ipg150106.xml") if isinstance(r, Record)]  # doctest: +SKIP
    """
    file = str(path)
    with ExitStack() as stack:
        streams = open_streams(Path(path), stack)
        first = next(streams, None)
        if first is None:
            return
        head = first.peek(65536)[:65536] if hasattr(first, "peek") else b""
        reason = unsupported_format(head)
        if reason:
            en, zh = UNSUPPORTED[reason]
            raise UnsupportedPatentFormat(f"{file}: {en}; convert it to USPTO XML or leave it out of the ingest.",
                                          f"{file}：{zh}；请转换为 USPTO XML 格式或不导入该文件。")
        good = bad = ordinal = 0
        try:
            for ordinal, raw in split_documents([first, *streams]):
                item = parse_patent_document(raw, file, ordinal)
                good, bad = (good + 1, bad) if isinstance(item, Record) else (good, bad + 1)
                yield item
        except (EOFError, OSError, zlib.error, zipfile.BadZipFile) as err:
            bad += 1
            yield Reject(file, ordinal + 1, f"truncated or corrupt compressed stream after document {ordinal}: {err}")
        log.info("uspto %s: %d records, %d rejects", file, good, bad)


def sniff_uspto(path: str | Path, head: bytes) -> bool:
    """True when `head` (the first bytes of the file) is USPTO XML that `read_uspto` can read.

    A compressed head (gzip, zip) is decompressed from `path` first. The older USPTO formats answer False
    here and are named by `unsupported_reason`.
    """
    return supported_root(plain_head(Path(path), head)) is not None


def unsupported_reason(path: str | Path, head: bytes) -> str | None:
    """The English reason a recognised USPTO file cannot be read yet (None when it can be, or is not USPTO)."""
    name = unsupported_format(plain_head(Path(path), head))
    return UNSUPPORTED[name][0] if name else None


def parse_patent_document(raw: bytes, file: str, ordinal: int) -> Record | Reject:
    """Parse one XML document (bytes of one ``<?xml …?>`` … document) into a `Record` or a `Reject`."""
    text = decoded(raw)
    body = replace_entities(_front_matter(without_prolog(text)))
    try:
        root = ET.fromstring(body)
    except ET.ParseError as err:
        return Reject(file, ordinal, f"XML document does not parse: {err}", text)
    if root.tag == "patent-application-publication":
        record = _from_pap(root, file, ordinal)
    elif root.tag in ("us-patent-grant", "us-patent-application"):
        record = _from_us_patent(root, file, ordinal)
    else:
        return Reject(file, ordinal, f"root element <{root.tag}> is not a USPTO grant or application", text)
    if not record.ids.get("patent"):
        return Reject(file, ordinal, "document has no publication number (doc-number)", text)
    if not record.title:
        return Reject(file, ordinal, f"{record.ids['patent']} has no invention title", text)
    return record


def _front_matter(body: str) -> str:
    """The document cut after its abstract and closed, when the abstract comes before the description.

    Description and claims are most of a patent's bytes and give no field of `Record`; leaving them out makes
    parsing several times faster. A document without an abstract before its description is kept whole.
    """
    root = _ROOT_TAG.match(body)
    if root is None:
        return body
    end_tag = "</subdoc-abstract>" if root.group(1) == "patent-application-publication" else "</abstract>"
    end = body.find(end_tag)
    description = body.find("<description" if end_tag == "</abstract>" else "<subdoc-description")
    if end == -1 or (description != -1 and description < end):
        return body
    return f"{body[:end + len(end_tag)]}</{root.group(1)}>"


# ---------------------------------------------------------------- formats from 2004 on: us-patent-grant / -application

def _from_us_patent(root: ET.Element, file: str, ordinal: int) -> Record:
    biblio = root.find("us-bibliographic-data-grant")
    if biblio is None:
        biblio = root.find("us-bibliographic-data-application")
    if biblio is None:
        biblio = ET.Element("empty")
    pub = biblio.find("publication-reference/document-id")
    app = biblio.find("application-reference/document-id")
    ids = _patent_ids(
        country=_text(pub, "country") or "US", number=_text(pub, "doc-number"), kind=_text(pub, "kind"),
        application=_text(app, "doc-number"), series=_text(biblio, "us-application-series-code"),
        filed=_text(app, "date"))
    published, year = _date(_text(pub, "date"))
    return Record(
        title=_text(biblio, "invention-title"), source=SOURCE, file=file, line=ordinal, kind="patent",
        abstract=_abstract(root.find("abstract")), language="en", published=published, year=year,
        categories=_us_patent_classes(biblio), ids=ids, venue="USPTO", authors=_us_patent_inventors(biblio),
        institutions=[i for i in map(_assignee, biblio.iterfind("assignees/assignee")) if i.name],
        references=_us_patent_citations(biblio))


def _us_patent_classes(biblio: ET.Element) -> list[str]:
    """CPC first (main then further), then IPC (IPCR parts, or edition-7 main/further strings)."""
    cpc = [*biblio.iterfind("classifications-cpc/main-cpc/classification-cpc"),
           *biblio.iterfind("classifications-cpc/further-cpc//classification-cpc")]
    found = [f"cpc:{_class_from_parts(c)}" for c in cpc]
    found += [f"ipc:{_class_from_parts(c)}" for c in biblio.iterfind("classifications-ipcr/classification-ipcr")]
    for ipc in biblio.iterfind("classification-ipc"):
        found += [f"ipc:{_class_symbol(_clean(e))}" for e in ipc
                  if e.tag in ("main-classification", "further-classification")]
    return _unique(c for c in found if not c.endswith(":"))


def _us_patent_inventors(biblio: ET.Element) -> list[str]:
    """Inventors (``inventors/inventor``); the 2004–2012 DTDs list them as applicants of type applicant-inventor."""
    people = biblio.findall("us-parties/inventors/inventor") or biblio.findall("parties/inventors/inventor")
    if not people:
        people = [a for a in [*biblio.iterfind("parties/applicants/applicant"),
                              *biblio.iterfind("us-parties/us-applicants/us-applicant")]
                  if "inventor" in a.get("app-type", "")]
    names = (_person_name(p.find("addressbook")) for p in people)
    return [n for n in names if n]


def _us_patent_citations(biblio: ET.Element) -> list[str]:
    refs: list[str] = []
    for cit in [*biblio.iterfind("us-references-cited/us-citation"), *biblio.iterfind("references-cited/citation")]:
        doc = cit.find("patcit/document-id")
        if doc is not None:
            number = _patent_number(_text(doc, "country") or "US", _text(doc, "doc-number"))
            if number:
                refs.append(f"patent:{number}")
        npl = _text(cit, "nplcit")
        if npl:
            refs.append(f"npl:{npl[:NPL_MAX_CHARS]}")
    return _unique(refs)


def _assignee(node: ET.Element) -> Institution:
    """Assignee in any of the layouts: orgname / names directly under assignee (2004) or in an addressbook."""
    org = _text(node, ".//orgname")
    name = org or _person_name(node.find("addressbook") if node.find("addressbook") is not None else node)
    kind = _institution_type(name, _text(node, ".//role"), is_organisation=bool(org))
    return Institution(name=name, type=kind, country=_country(_text(node, ".//country"), _text(node, ".//state")))


# ---------------------------------------------------------------- 2001–2004 applications (pap)

def _from_pap(root: ET.Element, file: str, ordinal: int) -> Record:
    bib = root.find("subdoc-bibliographic-information")
    if bib is None:
        bib = ET.Element("empty")
    doc = bib.find("document-id")
    filing = bib.find("domestic-filing-data")
    ids = _patent_ids(
        country="US", number=_text(doc, "doc-number"), kind=_text(doc, "kind-code"),
        application=_text(filing, "application-number/doc-number"),
        series=_text(filing, "application-number-series-code"), filed=_text(filing, "filing-date"))
    published, year = _date(_text(doc, "document-date"))
    ipc = bib.find("technical-information/classification-ipc")
    classes = [] if ipc is None else [
        f"ipc:{_class_symbol(_clean(e))}" for e in ipc.iterfind(".//ipc")]
    inventors = [_person_name(p.find("name")) for p in bib.iterfind("inventors/*")]
    return Record(
        title=_text(bib, "technical-information/title-of-invention"), source=SOURCE, file=file, line=ordinal,
        kind="patent", abstract=_abstract(root.find("subdoc-abstract")), language="en", published=published,
        year=year, categories=_unique(c for c in classes if not c.endswith(":")), ids=ids, venue="USPTO",
        authors=[n for n in inventors if n],
        institutions=[i for i in map(_pap_assignee, bib.iterfind("assignee")) if i.name])


def _pap_assignee(node: ET.Element) -> Institution:
    org = _text(node, "organization-name")
    name = org or _person_name(node.find("name"))
    kind = _institution_type(name, _text(node, "assignee-type"), is_organisation=bool(org))
    country = _country(_text(node, ".//country-code"), _text(node, ".//state"))
    return Institution(name=name, type=kind, country=country)


# ---------------------------------------------------------------- shared field helpers

def _patent_ids(*, country: str, number: str, kind: str, application: str, series: str, filed: str) -> dict[str, str]:
    """ids: patent ('US6970935'), patent_kind ('B1'), application ('US09/703,574'), filed (ISO date)."""
    ids: dict[str, str] = {}
    patent = _patent_number(country, number)
    if patent:
        ids["patent"] = patent
    if kind:
        ids["patent_kind"] = kind
    if application:
        ids["application"] = _application_number(application, series)
    filed_on, _ = _date(filed)
    if filed_on:
        ids["filed"] = filed_on.isoformat()
    return ids


def _patent_number(country: str, number: str) -> str:
    """'US' + '08930553' → 'US8930553'; '2007/0140112' → 'US20070140112'; 'D0435854' → 'USD435854'."""
    number = re.sub(r"[\s/,.-]", "", number.upper())
    if not number:
        return ""
    prefix, digits = re.match(r"^([A-Z]*)(.*)$", number).groups()
    if prefix.startswith(country.upper()) and len(prefix) >= 2:
        prefix = prefix[len(country):]
    return f"{country.upper()}{prefix}{digits.lstrip('0') or '0'}"


def _application_number(number: str, series: str) -> str:
    """'10991571' → 'US10/991,571'; a 6-digit number takes its series code; other shapes are kept as given."""
    digits = re.sub(r"\D", "", number)
    if len(digits) == 6 and len(series) == 2 and series.isdigit():
        digits = series + digits
    if len(digits) == 8 and digits == re.sub(r"[\s/,]", "", number):
        return f"US{digits[:2]}/{digits[2:5]},{digits[5:]}"
    return f"US{number.strip()}"


def _class_from_parts(node: ET.Element) -> str:
    """IPCR / CPC parts (section, class, subclass, main-group, subgroup) → 'H01M10/0525'."""
    section, klass, sub = _text(node, "section"), _text(node, "class"), _text(node, "subclass")
    group, subgroup = _text(node, "main-group"), _text(node, "subgroup")
    if not (section and klass and sub and group):
        return ""
    return f"{section}{klass}{sub}{group.lstrip('0') or '0'}/{subgroup or '00'}"


def _class_symbol(text: str) -> str:
    """'G06F015/16', 'G06F 15/16' and 'G06F  15/16' → 'G06F15/16'; other shapes lose their spaces only."""
    text = text.upper().strip()
    m = _CLASS_SYMBOL.match(text)
    return f"{m.group(1)}{m.group(2)}/{m.group(3)}" if m else text.replace(" ", "")


def _abstract(node: ET.Element | None) -> str | None:
    """Abstract paragraphs joined by spaces, leaving out headings such as 'Abstract of Disclosure'."""
    if node is None:
        return None
    parts = [node.text or ""]
    for child in node:
        parts += [_clean(child) if child.tag != "heading" else "", child.tail or ""]
    text = " ".join(parts)
    return " ".join(text.split()) or None


def _person_name(node: ET.Element | None) -> str:
    if node is None:
        return ""
    parts = [_text(node, tag) for tag in ("first-name", "given-name", "middle-name", "last-name", "family-name",
                                          "suffix", "name-suffix")]
    name = " ".join(p for p in parts if p)
    return name or _text(node, "name") or _text(node, "orgname")


def _institution_type(name: str, code: str, *, is_organisation: bool) -> str | None:
    """education / government / company from the name and the USPTO type code; None for an individual."""
    if code in _PERSON_CODES or not is_organisation:
        return None
    if code in _GOVERNMENT_CODES:
        return "government"
    if _UNIVERSITY.search(name):
        return "education"
    if _GOVERNMENT.search(name):
        return "government"
    return "company"


def _country(country: str, state: str) -> str | None:
    country = country.strip().upper()
    if len(country) == 2 and country.isalpha():
        return country
    return "US" if state.strip().upper() in _US_STATES else None


def _date(text: str) -> tuple[date | None, int | None]:
    """'20051129' → (date, None); '20101100' (no day) → (None, 2010); '' → (None, None)."""
    text = text.strip()
    if not re.fullmatch(r"\d{8}", text):
        return None, None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:])), None
    except ValueError:
        return None, int(text[:4]) if text[:4] != "0000" else None


def _text(node: ET.Element | None, path: str) -> str:
    """Whitespace-collapsed text of the first element at `path` (all its descendants), '' when absent."""
    if node is None:
        return ""
    found = node.find(path)
    return _clean(found) if found is not None else ""


def _clean(node: ET.Element) -> str:
    return " ".join("".join(node.itertext()).split())


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
