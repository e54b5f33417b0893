"""CSV/TSV and Scopus reader tests, including the encodings table exports arrive in (BOM, UTF-16, GB18030, gzip).

`scopus_export.csv` was written from the Scopus CSV export description (its column headers in export order,
every cell quoted, UTF-8 with BOM); its content is real: the OpenAlex work W2741809807 (authors, raw affiliation
strings, keywords, 962 citations) and arXiv 2012 papers (shared data/arxiv). EIDs are placeholders in the
documented '2-s2.0-' shape; one row has no title, one abstract spans two lines.
`arxiv_table.tsv` has made-up column names (for the mapping) over real arXiv 2012 rows. `cnki_table_zh.csv` has
plain Chinese headers over real CSL titles, abstracts and keywords; its 作者/单位/文献来源/年份 cells are
placeholders because CSL has none.
"""
from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from frontierwatch.errors import InputError
from frontierwatch.sources.record import Record, Reject
from frontierwatch.sources.tabular import read_scopus, read_table, sniff_scopus, sniff_table

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
EXPORTS = SAMPLES / "exports"
SCOPUS = EXPORTS / "scopus_export.csv"
ARXIV_TSV = EXPORTS / "arxiv_table.tsv"
ZH_CSV = EXPORTS / "cnki_table_zh.csv"
MAPPING = {"title": "paper_title", "abstract": "summary", "doi": "doi_link", "date": "first_version",
           "authors": "people", "arxiv": "arxiv_id", "categories": "subjects"}
README = b"# frontierwatch\n\n| Title | Abstract | DOI |\n|---|---|---|\n"


