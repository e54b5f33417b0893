"""BibTeX reader tests.

The sample `tests/samples/exports/arxiv_sample.bib` was written from the BibTeX format description (entries,
@string macros, @comment, braced and quoted values, '#' concatenation, LaTeX accents); its content is real:
arXiv 2012 papers (shared data/arxiv) and the OpenAlex work W2741809807. Two entries are broken on purpose: the
Manabe2012 entry is never closed (it must not swallow Dumin2012 after it) and Qian2012 has no title.
"""
from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

from frontierwatch.sources.bibtex import latex_to_text, read_bibtex, sniff_bibtex
from frontierwatch.sources.record import Record, Reject

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
BIB = SAMPLES / "exports" / "arxiv_sample.bib"
README = b"# frontierwatch\n\nCite us with @article{fw, ...} in your .bib file.\n"
LICENSE = b"                                 Apache License\n                           Version 2.0, January 2004\n"


def _head(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data[:65536]


def _items():
    return list(read_bibtex(BIB))


def test_entries_and_start_lines():
    items = _items()
    assert [type(i).__name__ for i in items] == ["Record", "Record", "Record", "Reject", "Record", "Reject", "Record"]
    assert [i.line for i in items] == [6, 20, 29, 44, 53, 62, 70]
    assert all(i.file == str(BIB) for i in items)


def test_article_fields_macro_and_arxiv_eprint():
    rec = _items()[0]
    assert rec.title == "The Competition for Shortest Paths on Sparse Graphs"  # double braces removed
    assert rec.venue == "Physical Review Letters"  # @string prl expanded
    assert rec.authors == ["Chi Ho Yeung", "David Saad"]
    assert rec.ids == {"doi": "10.1103/physrevlett.108.208701", "arxiv": "1202.0213"}
    assert rec.year == 2012 and rec.published is None
    assert rec.categories == ["kw:shortest paths", "kw:routing", "kw:sparse graphs"]
    assert rec.kind == "paper" and rec.language == "en" and rec.source == "bibtex"


def test_quoted_values_and_concatenation():
    rec = _items()[1]
    assert rec.title == "Microstructure of a liquid complex (dusty) plasma under shear"
    assert rec.venue == "Physical Review Letters"  # prl # ""
    assert rec.authors == ["V. Nosenko", "A. V. Ivlev", "G. E. Morfill"]
    assert "shear rate of the flow" in rec.abstract


def test_accents_date_affiliations_and_citations():
    rec = _items()[2]
    assert rec.authors[2] == "Vincent Larivière"
    assert rec.published == date(2018, 2, 13) and rec.year is None
    assert rec.cited_by_count == 962  # Scopus 'cited By 962' note
    assert [(i.name, i.country) for i in rec.institutions] == [
        ("Impactstory", "US"), ("Université du Québec à Montréal", "CA")]
    assert "kw:Open Science" in rec.categories
    assert rec.title.startswith("The state of OA")


def test_unclosed_entry_does_not_swallow_the_next():
    items = _items()
    broken, after = items[3], items[4]
    assert isinstance(broken, Reject) and "not closed" in broken.reason and "line 53" in broken.reason
    assert broken.raw.startswith("@inproceedings{Manabe2012,")
    assert isinstance(after, Record) and after.title.startswith("Heating the Solar Atmosphere")
    assert after.ids["doi"] == "10.1088/0004-637x/751/1/36"


def test_entry_without_title_is_rejected():
    reject = _items()[5]
    assert isinstance(reject, Reject) and reject.line == 62 and "Qian2012" in reject.reason


def test_latex_to_text():
    assert latex_to_text(r"Larivi{\`e}re") == "Larivière"
    assert latex_to_text(r"Universit{\'e} du Qu\'{e}bec") == "Université du Québec"
    assert latex_to_text(r"Erd\H{o}s and G\"odel, \c{C}elik") == "Erdős and Gödel, Çelik"
    assert latex_to_text(r"{\o}rsted \& {\ss}") == "ørsted & ß"
    assert latex_to_text(r"\emph{Deep}   {Learning}~methods") == "Deep Learning methods"


def test_parenthesised_entry_others_and_unclosed_end(tmp_path):
    path = tmp_path / "more.bib"
    path.write_text(
        "@Article(Cain2012,\n  title = {Finitely presented monoids with linear {Dehn} function need not have regular"
        " cross-sections},\n  author = {Cain, Alan J. and others},\n  year = 2013,\n  url = {https://doi.org/"
        "10.1007/s00233-013-9531-6}\n)\n\n@article{Tail,\n  title = {The Second Stokes Problem\n", encoding="utf-8")
    first, last = list(read_bibtex(path))
    assert first.title.endswith("linear Dehn function need not have regular cross-sections")
    assert first.authors == ["Alan J. Cain"] and first.ids == {"doi": "10.1007/s00233-013-9531-6"}
    assert isinstance(last, Reject) and last.line == 8 and "end of the file" in last.reason


def test_field_without_equals_is_a_malformed_entry(tmp_path):
    path = tmp_path / "bad.bib"
    path.write_text("@article{x,\n  title {No equals sign}\n}\n@article{y, title = {Shortest paths}, year = 2012}\n",
                    encoding="utf-8")
    bad, good = list(read_bibtex(path))
    assert isinstance(bad, Reject) and bad.line == 1 and "malformed" in bad.reason
    assert good.title == "Shortest paths" and good.line == 4


def test_sniff_is_strict(tmp_path):
    assert sniff_bibtex(BIB, _head(BIB))
    assert sniff_bibtex(BIB, b"% created with JabRef\n\n@Article{x,\n title={A}}\n")
    assert not sniff_bibtex(tmp_path / "README.md", README)
    assert not sniff_bibtex(tmp_path / "LICENSE", LICENSE)
    assert not sniff_bibtex(tmp_path / "mail.txt", b"@someone{ said this\n")
    for path in (p for p in SAMPLES.rglob("*") if p.is_file() and p != BIB):
        assert not sniff_bibtex(path, _head(path)), path
