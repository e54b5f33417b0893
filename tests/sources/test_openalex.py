"""OpenAlex readers on real samples: snapshot parts, single works, list pages, 2022 arrays, broken files."""
from __future__ import annotations

import gzip
import json
import zlib
from datetime import date
from pathlib import Path

import pytest

from frontierwatch.errors import InputError
from frontierwatch.sources.lines import open_binary
from frontierwatch.sources.openalex import (
    is_openalex_entity_file,
    openalex_entity_kind,
    read_merged_ids,
    read_openalex,
    rebuild_abstract,
    sniff_openalex,
    snapshot_work_files,
    work_to_record,
)
from frontierwatch.sources.record import Institution, Record, Reject

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "openalex"
SNAPSHOT = SAMPLES / "snapshot"
PART = SNAPSHOT / "works" / "updated_date=2023-05-16" / "part_000.gz"
WORK = SAMPLES / "api" / "W2741809807.json"
PRETTY_WORK = SAMPLES / "api" / "W-api-response.json"
ARRAY_2022 = SAMPLES / "works-2022-schema-sample.json.gz"


def part_lines() -> list[bytes]:
    return gzip.decompress(PART.read_bytes()).splitlines(keepends=True)


def records(items) -> list[Record]:
    return [i for i in items if isinstance(i, Record)]


def rejects(items) -> list[Reject]:
    return [i for i in items if isinstance(i, Reject)]


def test_snapshot_part_file_line_numbers_and_untitled_grants():
    items = list(read_openalex(PART))
    assert len(items) == 27
    assert [i.line for i in items] == list(range(1, 28))
    assert all(i.file == str(PART) for i in items)
    got, bad = records(items), rejects(items)
    assert len(got) == 11 and len(bad) == 16
    assert all("has no title" in r.reason and r.raw.startswith("{") for r in bad)
    first = got[0]
    assert first.ids == {"openalex": "W4206759534", "doi": "10.1021/ac00033a733"}
    assert first.title == "Manufacturers' Literature" and first.kind == "paper" and first.language == "ro"
    assert first.venue == "Analytical Chemistry" and first.published == date(1992, 5, 1)
    assert all(r.source == "openalex" and r.ids["doi"].startswith("10.") for r in got)


def test_snapshot_folder_reads_works_parts_only():
    assert snapshot_work_files(SNAPSHOT) == [PART]
    items = list(read_openalex(SNAPSHOT))
    assert len(items) == 27 and all(i.file == str(PART) for i in items)


def test_snapshot_folder_reads_gz_once_when_unpacked_twin_exists(tmp_path):
    part_dir = tmp_path / "works" / "updated_date=2023-05-16"
    part_dir.mkdir(parents=True)
    (part_dir / "part_000.gz").write_bytes(PART.read_bytes())
    (part_dir / "part_000").write_bytes(gzip.decompress(PART.read_bytes()))
    assert snapshot_work_files(tmp_path) == [part_dir / "part_000.gz"]


def test_single_work_current_schema():
    [rec] = list(read_openalex(WORK))
    assert rec.file == str(WORK) and rec.line == 1
    assert rec.title.startswith("The state of OA: a large-scale analysis")
    assert rec.ids == {"openalex": "W2741809807", "doi": "10.7717/peerj.4375", "pmid": "29456894",
                       "pmcid": "PMC5815332", "mag": "2741809807"}
    assert rec.published == date(2018, 2, 13) and rec.year is None and rec.language == "en"
    assert rec.venue == "PeerJ" and rec.cited_by_count == 962
    assert rec.authors[:2] == ["Heather Piwowar", "Jason Priem"] and len(rec.authors) == 9
    assert rec.categories[0] == "openalex-topic:scientometrics and bibliometrics research"
    assert "concept:Citation" in rec.categories
    assert "concept:Computer science" not in rec.categories  # level 0
    assert "concept:Statistics" not in rec.categories  # score 0.13 < 0.3
    assert rec.institutions[0] == Institution("Impact Technology Development (United States)", "company", "US",
                                              "05ppvf150")
    assert len({i.ror for i in rec.institutions}) == len(rec.institutions)
    assert len(rec.references) == 45 and rec.references[0] == "W1560783210"


def test_abstract_rebuilt_in_word_order():
    work = json.loads(WORK.read_text(encoding="utf-8"))
    text = rebuild_abstract(work["abstract_inverted_index"])
    assert text.startswith("Despite growing interest in Open Access (OA) to scholarly literature, there is an "
                           "unmet need for large-scale, up-to-date, and reproducible studies")
    assert text.endswith("as a way to inform OA policy and practice.")
    words = text.split(" ")
    for word, positions in work["abstract_inverted_index"].items():
        assert all(words[p] == word for p in positions)
    assert len(words) == 1 + max(p for ps in work["abstract_inverted_index"].values() for p in ps)
    mag_form = {"IndexLength": len(words), "InvertedIndex": work["abstract_inverted_index"]}
    assert rebuild_abstract(json.dumps(mag_form)) == text
    assert rebuild_abstract(None) is None and rebuild_abstract({}) is None


