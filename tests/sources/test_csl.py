"""CSL benchmark reader tests.

`tests/samples/csl/` is a verbatim copy of the first 12 lines of each dev split of the CSL benchmark (shared
data/csl; ydli-ai/CSL, Apache-2.0): ts/ (abstract → title), kg/ (abstract + title → keywords), cls_dcp/
(abstract → discipline), cls_ctg/ (title → category). The four files hold the same papers in the same order.
"""
from __future__ import annotations

import gzip
import hashlib
import logging
import shutil
from pathlib import Path

import pytest

from frontierwatch.errors import InputError
from frontierwatch.sources.csl import csl_id, read_csl, sniff_csl
from frontierwatch.sources.record import Record, Reject
from frontierwatch.sources.tabular import sniff_table

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CSL = SAMPLES / "csl"
TASK_FILES = [CSL / task / "dev.tsv" for task in ("ts", "kg", "cls_dcp", "cls_ctg")]
TEXT_CSL = SAMPLES / "text" / "csl" / "ts" / "dev.tsv"  # real CSL records of the script-folding tests (tests/text)
SEARCH_CSL = SAMPLES / "search" / "csl" / "ts" / "dev.tsv"  # real CSL records of the search tests (tests/search)
FIRST_TITLE = "一种基于平方和优化的飞行器大角度机动镇定控制器设计方法"


def _head(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data[:65536]


def _ts_rows() -> list[tuple[str, str]]:
    rows = [line.split("\t") for line in (CSL / "ts" / "dev.tsv").read_text(encoding="utf-8").splitlines()]
    return [(" ".join(title.split()), " ".join(abstract.split())) for _, abstract, title in rows]  # squashed


def test_ts_file_joined_with_its_siblings():
    items = list(read_csl(CSL / "ts" / "dev.tsv"))
    assert len(items) == 12 and all(isinstance(r, Record) for r in items)
    rec = items[0]
    assert rec.title == FIRST_TITLE
    assert rec.abstract.startswith("采用修正的Rodrigues参数(MRP),建立了飞行器姿态控制系统的数学模型")
    assert rec.kind == "paper" and rec.language == "zh" and rec.source == "csl"
    assert rec.published is None and rec.year is None  # CSL has no dates
    assert rec.categories == ["kw:修正Rodrigues参数模型", "kw:平方和优化", "kw:大角度机动", "kw:Lyapunov函数",
                              "csl-discipline:兵器科学与技术", "csl-category:工学"]
    assert [r.line for r in items] == list(range(1, 13)) and rec.file == str(CSL / "ts" / "dev.tsv")


def test_stable_id_is_the_same_in_every_task_file():
    expected = [hashlib.sha1((t + a).encode("utf-8")).hexdigest()[:16] for t, a in _ts_rows()]
    for path in TASK_FILES:
        records = list(read_csl(path))
        assert [r.ids["csl"] for r in records] == expected, path
        assert [r.title for r in records] == [t for t, _ in _ts_rows()], path
        assert all(r.categories[-1].startswith("csl-category:") for r in records), path


def test_folder_reads_each_split_once():
    records = list(read_csl(CSL))
    assert len(records) == 12 and records[0].file == str(CSL / "ts" / "dev.tsv")


def test_files_without_siblings(tmp_path):
    for task in ("kg", "cls_dcp", "cls_ctg"):
        (tmp_path / task).mkdir()
        shutil.copy(CSL / task / "dev.tsv", tmp_path / task / "dev.tsv")
    kg = list(read_csl(tmp_path / "kg" / "dev.tsv"))
    dcp = list(read_csl(tmp_path / "cls_dcp" / "dev.tsv"))
    assert all(isinstance(r, Record) for r in kg)
    assert [(r.title, r.abstract) for r in kg] == _ts_rows()  # split at the last space after a sentence end
    assert all(isinstance(r, Record) for r in dcp)  # kg and cls_ctg are siblings here: titles joined from them
    shutil.rmtree(tmp_path / "kg")
    (tmp_path / "other").mkdir()
    shutil.move(tmp_path / "cls_ctg", tmp_path / "other" / "cls_ctg")
    dcp_alone = list(read_csl(tmp_path / "cls_dcp" / "dev.tsv"))
    assert all(isinstance(r, Reject) and "no title" in r.reason for r in dcp_alone)
    ctg_alone = list(read_csl(tmp_path / "other" / "cls_ctg" / "dev.tsv"))
    assert ctg_alone[0].title == FIRST_TITLE and ctg_alone[0].abstract is None
    assert ctg_alone[0].ids["csl"] == csl_id(FIRST_TITLE, None) != list(read_csl(TASK_FILES[0]))[0].ids["csl"]


def test_misaligned_sibling_is_dropped(tmp_path, caplog):
    for task in ("ts", "cls_ctg"):
        (tmp_path / task).mkdir()
    shutil.copy(CSL / "ts" / "dev.tsv", tmp_path / "ts" / "dev.tsv")
    lines = (CSL / "cls_ctg" / "dev.tsv").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "cls_ctg" / "dev.tsv").write_text("".join(lines[:3] + lines[4:]), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        records = list(read_csl(tmp_path / "ts" / "dev.tsv"))
    assert len(records) == 12 and "disagrees at line 4" in caplog.text
    assert records[2].categories == ["csl-category:医学"]
    assert records[3].categories == [] and records[11].categories == []


def test_malformed_and_undecodable_lines(tmp_path):
    (tmp_path / "ts").mkdir()
    lines = (CSL / "ts" / "dev.tsv").read_bytes().splitlines(keepends=True)
    broken = lines[:2] + [b"to title\tonly two columns\n", b"to title\t\xff\xfe bad bytes\t\xe4\xb8\n"] + lines[2:]
    path = tmp_path / "ts" / "dev.tsv"
    path.write_bytes(b"".join(broken))
    items = list(read_csl(path))
    assert [type(i).__name__ for i in items[:5]] == ["Record", "Record", "Reject", "Reject", "Record"]
    assert items[2].line == 3 and "3 tab-separated columns" in items[2].reason
    assert items[3].line == 4 and "not valid text" in items[3].reason


def test_folder_without_csl_files_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no CSL task folders"):
        list(read_csl(tmp_path))


def test_sniff_is_strict(tmp_path):
    for path in TASK_FILES + [TEXT_CSL, SEARCH_CSL]:
        assert sniff_csl(path, _head(path)), path
        assert not sniff_table(path, _head(path)), path
    assert not sniff_csl(tmp_path / "README.md", b"# CSL\n\nto title\tmeans abstract to title\n")
    for path in (p for p in SAMPLES.rglob("*") if p.is_file() and p not in TASK_FILES + [TEXT_CSL, SEARCH_CSL]):
        assert not sniff_csl(path, _head(path)), path
