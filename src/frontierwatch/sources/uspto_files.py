"""USPTO bulk files as streams of XML documents: opening plain, gzip and zip files, cutting the concatenated
documents at each ``<?xml`` line, and telling the supported formats from the older ones by the head of the file
(`sources.uspto` parses each document)."""
from __future__ import annotations

import gzip
import html.entities
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path

from frontierwatch.errors import InputError

log = logging.getLogger(__name__)

__all__ = ["SUPPORTED_ROOTS", "UNSUPPORTED", "decoded", "open_streams", "plain_head", "replace_entities",
           "split_documents", "supported_root", "unsupported_format", "without_prolog"]

SUPPORTED_ROOTS = ("us-patent-grant", "us-patent-application", "patent-application-publication")
UNSUPPORTED = {  # format name → (English, Chinese) message; kept in step with `unsupported_reason`
    "sgml": ("USPTO ST.32 grant format (PATDOC, 2001-2004 grants, folder 'sgml') is not supported yet",
             "尚不支持 USPTO ST.32 授权专利格式（PATDOC，2001–2004 年，sgml 目录）"),
    "greenbook": ("USPTO APS 'greenbook' text format (1976-2001 grants) is not supported yet",
                  "尚不支持 USPTO APS “greenbook” 文本格式（1976–2001 年授权专利）"),
    "css_brs": ("USPTO BRS text dump format is not supported yet",
                "尚不支持 USPTO BRS 文本导出格式"),
}
_BOUNDARY = b"\n<?xml"  # a document starts at an XML declaration at the start of a line
_BLOCK_BYTES = 1 << 20
_XML_BUILTIN_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
# ISO 8879 Greek entities used by older USPTO files and missing from HTML5's table.
_ISO_GREEK = dict(zip(
    "agr bgr ggr dgr egr zgr eegr thgr igr kgr lgr mgr ngr xgr ogr pgr rgr sgr tgr ugr phgr khgr psgr ohgr".split(),
    "αβγδεζηθικλμνξοπρστυφχψω"))
_ISO_GREEK.update({name[:-2].upper() + "gr": char.upper() for name, char in _ISO_GREEK.items()})  # Agr, THgr
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9._-]*);")
_PROLOG = re.compile(r"\s*(?:<\?xml[^>]*\?>)?\s*(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>)?", re.S)


def split_documents(streams: Iterable) -> Iterator[tuple[int, bytes]]:
    """Cut binary streams into (1-based ordinal, document bytes) at each line that starts with ``<?xml``.

    Reads blocks of up to 1 MiB and searches them for the boundary (much faster than a loop over lines); memory holds
    one block plus the document being gathered. Each stream ends a document; the ordinal runs on across streams.
    """
    ordinal = 0
    for stream in streams:
        buffer = bytearray()
        search_from = 0
        read = getattr(stream, "read1", stream.read)  # read1: what is decompressed so far survives a break
        for block in iter(lambda read=read: read(_BLOCK_BYTES), b""):
            search_from = max(0, len(buffer) - len(_BOUNDARY) + 1)
            buffer += block
            while (cut := buffer.find(_BOUNDARY, search_from)) != -1:
                document = bytes(buffer[:cut + 1])
                del buffer[:cut + 1]
                search_from = 0
                if document.strip():
                    ordinal += 1
                    yield ordinal, document
        if buffer.strip():
            ordinal += 1
            yield ordinal, bytes(buffer)


def open_streams(path: Path, stack: ExitStack) -> Iterator:
    """Binary streams of the file: itself, its gzip content, or each XML member of a zip archive in order."""
    if not path.is_file():
        raise InputError(f"USPTO file not found: {path}; check the path.",
                         f"找不到 USPTO 文件：{path}；请检查路径。")
    with path.open("rb") as probe:
        magic = probe.read(4)
    if magic[:2] == b"\x1f\x8b":
        yield stack.enter_context(gzip.open(path, "rb"))
    elif magic == b"PK\x03\x04":
        archive = stack.enter_context(zipfile.ZipFile(path))
        for member in sorted(n for n in archive.namelist() if n.lower().endswith((".xml", ".txt", ".sgm"))):
            yield stack.enter_context(archive.open(member))
    else:
        yield stack.enter_context(path.open("rb"))


def plain_head(path: Path, head: bytes) -> bytes:
    """The head of the file's content, decompressing gzip / zip heads from `path` when needed."""
    if head[:2] != b"\x1f\x8b" and head[:4] != b"PK\x03\x04":
        return head
    try:
        with ExitStack() as stack:
            stream = next(open_streams(path, stack), None)
            return stream.read(65536) if stream is not None else b""
    except (OSError, zipfile.BadZipFile, InputError, EOFError):
        return b""


def supported_root(head: bytes) -> str | None:
    for root in SUPPORTED_ROOTS:
        if f"<{root}".encode() in head or f"<!DOCTYPE {root}".encode() in head:
            return root
    return None


def unsupported_format(head: bytes) -> str | None:
    if supported_root(head):
        return None
    if b"<!DOCTYPE PATDOC" in head or b"<PATDOC" in head:
        return "sgml"
    if b"*** BRS DOCUMENT BOUNDARY ***" in head:
        return "css_brs"
    if head.lstrip().startswith((b"PATN\n", b"PATN\r", b"HHHHHT")):
        return "greenbook"
    return None


def decoded(raw: bytes) -> str:
    """One document's bytes as text, in the encoding its XML declaration names (UTF-8 when none)."""
    return raw.decode(_declared_encoding(raw), errors="replace")


def without_prolog(text: str) -> str:
    """The document without its XML declaration, comments and DOCTYPE (whose internal subset lists image ENTITYs
    a non-validating parser cannot use)."""
    return text[_PROLOG.match(text).end():]


def replace_entities(body: str) -> str:
    """HTML and ISO named entities (``&lsquo;``, ``&minus;``, ``&agr;``) replaced by their characters; XML's own
    five kept; unknown ones become U+FFFD."""
    return _ENTITY.sub(_entity_text, body)


def _entity_text(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in _XML_BUILTIN_ENTITIES:
        return match.group(0)
    char = html.entities.html5.get(name + ";") or _ISO_GREEK.get(name)
    if char is None:
        log.debug("unknown entity &%s; replaced by U+FFFD", name)
        return "\ufffd"
    return {"&": "&amp;", "<": "&lt;"}.get(char, char)


def _declared_encoding(raw: bytes) -> str:
    m = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)", raw)
    return m.group(1).decode("ascii") if m else "utf-8"
