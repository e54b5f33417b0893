"""Reader for the CSL benchmark files (Chinese Scientific Literature, ydli-ai/CSL, Apache-2.0).

Layout: one folder per task, each with ``dev.tsv`` and ``test.tsv``; every line is three tab-separated columns,
a task prompt, the input text and the target:

- ``ts/``       ``to title``       abstract              title
- ``kg/``       ``to keywords``    abstract + ' ' + title keywords joined by '_'
- ``cls_dcp/``  ``to discipline``  abstract              discipline (67 disciplines, e.g. 计算机科学与技术)
- ``cls_ctg/``  ``to category``    title                 category (13 categories, e.g. 工学)

The four files of a split hold the same papers in the same order, so a file is read together with its siblings
(``../<other task>/<same name>``) when they are there: every record then has its title, abstract, keywords,
discipline and category whichever file was named. A sibling whose row disagrees with the file's own title or
abstract is dropped from then on (logged). Without siblings a kg row is split at the last space after a
sentence end (wrong for ~0.1% of titles that contain such a space), a cls_dcp row has no title (→ `Reject`) and
a cls_ctg row has no abstract.

Records: kind 'paper', language 'zh', source 'csl', categories 'kw:<keyword>', 'csl-discipline:<d>',
'csl-category:<c>'. CSL has no dates: `published` and `year` stay None. The id is stable across files and splits:
``ids['csl'] = sha1((title + abstract).encode('utf-8')).hexdigest()[:16]`` over the whitespace-squashed title
and abstract ('' when absent), so the same paper read from ts/ and kg/ dedupes; a cls_ctg file read without its
siblings has no abstract and so a different id.
"""
from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from frontierwatch.errors import InputError
from frontierwatch.sources.record import Record, Reject
from frontierwatch.sources.textfile import RAW_LIMIT, TextLine, first_lines, iter_text_lines, squash

log = logging.getLogger(__name__)

TASKS = {"to title": "ts", "to keywords": "kg", "to discipline": "cls_dcp", "to category": "cls_ctg"}
_FOLDERS = ("ts", "kg", "cls_dcp", "cls_ctg")
_SENTENCE_END_SPACE = re.compile(r"(?<=[.。!?！？;；)）\]】\"”]) ")


def csl_id(title: str, abstract: str | None) -> str:
    """The stable CSL id: first 16 hex digits of sha1(title + abstract) (whitespace-squashed, UTF-8)."""
    return hashlib.sha1((squash(title) + squash(abstract)).encode("utf-8")).hexdigest()[:16]


def parse_csl_line(text: str, known: dict[str, object] | None = None) -> dict[str, object] | str:
    """The fields of one CSL line (title, abstract, keywords, discipline, category, as present), or a reason string.

    `known` (fields from an aligned sibling) is used to split a kg line exactly at its title.
    """
    cols = text.split("\t")
    if len(cols) != 3 or cols[0] not in TASKS:
        return f"expected 3 tab-separated columns '<task>\\t<text>\\t<target>' with a task in {list(TASKS)}"
    task, body, target = TASKS[cols[0]], cols[1], cols[2]
    if task == "ts":
        return {"abstract": squash(body), "title": squash(target)}
    if task == "cls_dcp":
        return {"abstract": squash(body), "discipline": squash(target)}
    if task == "cls_ctg":
        return {"title": squash(body), "category": squash(target)}
    title = str((known or {}).get("title") or "")
    if title and squash(body).endswith(" " + title):
        abstract = squash(body)[: -len(title) - 1]
    else:
        cut = [m.start() for m in _SENTENCE_END_SPACE.finditer(body)]
        i = cut[-1] if cut else body.rfind(" ")
        abstract, title = (body[:i], body[i + 1:]) if i >= 0 else ("", body)
    keywords = [k for k in (squash(x) for x in target.split("_")) if k]
    return {"abstract": squash(abstract), "title": squash(title), "keywords": keywords}


def _task_of(path: Path) -> str | None:
    try:
        for line in iter_text_lines(path):
            if line.text.strip():
                return TASKS.get(line.text.split("\t", 1)[0])
    except InputError:
        return None
    return None


def _siblings(path: Path, task: str) -> dict[str, Iterator[TextLine]]:
    root = path.parent.parent
    found = {}
    for folder in _FOLDERS:
        other = root / folder / path.name
        if folder != task and other.is_file() and other.resolve() != path.resolve() and _task_of(other) == folder:
            found[folder] = iter_text_lines(other)
    return found