def test_pretty_printed_single_work():
    [rec] = list(read_openalex(PRETTY_WORK))
    assert rec.ids["openalex"] == "W2755950973" and rec.venue == "Physical Review Letters"
    assert rec.institutions == [Institution("California Institute of Technology", "education", "US", "05dxps055")]


@pytest.mark.parametrize("pretty", [False, True])
def test_list_page_built_from_real_records(tmp_path, pretty):
    works = [json.loads(line) for line in part_lines()] + [json.loads(WORK.read_text(encoding="utf-8"))]
    page = {"meta": {"count": len(works), "per_page": 200, "next_cursor": None}, "results": works}
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page, indent=2 if pretty else None), encoding="utf-8")
    items = list(read_openalex(path))
    assert [i.line for i in items] == list(range(1, 29))
    assert len(records(items)) == 12 and records(items)[-1].ids["openalex"] == "W2741809807"


def test_json_array_2022_schema():
    items = list(read_openalex(ARRAY_2022))
    assert len(items) == 41 and all(isinstance(i, Record) for i in items)
    assert [i.line for i in items] == list(range(1, 42))
    first = items[0]
    assert first.title == "Handbook of Random Forests" and first.venue == "Series in computer vision"
    assert first.ids == {"openalex": "W4200035428", "doi": "10.1142/10552"}
    assert first.categories == ["concept:Random forest", "concept:Forestry"]  # string scores, level 0 dropped
    assert first.institutions == [Institution("Technical University of Berlin", "education", "DE", "03v4gjf40")]
    arxiv = {r.ids["openalex"]: r.ids["arxiv"] for r in items if "arxiv" in r.ids}
    assert arxiv["W3024577869"] == "2004.06371"  # from an http://arxiv.org/pdf/… location
    assert len(arxiv) >= 5
    assert sum(1 for r in items if r.abstract) == 15


def test_json_lines_plain_and_bad_json_line(tmp_path):
    lines = part_lines()
    path = tmp_path / "works.jsonl"
    path.write_bytes(b"".join(lines[:3]) + b'{"id": "https://openalex.org/W1", "title": \n' + b"".join(lines[3:]))
    items = list(read_openalex(path))
    assert len(items) == 28
    [bad] = [r for r in rejects(items) if "invalid JSON" in r.reason]
    assert bad.line == 4 and str(path) in bad.reason and bad.file == str(path)
    assert items[4].line == 5 and items[4].title.startswith("Anderson Transition")


def test_non_utf8_line_is_rejected_and_reading_goes_on(tmp_path):
    lines = part_lines()
    broken = lines[3].replace(b"Anderson", b"Anders\xffn")
    path = tmp_path / "works.jsonl.gz"
    path.write_bytes(gzip.compress(b"".join(lines[:3] + [broken] + lines[4:])))
    items = list(read_openalex(path))
    assert len(items) == 27
    assert isinstance(items[3], Reject) and items[3].line == 4 and "not UTF-8" in items[3].reason
    assert items[3].file == str(path) and "Anders" in items[3].raw
    assert [i.line for i in items] == list(range(1, 28)) and items[4].title.startswith("Polarized light")


