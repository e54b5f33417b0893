"""The taxonomy of future industries: six directions, their fields and the policy's landmark products.

The taxonomy is data, not code: ``taxonomy/future_industries.v<N>.yaml`` inside this package, editable and
versioned (``version`` and ``date`` fields), or a file of the user's own (setting ``taxonomy``, environment
``FRONTIERWATCH_TAXONOMY``, option ``--taxonomy PATH``). `load_taxonomy` reads and validates it — every direction,
field and product must have zh + en names, every field zh + en descriptions and seed terms, term lists must be lists
of strings, unknown keys are refused (a typo such as ``exlude`` would otherwise be ignored silently) — so a bad edit
fails loudly at load time, naming the file and the field, instead of producing a silently wrong catalog.

Each field has, besides its seed ``terms``, three optional lists that let the mapping read context:

* ``ambiguous`` — seed terms that name the field only in the right company ("plasma", "hydrogen", "mining"): they
  count only when the topic also holds one of the field's ``context`` terms;
* ``context`` — the company those terms need (for hydrogen energy: fuel cell, electrolysis, storage…);
* ``exclude`` — terms that keep a topic out of the field whatever else it holds ("plasma display", "muonic",
  "data mining", "spike timing").
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

DEFAULT_TAXONOMY = "future_industries.v3.yaml"
_FIELD_KEYS = {"id", "name", "description", "terms", "ambiguous", "context", "exclude"}
_DIRECTION_KEYS = {"id", "name", "description", "fields"}
_PRODUCT_KEYS = {"id", "name", "directions", "terms"}
_TOP_KEYS = {"version", "date", "name", "source", "directions", "landmark_products"}
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
    exclude: dict[str, tuple[str, ...]] = None    # a topic holding one of these is never placed in the field
    ambiguous: dict[str, tuple[str, ...]] = None  # seed terms that count only with a context term beside them
    context: dict[str, tuple[str, ...]] = None    # the company the ambiguous terms need

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


def _bilingual(obj, where: str, what: str, file: str = "risk_terms") -> dict[str, str]:
    if not isinstance(obj, dict) or any(not isinstance(obj.get(lang), str) or not obj[lang].strip() for lang in LANGS):
        raise InputError(f"taxonomy {file}: {where} needs a non-empty zh and en {what}, got {obj!r}",
                         f"分类文件 {file}：{where} 需要非空的中文和英文{what}，实际为 {obj!r}")
    return {lang: obj[lang].strip() for lang in LANGS}


def _unknown_keys(obj: dict, allowed: set[str], where: str, file: str) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        raise InputError(f"taxonomy {file}: {where} has unknown keys {extra}; allowed: {sorted(allowed)}",
                         f"分类文件 {file}：{where} 含未知键 {extra}；允许的键：{sorted(allowed)}")


def _terms(obj, where: str, file: str = "risk_terms", required: bool = True) -> dict[str, tuple[str, ...]]:
    """``{zh: (...), en: (...)}`` term lists, lower-cased; `required`: both languages non-empty."""
    if not required and not obj:
        return {lang: () for lang in LANGS}
    if not isinstance(obj, dict) or (required and any(not obj.get(lang) for lang in LANGS)):
        raise InputError(f"taxonomy {file}: {where} needs term lists in zh and en, e.g. {{zh: [氢能], en: [hydrogen]}}",
                         f"分类文件 {file}：{where} 需要中英文词表，例如 {{zh: [氢能], en: [hydrogen]}}")
    _unknown_keys(obj, set(LANGS), where, file)
    out = {}
    for lang in LANGS:
        raw = obj.get(lang) or []
        if not isinstance(raw, list) or any(not isinstance(t, (str, int, float)) for t in raw):
            raise InputError(f"taxonomy {file}: {where} {lang} terms must be a list of strings, got {raw!r}",
                             f"分类文件 {file}：{where} 的{lang}词表必须是字符串列表，实际为 {raw!r}")
        terms = [str(t).strip().lower() for t in raw if str(t).strip()]
        if len(set(terms)) != len(terms):
            dup = sorted({t for t in terms if terms.count(t) > 1})
            raise InputError(f"taxonomy {file}: {where} repeats {lang} terms {dup}",
                             f"分类文件 {file}：{where} 的{lang}词重复 {dup}")
        out[lang] = tuple(terms)
    return out


def _field(f, did: str, fields: list, file: str) -> Field:
    if not isinstance(f, dict):
        raise InputError(f"taxonomy {file}: a field of direction {did} is not a mapping: {f!r}",
                         f"分类文件 {file}：方向 {did} 的某个领域不是映射：{f!r}")
    where = f"{did}/{f.get('id')}"
    if not f.get("id") or any(x.id == f["id"] for x in fields):
        raise InputError(f"taxonomy {file}: field id missing or repeated at {where}",
                         f"分类文件 {file}：领域编号缺失或重复：{where}")
    _unknown_keys(f, _FIELD_KEYS, where, file)
    terms = _terms(f.get("terms"), where, file)
    ambiguous = _terms(f.get("ambiguous"), where + " ambiguous", file, required=False)
    context = _terms(f.get("context"), where + " context", file, required=False)
    if any(ambiguous[lang] for lang in LANGS) and not any(context[lang] for lang in LANGS):
        raise InputError(f"taxonomy {file}: {where} lists ambiguous terms but no context terms they need",
                         f"分类文件 {file}：{where} 列出了歧义词，却没有它们所需的上下文词（context）")
    return Field(f["id"], did, _bilingual(f.get("name"), where, "name", file),
                 _bilingual(f.get("description"), where, "description", file),
                 {lang: tuple(dict.fromkeys(terms[lang] + ambiguous[lang])) for lang in LANGS},
                 _terms(f.get("exclude"), where + " exclude", file, required=False), ambiguous, context)


def parse_taxonomy(data: dict, file: str = "<memory>") -> Taxonomy:
    """Validate a taxonomy mapping (as read from YAML) and build a `Taxonomy`. Raises `InputError` on any gap,
    naming `file` and the direction/field at fault. A field's ``terms`` include its ``ambiguous`` terms."""
    if not isinstance(data, dict):
        raise InputError(f"taxonomy {file}: expected a mapping with version, date, directions; got {type(data).__name__}",
                         f"分类文件 {file}：应为含 version、date、directions 的映射，实际为 {type(data).__name__}")
    for key in ("version", "date", "directions"):
        if key not in data:
            raise InputError(f"taxonomy {file}: missing {key!r}", f"分类文件 {file} 缺少 {key!r}")
    _unknown_keys(data, _TOP_KEYS, "the top level", file)
    if not isinstance(data["directions"], list) or not data["directions"]:
        raise InputError(f"taxonomy {file}: 'directions' must be a non-empty list",
                         f"分类文件 {file}：'directions' 必须是非空列表")
    directions = []
    seen: set[str] = set()
    for d in data["directions"]:
        did = d.get("id") if isinstance(d, dict) else None
        if not did or did in seen or did == OUTSIDE:
            raise InputError(f"taxonomy {file}: direction id {did!r} missing, repeated or reserved",
                             f"分类文件 {file}：方向编号 {did!r} 缺失、重复或保留")
        seen.add(did)
        _unknown_keys(d, _DIRECTION_KEYS, did, file)
        fields: list[Field] = []
        for f in d.get("fields") or []:
            fields.append(_field(f, did, fields, file))
        if not fields:
            raise InputError(f"taxonomy {file}: direction {did} has no fields", f"分类文件 {file}：方向 {did} 没有领域")
        directions.append(Direction(did, _bilingual(d.get("name"), did, "name", file),
                                    _bilingual(d.get("description"), did, "description", file), tuple(fields)))
    products = []
    for p in data.get("landmark_products") or []:
        where = f"product {p.get('id')}"
        unknown = [x for x in p.get("directions") or [] if x not in seen]
        if not p.get("id") or unknown or not p.get("directions"):
            raise InputError(f"taxonomy {file}: {where} lacks an id or names unknown directions {unknown}",
                             f"分类文件 {file}：{where} 缺少编号或引用了未知方向 {unknown}")
        _unknown_keys(p, _PRODUCT_KEYS, where, file)
        products.append(LandmarkProduct(p["id"], _bilingual(p.get("name"), where, "name", file), tuple(p["directions"]),
                                        _terms(p.get("terms"), where, file)))
    try:
        version = int(data["version"])
    except (TypeError, ValueError):
        raise InputError(f"taxonomy {file}: version {data['version']!r} is not a whole number",
                         f"分类文件 {file}：version {data['version']!r} 不是整数") from None
    return Taxonomy(version=version, date=str(data["date"]),
                    name=_bilingual(data.get("name"), "taxonomy", "name", file),
                    source=_bilingual(data.get("source"), "taxonomy", "source", file),
                    directions=tuple(directions), products=tuple(products), file=file)


