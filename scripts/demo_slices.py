"""The PubMed and PatentsView slices of the demo corpus (used by ``make_demo_corpus.py``).

Why these slices: the arXiv demo has no affiliations and the USPTO samples are 8 patents, so without them the
demo could show neither a country landscape with China's rank nor patent signals (issue 11).

- ``pubmed/pubmed21n1298-slice.xml.gz``: whole ``<PubmedArticle>`` elements copied verbatim, in file order, from
  the shared ``pubmed/pubmed21n1298.xml.gz`` (its XML prolog and DOCTYPE kept): every article dated on or before
  2019-12-31 (they can enter the demo's 2019 topic map) and every article whose title or abstract names one of
  the technologies in ``TECH_TERMS`` (AI in medicine, gene editing, nanomaterials, sensors, batteries …: the
  future-health and future-materials side of the six directions). NLM records; abstracts may remain under their
  publishers' copyright.
- ``patentsview/nvidia_*.csv.gz``: the rows of the five shared PatentsView tables that belong to the patents
  granted in ``PATENT_YEARS``, lines unchanged (the tables are plain minimal-quoted CSV, so re-writing the kept
  rows with Python's csv module reproduces them byte for byte — checked below). "Data from PatentsView, USPTO,
  CC BY 4.0".
"""
from __future__ import annotations

import csv
import gzip
import io
import re
from pathlib import Path
from xml.etree import ElementTree as ET

PATENT_YEARS = range(2010, 2022)
TECH_TERMS = re.compile(
    r"deep learning|machine learning|artificial intelligence|neural network|crispr|gene editing|nanoparticle|"
    r"graphene|brain-computer|robot|wearable|biosensor|organoid|synthetic biology|3d print|quantum|lithium|"
    r"battery|photocatal|perovskite|hydrogel|nanomaterial", re.I)
PV_TABLES = ("patent", "patent_abstract", "assignee", "cpc", "inventor")
_ARTICLE = re.compile(r"<PubmedArticle>.*?</PubmedArticle>", re.S)


def _write_gzip(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(payload)


def _article_year_and_text(block: str) -> tuple[int | None, str]:
    node = ET.fromstring(block)
    art = node.find("MedlineCitation/Article")
    text = " ".join("".join(e.itertext()) for e in [art.find("ArticleTitle"), *art.iterfind("Abstract/AbstractText")]
                    if e is not None)
    years = []
    for path in ("Journal/JournalIssue/PubDate/Year", "ArticleDate/Year"):
        value = art.findtext(path)
        if value and value.isdigit():
            years.append(int(value))
    medline = art.findtext("Journal/JournalIssue/PubDate/MedlineDate") or ""
    if m := re.search(r"(19|20)\d\d", medline):
        years.append(int(m.group(0)))
    return (min(years) if years else None), text


def copy_pubmed(shared_file: Path, out_dir: Path) -> dict:
    """Write the PubMed slice; return its counts and size."""
    text = gzip.open(shared_file, "rt", encoding="utf-8").read()
    head = text[:text.index("<PubmedArticleSet>")]
    kept, early, tech = [], 0, 0
    for m in _ARTICLE.finditer(text):
        block = m.group(0)
        year, words = _article_year_and_text(block)
        is_early, is_tech = year is not None and year <= 2019, bool(TECH_TERMS.search(words))
        if is_early or is_tech:
            kept.append(block)
            early += is_early
            tech += is_tech
    path = out_dir / "pubmed21n1298-slice.xml.gz"
    _write_gzip(path, (head + "<PubmedArticleSet>\n  " + "\n  ".join(kept) + "\n</PubmedArticleSet>\n").encode())
    return {"articles": len(kept), "early": early, "tech": tech, "bytes": path.stat().st_size}


def copy_patentsview(shared_dir: Path, out_dir: Path) -> dict:
    """Write the PatentsView slice (every table filtered to the patents granted in PATENT_YEARS)."""
    with (shared_dir / "nvidia_patent.csv").open(newline="", encoding="utf-8") as fh:
        keep = {r["patent_id"] for r in csv.DictReader(fh) if int(r["patent_date"][:4]) in PATENT_YEARS}
    rows_per_table, size = {}, 0
    for table in PV_TABLES:
        raw = (shared_dir / f"nvidia_{table}.csv").read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(raw, newline="")))
        check = io.StringIO()
        csv.writer(check, lineterminator="\r\n" if "\r\n" in raw[:2000] else "\n").writerows(rows)
        if check.getvalue() != raw:
            raise SystemExit(f"nvidia_{table}.csv does not round-trip through csv; refusing to re-write it")
        at = rows[0].index("patent_id")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n" if "\r\n" in raw[:2000] else "\n")
        writer.writerow(rows[0])
        body = [r for r in rows[1:] if r[at] in keep]
        writer.writerows(body)
        path = out_dir / f"nvidia_{table}.csv.gz"
        _write_gzip(path, out.getvalue().encode("utf-8"))
        rows_per_table[table] = len(body)
        size += path.stat().st_size
    return {"patents": len(keep), "rows": rows_per_table, "bytes": size,
            "years": f"{PATENT_YEARS.start}–{PATENT_YEARS.stop - 1}"}