def test_truncated_gzip_keeps_records_before_break(tmp_path):
    data = PART.read_bytes()
    cut = data[: len(data) // 2]
    complete = zlib.decompressobj(31).decompress(cut).count(b"\n")
    path = tmp_path / "part_000.gz"
    path.write_bytes(cut)
    items = list(read_openalex(path))
    assert [i.line for i in items] == list(range(1, complete + 2))
    whole = list(read_openalex(PART))[:complete]
    assert [(type(i), i.line, getattr(i, "title", None)) for i in items[:-1]] == \
        [(type(i), i.line, getattr(i, "title", None)) for i in whole]
    last = items[-1]
    assert isinstance(last, Reject) and last.line == complete + 1 and "truncated" in last.reason
    assert sum(isinstance(i, Reject) and "gzip" in i.reason for i in items) == 1


def test_truncated_gzip_array(tmp_path):
    data = ARRAY_2022.read_bytes()
    path = tmp_path / "works.json.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(read_openalex(path))
    whole = list(read_openalex(ARRAY_2022))
    assert len(records(items)) >= 5
    assert [r.ids for r in records(items)] == [r.ids for r in whole[: len(items) - 1]]
    [bad] = rejects(items)
    assert bad is items[-1] and bad.line == len(items)


def test_broken_documents(tmp_path):
    pretty = tmp_path / "broken.json"
    pretty.write_text(PRETTY_WORK.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    [bad] = list(read_openalex(pretty))
    assert isinstance(bad, Reject) and "invalid JSON" in bad.reason and bad.line == 1
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + PRETTY_WORK.read_bytes())
    assert [r.ids["openalex"] for r in read_openalex(bom)] == ["W2755950973"]
    bom_lines = tmp_path / "bom.jsonl"
    bom_lines.write_bytes(b"\xef\xbb\xbf" + b"".join(part_lines()[:2]))
    assert [i.line for i in read_openalex(bom_lines) if isinstance(i, Record)] == [1]
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert list(read_openalex(empty)) == []
    with pytest.raises(InputError):
        list(read_openalex(tmp_path / "missing.jsonl"))
    with pytest.raises(InputError):
        list(read_openalex(SNAPSHOT / "works" / "manifest"))


def test_other_entities_are_not_works():
    items = list(read_openalex(SNAPSHOT / "authors" / "updated_date=2023-04-21" / "part_000.gz"))
    assert items and all(isinstance(i, Reject) and "authors entity" in i.reason for i in items)
    bad = work_to_record({"id": "https://openalex.org/T11636", "display_name": "x"}, "f", 1)
    assert isinstance(bad, Reject) and "topics" in bad.reason


def test_patent_type_and_year_only():
    rec = work_to_record({"id": "https://openalex.org/W9", "title": "A patent", "type": "patent",
                          "publication_year": 2020, "doi": "HTTPS://DOI.ORG/10.48550/arXiv.2101.00001v2"}, "f", 3)
    assert rec.kind == "patent" and rec.year == 2020 and rec.published is None and rec.line == 3
    assert rec.ids == {"openalex": "W9", "doi": "10.48550/arxiv.2101.00001v2", "arxiv": "2101.00001"}


def _head(path: Path, raw: bool) -> bytes:
    if raw:
        return path.read_bytes()[:65536]
    with open_binary(path) as fh:
        return fh.read(65536)


@pytest.mark.parametrize("raw", [True, False])
def test_sniff_tells_works_from_other_entities(tmp_path, raw):
    works = [PART, WORK, PRETTY_WORK, ARRAY_2022]
    others = [SNAPSHOT / "authors" / "updated_date=2023-04-21" / "part_000.gz", SNAPSHOT / "authors" / "manifest",
              SNAPSHOT / "works" / "manifest", SNAPSHOT / "merged_ids" / "authors" / "2023-04-13.csv.gz",
              SAMPLES / "api" / "A-api-response.json", SAMPLES / "api" / "T11636.json",
              SAMPLES / "api" / "I27837315.json"]
    for path in works:
        assert sniff_openalex(path, _head(path, raw)), path
        assert openalex_entity_kind(path, _head(path, raw)) == "works"
        assert not is_openalex_entity_file(path, _head(path, raw))
    for path in others:
        assert not sniff_openalex(path, _head(path, raw)), path
        assert is_openalex_entity_file(path), path
    kinds = [openalex_entity_kind(p) for p in others]
    assert kinds == ["authors", "manifest", "manifest", "merged_ids", "authors", "topics", "institutions"]
    readme = SAMPLES / "README.md"
    assert openalex_entity_kind(readme) is None and not sniff_openalex(readme, readme.read_bytes())
    arxiv_like = tmp_path / "a.jsonl"
    arxiv_like.write_text('{"id": "W1", "title": "t", "categories": "cs.LG"}\n', encoding="utf-8")
    assert not sniff_openalex(arxiv_like, arxiv_like.read_bytes())


def test_empty_part_file_known_by_its_place(tmp_path):
    part = tmp_path / "institutions" / "updated_date=2023-09-04" / "part_001.gz"
    part.parent.mkdir(parents=True)
    part.write_bytes(gzip.compress(b""))
    assert openalex_entity_kind(part) == "institutions" and is_openalex_entity_file(part)


def test_read_merged_ids():
    pairs = list(read_merged_ids(SNAPSHOT / "merged_ids" / "authors" / "2023-04-13.csv.gz"))
    assert pairs[0] == ("A3125154712", "A4317838346") and len(pairs) == 4
    assert list(read_merged_ids(SNAPSHOT / "merged_ids"))[0] == ("A3007116629", "A2090344885")
    assert len(list(read_merged_ids(SNAPSHOT / "merged_ids"))) == 5
