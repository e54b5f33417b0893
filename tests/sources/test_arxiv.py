"""arXiv snapshot reader on real records (tests/samples/arxiv: real lines of ../shared/data/arxiv)."""
import gzip
from datetime import date

from frontierwatch.sources.arxiv import read_arxiv, sniff_arxiv
from frontierwatch.sources.record import Record, Reject


def test_fields_of_a_real_record(arxiv_sample):
    recs = [r for r in read_arxiv(arxiv_sample) if isinstance(r, Record)]
    rec = next(r for r in recs if r.ids["arxiv"] == "1201.0330")
    assert rec.title == "Testing Low Complexity Affine-Invariant Properties"
    assert rec.published == date(2012, 1, 1)
    assert rec.categories == ["cs.CC", "math.CO"]
    assert rec.authors == ["Arnab Bhattacharyya", "Eldar Fischer", "Shachar Lovett"]
    assert rec.abstract.startswith("Invariance with respect to linear")
    assert rec.language == "en" and rec.kind == "paper" and rec.source == "arxiv"
    assert rec.file == str(arxiv_sample) and rec.line > 0
    assert all(r.title for r in recs)
    with_doi = [r for r in recs if "doi" in r.ids]
    assert with_doi and all(" " not in r.ids["doi"] for r in with_doi)


def test_line_numbers_follow_the_file(arxiv_sample):
    recs = list(read_arxiv(arxiv_sample))
    assert [r.line for r in recs[:3]] == [1, 2, 3]


def test_bad_lines_are_rejects_with_line_numbers(tmp_path, arxiv_sample):
    good = gzip.open(arxiv_sample).read().splitlines()[:5]
    bad = tmp_path / "mixed.jsonl"
    bad.write_bytes(b"\n".join([good[0], b'{"id": "x", "title": "unterminated', good[1], b"[1, 2]",
                                good[2].replace(b"Testing", b"\xff\xfeTesting"), good[3]]) + b"\n")
    items = list(read_arxiv(bad))
    rejects = {r.line: r.reason for r in items if isinstance(r, Reject)}
    assert set(rejects) == {2, 4} or set(rejects) == {2, 4, 5}
    assert "invalid JSON" in rejects[2] and "JSON object" in rejects[4]
    assert sum(isinstance(r, Record) for r in items) == 6 - len(rejects)


def test_non_utf8_line_is_rejected(tmp_path, arxiv_sample):
    good = gzip.open(arxiv_sample).read().splitlines()[:2]
    f = tmp_path / "latin1.jsonl"
    f.write_bytes(good[0] + b"\n" + good[1].replace(b'"title": "', b'"title": "caf\xe9 ') + b"\n")
    items = list(read_arxiv(f))
    assert isinstance(items[0], Record)
    assert isinstance(items[1], Reject) and "UTF-8" in items[1].reason and items[1].line == 2


def test_sniff(arxiv_sample, tmp_path):
    head = gzip.open(arxiv_sample).read(4096)
    assert sniff_arxiv(arxiv_sample, head)
    assert not sniff_arxiv(tmp_path / "README.md", b"# frontierwatch\n")
    assert not sniff_arxiv(tmp_path / "x.json", b'{"meta": {"count": 1}, "results": []}')