README_SECTION = """
## PubMed and PatentsView slices / PubMed 与 PatentsView 切片

| folder 目录 | what 内容 | count 数量 | size 大小 |
|---|---|---|---|
| `pubmed/pubmed21n1298-slice.xml.gz` | PubMed/MEDLINE articles with author affiliations: every one dated ≤ 2019 ({early}) and every one whose title or abstract names a frontier technology ({tech}) / 带作者机构的 PubMed 文献：2019 年及以前的全部文献与标题或摘要涉及前沿技术的文献 | {articles} | {pubmed_kb} KB |
| `patentsview/nvidia_*.csv.gz` | PatentsView tables (patent, abstract, assignee, CPC, inventor) of NVIDIA's US patents granted {years} / NVIDIA 在 {years} 年获授权的美国专利（五张 PatentsView 表） | {patents} patents; {cpc} CPC rows; {inventors} inventor rows | {pv_kb} KB |

**PubMed.** Whole `<PubmedArticle>` elements copied verbatim, in file order, from the shared
`pubmed/pubmed21n1298.xml.gz` (an NLM update file, 2021; provenance in the shared README), with its XML prolog. Most
articles are dated 2020–2021, after the demo's topic map (as of 2019-12-31), whose country landscapes rest on the
articles dated up to 2019 (and the OpenAlex works); build a later map to see all of them in the topics' landscapes:
`frontierwatch build --as-of 2021-12-31 --store fw-demo` (its topics then show arXiv papers only up to 2019).
Licence: U.S. National Library of Medicine; NLM claims no copyright on the records, some abstracts remain under their
publishers' copyright.
**PatentsView.** Rows of the shared `patentsview/nvidia/` tables (one assignee: NVIDIA), unchanged, gzipped: real
patent counts, growth and paper–patent linkage for the GPU / AI / graphics topics. One company only, so it is not an
assignee landscape. **Data from PatentsView, USPTO, CC BY 4.0** — keep this attribution when redistributing
`patentsview/`.

**PubMed**：从共享文件 `pubmed/pubmed21n1298.xml.gz`（美国国家医学图书馆 2021 年更新文件）原样复制整条
`<PubmedArticle>`，保持原顺序与 XML 声明。多数文献日期为 2020–2021 年，晚于演示主图谱的截止日（2019-12-31），
演示图谱的国家/地区格局来自 2019 年及以前的文献（与 OpenAlex 作品）；如需在格局中看到全部 PubMed 文献，可另建
截至 2021-12-31 的图谱：`frontierwatch build --as-of 2021-12-31 --store fw-demo`（该图谱中的 arXiv 论文只到 2019 年）。许可：NLM 对记录不主张版权，
部分摘要的版权仍归出版方。**PatentsView**：共享目录 `patentsview/nvidia/` 各表中属于上述专利的行，原样保留后压缩；
只含一家企业（NVIDIA），可用于 GPU、人工智能、图形等主题的专利数量、增长与论文—专利关联，不能用于专利权人格局。
**数据来自 PatentsView（USPTO），CC BY 4.0** —— 再分发 `patentsview/` 时请保留此署名。
"""


def readme_section(pubmed: dict, patentsview: dict) -> str:
    return README_SECTION.format(
        early=pubmed["early"], tech=pubmed["tech"], articles=pubmed["articles"], pubmed_kb=pubmed["bytes"] // 1000,
        years=patentsview["years"], patents=patentsview["patents"], cpc=patentsview["rows"]["cpc"],
        inventors=patentsview["rows"]["inventor"], pv_kb=patentsview["bytes"] // 1000)
