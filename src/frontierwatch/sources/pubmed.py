"""PubMed/MEDLINE XML → `Record`: the ``PubmedArticleSet`` files of the baseline and daily updates (2019+ DTD).

Read with ``iterparse`` one ``<PubmedArticle>`` at a time (each cleared once read), plain or ``.gz``. Fields:

- title ``ArticleTitle`` (inline markup such as ``<i>``/``<sup>`` kept as text; the trailing full stop MEDLINE
  adds is dropped; a translated title in brackets loses them), else ``VernacularTitle``;
- abstract: the ``AbstractText`` parts; a structured abstract keeps its labels ('BACKGROUND: …'), one per line;
- date: the earliest of the electronic ``ArticleDate`` and the issue's ``PubDate``. A ``PubDate`` with year and
  month but no day, or a ``MedlineDate`` range ('1998 Dec-1999 Jan', '2000 Spring'), is dated on the first day of
  the first month it names — the month is known, and an earlier day never puts a record after its publication;
  a year alone gives the year only;
- ids: ``pmid``; ``doi`` from ``ArticleIdList`` or ``ELocationID``; ``pmc`` when present;
- venue ``Journal/Title``; language ``Language`` (ISO 639-2 → 639-1, 'eng' → 'en');
- authors 'ForeName LastName' (or ``CollectiveName``); every author ``AffiliationInfo/Affiliation`` is read by
  `frontierwatch.sources.affiliations` into institutions with country, type, Chinese province and city, e-mail
  addresses removed;
- categories: MeSH descriptors 'mesh:<name>' then author keywords 'kw:<keyword>'.

`Record.line` is the ordinal of the article in the file. An article without a title becomes a `Reject`; a file
that breaks off (bad XML, truncated gzip) yields every article before the break and one `Reject` for the break.
``<DeleteCitation>`` lists (PMIDs NLM withdrew) hold no articles and are logged, not applied.
"""
from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

from frontierwatch.sources.affiliations import parse_affiliations
from frontierwatch.sources.lines import RAW_LIMIT, open_binary
from frontierwatch.sources.record import Institution, Record, Reject

log = logging.getLogger(__name__)

SOURCE = "pubmed"
_BROKEN = (ET.ParseError, EOFError, OSError, zlib.error)
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"), start=1)}
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_LANGUAGES = {"eng": "en", "chi": "zh", "zho": "zh", "ger": "de", "deu": "de", "fre": "fr", "fra": "fr",
              "spa": "es", "jpn": "ja", "rus": "ru", "ita": "it", "por": "pt", "kor": "ko", "pol": "pl",
              "dut": "nl", "nld": "nl", "tur": "tr", "cze": "cs", "ces": "cs", "hun": "hu", "swe": "sv",
              "dan": "da", "nor": "no", "fin": "fi", "gre": "el", "ell": "el", "heb": "he", "ara": "ar",
              "per": "fa", "fas": "fa", "ukr": "uk", "srp": "sr", "hrv": "hr", "slv": "sl", "slo": "sk",
              "slk": "sk", "rum": "ro", "ron": "ro", "bul": "bg", "lit": "lt", "lav": "lv", "est": "et"}


def _text(elem: ET.Element | None) -> str:
    """All text inside `elem` (inline markup flattened), whitespace squashed."""
    return " ".join("".join(elem.itertext()).split()) if elem is not None else ""


def _title(article: ET.Element) -> str:
    title = _text(article.find("ArticleTitle")) or _text(article.find("VernacularTitle"))
    if title.startswith("[") and title.endswith("].") or title.startswith("[") and title.endswith("]"):
        title = title.strip("[].")
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title


def _abstract(article: ET.Element) -> str | None:
    parts = []
    for piece in article.iterfind("Abstract/AbstractText"):
        text = _text(piece)
        if text:
            label = piece.get("Label")
            parts.append(f"{label}: {text}" if label and label.upper() not in ("UNLABELLED", "UNASSIGNED") else text)
    return "\n".join(parts) or None


def _ymd(node: ET.Element | None) -> tuple[date | None, int | None]:
    """(date, year) of a Year/Month/Day or MedlineDate node; see the module docstring for partial dates."""
    if node is None:
        return None, None
    year_text, month_text, day_text = (node.findtext(t) or "" for t in ("Year", "Month", "Day"))
    if not year_text:
        medline = node.findtext("MedlineDate") or ""
        m = re.search(r"(1[89]\d\d|20\d\d)\s*([A-Za-z]+)?", medline)
        if not m:
            return None, None
        year_text, month_text, day_text = m.group(1), m.group(2) or "", ""
    try:
        year = int(year_text)
    except ValueError:
        return None, None
    month_key = month_text.strip().lower()[:3]
    month = int(month_text) if month_text.strip().isdigit() else _MONTHS.get(month_key) or _SEASONS.get(
        month_text.strip().lower())
    if not month or not 1 <= month <= 12:
        return None, year
    try:
        return date(year, month, int(day_text) if day_text.strip().isdigit() else 1), year
    except ValueError:
        return None, year


