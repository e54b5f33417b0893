"""One OpenAlex work object → `Record`: ids (DOI, arXiv, PubMed, OpenAlex), the abstract rebuilt from OpenAlex's
inverted index, categories from topics and concepts (both schemas), venue, authors and institutions, dates,
citations by year and the version stamp (`updated_date`). `sources.openalex` reads the files and calls it."""
from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import orjson

from frontierwatch.sources.lines import RAW_LIMIT
from frontierwatch.sources.record import Institution, Record, Reject
from frontierwatch.store.identity import parse_doi

__all__ = ["ID_PREFIXES", "KIND_BY_PREFIX", "MIN_CONCEPT_LEVEL", "MIN_CONCEPT_SCORE", "SOURCE", "rebuild_abstract", "short_openalex_id",
           "work_to_record"]

SOURCE = "openalex"
KIND_BY_PREFIX = {"W": "works", "A": "authors", "I": "institutions", "S": "sources", "V": "venues",
                  "C": "concepts", "F": "funders", "P": "publishers", "T": "topics"}
MIN_CONCEPT_LEVEL = 1
MIN_CONCEPT_SCORE = 0.3
ID_PREFIXES = ("https://openalex.org/", "http://openalex.org/", "openalex.org/")
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+?)(?:v\d+)?$", re.I)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([a-z\-]+(?:\.[a-z]{2})?/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?", re.I)
_DIGITS = re.compile(r"(\d+)/?$")


