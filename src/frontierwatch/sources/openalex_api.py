"""Live OpenAlex API harvest of works: cursor paging, the polite pool, retries, and resumable state.

For users with network access; the observatory itself reads files. `OpenAlexClient.fetch_to_jsonl` writes the
harvested works as JSON lines (the raw API objects, one per line), which `frontierwatch.sources.openalex.read_openalex`
reads — that is how ``frontierwatch ingest`` consumes a harvest.

Paging follows OpenAlex: ``cursor=*`` first, then ``meta.next_cursor`` until it is null or a page is empty. The
paginator is capped like pyalex's (``max_records``: total works over all runs of one harvest; ``max_pages``: pages
in this run). 429 and 5xx answers (and dropped connections) are retried with exponential backoff and jitter,
honouring ``Retry-After``; other 4xx answers raise a bilingual `InputError` at once. After every page the next
cursor and the count are saved to ``state_file`` (written atomically), so a killed harvest resumes where it stopped.
Standard library only (urllib): the client needs no extra install.
"""
from __future__ import annotations

import http.client
import itertools
import json
import logging
import os
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import orjson

from frontierwatch import __version__
from frontierwatch.errors import FrontierwatchError, InputError

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.openalex.org"
MAX_PER_PAGE = 200
MAX_RETRY_AFTER_S = 300.0
_FILTER_DOCS = "https://docs.openalex.org/how-to-use-the-api/get-lists-of-entities/filter-entity-lists"


class OpenAlexAPIError(FrontierwatchError):
    """OpenAlex could not be reached or kept failing after every retry (the harvest can be resumed later)."""

    status = 502
    title_en, title_zh = "OpenAlex unavailable", "OpenAlex 不可用"


