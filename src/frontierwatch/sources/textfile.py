"""Low-level reading of bibliographic text exports, shared by the RIS, BibTeX, WoS, CNKI, CSL and table readers.

Exports analysts already have come in many encodings: UTF-8 (with or without a BOM), UTF-16 with a BOM (Web of
Science "Win, UTF-16" tables, some EndNote exports) and GB18030/GBK (CNKI and other Chinese databases). The
encoding is chosen from the BOM, else from the first 64 KiB; a file that starts as plain ASCII and turns out to be
GB18030 further down switches to GB18030 at the first line that is not UTF-8 (as long as no UTF-8 multi-byte line
came before). Lines are streamed one at a time (plain or gzip) with 1-based line numbers; a line that cannot be
decoded is yielded with `undecodable=True` (and U+FFFD in place of the bad bytes) so a reader can turn the record
that holds it into a `Reject` instead of failing the whole file.

Also here: the small text normalisers every reader needs (language from CJK characters, DOI, dates, a country
from the end of an address, "Last, First" names) so that all export formats map fields the same way.
"""
from __future__ import annotations

import codecs
import io
import logging
import re
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import NamedTuple

from frontierwatch.errors import InputError
from frontierwatch.sources.record import Institution
from frontierwatch.sources.affiliations import country_of, parse_affiliation, strip_emails
from frontierwatch.text import detect_language, has_cjk

log = logging.getLogger(__name__)

DETECT_BYTES = 65536
RAW_LIMIT = 4096
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class TextLine(NamedTuple):
    """One physical line: 1-based `number`, `text` without the line ending, and whether it failed to decode."""

    number: int
    text: str
    undecodable: bool = False


def _gunzip_head(head: bytes) -> bytes:
    """The decompressed start of a gzip stream given only its first bytes (best effort)."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, DETECT_BYTES)
    except zlib.error:
        return b""


def detect_encoding(head: bytes) -> str:
    """'utf-8-sig', 'utf-16', 'utf-16-le'/'utf-16-be' (no BOM), 'utf-8' or 'gb18030', judged from a file's start."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    sample = head[:DETECT_BYTES]
    if sample and sample.count(b"\x00") * 4 >= len(sample):  # UTF-16 without BOM: every other byte is NUL
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"  # a multi-byte character cut by the sample boundary
    try:
        sample.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError as exc:
        # a character cut by the sample boundary still means GB18030; otherwise read as UTF-8 and report bad lines
        return "gb18030" if exc.start >= len(sample) - 3 else "utf-8"


