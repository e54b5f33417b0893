"""Document identity: normalised identifiers and the keys that make one work one document.

A record's *strong* keys (DOI, arXiv id, OpenAlex id, patent number, and exact ids such as PMID, WoS UT, Scopus
EID, CSL hash) match exactly. When none matches, a *title key* (normalised title + year) may match — but only a
document that holds no strong key of a scheme the record also has (two arXiv papers called "Erratum" in the same year
stay two documents), and only for titles long enough to be distinctive.
"""
from __future__ import annotations

import re
import unicodedata

from frontierwatch.text import has_cjk, to_simplified

STRONG_SCHEMES = ("arxiv", "doi", "openalex", "patent", "pmid", "wos", "scopus", "cnki", "csl")
MIN_TITLE_KEY_CHARS = 20
MIN_CJK_TITLE_KEY_CHARS = 8  # Chinese titles carry more per character and are often short

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_ARXIV_PREFIX = re.compile(r"^(?:https?://arxiv\.org/(?:abs|pdf)/|arxiv:)", re.I)
_ARXIV_VERSION = re.compile(r"v\d+$")
_OPENALEX_PREFIX = re.compile(r"^https?://openalex\.org/", re.I)
_PATENT = re.compile(r"^([A-Z]{2})\s*([A-Z]{0,2})0*(\d+)$")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_doi(doi: str) -> str:
    """The key form of a DOI: resolver prefix ('https://doi.org/', 'doi:') removed, lower case."""
    return _DOI_PREFIX.sub("", doi.strip()).strip().lower()


def parse_doi(value) -> str | None:
    """A bare lower-case DOI ('10.1103/physrevlett.108.208701') from a field holding a DOI, 'doi:…' or a doi.org
    URL (its first word); None when the field holds no DOI. The one DOI parser of the connectors."""
    if not isinstance(value, str) or not value.strip():
        return None
    doi = normalise_doi(value.split()[0])
    return doi if doi.startswith("10.") and "/" in doi else None


def normalise_arxiv(arxiv_id: str) -> str:
    return _ARXIV_VERSION.sub("", _ARXIV_PREFIX.sub("", arxiv_id.strip())).lower()


def normalise_openalex(oid: str) -> str:
    return _OPENALEX_PREFIX.sub("", oid.strip()).upper()


def normalise_patent(number: str) -> str:
    """'US 06,970,935 B1' → 'US6970935' (kind code dropped; a design patent keeps its 'D')."""
    compact = re.sub(r"[\s,/-]", "", number.strip().upper())
    compact = re.sub(r"([0-9])[A-Z][0-9]?$", r"\1", compact)
    m = _PATENT.match(compact)
    return f"{m.group(1)}{m.group(2)}{m.group(3)}" if m else compact


_NORMALISERS = {"doi": normalise_doi, "arxiv": normalise_arxiv, "openalex": normalise_openalex, "patent": normalise_patent}


def normalise_id(scheme: str, value: str) -> str:
    fn = _NORMALISERS.get(scheme)
    return fn(value) if fn else value.strip()


def normalise_title(title: str) -> str:
    """Case-, accent-, punctuation- and script-insensitive form of a title (Chinese kept, Traditional folded to
    Simplified, so one paper listed in both scripts is one document)."""
    text = title
    if not text.isascii():
        text = to_simplified(text)
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def strong_keys(ids: dict[str, str]) -> list[str]:
    """Keys like 'doi:10.1/x', in STRONG_SCHEMES order, for the ids a record carries."""
    keys = []
    for scheme in STRONG_SCHEMES:
        value = ids.get(scheme)
        if value and value.strip():
            keys.append(f"{scheme}:{normalise_id(scheme, value)}")
    return keys


def title_key(title: str, year: int | None) -> str | None:
    norm = normalise_title(title)
    limit = MIN_CJK_TITLE_KEY_CHARS if has_cjk(norm) else MIN_TITLE_KEY_CHARS
    if year is None or len(norm) < limit:
        return None
    return f"title:{norm}|{year}"


def scheme_of(key: str) -> str:
    return key.split(":", 1)[0]
