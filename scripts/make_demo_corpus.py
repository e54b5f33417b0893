"""Build the bundled demo corpus ``data/demo/`` from the shared corpora, deterministically.

Why: the demo must run anywhere without ``../shared`` (CI, a fresh clone, the docs), yet be real data that is
interesting for an observatory of future industries. So it is a documented, reproducible subset:

- ``arxiv/arxiv-YYYY.jsonl.gz`` (2010–2019): lines copied verbatim from the shared files. Papers are split into
  two strata, *focus* (a category of the six future-industry directions, see ``FOCUS_CATEGORIES``) and *other*.
  In every (year, stratum) cell the papers with the lowest seeded SHA-256 hash of their id are kept, in the same
  proportion for every year, so each stratum grows year by year exactly like the real corpus (the emergence
  signals computed on the demo stay honest). The focus stratum is enriched up to a cap (``--focus-share`` of the
  demo); then every primary category gets at least ``--floor`` papers so that all fields are represented.
- ``openalex/``: the real OpenAlex work files only (snapshot layout ``works/…`` plus two API responses and the
  410 works of the 2022 schema). No authors, institutions or other entities.
- ``uspto/``: the 2004+ XML grant and application samples (xml2004, xml2006, xml2014, xmlApp2004).
- ``csl/ts/dev.tsv``: the first ``--csl-records`` lines of the CSL abstract→title split, verbatim.
- ``pubmed/`` and ``patentsview/``: PubMed articles with affiliations and NVIDIA's PatentsView tables
  (``demo_slices.py`` says how they are chosen).
- ``README.md``: written from the counts, in English and Chinese.

Running it twice gives byte-identical files (gzip with mtime 0 and no file name in the header).

Usage: ``python scripts/make_demo_corpus.py --shared ../shared --out data/demo``
"""
from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_slices import copy_patentsview, copy_pubmed, readme_section  # noqa: E402

log = logging.getLogger("make_demo_corpus")

REPO_ROOT = Path(__file__).resolve().parents[1]
YEARS = range(2010, 2020)
DEFAULT_SEED = "frontierwatch-demo-v1"

# Enriched categories per future-industry direction. cs.SY is the pre-2019 name of eess.SY (merged in 2019);
# eess.* exists only from 2017 on, so the older signal-processing and control papers live in cs.SY / cs.IT.
FOCUS_CATEGORIES: dict[str, tuple[str, ...]] = {
    "manufacturing 未来制造": ("cs.RO", "eess.SY", "cs.SY"),
    "information 未来信息": ("quant-ph", "eess.SP", "cs.NI", "cs.ET", "cs.AR"),
    "materials 未来材料": ("cond-mat.mtrl-sci", "physics.app-ph"),
    "energy 未来能源": ("physics.plasm-ph",),
    "space 未来空间": ("physics.space-ph", "astro-ph.IM", "astro-ph.EP"),
    "health 未来健康": ("physics.med-ph", "q-bio.*"),
}
ARXIV_FIELDS = ("id", "submitter", "authors", "title", "comments", "journal-ref", "doi", "report-no",
                "categories", "license", "abstract", "versions", "update_date", "authors_parsed")
OPENALEX_FILES = ("api-responses/W2741809807.json", "api-responses/W-api-response.json",
                  "works-2022-schema-410.json.gz")
USPTO_FORMATS = ("xml2004", "xml2006", "xml2014", "xmlApp2004")
CSL_SPLIT = "ts/dev.tsv"


def is_focus(categories: list[str]) -> bool:
    """True when any category of a paper belongs to one of the six directions (``q-bio.*`` is a prefix)."""
    for patterns in FOCUS_CATEGORIES.values():
        for pattern in patterns:
            if pattern.endswith(".*"):
                if any(c.startswith(pattern[:-1]) for c in categories):
                    return True
            elif pattern in categories:
                return True
    return False


