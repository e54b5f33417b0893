"""The taxonomy of future industries: six directions, their fields and the policy's landmark products.

The taxonomy is data, not code: ``taxonomy/future_industries.v<N>.yaml`` inside this package, editable and
versioned (``version`` and ``date`` fields). `load_taxonomy` reads and validates it — every direction, field and
product must have zh + en names, and every field zh + en descriptions and seed terms — so a bad edit fails loudly
at load time instead of producing a silently wrong catalog.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from frontierwatch.errors import InputError

log = logging.getLogger(__name__)

DEFAULT_TAXONOMY = "future_industries.v1.yaml"
LANGS = ("zh", "en")
OUTSIDE = "outside"  # direction id of topics none of the six fits


@dataclass(frozen=True)
class Field:
    """One field of a direction (e.g. ``information/quantum-computing``)."""

    id: str
    direction: str
    name: dict[str, str]
    description: dict[str, str]
    terms: dict[str, tuple[str, ...]]
    exclude: dict[str, tuple[str, ...]] = None  # keyphrases holding these never count for the field

    @property
    def key(self) -> str:
        return f"{self.direction}/{self.id}"


@dataclass(frozen=True)
class Direction:
    id: str
    name: dict[str, str]
    description: dict[str, str]
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class LandmarkProduct:
    id: str
    name: dict[str, str]
    directions: tuple[str, ...]
    terms: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Taxonomy:
    """The loaded taxonomy. ``fields`` lists every field of every direction, in file order."""

    version: int
    date: str
    name: dict[str, str]
    source: dict[str, str]
    directions: tuple[Direction, ...]
    products: tuple[LandmarkProduct, ...]
    file: str

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for d in self.directions for f in d.fields)

    def direction(self, direction_id: str) -> Direction:
        for d in self.directions:
            if d.id == direction_id:
                return d
        raise InputError(f"unknown direction {direction_id!r}; expected one of {[d.id for d in self.directions]}",
                         f"未知方向 {direction_id!r}；应为 {[d.id for d in self.directions]} 之一")

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise InputError(f"unknown field {key!r} (expected 'direction/field')", f"未知领域 {key!r}（应为 '方向/领域'）")

    def identity(self) -> dict:
        """What an edition records to name the taxonomy it used."""
        return {"file": self.file, "version": self.version, "date": self.date}


def _bilingual(obj, where: str, what: str) -> dict[str, str]:
    if not isinstance(obj, dict) or any(not isinstance(obj.get(lang), str) or not obj[lang].strip() for lang in LANGS):
        raise InputError(f"taxonomy: {where} needs a non-empty zh and en {what}, got {obj!r}",
                         f"分类文件：{where} 需要非空的中文和英文{what}，实际为 {obj!r}")
    return {lang: obj[lang].strip() for lang in LANGS}


def _terms(obj, where: str, required: bool = True) -> dict[str, tuple[str, ...]]:
    if not required and not obj:
        return {lang: () for lang in LANGS}
    if not isinstance(obj, dict) or any(not obj.get(lang) for lang in LANGS):
        raise InputError(f"taxonomy: {where} needs seed terms in zh and en", f"分类文件：{where} 需要中英文种子词")
    out = {}
    for lang in LANGS:
        terms = [str(t).strip().lower() for t in obj[lang] if str(t).strip()]
        if len(set(terms)) != len(terms):
            dup = sorted({t for t in terms if terms.count(t) > 1})
            raise InputError(f"taxonomy: {where} repeats {lang} terms {dup}", f"分类文件：{where} 的{lang}种子词重复 {dup}")
        out[lang] = tuple(terms)
    return out


def parse_taxonomy(data: dict, file: str = "<memory>") -> Taxonomy:
    """Validate a taxonomy mapping (as read from YAML) and build a `Taxonomy`. Raises `InputError` on any gap."""
    for key in ("version", "date", "directions"):
        if key not in data:
            raise InputError(f"taxonomy {file}: missing {key!r}", f"分类文件 {file} 缺少 {key!r}")
    directions = []
    seen: set[str] = set()
    for d in data["directions"]:
        did = d.get("id")
        if not did or did in seen or did == OUTSIDE:
            raise InputError(f"taxonomy: direction id {did!r} missing, repeated or reserved", f"分类文件：方向编号 {did!r} 缺失、重复或保留")
        seen.add(did)
        fields = []
        for f in d.get("fields") or []:
            where = f"{did}/{f.get('id')}"
            if not f.get("id") or any(x.id == f["id"] for x in fields):
                raise InputError(f"taxonomy: field id missing or repeated at {where}", f"分类文件：领域编号缺失或重复：{where}")
            fields.append(Field(f["id"], did, _bilingual(f.get("name"), where, "name"),
                                _bilingual(f.get("description"), where, "description"), _terms(f.get("terms"), where),
                                _terms(f.get("exclude"), where + " exclude", required=False)))
        if not fields:
            raise InputError(f"taxonomy: direction {did} has no fields", f"分类文件：方向 {did} 没有领域")
        directions.append(Direction(did, _bilingual(d.get("name"), did, "name"),
                                    _bilingual(d.get("description"), did, "description"), tuple(fields)))
    products = []
    for p in data.get("landmark_products") or []:
        where = f"product {p.get('id')}"
        unknown = [x for x in p.get("directions") or [] if x not in seen]
        if not p.get("id") or unknown or not p.get("directions"):
            raise InputError(f"taxonomy: {where} lacks an id or names unknown directions {unknown}",
                             f"分类文件：{where} 缺少编号或引用了未知方向 {unknown}")
        products.append(LandmarkProduct(p["id"], _bilingual(p.get("name"), where, "name"), tuple(p["directions"]),
                                        _terms(p.get("terms"), where)))
    return Taxonomy(version=int(data["version"]), date=str(data["date"]),
                    name=_bilingual(data.get("name"), "taxonomy", "name"),
                    source=_bilingual(data.get("source"), "taxonomy", "source"),
                    directions=tuple(directions), products=tuple(products), file=file)


@lru_cache(maxsize=8)
def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy: the packaged default, or the YAML file at `path`.

    >>> tax = load_taxonomy()
    >>> [d.id for d in tax.directions]
    ['manufacturing', 'information', 'materials', 'energy', 'space', 'health']
    """
    if path is None:
        text = resources.files("frontierwatch.catalog").joinpath("taxonomy", DEFAULT_TAXONOMY).read_text(encoding="utf-8")
        name = DEFAULT_TAXONOMY
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"no taxonomy file at {p}", f"分类文件不存在：{p}")
        text, name = p.read_text(encoding="utf-8"), p.name
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"taxonomy {name} is not valid YAML: {exc}", f"分类文件 {name} 不是有效的 YAML：{exc}") from None
    tax = parse_taxonomy(data, name)
    log.info("taxonomy %s v%s: %d directions, %d fields, %d products", name, tax.version, len(tax.directions),
             len(tax.fields), len(tax.products))
    return tax
