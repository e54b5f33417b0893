"""PubMed/MEDLINE XML connector on a real slice of pubmed21n1298.xml.gz (120 articles, tests/samples/pubmed)."""
from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

from frontierwatch.sources import ingest
from frontierwatch.sources.detect import detect
from frontierwatch.sources.pubmed import read_pubmed
from frontierwatch.sources.record import Record, Reject

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "pubmed" / "pubmed21n1298-sample.xml.gz"


def _by_pmid():
    return {r.ids["pmid"]: r for r in read_pubmed(SAMPLE) if isinstance(r, Record)}


def test_auto_detected_and_every_article_read():
    assert detect(SAMPLE).name == "pubmed"
    items = list(read_pubmed(SAMPLE))
    assert len(items) == 120 and all(isinstance(i, Record) for i in items)
    assert [i.line for i in items] == list(range(1, 121))


def test_fields_structured_abstract_and_dates():
    rec = _by_pmid()["10704411"]
    assert rec.title == "Dopamine modulates acute responses to cocaine, nicotine and ethanol in Drosophila"
    assert rec.abstract.startswith("BACKGROUND: Drugs of abuse") and "\nRESULTS: " in rec.abstract
    assert rec.published == date(2000, 2, 24) and rec.language == "en" and rec.venue == "Current biology : CB"
    assert rec.ids == {"pmid": "10704411", "doi": "10.1016/s0960-9822(00)00336-5"}
    assert rec.authors[0] == "R J Bainton" and "mesh:Dopamine" in rec.categories
    [inst] = rec.institutions
    assert (inst.name, inst.country) == ("University of California San Francisco", "US")


def test_medline_date_range_gives_the_first_month_or_the_year():
    medline = [r for r in _by_pmid().values() if r.published is None]
    assert medline and all(r.year for r in medline)  # a MedlineDate with a year only gives the year only
    rec = _by_pmid()["10704411"]
    assert rec.year is None  # a full date sets `published`, not `year`


def test_affiliations_have_no_email_and_chinese_provinces():
    recs = list(_by_pmid().values())
    insts = [i for r in recs for i in r.institutions]
    assert insts and all("@" not in (i.address or "") for i in insts)
    cn = [i for i in insts if i.country == "CN"]
    assert cn and sum(i.province is not None for i in cn) / len(cn) > 0.9


def test_broken_file_keeps_the_articles_before_the_break(tmp_path):
    text = gzip.open(SAMPLE, "rt", encoding="utf-8").read()
    cut = text.index("<PubmedArticle>", text.index("<PubmedArticle>", text.index("<PubmedArticle>") + 1) + 1)
    bad = tmp_path / "broken.xml"
    bad.write_text(text[:cut + 400], encoding="utf-8")
    items = list(read_pubmed(bad))
    assert [type(i) for i in items] == [Record, Record, Reject]
    assert items[-1].line == 3 and "XML breaks off after article 2" in items[-1].reason and "中断" in items[-1].reason


def test_article_without_title_is_rejected_with_file_and_ordinal(tmp_path, store):
    text = gzip.open(SAMPLE, "rt", encoding="utf-8").read()
    start = text.index("<ArticleTitle>")
    end = text.index("</ArticleTitle>") + len("</ArticleTitle>")
    bad = tmp_path / "notitle.xml"
    bad.write_text(text[:start] + "<ArticleTitle></ArticleTitle>" + text[end:], encoding="utf-8")
    summary = ingest(store, [bad])
    assert summary.accepted == 119 and summary.rejected == 1
    file, line, reason = store.con.execute("SELECT file, line, reason FROM rejects").fetchone()
    assert file == str(bad) and line == 1 and "10704411" in reason and "缺少标题" in reason
    assert ingest(store, [bad]).accepted == 0  # rerun: nothing new, nothing duplicated