def unit_hash(seed: str, arxiv_id: str) -> float:
    """A number in [0, 1) fixed by the seed and the arXiv id: the deterministic random draw of a paper."""
    digest = hashlib.sha256(f"{seed}:{arxiv_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True)
class PaperKey:
    """What the selection needs to know about one shared arXiv line."""

    year: int
    line_no: int
    arxiv_id: str
    primary: str
    focus: bool
    draw: float


def scan_arxiv(arxiv_dir: Path, seed: str) -> list[PaperKey]:
    """Read every 2010–2019 line once and keep only its selection key."""
    keys = []
    for year in YEARS:
        path = arxiv_dir / f"arxiv-{year}.jsonl.gz"
        if not path.is_file():
            raise SystemExit(f"missing {path}: pass --shared pointing at the shared folder / "
                             f"缺少 {path}：请用 --shared 指向共享数据目录")
        with gzip.open(path, "rb") as fh:
            for line_no, line in enumerate(fh):
                paper = json.loads(line)
                cats = paper["categories"].split()
                keys.append(PaperKey(year, line_no, paper["id"], cats[0], is_focus(cats),
                                     unit_hash(seed, paper["id"])))
    return keys


def choose_papers(keys: list[PaperKey], papers: int, focus_share: float,
                  floor: int) -> tuple[set[tuple[int, int]], tuple[float, float]]:
    """Pick (year, line_no) pairs: the same rate in every year per stratum, then a floor per primary category.

    Returns the chosen pairs and the (focus, other) sampling rates.
    """
    cells: dict[tuple[int, bool], list[PaperKey]] = collections.defaultdict(list)
    for key in keys:
        cells[(key.year, key.focus)].append(key)
    n_focus = sum(k.focus for k in keys)
    n_other = len(keys) - n_focus
    focus_rate = min(1.0, papers * focus_share / n_focus)
    other_rate = min(1.0, (papers - focus_rate * n_focus) / n_other)
    log.info("focus papers %d (rate %.4f), other papers %d (rate %.4f)", n_focus, focus_rate, n_other, other_rate)
    chosen: set[tuple[int, int]] = set()
    for (_, focus), cell in sorted(cells.items()):
        take = round(len(cell) * (focus_rate if focus else other_rate))
        chosen.update((k.year, k.line_no) for k in sorted(cell, key=lambda k: k.draw)[:take])
    by_primary: dict[str, list[PaperKey]] = collections.defaultdict(list)
    for key in keys:
        by_primary[key.primary].append(key)
    for primary, members in sorted(by_primary.items()):
        have = sum((k.year, k.line_no) in chosen for k in members)
        for key in sorted(members, key=lambda k: k.draw):
            if have >= floor:
                break
            if (key.year, key.line_no) not in chosen:
                chosen.add((key.year, key.line_no))
                have += 1
    return chosen, (focus_rate, other_rate)


def write_gzip(path: Path, payload: bytes) -> None:
    """Write gzip bytes that depend only on the payload: mtime 0, no file name in the header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(payload)


@dataclass
class ArxivStats:
    """Counts of the written arXiv subset (for the console tables and the README)."""

    shared_per_year: collections.Counter = field(default_factory=collections.Counter)
    per_year: collections.Counter = field(default_factory=collections.Counter)
    focus_per_year: collections.Counter = field(default_factory=collections.Counter)
    per_primary: collections.Counter = field(default_factory=collections.Counter)
    per_direction: collections.Counter = field(default_factory=collections.Counter)
    filled_fields: collections.Counter = field(default_factory=collections.Counter)
    bytes_per_year: dict = field(default_factory=dict)


def write_arxiv(arxiv_dir: Path, out_dir: Path, chosen: set[tuple[int, int]], keys: list[PaperKey]) -> ArxivStats:
    """Copy the chosen lines verbatim, in the shared order, one gzipped file per year."""
    stats = ArxivStats()
    for key in keys:
        stats.shared_per_year[key.year] += 1
    for year in YEARS:
        lines = []
        with gzip.open(arxiv_dir / f"arxiv-{year}.jsonl.gz", "rb") as fh:
            for line_no, line in enumerate(fh):
                if (year, line_no) not in chosen:
                    continue
                lines.append(line)
                paper = json.loads(line)
                cats = paper["categories"].split()
                stats.per_year[year] += 1
                stats.focus_per_year[year] += is_focus(cats)
                stats.per_primary[cats[0]] += 1
                for direction, patterns in FOCUS_CATEGORIES.items():
                    if any(c == p or (p.endswith(".*") and c.startswith(p[:-1])) for c in cats for p in patterns):
                        stats.per_direction[direction] += 1
                for name in ARXIV_FIELDS:
                    if paper.get(name) not in (None, "", []):
                        stats.filled_fields[name] += 1
        path = out_dir / f"arxiv-{year}.jsonl.gz"
        write_gzip(path, b"".join(lines))
        stats.bytes_per_year[year] = path.stat().st_size
    return stats


def copy_verbatim(source: Path, target: Path) -> int:
    """Copy one file byte for byte; returns its size."""
    if not source.is_file():
        raise SystemExit(f"missing {source}: the shared folder is incomplete / 共享数据不完整：缺少 {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target.stat().st_size


def copy_openalex(openalex_dir: Path, out_dir: Path) -> list[tuple[str, int]]:
    """Copy only the OpenAlex *work* files; the snapshot's ``works/`` goes to ``openalex/works/``."""
    copied = []
    works = openalex_dir / "snapshot-sample" / "works"
    for part in sorted(works.glob("updated_date=*/part_*.gz")) + [works / "manifest"]:
        rel = part.relative_to(works.parent)
        copied.append((str(rel), copy_verbatim(part, out_dir / rel)))
    for rel in OPENALEX_FILES:
        copied.append((rel, copy_verbatim(openalex_dir / rel, out_dir / rel)))
    return copied


def copy_uspto(uspto_dir: Path, out_dir: Path) -> list[tuple[str, int]]:
    """Copy the 2004+ XML grants and applications, one folder per format as in the shared layout."""
    copied = []
    for fmt in USPTO_FORMATS:
        for path in sorted((uspto_dir / fmt).glob("*.xml")):
            rel = path.relative_to(uspto_dir)
            copied.append((str(rel), copy_verbatim(path, out_dir / rel)))
    return copied


def copy_csl(csl_dir: Path, out_dir: Path, records: int) -> tuple[int, int]:
    """Copy the first `records` lines of the CSL abstract→title split verbatim; returns (lines, bytes)."""
    source = csl_dir / CSL_SPLIT
    if not source.is_file():
        raise SystemExit(f"missing {source} / 缺少 {source}")
    lines = source.read_bytes().splitlines(keepends=True)[:records]
    target = out_dir / CSL_SPLIT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"".join(lines))
    return len(lines), target.stat().st_size