@dataclass
class HarvestState:
    """Where a harvest stands: the `query` it is for, the `cursor` to ask for next, works delivered (`count`),
    `pages` done, whether the cursor is exhausted (`done`), and the size of the output file after the last saved
    page (`out_bytes`, for `fetch_to_jsonl`)."""

    query: dict[str, Any]
    cursor: str = "*"
    count: int = 0
    pages: int = 0
    done: bool = False
    out_bytes: int | None = None
    updated: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @classmethod
    def load(cls, path: Path | None, query: dict[str, Any]) -> HarvestState:
        """The saved state of this query, or a fresh one; a state saved for another query is an error."""
        if path is None or not Path(path).is_file():
            return cls(query=query)
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            state = cls(**data)
        except (ValueError, TypeError) as exc:
            raise InputError(f"harvest state file {path} is unreadable ({exc}); delete it to start over",
                             f"采集状态文件 {path} 无法读取（{exc}）；删除它即可从头开始") from None
        if state.query != query:
            raise InputError(
                f"harvest state file {path} belongs to query {state.query}, not {query}; "
                "use another state file or delete it to start over",
                f"采集状态文件 {path} 属于查询 {state.query}，而非 {query}；请换一个状态文件或删除它后重新开始")
        log.info("resuming OpenAlex harvest at page %d (%d works so far)", state.pages + 1, state.count)
        return state

    def save(self, path: Path | None) -> None:
        if path is None:
            return
        self.updated = datetime.now(timezone.utc).isoformat(timespec="seconds")
        tmp = Path(path).with_name(Path(path).name + ".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)


@dataclass(frozen=True)
class WorksPage:
    """One page of `/works`: the raw `works`, the `cursor` it was asked with, `next_cursor` (None at the end),
    `count` (works delivered including this page) and `total` (OpenAlex's ``meta.count``)."""

    works: list[dict]
    cursor: str
    next_cursor: str | None
    count: int
    total: int | None


class OpenAlexClient:
    """A small OpenAlex REST client for harvesting works.

    Parameters: `base_url`; `mailto` (joins the polite pool: sent as ``mailto=`` and in the User-Agent);
    `per_page` (1–200); `max_retries` per request; `backoff` (first retry delay in seconds, doubled each retry,
    at most `max_backoff`, times a jitter factor in [0.5, 1)); `timeout` per request; `api_key` (premium).
    `sleep` and `jitter` (a function returning [0, 1)) are injectable so tests do not wait.
    """

    def __init__(self, base_url: str = DEFAULT_BASE_URL, mailto: str | None = None, per_page: int = MAX_PER_PAGE,
                 max_retries: int = 5, backoff: float = 1.0, max_backoff: float = 60.0, timeout: float = 60.0,
                 api_key: str | None = None, sleep: Callable[[float], None] = time.sleep,
                 jitter: Callable[[], float] = random.random):
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise InputError(f"per_page={per_page} is out of range; OpenAlex allows 1 to {MAX_PER_PAGE}",
                             f"per_page={per_page} 超出范围；OpenAlex 允许 1 到 {MAX_PER_PAGE}")
        if max_retries < 0:
            raise InputError(f"max_retries={max_retries} must be >= 0", f"max_retries={max_retries} 必须 >= 0")
        self.base_url = base_url.rstrip("/")
        self.mailto, self.per_page, self.max_retries = mailto, per_page, max_retries
        self.backoff, self.max_backoff, self.timeout, self.api_key = backoff, max_backoff, timeout, api_key
        self.sleep, self.jitter = sleep, jitter

    # ---------------------------------------------------------------------------------------- requests

    def _url(self, path: str, params: dict[str, Any]) -> str:
        query = {k: v for k, v in params.items() if v is not None}
        if self.mailto:
            query["mailto"] = self.mailto
        if self.api_key:
            query["api_key"] = self.api_key
        return f"{self.base_url}/{path.lstrip('/')}?{urllib.parse.urlencode(query)}"

    def _shown(self, url: str) -> str:
        return url.replace(self.api_key, "***") if self.api_key else url

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after:
            try:
                seconds = float(retry_after)
            except ValueError:
                try:
                    seconds = (parsedate_to_datetime(retry_after) - datetime.now(timezone.utc)).total_seconds()
                except (TypeError, ValueError):
                    seconds = None
            if seconds is not None:
                return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)
        return min(self.backoff * 2 ** attempt, self.max_backoff) * (0.5 + self.jitter() / 2)

    def get_json(self, path: str, params: dict[str, Any]) -> dict:
        """GET ``base_url/path?params`` (plus mailto/api_key) as JSON, retrying 429, 5xx and network failures."""
        url = self._url(path, params)
        agent = f"frontierwatch/{__version__}" + (f" (mailto:{self.mailto})" if self.mailto else "")
        request = urllib.request.Request(url, headers={"User-Agent": agent, "Accept": "application/json"})
        for attempt in range(self.max_retries + 1):
            retry_after = None
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body = response.read()
                payload = orjson.loads(body)
                if isinstance(payload, dict):
                    return payload
                problem = f"expected a JSON object, got {type(payload).__name__}"
            except urllib.error.HTTPError as exc:
                detail = _error_detail(exc)
                if exc.code != 429 and exc.code < 500:
                    raise InputError(
                        f"OpenAlex refused {self._shown(url)} with HTTP {exc.code}: {detail}. Check the filter and "
                        f"search syntax ({_FILTER_DOCS}) and the mailto/api_key values",
                        f"OpenAlex 拒绝了请求 {self._shown(url)}（HTTP {exc.code}）：{detail}。"
                        f"请检查 filter 与 search 的写法（{_FILTER_DOCS}）以及 mailto/api_key 的取值") from None
                problem, retry_after = f"HTTP {exc.code}: {detail}", exc.headers.get("Retry-After")
            except (urllib.error.URLError, http.client.HTTPException, OSError, orjson.JSONDecodeError) as exc:
                problem = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
            if attempt == self.max_retries:
                raise OpenAlexAPIError(
                    f"OpenAlex request {self._shown(url)} failed {attempt + 1} times (last: {problem}); "
                    "try again later — a harvest with a state file resumes where it stopped",
                    f"OpenAlex 请求 {self._shown(url)} 失败 {attempt + 1} 次（最后一次：{problem}）；"
                    "请稍后重试——使用状态文件的采集会从中断处继续")
            delay = self._delay(attempt, retry_after)
            log.warning("OpenAlex %s; retry %d/%d in %.1fs", problem, attempt + 1, self.max_retries, delay)
            self.sleep(delay)
        raise AssertionError("unreachable")

    # ---------------------------------------------------------------------------------------- paging

    @staticmethod
    def _query(filter: str | None, search: str | None, select: str | None) -> dict[str, Any]:
        return {"filter": filter, "search": search, "select": select}

    def _next_page(self, state: HarvestState, max_records: int | None) -> WorksPage | None:
        if state.done:
            return None
        size = self.per_page if max_records is None else min(self.per_page, max_records - state.count)
        if size <= 0:
            return None
        payload = self.get_json("works", {**state.query, "per-page": size, "cursor": state.cursor})
        works, meta = payload.get("results"), payload.get("meta") or {}
        if not isinstance(works, list):
            raise OpenAlexAPIError(f"OpenAlex answered without a 'results' list (keys: {sorted(payload)})",
                                   f"OpenAlex 的回答缺少 'results' 列表（键：{sorted(payload)}）")
        return WorksPage(works, state.cursor, meta.get("next_cursor") or None, state.count + len(works),
                         meta.get("count"))

    @staticmethod
    def _advance(state: HarvestState, page: WorksPage) -> None:
        state.count, state.pages = page.count, state.pages + 1
        state.done = page.next_cursor is None or not page.works
        state.cursor = page.next_cursor or state.cursor

    def iter_pages(self, filter: str | None = None, search: str | None = None, select: str | None = None,
                   max_records: int | None = None, max_pages: int | None = None,
                   state_file: Path | None = None) -> Iterator[WorksPage]:
        """Yield pages of `/works` for `filter`/`search` (OpenAlex syntax), resuming from `state_file`.

        The state is saved once the consumer asks for the next page, so a page is committed only after it was
        handled: an interruption while handling page n re-delivers page n on resume, never skips it.
        """
        state = HarvestState.load(state_file, self._query(filter, search, select))
        for _ in range(max_pages) if max_pages is not None else itertools.count():
            page = self._next_page(state, max_records)
            if page is None:
                break
            yield page
            self._advance(state, page)
            state.save(state_file)

    def iter_works(self, filter: str | None = None, search: str | None = None, select: str | None = None,
                   max_records: int | None = None, max_pages: int | None = None,
                   state_file: Path | None = None) -> Iterator[dict]:
        """Yield raw work objects, page after page (see `iter_pages` for paging, caps and resuming)."""
        for page in self.iter_pages(filter, search, select, max_records, max_pages, state_file):
            yield from page.works

    def fetch_to_jsonl(self, out_path: Path, filter: str | None = None, search: str | None = None,
                       select: str | None = None, max_records: int | None = None, max_pages: int | None = None,
                       state_file: Path | None = None) -> HarvestState:
        """Harvest works into `out_path` as JSON lines (one raw API work per line) and return the final state.

        With `state_file`, a rerun of the same query appends from the saved cursor; the output is first cut
        back to its length at the last saved page, so a crash mid-write leaves no duplicate or partial line.
        Without it the file is rewritten from the start.
        """
        out_path = Path(out_path)
        state = HarvestState.load(state_file, self._query(filter, search, select))
        resuming = state.pages > 0
        if resuming and (state.out_bytes is None or not out_path.is_file()
                         or out_path.stat().st_size < state.out_bytes):
            raise InputError(
                f"harvest state file {state_file} records {state.count} works written to {out_path}, but that file "
                "is missing or shorter; restore it, or delete the state file to start over",
                f"采集状态文件 {state_file} 记录已向 {out_path} 写入 {state.count} 条，但该文件缺失或变短；"
                "请恢复该文件，或删除状态文件后重新开始")
        with open(out_path, "r+b" if resuming else "wb") as out:
            if resuming:
                out.truncate(state.out_bytes)
                out.seek(state.out_bytes)
            pages = 0
            while max_pages is None or pages < max_pages:
                page = self._next_page(state, max_records)
                if page is None:
                    break
                out.write(b"".join(orjson.dumps(work) + b"\n" for work in page.works))
                out.flush()
                os.fsync(out.fileno())
                self._advance(state, page)
                state.out_bytes = out.tell()
                state.save(state_file)
                pages += 1
                log.info("OpenAlex page %d: %d works (%d of %s)", state.pages, len(page.works), state.count,
                         page.total if page.total is not None else "?")
        return state


def _error_detail(exc: urllib.error.HTTPError) -> str:
    """OpenAlex's own error text from an error answer ({"error": ..., "message": ...}), else the reason."""
    try:
        body = exc.read()[:2000]
        data = orjson.loads(body)
        parts = [str(data.get(k)) for k in ("error", "message") if isinstance(data, dict) and data.get(k)]
        return " — ".join(parts) or body.decode("utf-8", "replace")[:300]
    except (orjson.JSONDecodeError, OSError, AttributeError):
        return str(exc.reason)
