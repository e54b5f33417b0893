"""USPTO full-text connector on real documents copied from USPTO/PatentPublicData (see shared/README.md).

Samples in tests/samples/uspto: one unmodified document per supported format (xml2004, xml2006, xml2014,
xmlApp2004, pap), one per unsupported format (sgml, greenbook, the first document of the BRS dump), a bulk-style
file concatenating three real documents with the middle one cut short, and a real grant with its
``<invention-title>`` line removed.
"""
from __future__ import annotations

import gzip
import zipfile
from datetime import date
from pathlib import Path

import pytest

from frontierwatch.errors import InputError
from frontierwatch.sources.record import Institution, Record, Reject
from frontierwatch.sources.uspto import (
    UnsupportedPatentFormat,
    parse_patent_document,
    read_uspto,
    sniff_uspto,
    unsupported_reason,
)

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "uspto"
SUPPORTED = ["xml2004_US06970935.xml", "xml2006_US07272630B2.xml", "xml2014_US08926509.xml",
             "xmlApp2004_US20050004437A1.xml", "pap_US20010000943A1.xml"]
UNSUPPORTED = ["sgml_USD435854S1.xml", "greenbook_US03937375.greenbook", "css_brs_first_document.txt"]


def only_record(name: str) -> Record:
    items = list(read_uspto(SAMPLES / name))
    assert len(items) == 1 and isinstance(items[0], Record), items
    return items[0]


def test_grant_2004_maps_every_field():
    path = SAMPLES / "xml2004_US06970935.xml"
    rec = only_record(path.name)
    assert rec.title == "Conversational networking via transport, coding and control conversational protocols"
    assert (rec.kind, rec.source, rec.language, rec.venue) == ("patent", "uspto", "en", "USPTO")
    assert (rec.file, rec.line) == (str(path), 1)
    assert rec.ids == {"patent": "US6970935", "patent_kind": "B1", "application": "US09/703,574",
                       "filed": "2000-11-01"}
    assert rec.published == date(2005, 11, 29)
    assert rec.categories == ["ipc:G06F15/16"]
    assert rec.authors == ["Stephane H. Maes"]
    assert rec.institutions == [Institution("International Business Machines Corporation", "company", "US")]
    assert rec.abstract.startswith("Conversational protocols for implementing distributed conversational")
    assert len(rec.references) == 11 and rec.references[0] == "patent:US5918020"


def test_grant_2006_keeps_patent_and_literature_citations():
    rec = only_record("xml2006_US07272630B2.xml")
    assert rec.ids["patent"] == "US7272630" and rec.ids["application"] == "US10/991,571"
    assert rec.authors == ["John R. Douceur", "Marvin M. Theimer", "Atul Adya", "William J. Bolosky"]
    npl = [r for r in rec.references if r.startswith("npl:")]
    patents = [r for r in rec.references if r.startswith("patent:")]
    assert npl and patents and len(npl) + len(patents) == len(rec.references)
    assert "patent:EP663640" in patents  # foreign citation: country kept, leading zeros dropped
    assert max(len(r) for r in npl) <= len("npl:") + 300
    assert "patent:US5202982" in patents


def test_grant_2014_lists_cpc_main_first_then_further_then_ipc():
    rec = only_record("xml2014_US08926509.xml")
    assert rec.categories[0] == "cpc:A61B5/0205"
    assert "cpc:H04L67/125" in rec.categories and "cpc:G06F19/3418" in rec.categories
    assert len(rec.categories) == len(set(rec.categories))
    cpc = [c for c in rec.categories if c.startswith("cpc:")]
    ipc = [c for c in rec.categories if c.startswith("ipc:")]
    assert ipc and rec.categories == cpc + ipc
    assert rec.institutions == [Institution("Hmicro, Inc.", "company", "US")]


def test_application_2004_takes_inventors_from_applicants():
    rec = only_record("xmlApp2004_US20050004437A1.xml")
    assert rec.ids["patent"] == "US20050004437" and rec.ids["patent_kind"] == "A1"
    assert rec.ids["application"] == "US10/830,857" and rec.ids["filed"] == "2004-04-23"
    assert rec.published == date(2005, 1, 6)
    assert rec.authors == ["Heiner Kaufmann", "Thomas Vering"]
    assert rec.categories == ["ipc:A61B5/00"]
    assert rec.institutions == [] and rec.references == []