def taxonomy_path() -> Path | None:
    """The user's taxonomy file from the settings (``taxonomy`` / ``FRONTIERWATCH_TAXONOMY``), or None (packaged)."""
    from frontierwatch.settings import load_settings

    return load_settings().taxonomy


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy: the file at `path`, else the settings' ``taxonomy``, else the packaged default.

    >>> tax = load_taxonomy()
    >>> [d.id for d in tax.directions]
    ['manufacturing', 'information', 'materials', 'energy', 'space', 'health']
    """
    chosen = path if path is not None else taxonomy_path()
    return _load(str(Path(chosen).resolve()) if chosen is not None else None)


@lru_cache(maxsize=8)
def _load(path: str | None) -> Taxonomy:
    if path is None:
        text = resources.files("frontierwatch.catalog").joinpath("taxonomy", DEFAULT_TAXONOMY).read_text(encoding="utf-8")
        name = DEFAULT_TAXONOMY
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"no taxonomy file at {p}; give a YAML file like the packaged {DEFAULT_TAXONOMY}",
                             f"分类文件不存在：{p}；请提供与内置 {DEFAULT_TAXONOMY} 格式相同的 YAML 文件")
        text, name = p.read_text(encoding="utf-8"), p.name
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"taxonomy {name} is not valid YAML: {exc}", f"分类文件 {name} 不是有效的 YAML：{exc}") from None
    tax = parse_taxonomy(data, name)
    log.info("taxonomy %s v%s: %d directions, %d fields, %d products", name, tax.version, len(tax.directions),
             len(tax.fields), len(tax.products))
    return tax