def short_openalex_id(value: Any) -> str | None:
    """'https://openalex.org/W123' → 'W123' (already-short ids pass through); None for empty values."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    for prefix in ID_PREFIXES:
        if value.lower().startswith(prefix):
            return value[len(prefix):]
    return value


def rebuild_abstract(inverted: Any) -> str | None:
    """Text of an ``abstract_inverted_index`` ({word: [positions]}), words put back in position order.

    Also accepts the index as a JSON string and the MAG form ``{"IndexLength": n, "InvertedIndex": {...}}``.
    """
    if isinstance(inverted, str):
        try:
            inverted = json.loads(inverted)
        except ValueError:
            return None
    if isinstance(inverted, dict) and isinstance(inverted.get("InvertedIndex"), dict):
        inverted = inverted["InvertedIndex"]
    if not isinstance(inverted, dict) or not inverted:
        return None
    words: dict[int, str] = {}
    for word, positions in inverted.items():
        for position in positions or ():
            if isinstance(position, int):
                words[position] = word
    text = " ".join(words[p] for p in sorted(words)).strip()
    return text or None


def _clean(value: Any) -> str | None:
    return (" ".join(value.split()) or None) if isinstance(value, str) else None


def _locations(work: dict) -> list[dict]:
    found = [work.get("primary_location"), *(work.get("locations") or []), work.get("best_oa_location"),
             work.get("host_venue"), *(work.get("alternate_host_venues") or [])]
    return [loc for loc in found if isinstance(loc, dict)]


def _arxiv_id(doi: str | None, work: dict) -> str | None:
    if doi and (m := _ARXIV_DOI.match(doi)):
        return m.group(1)
    for loc in _locations(work):
        for key in ("landing_page_url", "pdf_url", "url"):
            url = loc.get(key)
            if isinstance(url, str) and (m := _ARXIV_URL.search(url)):
                return m.group(1)
    return None


def _work_ids(work: dict) -> dict[str, str]:
    given = work.get("ids") if isinstance(work.get("ids"), dict) else {}
    ids: dict[str, str] = {}
    if openalex := short_openalex_id(work.get("id") or given.get("openalex")):
        ids["openalex"] = openalex
    if doi := parse_doi(work.get("doi") or given.get("doi")):
        ids["doi"] = doi
    for scheme, prefix in (("pmid", ""), ("pmcid", "PMC"), ("mag", "")):
        value = given.get(scheme)
        if value is not None and (m := _DIGITS.search(str(value).strip())):
            ids[scheme] = prefix + m.group(1)
    if arxiv := _arxiv_id(doi, work):
        ids["arxiv"] = arxiv
    return ids


def _categories(work: dict) -> list[str]:
    names: list[str] = []
    topics = [work.get("primary_topic"), *(work.get("topics") or [])]
    names += ["openalex-topic:" + n for t in topics if isinstance(t, dict) and (n := _clean(t.get("display_name")))]
    for concept in work.get("concepts") or []:
        try:  # 2022 dumps give scores as strings
            level, score = int(concept.get("level") or 0), float(concept.get("score") or 0)
        except (TypeError, ValueError, AttributeError):
            continue
        if level >= MIN_CONCEPT_LEVEL and score >= MIN_CONCEPT_SCORE and (n := _clean(concept.get("display_name"))):
            names.append("concept:" + n)
    return list(dict.fromkeys(names))


def _venue(work: dict) -> str | None:
    for loc in _locations(work):
        source = loc.get("source") if isinstance(loc.get("source"), dict) else loc  # host_venue is the source
        if "display_name" in source and (name := _clean(source.get("display_name"))):
            return name
    return None


def _people(work: dict) -> tuple[list[str], list[Institution]]:
    authors: list[str] = []
    institutions: dict[str, Institution] = {}
    for authorship in work.get("authorships") or []:
        if not isinstance(authorship, dict):
            continue
        author = authorship.get("author") if isinstance(authorship.get("author"), dict) else {}
        if name := _clean(author.get("display_name")) or _clean(authorship.get("raw_author_name")):
            authors.append(name)
        for inst in authorship.get("institutions") or []:
            if not isinstance(inst, dict) or not (inst_name := _clean(inst.get("display_name"))):
                continue
            ror = inst.get("ror")
            ror = ror.rstrip("/").rsplit("/", 1)[-1] if isinstance(ror, str) and ror.strip() else None
            key = ror or inst_name.lower()
            if key not in institutions:
                country = inst.get("country_code")
                institutions[key] = Institution(name=inst_name, type=inst.get("type") or None,
                                                country=country.upper() if isinstance(country, str) and country
                                                else None, ror=ror)
    return authors, list(institutions.values())


def _published(work: dict) -> tuple[date | None, int | None]:
    try:
        return date.fromisoformat(str(work.get("publication_date"))[:10]), None
    except ValueError:
        year = work.get("publication_year")
        return None, year if isinstance(year, int) else None


def _cited_by_year(work: dict) -> dict[int, int] | None:
    """``counts_by_year`` as {year: citations received that year} (OpenAlex lists recent years, omitting zeros)."""
    out = {}
    for row in work.get("counts_by_year") or []:
        if isinstance(row, dict) and isinstance(row.get("year"), int) and isinstance(row.get("cited_by_count"), int):
            out[row["year"]] = out.get(row["year"], 0) + row["cited_by_count"]
    return out or None


def work_to_record(work: Any, file: str, line: int, raw: str | None = None) -> Record | Reject:
    """Map one OpenAlex work (either schema) to a `Record`, or a `Reject` saying what is missing.

    ``ids``: openalex (short 'W…'), doi (lower case, bare), pmid, pmcid ('PMC…'), mag, arxiv (from a
    10.48550/arXiv DOI or an arxiv.org/abs|pdf location). Institutions are de-duplicated by ROR id (bare, e.g.
    '05dxps055') or name; authors keep their order. `raw` is the source text for the Reject (else re-serialised).
    """
    def reject(reason: str) -> Reject:
        text = raw if raw is not None else orjson.dumps(work).decode("utf-8", "replace")
        return Reject(file, line, reason, text[:RAW_LIMIT])

    if not isinstance(work, dict):
        return reject(f"expected a JSON object for an OpenAlex work, got {type(work).__name__}")
    wid = short_openalex_id(work.get("id"))
    if wid and wid[:1] in KIND_BY_PREFIX and wid[:1] != "W" and wid[1:].isdigit():
        return reject(f"OpenAlex {KIND_BY_PREFIX[wid[0]]} entity {wid}, not a work")
    title = _clean(work.get("title")) or _clean(work.get("display_name"))
    if not title:
        return reject(f"work {wid or '(no id)'} has no title (title and display_name are empty)")
    authors, institutions = _people(work)
    published, year = _published(work)
    cited = work.get("cited_by_count")
    return Record(
        title=title, source=SOURCE, file=file, line=line,
        kind="patent" if work.get("type") == "patent" else "paper",
        abstract=rebuild_abstract(work.get("abstract_inverted_index")) or _clean(work.get("abstract")),
        language=work.get("language") or None, published=published, year=year,
        categories=_categories(work), ids=_work_ids(work), venue=_venue(work),
        authors=authors, institutions=institutions, cited_by_count=cited if isinstance(cited, int) else None,
        cited_by_year=_cited_by_year(work),
        references=[r for r in map(short_openalex_id, work.get("referenced_works") or []) if r],
        updated=_updated(work, file),
    )


def _updated(work: dict, file: str) -> str | None:
    """The version stamp of this copy of the work: its ``updated_date`` ('2023-10-22T04:49:10.253446'), else the
    snapshot partition it was read from (``updated_date=2023-05-16``), else None."""
    stamp = work.get("updated_date")
    if isinstance(stamp, str) and stamp[:4].isdigit():
        return stamp
    found = re.search(r"updated_date=(\d{4}-\d{2}-\d{2})", file)
    return found.group(1) if found else None
