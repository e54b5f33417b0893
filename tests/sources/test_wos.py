"""Web of Science plain-text reader tests.

The sample `tests/samples/exports/wos_savedrecs.txt` was written from the WoS plain-text field tag description
(FN/VR header, PT … ER records, AU/AF/TI/SO/AB/DE/C1/CR/TC/PY/PD/DI/WC/UT, three-space continuation lines, EF,
UTF-8 with BOM as WoS writes it); its content is real: the OpenAlex work W2741809807 (authors, raw affiliation
addresses, keywords, 962 citations) and arXiv 2012 papers (shared data/arxiv), which are also the cited
references. The UT accession number is a placeholder in the documented shape; the last record has no TI.
"""
from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

from frontierwatch.sources.record import Record, Reject
from frontierwatch.sources.wos import read_wos, sniff_wos

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
WOS = SAMPLES / "exports" / "wos_savedrecs.txt"
README = b"# frontierwatch\n\nFN Export your records from Web of Science as plain text.\nVR see the docs\n"


def _head(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data[:65536]


def test_records_and_start_lines():
    items = list(read_wos(WOS))
    assert [type(i).__name__ for i in items] == ["Record"] * 4 + ["Reject"]
    assert [i.line for i in items] == [3, 76, 100, 126, 147]
    assert isinstance(items[-1], Reject) and "no title" in items[-1].reason
    assert items[-1].raw.startswith("PT B")


def test_full_record_fields():
    rec = next(iter(read_wos(WOS)))
    assert rec.title == ("The state of OA: a large-scale analysis of the prevalence and impact of Open Access "
                         "articles")  # continuation line joined
    assert rec.source == "wos" and rec.kind == "paper" and rec.language == "en"
    assert rec.venue == "PEERJ"
    assert rec.authors[:3] == ["Heather Piwowar", "Jason Priem", "Vincent Larivière"]  # AF preferred over AU
    assert len(rec.authors) == 9
    assert rec.published == date(2018, 2, 13) and rec.year is None  # PY 2018 + PD FEB 13
    assert rec.ids == {"doi": "10.7717/peerj.4375", "wos": "WOS:000000000000001"}
    assert rec.cited_by_count == 962
    assert rec.references[0] == "Yeung CH, 2012, PHYS REV LETT, V108, DOI 10.1103/PhysRevLett.108.208701"
    assert len(rec.references) == 3
    assert "kw:Web of science" in rec.categories and "wos:Multidisciplinary Sciences" in rec.categories
    assert rec.abstract.startswith("Despite growing interest in Open Access (OA)")
    assert "  " not in rec.abstract


def test_c1_addresses_become_institutions_with_countries():
    rec = next(iter(read_wos(WOS)))
    pairs = [(i.name, i.country) for i in rec.institutions]
    assert ("Impactstory", "US") in pairs
    assert ("Université du Québec à Montréal", "CA") in pairs
    assert ("Simon Fraser University", "CA") in pairs
    assert ("University of Washington", "US") in pairs
    assert all(not i.name.startswith("[") for i in rec.institutions)


def test_month_without_day_gives_the_year_only():
    rec = list(read_wos(WOS))[1]
    assert rec.title == "The Competition for Shortest Paths on Sparse Graphs"
    assert rec.year == 2012 and rec.published is None  # PD MAY
    assert rec.categories == ["wos:Physics, Multidisciplinary"]
    assert rec.cited_by_count is None and rec.references == []


def test_undecodable_record_is_rejected_and_the_rest_read(tmp_path):
    data = WOS.read_bytes().replace(b"SO PHYSICAL REVIEW LETTERS", b"SO PHYSICAL REVIEW LETTERS \xff", 1)
    path = tmp_path / "savedrecs.txt"
    path.write_bytes(data)
    items = list(read_wos(path))
    assert isinstance(items[1], Reject) and items[1].line == 76
    assert isinstance(items[2], Record) and items[2].line == 100


def test_sniff_is_strict(tmp_path):
    assert sniff_wos(WOS, _head(WOS))
    assert not sniff_wos(tmp_path / "README.md", README)
    for path in (p for p in SAMPLES.rglob("*") if p.is_file() and p != WOS):
        assert not sniff_wos(path, _head(path)), path
