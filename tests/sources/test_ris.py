"""RIS reader tests.

The sample `tests/samples/exports/arxiv_sample.ris` was written from the published RIS format description
(TY … ER, two-letter tags followed by two spaces, a hyphen and a space); its content is real: titles, authors,
abstracts and DOIs of arXiv 2012 papers (shared data/arxiv), the OpenAlex work W2741809807 (authors, affiliations,
date, 962 citations) and USPTO grant US 8,926,509. The Scopus accession number (AN) is a placeholder in the
documented shape; the fifth record deliberately has no TI tag.
"""
from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from frontierwatch.errors import InputError
from frontierwatch.sources.record import Record, Reject
from frontierwatch.sources.ris import read_ris, sniff_ris

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
RIS = SAMPLES / "exports" / "arxiv_sample.ris"
README = b"# frontierwatch\n\nAn open observatory of frontier technology.\n\nTY  - this line is prose\n"
LICENSE = b"                                 Apache License\n                           Version 2.0, January 2004\n"


def _head(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data[:65536]


def test_reads_every_record_with_its_start_line():
    items = list(read_ris(RIS))
    assert [type(i).__name__ for i in items] == ["Record"] * 4 + ["Reject", "Record"]
    assert [i.line for i in items] == [1, 14, 34, 71, 84, 93]
    assert all(i.file == str(RIS) for i in items)


def test_journal_article_fields():
    rec = next(iter(read_ris(RIS)))
    assert rec.title == "The Competition for Shortest Paths on Sparse Graphs"
    assert rec.kind == "paper" and rec.source == "ris" and rec.language == "en"
    assert rec.authors == ["Chi Ho Yeung", "David Saad"]
    assert rec.venue == "Physical Review Letters"
    assert rec.ids == {"doi": "10.1103/physrevlett.108.208701"}  # lower-cased
    assert rec.published == date(2012, 2, 1) and rec.year is None  # DA full date wins over PY
    assert rec.categories == ["kw:cond-mat.dis-nn", "kw:cs.NI"]
    assert rec.abstract.startswith("Optimal paths connecting randomly selected network nodes")


def test_wrapped_abstract_and_year_only():
    rec = list(read_ris(RIS))[1]
    assert rec.year == 2011 and rec.published is None
    assert "Next Generation Networks (NGN) to address this challenge." in rec.abstract
    assert rec.abstract.endswith("deploying a mobile application on top of the testbed.")
    assert "\n" not in rec.abstract


def test_affiliations_citations_and_accession_number():
    rec = list(read_ris(RIS))[2]
    assert rec.cited_by_count == 962
    assert rec.ids == {"doi": "10.7717/peerj.4375", "scopus": "2-s2.0-0000000001"}  # SN (ISSN) is not an id
    names = {i.name: i.country for i in rec.institutions}
    assert names["Impactstory"] == "US"
    assert names["Université du Québec à Montréal"] == "CA"
    assert names["University of Washington"] == "US"
    assert rec.authors[2] == "Vincent Larivière"
    assert "kw:Citation analysis" in rec.categories


def test_patent_type_and_title_rejects():
    items = list(read_ris(RIS))
    patent, missing = items[3], items[4]
    assert patent.kind == "patent" and patent.published == date(2015, 1, 6)
    assert patent.authors[0] == "Surendar Magar"
    assert isinstance(missing, Reject) and missing.line == 84 and "no title" in missing.reason
    assert missing.raw.startswith("TY  - CHAP")


def test_doi_url_form_and_semicolon_keywords():
    rec = list(read_ris(RIS))[5]
    assert rec.ids["doi"] == "10.1007/s00233-013-9531-6"
    assert rec.year == 2012 and rec.published is None  # '2012///'
    assert rec.categories == ["kw:cs.FL", "kw:math.GR"]
    assert rec.venue == "Semigroup Forum"


def test_gzip_gives_the_same_records(tmp_path):
    gz = tmp_path / "export.ris.gz"
    gz.write_bytes(gzip.compress(RIS.read_bytes()))
    plain = [(i.line, getattr(i, "title", None)) for i in read_ris(RIS)]
    assert [(i.line, getattr(i, "title", None)) for i in read_ris(gz)] == plain


def test_undecodable_line_rejects_only_its_record(tmp_path):
    text = RIS.read_bytes()
    # a stray Latin-1 byte inside the first record, after UTF-8 multi-byte text ('Larivière' is later, so add one)
    broken = text.replace(b"TY  - JOUR\nAU  - Yeung", "TY  - JOUR\nN1  - café\nAU  - Yeung".encode(), 1)
    broken = broken.replace(b"KW  - cs.NI", b"KW  - cs.N\xff", 1)
    path = tmp_path / "broken.ris"
    path.write_bytes(broken)
    items = list(read_ris(path))
    assert isinstance(items[0], Reject) and items[0].line == 1 and "not valid text" in items[0].reason
    assert isinstance(items[1], Record) and items[1].line == 15


def test_unterminated_last_record_is_still_read(tmp_path):
    path = tmp_path / "cut.ris"
    path.write_text(RIS.read_text(encoding="utf-8").rstrip().removesuffix("ER  -").rstrip() + "\n", encoding="utf-8")
    items = list(read_ris(path))
    assert len(items) == 6 and items[-1].title.startswith("Finitely presented monoids")


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as err:
        list(read_ris(tmp_path / "nope.ris"))
    assert "nope.ris" in err.value.en and "找不到" in err.value.zh


def test_sniff_is_strict(tmp_path):
    assert sniff_ris(RIS, _head(RIS))
    assert not sniff_ris(tmp_path / "README.md", README)
    assert not sniff_ris(tmp_path / "LICENSE", LICENSE)
    others = [p for p in SAMPLES.rglob("*") if p.is_file() and p != RIS]
    assert others
    for path in others:
        assert not sniff_ris(path, _head(path)), path


def test_truncated_gzip_keeps_the_records_before_the_break(tmp_path):
    gz = tmp_path / "cut.ris.gz"
    data = gzip.compress(RIS.read_bytes())
    gz.write_bytes(data[: len(data) * 2 // 3])
    items = list(read_ris(gz))
    assert isinstance(items[-1], Reject) and "corrupt or truncated" in items[-1].raw
    assert [i.line for i in items[:-1]] == [1, 14, 34, 71, 84, 93][: len(items) - 1]
    assert sum(isinstance(i, Record) for i in items) >= 2