def decode_head(head: bytes) -> str:
    """The text of a file's first bytes (as given to `sniff_*`), BOM removed, tolerant of a cut last character."""
    if head[:2] == b"\x1f\x8b":
        head = _gunzip_head(head)
    encoding = detect_encoding(head)
    if encoding.startswith("utf-16"):
        body = head[2:] if encoding == "utf-16" else head
        codec = "utf-16-le" if (encoding == "utf-16-le" or head[:2] == codecs.BOM_UTF16_LE) else "utf-16-be"
        return body[: len(body) // 2 * 2].decode(codec, "replace")
    return head.decode(encoding, "replace").lstrip("\ufeff")


def first_lines(head: bytes, n: int = 5) -> list[str]:
    """The first `n` non-blank lines of `head`, stripped of trailing whitespace (for sniffers)."""
    lines = []
    for line in decode_head(head).splitlines():
        if line.strip():
            lines.append(line.rstrip())
            if len(lines) == n:
                break
    return lines


class _GunzipStream(io.RawIOBase):
    """Incremental gzip decompression (multi-member aware) that hands out every byte that can be recovered
    before a truncation or corruption, then raises `EOFError`/`zlib.error` (GzipFile loses its last buffer)."""

    def __init__(self, fh):
        self._fh, self._z, self._pending, self._done = fh, zlib.decompressobj(16 + zlib.MAX_WBITS), b"", False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending and not self._done:
            chunk = self._fh.read(1 << 16)
            if not chunk:
                self._done = True
                if not self._z.eof:
                    raise EOFError("compressed file ended before the end-of-stream marker was reached")
                break
            self._pending = self._z.decompress(chunk)
            while self._z.eof and self._z.unused_data:  # another gzip member follows
                rest = self._z.unused_data
                self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._pending += self._z.decompress(rest)
        n = min(len(buffer), len(self._pending))
        buffer[:n], self._pending = self._pending[:n], self._pending[n:]
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


def _open(path: Path):
    try:
        fh = open(path, "rb")
        if fh.read(2) == b"\x1f\x8b":
            fh.seek(0)
            return _GunzipStream(fh)
        fh.seek(0)
        return fh
    except FileNotFoundError:
        raise InputError(f"file not found: {path}", f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, expected a file", f"{path} 是文件夹，应为文件") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}", f"无法读取 {path}：{exc}") from None


def iter_text_lines(path: Path) -> Iterator[TextLine]:
    """Stream the lines of a text export (plain or .gz) with line numbers, decoding as described above.

    Raises `InputError` when the file is missing or is not text at all (NUL bytes without a UTF-16 BOM); a
    corrupt gzip stream ends the iteration with one undecodable line saying where it broke.
    """
    path = Path(path)
    with _open(path) as fh:
        head, error = _read_head(fh)
        if error is not None and not head:
            raise InputError(f"{path} cannot be read: {error}", f"{path} 无法读取：{error}")
        encoding = detect_encoding(head)
        if not encoding.startswith("utf-16") and b"\x00" in head:
            raise InputError(f"{path} is not a text file (it holds NUL bytes); expected a text export",
                             f"{path} 不是文本文件（含 NUL 字节）；应为文本格式的导出文件")
        stream = _Rewound(head, fh, error)
        if encoding.startswith("utf-16"):
            yield from _utf16_lines(stream, encoding)
        else:
            yield from _byte_lines(path, stream, encoding)


def _read_head(fh) -> tuple[bytes, Exception | None]:
    """Up to `DETECT_BYTES` from the start, and the error that stopped the read early (a broken gzip), if any."""
    parts, size = [], 0
    try:
        while size < DETECT_BYTES:
            chunk = fh.read(min(8192, DETECT_BYTES - size))
            if not chunk:
                break
            parts.append(chunk)
            size += len(chunk)
    except (EOFError, OSError, zlib.error) as exc:
        return b"".join(parts), exc
    return b"".join(parts), None


class _Rewound(io.RawIOBase):
    """A binary stream that replays the bytes already read for detection, then continues (non-seekable gzip);
    an error met while reading the head is raised again once the head is used up."""

    def __init__(self, head: bytes, rest, error: Exception | None = None):
        self._head, self._rest, self._error = head, rest, error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n], self._head = self._head[:n], self._head[n:]
            return n
        if self._error is not None:
            raise self._error
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _byte_lines(path: Path, raw, encoding: str) -> Iterator[TextLine]:
    number = 0
    seen_utf8_multibyte = False
    reader = io.BufferedReader(raw, 1 << 16)
    try:
        for chunk in reader:
            number += 1
            line = chunk.rstrip(b"\r\n")
            if number == 1 and encoding == "utf-8-sig":
                line = line.removeprefix(codecs.BOM_UTF8)
            try:
                text = line.decode(encoding)
            except UnicodeDecodeError:
                if encoding.startswith("utf-8") and not seen_utf8_multibyte and _is_gb18030(line):
                    log.info("%s: line %d is not UTF-8 but is GB18030; reading the rest as GB18030", path, number)
                    encoding = "gb18030"
                    text = line.decode(encoding)
                else:
                    yield TextLine(number, line.decode(encoding, "replace"), True)
                    continue
            if encoding.startswith("utf-8") and not seen_utf8_multibyte and not line.isascii():
                seen_utf8_multibyte = True
            yield TextLine(number, text.removesuffix("\r"))
    except (EOFError, OSError, zlib.error) as exc:
        yield TextLine(number + 1, f"corrupt or truncated compressed stream after line {number}: {exc}", True)


def _is_gb18030(line: bytes) -> bool:
    try:
        line.decode("gb18030")
        return True
    except UnicodeDecodeError:
        return False


