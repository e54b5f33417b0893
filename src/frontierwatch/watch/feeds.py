"""Atom feeds (RFC 4287): catalog editions, the topics of one direction, approved release-hall items.

Pure functions from the core's records to Atom XML, so the web routes only fetch and return. Every feed has an
id, a title, an updated time, an author and a ``self`` link; every entry an id, a title, an updated time, an
alternate link to its page and a summary, in the requested language (``xml:lang``). Entry ids are stable tag
URIs; a direction's topic entries carry the map date in their id, so a reader sees a topic again when a new map
changes its figures.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from xml.etree import ElementTree as ET

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TAG = "tag:frontierwatch.org,2026:"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
AUTHOR = {"zh": "未来产业瞭望站", "en": "frontierwatch"}


@dataclass
class Entry:
    """One feed entry: ``id`` (a tag-URI suffix), ``title``, ``updated``, ``link`` (page path), ``summary``."""

    id: str
    title: str
    updated: datetime | date | str | None
    link: str
    summary: str
    categories: list[str] = field(default_factory=list)


def rfc3339(value: datetime | date | str | None) -> str:
    """An Atom date: a naive datetime is taken as UTC (the server's clock), a date as its midnight UTC."""
    if value is None:
        value = datetime(1970, 1, 1)
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(feed_id: str, title: str, base_url: str, self_path: str, page_path: str, entries: list[Entry],
              lang: str = "zh", subtitle: str | None = None) -> bytes:
    """The Atom document of `entries` (newest first as given); `updated` is the newest entry's time."""
    ET.register_namespace("", ATOM_NS)
    base = base_url.rstrip("/")

    def sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {XML_LANG: lang})
    sub(feed, "id", TAG + feed_id)
    sub(feed, "title", title)
    if subtitle:
        sub(feed, "subtitle", subtitle)
    stamps = [rfc3339(e.updated) for e in entries]
    sub(feed, "updated", max(stamps) if stamps else rfc3339(None))
    author = sub(feed, "author")
    sub(author, "name", AUTHOR.get(lang, AUTHOR["en"]))
    sub(feed, "link", rel="self", type="application/atom+xml", href=base + self_path)
    sub(feed, "link", rel="alternate", type="text/html", href=base + page_path)
    sub(feed, "generator", "frontierwatch")
    for e, stamp in zip(entries, stamps):
        entry = sub(feed, "entry")
        sub(entry, "id", TAG + e.id)
        sub(entry, "title", e.title)
        sub(entry, "updated", stamp)
        sub(entry, "link", rel="alternate", type="text/html", href=base + e.link)
        sub(entry, "summary", e.summary)
        for term in e.categories:
            sub(entry, "category", term=term)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