def _head(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data[:65536]


def test_scopus_rows_lines_and_rejects():
    items = list(read_scopus(SCOPUS))
    assert [type(i).__name__ for i in items] == ["Record"] * 5 + ["Reject", "Record"]
    assert [i.line for i in items] == [2, 3, 4, 5, 6, 8, 9]  # the row at line 6 spans two lines
    assert isinstance(items[5], Reject) and "no title" in items[5].reason


def test_scopus_fields():
    rec = next(iter(read_scopus(SCOPUS)))
    assert rec.source == "scopus" and rec.kind == "paper" and rec.language == "en"
    assert rec.title.startswith("The state of OA")
    assert rec.authors[:3] == ["Heather Piwowar", "Jason Priem", "Vincent Larivière"]  # 'Author full names'
    assert rec.year == 2018 and rec.published is None
    assert rec.venue == "PeerJ" and rec.cited_by_count == 962
    assert rec.ids == {"doi": "10.7717/peerj.4375", "scopus": "2-s2.0-0000000001"}  # ISSN is not an id
    assert rec.categories == ["kw:Scholarly Communication", "kw:Web of science", "kw:Open Science",
                              "kw:Citation analysis"]
    assert ("University of Washington", "US") in [(i.name, i.country) for i in rec.institutions]
    assert len(rec.references) == 2 and rec.references[0].startswith("Yeung, C.H., Saad, D.")


def test_scopus_multiline_abstract_and_no_abstract():
    items = list(read_scopus(SCOPUS))
    assert "\n" not in items[4].abstract and "challenge. NGN is perceived" in items[4].abstract
    assert items[4].authors == ["A. Barnawi", "N. Akkari", "M. Emran", "A.I. Khan"]  # no full names: 'Authors'
    assert items[6].abstract is None  # '[No abstract available]'


def test_read_table_on_scopus_uses_the_scopus_mapping():
    assert [(r.line, r.title) for r in read_table(SCOPUS) if isinstance(r, Record)] == \
           [(r.line, r.title) for r in read_scopus(SCOPUS) if isinstance(r, Record)]


def test_explicit_mapping():
    items = list(read_table(ARXIV_TSV, MAPPING))
    assert len(items) == 5 and all(isinstance(i, Record) for i in items)
    rec = items[0]
    assert rec.title.startswith("The Second Stokes Problem")
    assert rec.ids == {"doi": "10.1007/s11182-013-0039-z", "arxiv": "1201.2624"}
    assert rec.published == date(2012, 1, 12)
    assert rec.authors == ["V. A. Akimova", "A. V. Latyshev", "A. A. Yushkanov"]
    assert rec.categories == ["math-ph", "math.MP", "physics.comp-ph"]
    assert [i.line for i in items] == [2, 3, 4, 5, 6] and rec.file == str(ARXIV_TSV)


def test_missing_mapped_column_is_an_input_error_naming_file_and_column():
    with pytest.raises(InputError) as err:
        list(read_table(ARXIV_TSV, {**MAPPING, "venue": "journal_name"}))
    assert "journal_name" in err.value.en and "arxiv_table.tsv" in err.value.en
    assert "journal_name" in err.value.zh
    with pytest.raises(InputError, match="unknown field"):
        list(read_table(ARXIV_TSV, {"title": "paper_title", "colour": "subjects"}))


def test_no_title_column_without_mapping_is_an_input_error():
    with pytest.raises(InputError, match="no title column"):
        list(read_table(ARXIV_TSV))


def test_chinese_headers():
    items = list(read_table(ZH_CSV))
    assert len(items) == 5 and all(r.language == "zh" for r in items)
    rec = items[0]
    assert rec.title == "双官能团活性艳蓝的应用性能" and rec.year == 2019
    assert rec.authors == ["作者甲", "作者乙"] and rec.venue == "示例期刊"
    assert rec.categories == ["kw:染色", "kw:活性染料", "kw:匀染性", "kw:棉织物"]
    assert [(i.name, i.country) for i in rec.institutions] == [("某大学", "CN")]


@pytest.mark.parametrize("encoding", ["utf-16", "gb18030", "utf-8-sig"])
def test_encodings_give_the_same_rows(tmp_path, encoding):
    path = tmp_path / f"zh-{encoding}.csv"
    path.write_bytes(ZH_CSV.read_text(encoding="utf-8").encode(encoding))
    expected = [(r.line, r.title, r.abstract) for r in read_table(ZH_CSV)]
    assert [(r.line, r.title, r.abstract) for r in read_table(path)] == expected


def test_utf16_tsv_and_gzip(tmp_path):
    utf16 = tmp_path / "savedrecs.txt"
    utf16.write_bytes(ARXIV_TSV.read_text(encoding="utf-8").encode("utf-16"))
    gz = tmp_path / "table.tsv.gz"
    gz.write_bytes(gzip.compress(ARXIV_TSV.read_bytes()))
    expected = [(r.line, r.title) for r in read_table(ARXIV_TSV, MAPPING)]
    assert [(r.line, r.title) for r in read_table(utf16, MAPPING)] == expected
    assert [(r.line, r.title) for r in read_table(gz, MAPPING, delimiter="\t")] == expected


def test_undecodable_row_is_rejected_and_the_rest_read(tmp_path):
    data = ZH_CSV.read_bytes().replace("示例期刊".encode(), b"\xff\xff", 2)
    path = tmp_path / "broken.csv"
    path.write_bytes(data)
    items = list(read_table(path))
    assert [type(i).__name__ for i in items] == ["Reject", "Reject", "Record", "Record", "Record"]
    assert [i.line for i in items] == [2, 3, 4, 5, 6]


def test_sniffers_are_strict(tmp_path):
    assert sniff_scopus(SCOPUS, _head(SCOPUS)) and not sniff_table(SCOPUS, _head(SCOPUS))
    assert sniff_table(ZH_CSV, _head(ZH_CSV))
    assert not sniff_table(ARXIV_TSV, _head(ARXIV_TSV))  # no recognisable headers: needs an explicit mapping
    for name, head in (("README.md", README), ("LICENSE", b"Apache License\nVersion 2.0, January 2004\n")):
        assert not sniff_table(tmp_path / name, head) and not sniff_scopus(tmp_path / name, head)
    for path in (p for p in SAMPLES.rglob("*") if p.is_file() and p not in (SCOPUS, ZH_CSV)):
        assert not sniff_table(path, _head(path)), path
        assert not sniff_scopus(path, _head(path)), path