def _utf16_lines(raw, encoding: str) -> Iterator[TextLine]:
    text_stream = io.TextIOWrapper(io.BufferedReader(raw), encoding=encoding, errors="replace", newline=None)
    for number, text in enumerate(text_stream, start=1):
        text = text.rstrip("\n").lstrip("\ufeff") if number == 1 else text.rstrip("\n")
        yield TextLine(number, text, "\ufffd" in text)


# ---------------------------------------------------------------- field normalisers shared by the readers

_MONTHS = {m: i for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
                                       "NOV", "DEC"), start=1)}
_ISO_DATE = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def language_of(title: str) -> str:
    """The language of a record whose source does not say it, from its title (`text.detect_language`)."""
    return detect_language(title)


def squash(text: str | None) -> str:
    """Collapse runs of whitespace to one space and strip."""
    return " ".join(text.split()) if text else ""


def join_continuation(previous: str, more: str) -> str:
    """Join a wrapped line to the text before it: no space between two CJK characters, else one space."""
    more = more.strip()
    if not previous:
        return more
    if not more:
        return previous
    if has_cjk(previous[-1]) and has_cjk(more[0]):
        return previous + more
    return previous + " " + more


def parse_date(text: str | None) -> tuple[date | None, int | None]:
    """``(date, None)`` for a full date ('2012-01-12', '2012/01/12/', '2019-03-12 09:40'), ``(None, year)`` for a
    year alone or year-month ('2012', '2012///', '2012-05'), ``(None, None)`` when no year is found."""
    if not text:
        return None, None
    m = _ISO_DATE.match(text)
    if m:
        year = int(m.group(1))
        if m.group(2) and m.group(3):
            try:
                return date(year, int(m.group(2)), int(m.group(3))), None
            except ValueError:
                pass
        return None, year if 1500 <= year <= 2100 else None
    found = _YEAR.search(text)
    return None, int(found.group(1)) if found else None


def month_day_date(year: int | None, month_day: str | None) -> date | None:
    """WoS 'PD' values: 'JAN 12' with a year → a date; 'JAN', 'SPR' or 'JAN-FEB' alone → None (no day)."""
    if not year or not month_day:
        return None
    m = re.match(r"^\s*([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{1,2})\s*$", month_day)
    if not m or m.group(1).upper() not in _MONTHS:
        return None
    try:
        return date(year, _MONTHS[m.group(1).upper()], int(m.group(2)))
    except ValueError:
        return None


def display_name(name: str) -> str:
    """'Piwowar, Heather' → 'Heather Piwowar'; names without exactly one comma (張三, 'Heather Piwowar') kept."""
    name = squash(name).strip(" ;,")
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        if last and first and not has_cjk(name):
            return f"{first} {last}"
        return (last + first) if has_cjk(name) else (last or first)
    return name


def split_list(value: str | None, separators: str = ";；", commas: bool = True) -> list[str]:
    """Split a keyword/author list on any of `separators`; with `commas`, falls back to ',' and '，' when no
    separator occurs (a comma-separated keyword list). Empty items and repeats are dropped."""
    if not value:
        return []
    pattern = "[" + re.escape(separators) + "]"
    if re.search(pattern, value) or not commas:
        parts = re.split(pattern, value)
    else:
        parts = re.split(r"[,，]", value)
    return list(dict.fromkeys(p for p in (squash(x) for x in parts) if p))


def country_of_address(address: str) -> str | None:
    """ISO alpha-2 code of the country an address names ('..., Seattle, WA 98195 USA' → 'US',
    '..., Peoples R China' → 'CN'); see `frontierwatch.sources.affiliations`."""
    return country_of(strip_emails(address or ""))


def institution_from_address(address: str) -> Institution | None:
    """An `Institution` from one affiliation address, read by `frontierwatch.sources.affiliations` (name, type,
    country, Chinese province and city, e-mails removed). A leading WoS author list ('[Piwowar, Heather] ...')
    is dropped first."""
    address = squash(re.sub(r"^\[[^\]]*\]\s*", "", address or "")).rstrip(" .;")
    return parse_affiliation(address) if address else None