def archive_of(category: str) -> str:
    """The arXiv archive of a category: ``cs.RO`` → ``cs``, ``hep-ph`` → ``hep-ph``."""
    return category.split(".")[0]


def print_tables(stats: ArxivStats) -> None:
    """Print the per-year and per-primary-category counts on stdout."""
    print("year  shared  demo  focus  share  gz-bytes")
    for year in YEARS:
        print(f"{year}  {stats.shared_per_year[year]:6d}  {stats.per_year[year]:5d}  {stats.focus_per_year[year]:5d}"
              f"  {stats.per_year[year] / stats.shared_per_year[year]:.3f}  {stats.bytes_per_year[year]:8d}")
    print(f"total {sum(stats.shared_per_year.values())}  {sum(stats.per_year.values())}"
          f"  {sum(stats.focus_per_year.values())}")
    print("\nprimary category counts (%d categories):" % len(stats.per_primary))
    for cat, n in sorted(stats.per_primary.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {cat:20s} {n:5d}")
    print("\nfields filled (non-null, non-empty):")
    total = sum(stats.per_year.values())
    for name in ARXIV_FIELDS:
        print(f"  {name:15s} {stats.filled_fields[name]:5d} / {total}")


README_TEMPLATE = """\
# data/demo — the bundled demo corpus / 内置演示语料

Generated by `scripts/make_demo_corpus.py`; do not edit by hand. Rebuild (byte-identical) with:
由 `scripts/make_demo_corpus.py` 生成，请勿手工修改。重新生成（逐字节相同）：

    python scripts/make_demo_corpus.py --shared ../shared --out data/demo

Options used / 所用参数: `--papers {papers} --focus-share {focus_share} --floor {floor} --csl-records {csl_records}
--seed {seed}`. Total size / 总大小: {total_mb:.1f} MB (1 MB = 10⁶ bytes).

## English

Real records only, taken from the project's shared corpora (`../shared/data`, see its README). Nothing is
synthetic or re-serialised: every line and file is a verbatim copy.

| folder | what | count | size |
|---|---|---|---|
| `arxiv/arxiv-YYYY.jsonl.gz` | arXiv metadata 2010–2019, one file per year of first submission | {n_arxiv} papers | {arxiv_mb:.1f} MB |
| `openalex/` | OpenAlex works: snapshot layout `works/updated_date=…/part_000.gz` + `works/manifest`, two API work responses, 410 works of the 2022 schema | {n_openalex} files | {openalex_kb} KB |
| `uspto/` | USPTO full-text XML: grants (xml2004, xml2006, xml2014), applications (xmlApp2004) | {n_uspto} documents | {uspto_kb} KB |
| `csl/ts/dev.tsv` | CSL Chinese scientific abstracts (`to title <TAB> abstract <TAB> title`) | {csl_records} records | {csl_kb} KB |

**arXiv selection.** Same layout as the public arXiv snapshot (`id`, `authors`, `title`, `abstract`,
`categories` primary first, `doi`, `comments`, `versions`, `update_date`, `authors_parsed`; `submitter`,
`journal-ref`, `report-no`, `license` are always null because the source lacked them). Papers are split into a
*focus* stratum — any category in the six future-industry directions below — and the *other* stratum. In each
(year, stratum) cell the papers with the lowest SHA-256 hash of `seed:id` are kept, at one rate per stratum for
all years (focus {focus_rate:.3f}, other {other_rate:.3f}), so each stratum grows year by year like the real
corpus. The focus stratum is enriched up to a cap of {focus_share:.0%} of `--papers`; then each primary category
gets at least {floor} papers so that all {n_primary} primary categories of the source are represented.
There are **no affiliations, countries or citations** for arXiv papers (the source has none); OpenAlex
supplies such fields. Filled fields: {filled_fields}; `versions` always holds one entry, `v1` with the date of
first submission. A paper listed in several directions counts in each row of the direction table.

{direction_table}

{year_table}

{archive_table}

**Other sources.** OpenAlex: only work records are copied (no authors, institutions, sources…). The `manifest`
is the real upstream one and lists the whole snapshot, of which only {snapshot_parts} is here — read
the part files that exist, not the manifest entries. `api-responses/` holds two single works of the REST API
(`W2741809807.json` in the current schema with `topics` and `authorships`; `W-api-response.json`).
USPTO: the 2004+ XML formats only (the 2001 `pap` applications and the SGML, greenbook and BRS samples stay in
the shared folder). CSL: the first {csl_records} lines of the
dev split of the abstract→title task; CSL has no years. Discipline and category labels of the same lines are in
the shared `csl/cls_dcp/dev.tsv` and `csl/cls_ctg/dev.tsv` (same line order).

**Provenance and licences.** arXiv metadata: OAI-PMH harvest published in `staeiou/arxiv_archive` (snapshot of
2020-01-01), arXiv declares its metadata CC0 1.0. OpenAlex: records from `max-planck-innovation-competition/
go-openalex`, `b-vitamins/openalex-python`, `herreio/openalex-client-review`; OpenAlex data is CC0 1.0. USPTO:
samples from `USPTO/PatentPublicData`; US patent documents are in the public domain. CSL: `ydli-ai/CSL`
(arXiv:2209.05034), Apache License 2.0 — keep this notice when redistributing `csl/`.

## 中文

全部为真实记录，取自项目共享语料（`../shared/data`，见其 README），没有任何合成或重新序列化的数据：每一行、
每个文件都原样复制。

| 目录 | 内容 | 数量 | 大小 |
|---|---|---|---|
| `arxiv/arxiv-YYYY.jsonl.gz` | arXiv 元数据 2010–2019，按首次提交年份每年一个文件 | {n_arxiv} 篇 | {arxiv_mb:.1f} MB |
| `openalex/` | OpenAlex 作品：快照布局 `works/updated_date=…/part_000.gz` 与 `works/manifest`、两个 API 作品响应、410 条 2022 版结构作品 | {n_openalex} 个文件 | {openalex_kb} KB |
| `uspto/` | 美国专利商标局全文 XML：授权专利（xml2004、xml2006、xml2014）与申请（xmlApp2004） | {n_uspto} 件 | {uspto_kb} KB |
| `csl/ts/dev.tsv` | CSL 中文科技文献摘要（`to title <TAB> 摘要 <TAB> 标题`） | {csl_records} 条 | {csl_kb} KB |

**arXiv 抽样方法。** 字段布局与公开的 arXiv 快照相同（`submitter`、`journal-ref`、`report-no`、`license`
在来源中缺失，恒为 null）。论文分为两层：*重点层*（任一分类属于下表六大未来产业方向）与*其他层*。在每个
（年份，层）单元中，按 `seed:id` 的 SHA-256 哈希从小到大选取，同一层各年份采用相同比例（重点层
{focus_rate:.3f}，其他层 {other_rate:.3f}），因此各层逐年增长与真实语料一致。重点层加权抽样，上限为
`--papers` 的 {focus_share:.0%}；随后保证每个主分类至少 {floor} 篇，使来源中全部 {n_primary} 个主分类都有代表。
arXiv 论文**没有机构、国家和引用信息**（来源不含这些字段），这些字段由 OpenAlex 提供。非空字段计数：
{filled_fields}；`versions` 只有一项（`v1`，首次提交日期）。跨多个方向的论文在方向表中各计一次。

**其他来源。** OpenAlex 只复制作品记录（不含作者、机构、期刊等实体）；`manifest` 为上游原文件，列出了完整
快照，这里只有 {snapshot_parts_zh}，读取时请以实际存在的分片文件为准。`api-responses/` 为 REST API 的两条单篇
作品响应。USPTO 只含 2004 年以后的 XML 格式。CSL 取"摘要→标题"任务 dev 集的前 {csl_records} 行，CSL 没有年份；同一行的学科
与门类标签见共享目录的 `csl/cls_dcp/dev.tsv` 与 `csl/cls_ctg/dev.tsv`（行序相同）。

**来源与许可。** arXiv 元数据来自 `staeiou/arxiv_archive` 发布的 OAI-PMH 采集（2020-01-01 快照），arXiv
声明其元数据为 CC0 1.0。OpenAlex 记录来自 `max-planck-innovation-competition/go-openalex`、
`b-vitamins/openalex-python`、`herreio/openalex-client-review`，OpenAlex 数据为 CC0 1.0。USPTO 样例来自
`USPTO/PatentPublicData`，美国专利文献属于公有领域。CSL 来自 `ydli-ai/CSL`（arXiv:2209.05034），
Apache License 2.0 —— 再分发 `csl/` 时请保留此声明。
"""


def describe_snapshot_parts(openalex_out: Path) -> tuple[str, str]:
    """Name the copied snapshot part files with their record counts, in English and Chinese."""
    parts = []
    for part in sorted((openalex_out / "works").glob("updated_date=*/part_*.gz")):
        with gzip.open(part, "rb") as fh:
            parts.append((f"`{part.parent.name}/{part.name}`", sum(1 for line in fh if line.strip())))
    return (", ".join(f"{name} ({n} works)" for name, n in parts),
            "、".join(f"{name}（{n} 条作品）" for name, n in parts))


def render_readme(stats: ArxivStats, rates: tuple[float, float], openalex: list[tuple[str, int]],
                  uspto: list[tuple[str, int]], csl_bytes: int, csl_records: int, args: argparse.Namespace,
                  extra_bytes: int = 0) -> str:
    """Fill the bilingual README with the counts of this build (deterministic: no dates, no machine paths)."""
    snapshot_parts, snapshot_parts_zh = describe_snapshot_parts(args.out / "openalex")
    filled = ", ".join(f"`{name}` {stats.filled_fields[name]}" for name in ARXIV_FIELDS if stats.filled_fields[name])
    directions = ["| direction 方向 | enriched categories 加权分类 | demo papers 篇数 |", "|---|---|---|"]
    for direction, patterns in FOCUS_CATEGORIES.items():
        directions.append(f"| {direction} | {', '.join(patterns)} | {stats.per_direction[direction]} |")
    years = ["| year 年份 | shared 共享语料 | demo 演示 | focus 重点 | rate 比例 | file 文件 |", "|---|---|---|---|---|---|"]
    for year in YEARS:
        years.append(f"| {year} | {stats.shared_per_year[year]} | {stats.per_year[year]} | "
                     f"{stats.focus_per_year[year]} | {stats.per_year[year] / stats.shared_per_year[year]:.3f} | "
                     f"{stats.bytes_per_year[year] // 1000} KB |")
    years.append(f"| total 合计 | {sum(stats.shared_per_year.values())} | {sum(stats.per_year.values())} | "
                 f"{sum(stats.focus_per_year.values())} | | |")
    archives: collections.Counter = collections.Counter()
    n_cats: collections.Counter = collections.Counter()
    for cat, n in stats.per_primary.items():
        archives[archive_of(cat)] += n
        n_cats[archive_of(cat)] += 1
    archive_rows = ["| primary archive 主分类所属大类 | primary categories 主分类数 | papers 篇数 |", "|---|---|---|"]
    archive_rows += [f"| {a} | {n_cats[a]} | {n} |" for a, n in sorted(archives.items(), key=lambda kv: (-kv[1], kv[0]))]
    arxiv_bytes = sum(stats.bytes_per_year.values())
    openalex_bytes = sum(size for _, size in openalex)
    uspto_bytes = sum(size for _, size in uspto)
    return README_TEMPLATE.format(
        papers=args.papers, focus_share=args.focus_share, floor=args.floor, csl_records=csl_records, seed=args.seed,
        total_mb=(arxiv_bytes + openalex_bytes + uspto_bytes + csl_bytes + extra_bytes) / 1e6,
        n_arxiv=sum(stats.per_year.values()), arxiv_mb=arxiv_bytes / 1e6,
        n_openalex=len(openalex), openalex_kb=openalex_bytes // 1000,
        n_uspto=len(uspto), uspto_kb=uspto_bytes // 1000, csl_kb=csl_bytes // 1000,
        snapshot_parts=snapshot_parts, snapshot_parts_zh=snapshot_parts_zh, filled_fields=filled,
        focus_rate=rates[0], other_rate=rates[1], n_primary=len(stats.per_primary),
        direction_table="\n".join(directions), year_table="\n".join(years), archive_table="\n".join(archive_rows))


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, rebuild the demo folders, print the counts."""
    default_shared = Path(os.environ.get("FRONTIERWATCH_SHARED", REPO_ROOT.parent / "shared"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared, help="shared folder (default ../shared)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "data" / "demo", help="output folder")
    parser.add_argument("--papers", type=int, default=22_000, help="arXiv papers before the category floor")
    parser.add_argument("--focus-share", type=float, default=0.5, help="cap of focus papers, share of --papers")
    parser.add_argument("--floor", type=int, default=3, help="least papers per primary category")
    parser.add_argument("--csl-records", type=int, default=1000, help="CSL lines to copy")
    parser.add_argument("--seed", default=DEFAULT_SEED, help="seed of the id hash")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    data = args.shared / "data"
    if not (data / "arxiv").is_dir():
        raise SystemExit(f"{data / 'arxiv'} not found: pass --shared <folder with data/arxiv> / "
                         f"未找到 {data / 'arxiv'}：请用 --shared 指定共享数据目录")
    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    for managed in ("arxiv", "openalex", "uspto", "csl", "pubmed", "patentsview"):
        shutil.rmtree(args.out / managed, ignore_errors=True)
    keys = scan_arxiv(data / "arxiv", args.seed)
    chosen, rates = choose_papers(keys, args.papers, args.focus_share, args.floor)
    stats = write_arxiv(data / "arxiv", args.out / "arxiv", chosen, keys)
    openalex = copy_openalex(data / "openalex", args.out / "openalex")
    uspto = copy_uspto(data / "uspto", args.out / "uspto")
    csl_records, csl_bytes = copy_csl(data / "csl", args.out / "csl", args.csl_records)
    pubmed = copy_pubmed(data / "pubmed" / "pubmed21n1298.xml.gz", args.out / "pubmed")
    patentsview = copy_patentsview(data / "patentsview" / "nvidia", args.out / "patentsview")
    readme = render_readme(stats, rates, openalex, uspto, csl_bytes, csl_records, args,
                           extra_bytes=pubmed["bytes"] + patentsview["bytes"])
    (args.out / "README.md").write_text(readme + readme_section(pubmed, patentsview), encoding="utf-8")
    log.info("pubmed slice: %(articles)d articles; patentsview slice: %(patents)d patents", {**pubmed, **patentsview})
    print_tables(stats)
    log.info("demo corpus written to %s in %.1f s", args.out, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