def _dates(article: ET.Element) -> tuple[date | None, int | None]:
    printed, year = _ymd(article.find("Journal/JournalIssue/PubDate"))
    electronic, e_year = _ymd(article.find("ArticleDate"))
    found = [d for d in (printed, electronic) if d]
    if found:
        return min(found), None
    return None, year or e_year


def _ids(citation: ET.Element, data: ET.Element | None) -> dict[str, str]:
    ids = {"pmid": (citation.findtext("PMID") or "").strip()}
    for aid in (data.iterfind("ArticleIdList/ArticleId") if data is not None else ()):
        kind, value = aid.get("IdType"), (aid.text or "").strip()
        if kind == "doi" and value and "doi" not in ids:
            ids["doi"] = value
        elif kind == "pmc" and value:
            ids["pmc"] = value
    if "doi" not in ids:
        for loc in citation.iterfind("Article/ELocationID"):
            if loc.get("EIdType") == "doi" and (loc.text or "").strip():
                ids["doi"] = loc.text.strip()
                break
    return {k: v for k, v in ids.items() if v}


def _people(article: ET.Element) -> tuple[list[str], list[Institution]]:
    authors: list[str] = []
    institutions: list[Institution] = []
    seen: set[str] = set()
    for author in article.iterfind("AuthorList/Author"):
        name = " ".join(p for p in (author.findtext("ForeName"), author.findtext("LastName")) if p) \
            or _text(author.find("CollectiveName"))
        if name:
            authors.append(name)
        for aff in author.iterfind("AffiliationInfo/Affiliation"):
            text = _text(aff)
            if text and text not in seen:
                seen.add(text)
                institutions += parse_affiliations(text)
    return authors, institutions


def parse_article(node: ET.Element, file: str, ordinal: int) -> Record | Reject:
    """One ``<PubmedArticle>`` → `Record`, or a `Reject` saying (in English and Chinese) what is missing."""
    citation = node.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    if citation is None or article is None:
        return Reject(file, ordinal, "PubmedArticle has no MedlineCitation/Article / 记录缺少 MedlineCitation/Article",
                      _raw(node))
    title = _title(article)
    if not title:
        pmid = citation.findtext("PMID") or "?"
        return Reject(file, ordinal, f"PMID {pmid} has no ArticleTitle / PMID {pmid} 缺少标题（ArticleTitle）",
                      _raw(node))
    published, year = _dates(article)
    authors, institutions = _people(article)
    mesh = [f"mesh:{_text(d)}" for d in citation.iterfind("MeshHeadingList/MeshHeading/DescriptorName") if _text(d)]
    keywords = [f"kw:{_text(k)}" for k in citation.iterfind("KeywordList/Keyword") if _text(k)]
    language = (article.findtext("Language") or "").strip().lower()
    return Record(
        title=title, source=SOURCE, file=file, line=ordinal, kind="paper", abstract=_abstract(article),
        language=_LANGUAGES.get(language, "en" if not language else None), published=published, year=year,
        categories=list(dict.fromkeys(mesh + keywords)), ids=_ids(citation, node.find("PubmedData")),
        venue=_text(article.find("Journal/Title")) or None, authors=authors, institutions=institutions)


def _raw(node: ET.Element) -> str:
    return ET.tostring(node, encoding="unicode")[:RAW_LIMIT]


def read_pubmed(path: str | Path) -> Iterator[Record | Reject]:
    """Yield a `Record` (or `Reject`) per ``<PubmedArticle>`` of a PubMed XML file, plain or gzip, streamed."""
    file, ordinal, kept, deleted = str(path), 0, 0, 0
    with open_binary(Path(path)) as stream:
        root = None
        try:
            for event, elem in ET.iterparse(stream, events=("start", "end")):
                if event == "start":
                    root = elem if root is None else root
                    continue
                if elem.tag in ("PubmedArticle", "PubmedBookArticle"):
                    ordinal += 1
                    if elem.tag == "PubmedArticle":
                        item = parse_article(elem, file, ordinal)
                    else:
                        item = Reject(file, ordinal, "PubMed book articles are not read / 暂不读取 PubMed 图书条目",
                                      _raw(elem))
                    kept += isinstance(item, Record)
                    root.clear()
                    yield item
                elif elem.tag == "DeleteCitation":
                    deleted += len(elem.findall("PMID"))
                    root.clear()
        except _BROKEN as err:
            yield Reject(file, ordinal + 1, f"XML breaks off after article {ordinal}: {err} / "
                                            f"XML 在第 {ordinal} 篇之后中断：{err}")
    log.info("pubmed %s: %d articles of %d read; %d deletions listed (not applied)", file, kept, ordinal, deleted)


def sniff_pubmed(path: str | Path, head: bytes) -> bool:
    """True when the (un-gzipped) head is a PubMed article set: its DOCTYPE or root element."""
    return b"<PubmedArticleSet" in head or b"DOCTYPE PubmedArticleSet" in head
