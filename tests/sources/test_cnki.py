"""CNKI RefWorks / EndNote reader tests, and the encoding handling (GB18030) they depend on.

The samples were written from the published format descriptions — CNKI RefWorks text (RT/SR/A1/AD/T1/JF/YR/FD/
K1/AB/SN/CN/LA/DS/LK, the bare 'vo ' tag, a wrapped abstract line) and EndNote text (%0/%A/%+/%T/%J/%D/%K/%X/…,
CRLF line ends, GB18030 encoded as older CNKI exports are). Titles, abstracts and keywords are real Chinese
records of the CSL benchmark (shared data/csl, test split, rows 1–12). CSL has no authors, venues, years,
affiliations or CNKI ids, so those fields hold visible placeholders (作者甲, 示例期刊, 某大学信息学院, the
filename in LK) that exercise the parser without pretending to be real. The fifth RefWorks record has no T1.
"""
from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

from frontierwatch.sources.cnki import read_cnki, sniff_cnki
from frontierwatch.sources.record import Record, Reject
from frontierwatch.sources.tabular import read_table
from frontierwatch.sources.textfile import detect_encoding, iter_text_lines

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
EXPORTS = SAMPLES / "exports"
REFWORKS = EXPORTS / "cnki_refworks.txt"
ENDNOTE_GB = EXPORTS / "cnki_endnote_gb18030.txt"
README = "# 未来产业瞭望站\n\nRT 是 RefWorks 的记录类型标签。\n".encode()


def _head(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data[:65536]


def test_refworks_records_and_lines():
    items = list(read_cnki(REFWORKS))
    assert [type(i).__name__ for i in items] == ["Record"] * 4 + ["Reject", "Record"]
    assert [i.line for i in items] == [1, 20, 40, 59, 78, 88]
    assert "no title" in items[4].reason and items[4].raw.startswith("RT Journal Article")


def test_refworks_fields():
    rec = next(iter(read_cnki(REFWORKS)))
    assert rec.title == "双官能团活性艳蓝的应用性能"
    assert rec.language == "zh" and rec.kind == "paper" and rec.source == "cnki"
    assert rec.authors == ["作者甲", "作者乙"]
    assert rec.venue == "示例期刊"
    assert rec.published == date(2019, 3, 12) and rec.year is None  # FD wins over YR
    assert rec.categories == ["kw:染色", "kw:活性染料", "kw:匀染性", "kw:棉织物"]
    assert rec.ids == {"cnki": "SLQK201903001"}  # from LK filename=; SN/CN are not ids
    assert [(i.name, i.country) for i in rec.institutions] == [("某大学", "CN")]
    assert rec.abstract.startswith("双宫能团活性艳蓝GN和RN")


def test_wrapped_chinese_abstract_is_rejoined_without_a_space():
    wrapped = list(read_cnki(REFWORKS))[1]
    same_in_table = list(read_table(EXPORTS / "cnki_table_zh.csv"))[1]
    assert wrapped.title == same_in_table.title == "我院2002～2005年抗高血压药利用分析"
    assert wrapped.abstract == same_in_table.abstract


def test_endnote_gb18030_is_decoded():
    assert detect_encoding(ENDNOTE_GB.read_bytes()[:65536]) == "gb18030"
    items = list(read_cnki(ENDNOTE_GB))
    assert all(isinstance(i, Record) for i in items) and len(items) == 6
    assert [i.line for i in items] == [1, 17, 33, 49, 65, 81]
    rec = items[0]
    assert rec.title == "利用核桃壳制备高比表面积活性炭电极材料的研究"
    assert rec.authors == ["作者甲", "作者乙"] and rec.venue == "示例期刊"
    assert rec.year == 2018 and rec.published is None
    assert rec.categories == ["kw:核桃壳", "kw:活性炭", "kw:超级电容器", "kw:电极材料"]
    assert "2404 m2/g" in rec.abstract and not rec.abstract.endswith("\r")
    assert items[2].title == '王岱舆的"天命三品"论对当今宗教文明对话的启迪意义'


def test_gzipped_gb18030_and_utf8_give_the_same_records(tmp_path):
    gz = tmp_path / "cnki.txt.gz"
    gz.write_bytes(gzip.compress(ENDNOTE_GB.read_bytes()))
    utf8 = tmp_path / "cnki-utf8.txt"
    utf8.write_text(ENDNOTE_GB.read_bytes().decode("gb18030"), encoding="utf-8")
    expected = [(r.line, r.title, r.abstract) for r in read_cnki(ENDNOTE_GB)]
    assert [(r.line, r.title, r.abstract) for r in read_cnki(gz)] == expected
    assert [(r.line, r.title, r.abstract) for r in read_cnki(utf8)] == expected


def test_gb18030_after_a_long_ascii_start_switches_encoding(tmp_path):
    path = tmp_path / "late.txt"
    path.write_bytes(b"\r\n" * 40000 + ENDNOTE_GB.read_bytes())
    items = list(read_cnki(path))
    assert len(items) == 6 and items[0].line == 40001
    assert items[0].title == "利用核桃壳制备高比表面积活性炭电极材料的研究"


def test_undecodable_line_in_utf8_file_rejects_its_record(tmp_path):
    data = REFWORKS.read_bytes().replace("JF 示例期刊".encode(), "JF 示例期刊".encode() + b"\xff\xfe\xff", 1)
    path = tmp_path / "broken.txt"
    path.write_bytes(data)
    lines = list(iter_text_lines(path))
    assert [line.number for line in lines if line.undecodable] == [6]
    items = list(read_cnki(path))
    assert isinstance(items[0], Reject) and items[0].line == 1 and "not valid text" in items[0].reason
    assert isinstance(items[1], Record) and items[1].title == "我院2002～2005年抗高血压药利用分析"


def test_patent_type_is_a_patent(tmp_path):
    path = tmp_path / "patent.txt"
    path.write_text("RT Patent\nA1 作者甲\nT1 一种基于平方和优化的飞行器大角度机动镇定控制器设计方法\nFD 2019-03-12\n\n",
                    encoding="utf-8")
    (rec,) = read_cnki(path)
    assert rec.kind == "patent" and rec.published == date(2019, 3, 12)


def test_sniff_is_strict(tmp_path):
    assert sniff_cnki(REFWORKS, _head(REFWORKS))
    assert sniff_cnki(ENDNOTE_GB, _head(ENDNOTE_GB))
    assert not sniff_cnki(tmp_path / "README.md", README)
    for path in (p for p in SAMPLES.rglob("*") if p.is_file() and p not in (REFWORKS, ENDNOTE_GB)):
        assert not sniff_cnki(path, _head(path)), path
