"""Validation errors of forms in the reader's language: pydantic's English messages never reach a page.

`validation_messages(exc, lang)` turns a pydantic ``ValidationError`` (or FastAPI's ``RequestValidationError``)
into one sentence per problem — the field's label from the page catalog and what is wrong — in Chinese or
English. An error type this module does not know is still told in the page language ("无效" / "is invalid").
"""
from __future__ import annotations

from frontierwatch.web import i18n

_TEMPLATES = {  # pydantic error type: (zh, en), formatted with the error's ctx
    "missing": ("必填", "is required"),
    "string_too_short": ("至少 {min_length} 个字符", "needs at least {min_length} characters"),
    "string_too_long": ("最多 {max_length} 个字符", "allows at most {max_length} characters"),
    "too_long": ("最多 {max_length} 项", "allows at most {max_length} entries"),
    "greater_than_equal": ("不能小于 {ge}", "must be at least {ge}"),
    "less_than_equal": ("不能大于 {le}", "must be at most {le}"),
    "int_parsing": ("须为整数", "must be a whole number"),
    "int_type": ("须为整数", "must be a whole number"),
    "literal_error": ("须为以下之一：{expected}", "must be one of {expected}"),
    "enum": ("须为以下之一：{expected}", "must be one of {expected}"),
    "string_pattern_mismatch": ("格式不符", "has the wrong format"),
    "date_from_datetime_parsing": ("须为 YYYY-MM-DD 日期", "must be a date YYYY-MM-DD"),
    "date_parsing": ("须为 YYYY-MM-DD 日期", "must be a date YYYY-MM-DD"),
    "extra_forbidden": ("不是可接受的字段", "is not an accepted field"),
    "url": ("链接须以 http:// 或 https:// 开头，且不含空格或引号", "links must be http(s):// URLs without spaces or quotes"),
}
_FIELD_KEYS = {"title": "f.title", "description": "f.description", "direction": "f.direction", "field": "f.field",
               "trl": "f.trl", "organisation": "f.organisation", "contact": "f.contact", "links": "f.links",
               "sector": "f.sector", "problem": "f.problem", "constraints": "f.constraints",
               "budget_band": "f.budget_band", "deadline": "f.deadline", "severity": "gov.severity",
               "likelihood": "gov.likelihood", "rationale": "gov.rationale", "status": "gov.status",
               "evidence": "gov.evidence", "mitigation": "gov.mitigation", "category": "gov.category",
               "target_kind": "gov.target", "target_id": "gov.target", "kind": "gov.entry_kind",
               "title_zh": "gov.title_zh", "title_en": "gov.title_en", "body_zh": "gov.body_zh",
               "body_en": "gov.body_en", "reason": "gov.reason", "message": "contact.message",
               "email": "f.email", "password": "f.password"}


def validation_messages(exc, lang: str) -> list[str]:
    """One message per problem of `exc` (pydantic/FastAPI validation error), in `lang`."""
    t = i18n.translator(lang)
    index = 0 if lang == "zh" else 1
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        name = next((p for p in loc if not p.isdigit()), "")
        key = _FIELD_KEYS.get(name)
        label = t(key) if key else (name or ("输入" if lang == "zh" else "input"))
        kind = err.get("type", "")
        if kind == "value_error" and "http" in str(err.get("msg", "")):
            kind = "url"
        template = _TEMPLATES.get(kind)
        ctx = {k: v for k, v in (err.get("ctx") or {}).items()}
        if template:
            try:
                text = template[index].format(**ctx)
            except (KeyError, IndexError):
                text = template[index].split("{")[0].strip()
        else:
            text = "无效" if lang == "zh" else "is invalid"
        out.append(f"{label}：{text}" if lang == "zh" else f"{label} {text}")
    return out
