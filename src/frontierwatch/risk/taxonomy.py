"""The risk taxonomy: categories with zh/en names, terms, context rules and red lines, from a versioned YAML file.

The packaged file is ``taxonomy/risk_taxonomy.v2.yaml`` (its header explains the schema). Another file replaces it
through the setting ``risk_taxonomy`` (``FRONTIERWATCH_RISK_TAXONOMY``); every flag, screening and edition records
the file name, version and date it was made with, so a result can be traced to the exact term list.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from frontierwatch.errors import InputError
from frontierwatch.risk.terms import TermIndex, TermSet

log = logging.getLogger(__name__)

PACKAGED = "risk_taxonomy.v2.yaml"
LANGS = ("zh", "en")


@dataclass(frozen=True)
class Rule:
    """Ambiguous terms that count only with a context term and without an exclusion term in the same text."""

    terms: TermSet
    context: TermSet
    exclude: TermSet

    def found(self, index: TermIndex) -> list[str]:
        hits = self.terms.found(index)
        if not hits or not self.context.any(index) or self.exclude.any(index):
            return []
        return hits


@dataclass(frozen=True)
class RiskCategory:
    id: str
    name: dict[str, str]
    description: dict[str, str]
    terms: TermSet
    rules: tuple[Rule, ...]
    red_lines: TermSet

    def found(self, index: TermIndex) -> list[str]:
        """Every term of this category present in the text (strong terms, then qualified rule terms)."""
        hits = self.terms.found(index)
        for rule in self.rules:
            hits += [t for t in rule.found(index) if t not in hits]
        return hits


@dataclass(frozen=True)
class RiskTaxonomy:
    version: int
    date: str
    file: str
    sha256: str
    categories: tuple[RiskCategory, ...]

    def identity(self) -> dict:
        """What a flag records about the taxonomy it was made with."""
        return {"file": self.file, "version": self.version, "date": self.date, "sha256": self.sha256[:16]}

    def category(self, category_id: str) -> RiskCategory:
        for cat in self.categories:
            if cat.id == category_id:
                return cat
        raise InputError(f"risk category {category_id!r} is not in {self.file}; known: {[c.id for c in self.categories]}",
                         f"风险类别 {category_id!r} 不在 {self.file} 中；已有：{[c.id for c in self.categories]}")

    def index(self, text: str) -> TermIndex:
        """`text` indexed for every term of the taxonomy (terms, rules, contexts, exclusions, red lines)."""
        return TermIndex(text, self._starts, self._longest)

    def __post_init__(self):
        sets = [s for c in self.categories for s in (c.terms, c.red_lines, *[x for r in c.rules
                                                                             for x in (r.terms, r.context, r.exclude)])]
        object.__setattr__(self, "_starts", frozenset().union(*(s.starts() for s in sets)) if sets else frozenset())
        object.__setattr__(self, "_longest", max((s.longest() for s in sets), default=1))


def _bilingual(obj, where: str, what: str) -> dict[str, str]:
    if not isinstance(obj, dict) or any(not isinstance(obj.get(lang), str) or not obj[lang].strip() for lang in LANGS):
        raise InputError(f"risk taxonomy: {where} needs a non-empty zh and en {what}, got {obj!r}",
                         f"风险分类文件：{where} 需要非空的中文和英文{what}，实际为 {obj!r}")
    return {lang: obj[lang].strip() for lang in LANGS}


def _terms(obj, where: str, required: str) -> TermSet:
    """Terms of one list: `required` is "both" (zh and en), "any" (at least one language) or "none"."""
    if obj in (None, {}) and required == "none":
        return TermSet()
    present = [lang for lang in LANGS if isinstance(obj, dict) and obj.get(lang)]
    if not isinstance(obj, dict) or any(not isinstance(obj.get(lang, []), list) for lang in LANGS) or (
            required == "both" and len(present) < 2) or (required == "any" and not present):
        need = "zh and en terms" if required == "both" else "terms in zh, en or both"
        need_zh = "中文和英文词" if required == "both" else "中文或英文词"
        raise InputError(f"risk taxonomy: {where} needs lists of {need}, got {obj!r}",
                         f"风险分类文件：{where} 需要{need_zh}表，实际为 {obj!r}")
    clean = {lang: [str(t).strip().lower() for t in obj.get(lang) or [] if str(t).strip()] for lang in LANGS}
    for lang, terms in clean.items():
        dup = sorted({t for t in terms if terms.count(t) > 1})
        if dup:
            raise InputError(f"risk taxonomy: {where} repeats {lang} terms {dup}", f"风险分类文件：{where} 的{lang}词重复 {dup}")
    return TermSet.of(clean)


def parse_taxonomy(data: dict, file: str = "<memory>", sha256: str = "") -> RiskTaxonomy:
    """Validate a parsed taxonomy document; every problem names the file and the category."""
    if not isinstance(data, dict) or "version" not in data or "date" not in data:
        raise InputError(f"risk taxonomy {file}: needs 'version', 'date' and 'categories'",
                         f"风险分类文件 {file}：需要 version、date 和 categories")
    cats, seen = [], set()
    for c in data.get("categories") or []:
        cid = str(c.get("id") or "").strip() if isinstance(c, dict) else ""
        if not cid or cid in seen:
            raise InputError(f"risk taxonomy {file}: a category has no id or repeats one ({cid!r})",
                             f"风险分类文件 {file}：有类别缺少编号或编号重复（{cid!r}）")
        seen.add(cid)
        where = f"{file} category {cid}"
        rules = tuple(Rule(_terms(r.get("terms"), f"{where} rule terms", "any"),
                           _terms(r.get("context"), f"{where} rule context", "any"),
                           _terms(r.get("exclude"), f"{where} rule exclude", "none")) for r in c.get("rules") or [])
        cats.append(RiskCategory(cid, _bilingual(c.get("name"), where, "name"),
                                 _bilingual(c.get("description"), where, "description"),
                                 _terms(c.get("terms"), f"{where} terms", "both"), rules,
                                 _terms(c.get("red_lines"), f"{where} red_lines", "none")))
    if not cats:
        raise InputError(f"risk taxonomy {file}: no categories", f"风险分类文件 {file}：没有类别")
    return RiskTaxonomy(int(data["version"]), str(data["date"]), file, sha256, tuple(cats))


@lru_cache(maxsize=4)
def _load(path: str | None) -> RiskTaxonomy:
    if path is None:
        raw = resources.files("frontierwatch.risk").joinpath("taxonomy").joinpath(PACKAGED).read_bytes()
        name = PACKAGED
    else:
        file = Path(path)
        if not file.is_file():
            raise InputError(f"risk taxonomy file {file} does not exist; fix FRONTIERWATCH_RISK_TAXONOMY",
                             f"风险分类文件 {file} 不存在；请检查 FRONTIERWATCH_RISK_TAXONOMY")
        raw, name = file.read_bytes(), file.name
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"risk taxonomy {name} is not UTF-8 YAML: {exc}", f"风险分类文件 {name} 不是 UTF-8 YAML：{exc}")
    return parse_taxonomy(data, name, hashlib.sha256(raw).hexdigest())


def load_risk_taxonomy(path: str | Path | None = None) -> RiskTaxonomy:
    """The taxonomy at `path`, else the file named by the settings, else the packaged one (cached)."""
    if path is None:
        from frontierwatch.settings import load_settings

        path = load_settings().risk_taxonomy
    return _load(str(path) if path else None)
