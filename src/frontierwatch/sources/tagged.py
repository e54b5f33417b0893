"""Tagged bibliographic exports (RIS, Web of Science, RefWorks, EndNote): lines grouped into records of
``(tag, lines)`` fields, keeping each record's start line and raw text so a bad record becomes a `Reject` that
names its line. The line reading and field normalisers are in `sources.textfile`."""
from __future__ import annotations

from collections.abc import Iterator

from frontierwatch.sources.textfile import RAW_LIMIT, TextLine, join_continuation

__all__ = ["TaggedRecord", "group_tagged"]


class TaggedRecord:
    """The tagged lines of one record: ``fields`` as ``(tag, lines)`` in file order (a tag's wrapped
    continuation lines stay separate so multi-valued WoS tags keep one value per line), the start line, whether
    any line failed to decode, and the raw text (first `RAW_LIMIT` characters) for a `Reject`."""

    __slots__ = ("start", "fields", "undecodable", "raw")

    def __init__(self, start: int):
        self.start, self.fields, self.undecodable, self.raw = start, [], False, ""

    def add_raw(self, text: str) -> None:
        if len(self.raw) < RAW_LIMIT:
            self.raw = (self.raw + text + "\n")[:RAW_LIMIT]

    def values(self, *tags: str) -> list[str]:
        """Every value (one per line, stripped, non-empty) of the given tags, in file order."""
        return [v.strip() for tag, lines in self.fields if tag in tags for v in lines if v.strip()]

    def text(self, *tags: str) -> str | None:
        """The first of the given tags that is present, its lines joined as running text."""
        for wanted in tags:
            for tag, lines in self.fields:
                if tag == wanted:
                    joined = ""
                    for part in lines:
                        joined = join_continuation(joined, part)
                    if joined:
                        return joined
        return None


def group_tagged(lines: Iterator[TextLine], match_tag, start_tags: set[str], end_tag: str | None = None,
                 blank_ends: bool = False) -> Iterator[TaggedRecord]:
    """Group tagged lines into records.

    `match_tag(text)` returns ``(tag, value)`` for a tagged line, else None (a continuation line). A tag in
    `start_tags` opens a record (closing an unterminated one before it); `end_tag` closes one; with `blank_ends`
    a blank line closes one too (RefWorks, EndNote). Lines outside records (file headers such as WoS 'FN'/'VR',
    stray text) are skipped.
    """
    current: TaggedRecord | None = None
    for line in lines:
        text = line.text
        tagged = None if line.undecodable else match_tag(text)
        if tagged and tagged[0] in start_tags:
            if current is not None:
                yield current
            current = TaggedRecord(line.number)
        if current is None:
            if line.undecodable:  # an unreadable stretch between records is reported on its own
                broken = TaggedRecord(line.number)
                broken.undecodable = True
                broken.add_raw(text)
                yield broken
            continue
        current.add_raw(text)
        if line.undecodable:
            current.undecodable = True
        elif tagged and tagged[0] == end_tag:
            yield current
            current = None
        elif tagged:
            current.fields.append((tagged[0], [tagged[1]]))
        elif not text.strip():
            if blank_ends:
                yield current
                current = None
        elif current.fields:
            current.fields[-1][1].append(text.strip())
    if current is not None:
        yield current
