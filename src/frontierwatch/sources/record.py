"""The common shape every source connector yields: a parsed `Record` or a `Reject`.

Connectors only parse; validation, identity and storage happen in the ingest runner so that every
source is held to the same rules (see `frontierwatch.sources.ingest`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

KINDS = ("paper", "patent", "achievement")


@dataclass(slots=True)
class Institution:
    """An affiliation as the source gave it. `type` uses OpenAlex's vocabulary
    (education, company, government, facility, healthcare, nonprofit, archive, other). `province` (ISO 3166-2:CN,
    e.g. 'CN-HB') and `city` are set for Chinese affiliations; `address` is the affiliation text as the source
    wrote it, e-mail addresses removed (see `frontierwatch.sources.affiliations`)."""

    name: str
    type: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, upper case
    ror: str | None = None
    province: str | None = None
    city: str | None = None
    address: str | None = None


@dataclass(slots=True)
class Record:
    """One bibliographic or patent record, normalised across sources.

    `ids` holds identifiers by scheme: ``doi``, ``arxiv``, ``openalex``, ``patent`` (strong ids used for
    identity) and any others the source has (``pmid``, ``wos``, ``scopus``, ``cnki``, ``application``...).
    `line` is the 1-based line number for line-oriented files, else the 1-based record ordinal in the file.
    """

    title: str
    source: str
    file: str
    line: int
    kind: str = "paper"
    abstract: str | None = None
    language: str | None = None
    published: date | None = None
    categories: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    venue: str | None = None
    authors: list[str] = field(default_factory=list)
    institutions: list[Institution] = field(default_factory=list)
    cited_by_count: int | None = None
    cited_by_year: dict[int, int] | None = None  # citations received per year, where the source itemises them
    references: list[str] = field(default_factory=list)
    year: int | None = None  # only when the source has a year but no full date
    updated: str | None = None  # the source's version stamp (OpenAlex updated_date): a newer copy replaces an older


@dataclass(slots=True)
class Reject:
    """A record (or a stretch of a file) that could not be used, with the reason and raw text."""

    file: str
    line: int
    reason: str
    raw: str = ""
