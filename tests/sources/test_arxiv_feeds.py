"""arXiv OAI-PMH and Atom connectors.

There is no OAI-PMH or Atom file in shared/, so the samples in tests/samples/arxiv_feeds were written by hand:
the envelopes (OAI-PMH 2.0 ``ListRecords`` with ``metadataPrefix=arXiv`` per arXiv.xsd; the arXiv API Atom
feed per the arXiv API user manual, including its error entry) follow the published format descriptions,
while the record contents are five REAL papers from shared/data/arxiv (0704.0002, astro-ph/0701127,
1201.0330, 1201.0339, 1601.00071): their ids, dates, authors, titles, categories, comments, DOIs and abstracts.
The deleted-record header, the resumption token and the version suffixes in Atom ids are illustrative.
"""
from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from frontierwatch.errors import InputError
from frontierwatch.sources.arxiv_feeds import (
    oai_resumption_token,
    read_arxiv_atom,
    read_arxiv_oai,
    sniff_arxiv_atom,
    sniff_arxiv_oai,
)
from frontierwatch.sources.record import Record, Reject

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "arxiv_feeds"
OAI_PAGE = SAMPLES / "oai_listrecords_page1.xml"
OAI_LAST = SAMPLES / "oai_listrecords_last_page.xml"
ATOM = SAMPLES / "atom_id_list.xml"
ATOM_ERROR = SAMPLES / "atom_error.xml"


def head(path: Path) -> bytes:
    return path.read_bytes()[:4096]


def test_oai_page_maps_records_and_skips_the_deleted_one():
    items = list(read_arxiv_oai(OAI_PAGE))
    assert all(isinstance(i, Record) for i in items)
    assert [i.ids["arxiv"] for i in items] == ["0704.0002", "astro-ph/0701127", "1201.0330", "1201.0339"]
    assert [i.line for i in items] == [1, 2, 4, 5]  # record 3 is deleted: skipped, ordinal kept
    first = items[0]
    assert first.title == "Sparsity-certifying Graph Decompositions"
    assert (first.kind, first.source, first.language, first.file) == ("paper", "arxiv", "en", str(OAI_PAGE))
    assert first.published == date(2007, 3, 30)  # <created>, not <updated>
    assert first.authors == ["Ileana Streinu", "Louis Theran"]
    assert first.categories == ["math.CO", "cs.CG"]
    assert first.abstract.startswith("We describe a new algorithm, the $(k,\\ell)$-pebble game with colors, and use it")
    assert "\n" not in first.abstract
    assert items[1].ids == {"arxiv": "astro-ph/0701127", "doi": "10.1393/ncb/i2007-10393-7"}
    assert len(items[1].authors) == 34 and items[1].authors[7] == "A. D'Angelo"


def test_oai_resumption_token_present_then_empty_on_last_page():
    assert oai_resumption_token(OAI_PAGE) == "4213725|1001"
    assert oai_resumption_token(OAI_LAST) is None
    (last,) = read_arxiv_oai(OAI_LAST)
    assert last.ids == {"arxiv": "1601.00071", "doi": "10.1103/physreva.93.013620"}
    assert last.categories == ["cond-mat.quant-gas", "nlin.PS"]


def test_atom_feed_strips_versions_and_puts_primary_first():
    items = list(read_arxiv_atom(ATOM))
    assert [i.ids["arxiv"] for i in items] == ["0704.0002", "astro-ph/0701127", "1201.0330", "1201.0339",
                                               "1601.00071"]
    assert [i.line for i in items] == [1, 2, 3, 4, 5]
    assert items[0].published == date(2007, 3, 30)  # <published> = first version, id says v2
    assert items[3].ids["doi"] == "10.1209/0295-5075/97/66002"
    assert items[4].categories[0] == "cond-mat.quant-gas"


def test_atom_and_oai_agree_on_the_same_papers():
    oai = {r.ids["arxiv"]: r for r in [*read_arxiv_oai(OAI_PAGE), *read_arxiv_oai(OAI_LAST)]}
    for atom in read_arxiv_atom(ATOM):
        twin = oai[atom.ids["arxiv"]]
        assert (atom.title, atom.abstract, atom.published, atom.ids, atom.categories, atom.authors) == (
            twin.title, twin.abstract, twin.published, twin.ids, twin.categories, twin.authors)


def test_atom_error_entry_becomes_a_reject():
    (item,) = read_arxiv_atom(ATOM_ERROR)
    assert isinstance(item, Reject) and item.line == 1
    assert item.reason == "arXiv API error: incorrect id format for 1201.03301"


def test_truncated_page_keeps_records_before_the_break(tmp_path):
    text = OAI_PAGE.read_text(encoding="utf-8")
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: text.index("<id>1201.0330</id>")], encoding="utf-8")
    items = list(read_arxiv_oai(cut))
    assert [type(i) for i in items] == [Record, Record, Reject]
    assert items[-1].line == 4 and "breaks off after record 3" in items[-1].reason


def test_truncated_gzip_page_keeps_records_before_the_break(tmp_path):
    packed = gzip.compress(ATOM.read_bytes())
    cut = tmp_path / "cut.xml.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    items = list(read_arxiv_atom(cut))
    assert isinstance(items[-1], Reject) and all(isinstance(i, Record) for i in items[:-1])
    assert items[-1].line == len(items) and "breaks off" in items[-1].reason


def test_other_metadata_prefix_is_rejected_and_oai_errors_raise(tmp_path):
    text = OAI_LAST.read_text(encoding="utf-8")
    start, end = text.index("<metadata>"), text.index("</metadata>") + len("</metadata>")
    no_meta = tmp_path / "no_meta.xml"
    no_meta.write_text(text[:start] + text[end:], encoding="utf-8")
    (item,) = read_arxiv_oai(no_meta)
    assert isinstance(item, Reject) and "metadataPrefix=arXiv" in item.reason
    error = tmp_path / "error.xml"
    error.write_text(text[: text.index("<ListRecords>")]
                     + '<error code="badResumptionToken">expired</error></OAI-PMH>', encoding="utf-8")
    with pytest.raises(InputError, match="badResumptionToken"):
        list(read_arxiv_oai(error))


def test_sniffers_tell_the_feeds_apart_and_read_gzip(tmp_path):
    assert sniff_arxiv_oai(OAI_PAGE, head(OAI_PAGE)) and not sniff_arxiv_atom(OAI_PAGE, head(OAI_PAGE))
    assert sniff_arxiv_atom(ATOM, head(ATOM)) and not sniff_arxiv_oai(ATOM, head(ATOM))
    patent = SAMPLES.parent / "uspto" / "xml2004_US06970935.xml"
    assert not sniff_arxiv_oai(patent, head(patent)) and not sniff_arxiv_atom(patent, head(patent))
    gz = tmp_path / "page.xml.gz"
    gz.write_bytes(gzip.compress(OAI_PAGE.read_bytes()))
    assert sniff_arxiv_oai(gz, gz.read_bytes()[:64])
    assert len(list(read_arxiv_oai(gz))) == 4 and oai_resumption_token(gz) == "4213725|1001"
