"""Pydantic's validation errors said to people, in Chinese and English (pages, forms and the API's 422s).

Pydantic writes English for developers ("Input should be greater than or equal to 1", ``query.page``). A
reader of a zh page gets the same facts in Chinese, with the field by its form label: each error type it can
raise on our inputs has a (zh, en) template filled from the error's ``ctx`` (the limit, the allowed values).
An unknown type falls back to pydantic's own message in English and a generic Chinese sentence — never to
nothing.
"""
from __future__ import annotations

__all__ = ["field_name", "describe_problem", "describe_problems"]

# Field (last part of the error's location) → (zh, en), as the forms and query strings call them.
FIELDS = {
    "q": ("检索词", "search words"), "page": ("页码", "page"), "as_of": ("截止日期", "as-of date"),
    "top": ("条数", "number of results"), "limit": ("条数", "number of results"), "offset": ("起始位置", "offset"),
    "lang": ("语言", "language"), "sort": ("排序方式", "sort order"), "horizon": ("预测期", "horizon"),
    "text": ("需求描述", "description of the need"), "kind": ("类型", "kind"), "year": ("年份", "year"),
    "title": ("名称", "title"), "description": ("成果简介", "description"), "direction": ("方向", "direction"),
    "field": ("细分领域", "field"), "trl": ("技术成熟度", "readiness (TRL)"), "organisation": ("单位", "organisation"),
    "contact": ("联系方式", "contact"), "links": ("链接", "links"), "sector": ("行业", "sector"),
    "problem": ("需要解决的问题", "problem"), "constraints": ("约束条件", "constraints"),
    "budget_band": ("预算区间", "budget band"), "deadline": ("期望完成日期", "deadline"),
    "username": ("用户名", "username"), "password": ("密码", "password"), "role": ("角色", "role"),
    "note": ("审核意见", "note"), "year_from": ("起始年份", "from year"), "year_to": ("截止年份", "to year"),
    "language": ("语言", "language"), "body": ("请求内容", "request body"), "source": ("来源", "source"),
}

# Error type → (zh, en) with {field} and the ctx keys pydantic gives for that type.
TEMPLATES = {
    "missing": ("请填写{field}", "{field} is required"),
    "string_too_short": ("{field}至少需要 {min_length} 个字符", "{field} needs at least {min_length} characters"),
    "string_too_long": ("{field}最多 {max_length} 个字符", "{field} takes at most {max_length} characters"),
    "too_long": ("{field}最多 {max_length} 项", "{field} takes at most {max_length} items"),
    "too_short": ("{field}至少需要 {min_length} 项", "{field} needs at least {min_length} items"),
    "int_parsing": ("{field}须为整数", "{field} must be a whole number"),
    "int_type": ("{field}须为整数", "{field} must be a whole number"),
    "float_parsing": ("{field}须为数字", "{field} must be a number"),
    "bool_parsing": ("{field}须为是或否", "{field} must be yes or no"),
    "greater_than_equal": ("{field}不能小于 {ge}", "{field} must be at least {ge}"),
    "greater_than": ("{field}须大于 {gt}", "{field} must be more than {gt}"),
    "less_than_equal": ("{field}不能大于 {le}", "{field} must be at most {le}"),
    "less_than": ("{field}须小于 {lt}", "{field} must be less than {lt}"),
    "literal_error": ("{field}须为以下之一：{expected}", "{field} must be one of {expected}"),
    "enum": ("{field}须为以下之一：{expected}", "{field} must be one of {expected}"),
    "date_from_datetime_parsing": ("{field}须为日期，格式 YYYY-MM-DD", "{field} must be a date, YYYY-MM-DD"),
    "date_parsing": ("{field}须为日期，格式 YYYY-MM-DD", "{field} must be a date, YYYY-MM-DD"),
    "date_type": ("{field}须为日期，格式 YYYY-MM-DD", "{field} must be a date, YYYY-MM-DD"),
    "url_parsing": ("{field}须为以 http:// 或 https:// 开头的网址", "{field} must be a web address starting with http:// or https://"),
    "url_scheme": ("{field}须为以 http:// 或 https:// 开头的网址", "{field} must be a web address starting with http:// or https://"),
    "string_pattern_mismatch": ("{field}的格式不正确", "{field} is not in the expected form"),
    "string_type": ("{field}须为文字", "{field} must be text"),
    "extra_forbidden": ("不接受字段{field}", "{field} is not an accepted field"),
    "json_invalid": ("请求内容不是有效的 JSON", "the request body is not valid JSON"),
    "model_attributes_type": ("请求内容须为 JSON 对象", "the request body must be a JSON object"),
    "dict_type": ("请求内容须为 JSON 对象", "the request body must be a JSON object"),
    "list_type": ("{field}须为列表", "{field} must be a list"),
}


def field_name(loc, lang: str) -> str:
    """The field of an error location by its label (``("query", "page")`` → 页码 / page); list positions
    are counted from 1 (``links.2`` → 链接第 3 项)."""
    parts = [p for p in (loc or ()) if p not in ("query", "path", "body", "form", "header", "cookie")]
    names = [p for p in parts if isinstance(p, str)]
    name = names[-1] if names else ("body" if parts == [] else str(parts[-1]))
    label = FIELDS.get(name, (name, name.replace("_", " ")))[0 if lang == "zh" else 1]
    index = next((p for p in reversed(parts) if isinstance(p, int)), None)
    if index is not None:
        label += f"第 {index + 1} 项" if lang == "zh" else f" (item {index + 1})"
    return label


def describe_problem(error: dict, lang: str) -> str:
    """One pydantic error (a dict of ``exc.errors()``) as a sentence in `lang`."""
    kind = error.get("type", "")
    ctx = {k: (", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
           for k, v in (error.get("ctx") or {}).items()}
    if "expected" in ctx:
        ctx["expected"] = str(ctx["expected"]).replace("'", "")
        if lang == "zh":
            ctx["expected"] = ctx["expected"].replace(" or ", "、").replace(", ", "、")
    template = TEMPLATES.get(kind)
    field = field_name(error.get("loc"), lang)
    if template:
        try:
            return template[0 if lang == "zh" else 1].format(field=field, **ctx)
        except (KeyError, IndexError):
            pass
    if lang == "zh":
        return f"{field}的值无效"
    return f"{field}: {error.get('msg', 'invalid value')}"


def describe_problems(errors: list[dict], limit: int = 10) -> tuple[str, str]:
    """Up to `limit` errors as one (en, zh) pair of messages, "; " / "；" between them."""
    shown = errors[:limit]
    en = "; ".join(describe_problem(e, "en") for e in shown)
    zh = "；".join(describe_problem(e, "zh") for e in shown)
    return en, zh