def join_csl_rows(texts: dict[str, str], primary: str) -> tuple[dict[str, object] | str, list[str]]:
    """Fields of one paper from the aligned lines of several task files (folder → line text).

    Titles come first from ts/cls_ctg and abstracts from ts/cls_dcp, so a kg line is split exactly at the known
    title. Returns the fields (or the primary line's parse error) and the sibling folders that disagree.
    """
    parsed = {folder: parse_csl_line(text) for folder, text in texts.items()}
    if isinstance(parsed[primary], str):
        return parsed[primary], []
    good = {f: p for f, p in parsed.items() if isinstance(p, dict)}
    title = next((good[f]["title"] for f in ("ts", "cls_ctg") if f in good), None)
    if "kg" in good and title:
        good["kg"] = parse_csl_line(texts["kg"], {"title": title})
    fields = dict(good[primary])
    bad = [f for f in parsed if f not in good]
    for folder in _FOLDERS:
        if folder == primary or folder not in good:
            continue
        theirs = good[folder]
        if all(fields[k] == theirs[k] for k in ("title", "abstract") if fields.get(k) and theirs.get(k)):
            fields = {**theirs, **fields}
        else:
            bad.append(folder)
    return fields, bad


def _read_file(path: Path) -> Iterator[Record | Reject]:
    file = str(path)
    task = _task_of(path)
    siblings = _siblings(path, task) if task else {}
    if siblings:
        log.info("%s: reading together with its CSL siblings %s", file, sorted(siblings))
    count = 0
    for line in iter_text_lines(path):
        texts = {}
        for folder, lines in list(siblings.items()):
            other = next(lines, None)
            if other is None or other.undecodable:
                log.warning("%s: sibling %s/%s ends or breaks at line %d; not used further",
                            file, folder, path.name, line.number)
                del siblings[folder]
            else:
                texts[folder] = other.text
        if not line.text.strip():
            continue
        if line.undecodable:
            yield Reject(file, line.number, "line is not valid text in the file's encoding", line.text[:RAW_LIMIT])
            continue
        texts[task or "?"] = line.text
        fields, disagree = join_csl_rows(texts, task or "?")
        for folder in disagree:
            log.warning("%s: sibling %s/%s disagrees at line %d; not used further", file, folder, path.name,
                        line.number)
            siblings.pop(folder, None)
        if isinstance(fields, str):
            yield Reject(file, line.number, fields, line.text[:RAW_LIMIT])
            continue
        count += 1
        yield _record(fields, file, line.number, line.text)
    log.info("%s: %d CSL records", file, count)


def _record(fields: dict, file: str, line: int, raw: str) -> Record | Reject:
    title = str(fields.get("title") or "")
    if not title:
        return Reject(file, line, "CSL row has no title (a cls_dcp file holds abstracts only; keep the ts/ folder "
                      "next to it so titles can be joined)", raw[:RAW_LIMIT])
    abstract = str(fields.get("abstract") or "") or None
    categories = [f"kw:{k}" for k in fields.get("keywords") or []]
    if fields.get("discipline"):
        categories.append(f"csl-discipline:{fields['discipline']}")
    if fields.get("category"):
        categories.append(f"csl-category:{fields['category']}")
    return Record(title=title, source="csl", file=file, line=line, kind="paper", abstract=abstract, language="zh",
                  categories=categories, ids={"csl": csl_id(title, abstract)})


def read_csl(path: Path) -> Iterator[Record | Reject]:
    """Yield a `Record` (or `Reject`) per line of a CSL split file, joined with its sibling task files.

    `path` may also be the CSL folder (the one holding ts/ kg/ cls_dcp/ cls_ctg/): each split (dev, test…) is
    then read once, from the first task folder that has it. `line` is the 1-based line in the file read.
    """
    path = Path(path)
    if path.is_dir():
        done = set()
        for folder in _FOLDERS:
            for split in sorted((path / folder).glob("*.tsv")) if (path / folder).is_dir() else []:
                if split.name not in done:
                    done.add(split.name)
                    yield from _read_file(split)
        if not done:
            raise InputError(f"{path} holds no CSL task folders ({', '.join(_FOLDERS)}) with .tsv files",
                             f"{path} 中没有 CSL 任务文件夹（{', '.join(_FOLDERS)}）及其 .tsv 文件")
        return
    yield from _read_file(path)


def sniff_csl(path: Path, head: bytes) -> bool:
    """True when the first line is a CSL line: three tab-separated columns, the first a CSL task prompt."""
    lines = first_lines(head, 1)
    if not lines:
        return False
    cols = lines[0].split("\t")
    return len(cols) == 3 and cols[0] in TASKS and bool(cols[1].strip())