def test_pap_2001_application_resolves_html_and_iso_entities():
    rec = only_record("pap_US20010000943A1.xml")
    assert rec.title == "Organic electroluminescence device and method of manufacturing same"
    assert rec.ids == {"patent": "US20010000943", "patent_kind": "A1", "application": "US09/727,454",
                       "filed": "2000-12-04"}
    assert rec.published == date(2001, 5, 10)
    assert rec.authors == ["Kenichi Fukuoka", "Mitsura Eida"]
    assert rec.institutions == [Institution("IDEMITSU KOSAN CO., LTD.", "company", None)]
    assert "Min\u221220 nm<t<Min+20 nm" in rec.abstract  # &minus; &lt; &plus; in the source


def test_named_entity_in_a_title_does_not_break_parsing():
    raw = (SAMPLES / "xmlApp2004_US20050004437A1.xml").read_bytes()
    raw = raw.replace(b"for playful evaluation", b"for &lsquo;playful&rsquo; &agr; evaluation", 1)
    rec = parse_patent_document(raw, "x.xml", 7)
    assert isinstance(rec, Record) and rec.line == 7
    assert "for \u2018playful\u2019 \u03b1 evaluation" in rec.title


def test_bulk_file_keeps_documents_around_a_broken_one():
    path = SAMPLES / "multi_doc_with_broken_middle.xml"
    items = list(read_uspto(path))
    assert [type(i) for i in items] == [Record, Reject, Record]
    assert [i.line for i in items] == [1, 2, 3]
    assert items[0].ids["patent"] == "US8930553" and items[2].ids["patent"] == "US20050004437"
    assert items[1].file == str(path) and "does not parse" in items[1].reason
    assert items[1].raw.startswith("<?xml") and "US06859910" in items[1].raw


def test_only_front_matter_is_parsed_so_a_broken_description_is_harmless():
    raw = (SAMPLES / "xml2014_US08926509.xml").read_bytes()
    start = raw.index(b"<description")
    broken = raw[:start] + raw[start:].replace(b"</p>", b"", 1)
    rec = parse_patent_document(broken, "x.xml", 1)
    assert isinstance(rec, Record) and rec.ids["patent"] == "US8926509"


def test_document_without_title_is_rejected():
    items = list(read_uspto(SAMPLES / "missing_title_US06859910.xml"))
    assert len(items) == 1 and isinstance(items[0], Reject)
    assert items[0].line == 1 and "US6859910 has no invention title" in items[0].reason


@pytest.mark.parametrize("name", SUPPORTED)
def test_sniff_accepts_supported_formats(name):
    path = SAMPLES / name
    head = path.read_bytes()[:4096]
    assert sniff_uspto(path, head) and unsupported_reason(path, head) is None


@pytest.mark.parametrize("name", UNSUPPORTED)
def test_older_formats_are_recognised_and_refused_clearly(name):
    path = SAMPLES / name
    head = path.read_bytes()[:4096]
    assert not sniff_uspto(path, head)  # so a folder walk skips the file instead of failing the run
    assert "not supported yet" in unsupported_reason(path, head)
    with pytest.raises(UnsupportedPatentFormat) as err:
        next(read_uspto(path))
    assert isinstance(err.value, InputError) and "not supported yet" in err.value.en and "尚不支持" in err.value.zh


def test_sniff_refuses_other_xml():
    other = Path(__file__).resolve().parent.parent / "samples" / "arxiv_feeds" / "oai_listrecords_page1.xml"
    assert not sniff_uspto(other, other.read_bytes()[:4096])
    assert unsupported_reason(other, other.read_bytes()[:4096]) is None


def test_gzip_and_zip_bulk_files_read_like_plain_ones(tmp_path):
    plain = (SAMPLES / "multi_doc_with_broken_middle.xml").read_bytes()
    gz = tmp_path / "ipg.xml.gz"
    gz.write_bytes(gzip.compress(plain))
    archive = tmp_path / "ipg150106.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("ipg150106.xml", plain)
    for path in (gz, archive):
        assert sniff_uspto(path, path.read_bytes()[:512])
        items = list(read_uspto(path))
        assert [type(i) for i in items] == [Record, Reject, Record] and items[2].file == str(path)


def test_truncated_gzip_keeps_the_documents_before_the_break(tmp_path):
    packed = gzip.compress((SAMPLES / "multi_doc_with_broken_middle.xml").read_bytes())
    cut = tmp_path / "cut.xml.gz"
    cut.write_bytes(packed[: len(packed) - 200])
    items = list(read_uspto(cut))
    assert [type(i) for i in items] == [Record, Reject, Reject]
    assert items[-1].line == 3 and "truncated or corrupt" in items[-1].reason


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        next(read_uspto(tmp_path / "absent.xml"))
