"""HTML rendering of an edition (also the source of the PDF): one self-contained page, inline CSS and SVG."""
from __future__ import annotations


from frontierwatch.risk import load_risk_taxonomy

from jinja2 import Environment, PackageLoader, select_autoescape

from frontierwatch.catalog.edition import Edition
from frontierwatch.catalog.messages import component, text
from frontierwatch.catalog.render.landscape_text import landscape_lines, patent_line
from frontierwatch.catalog.render.svg import growth_chart
from frontierwatch.signals.glossary import method_name, signal_name

STAGE_KEYS = {"emerging": "stage_emerging", "growing": "stage_growing", "mature": "stage_mature",
              "declining": "stage_declining"}


def _env() -> Environment:
    env = Environment(loader=PackageLoader("frontierwatch.catalog", "render/templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    return env


def view_model(model: Edition, lang: str) -> dict:
    """What the templates (HTML and Markdown) need: the edition plus language-bound helpers."""
    def t(key: str) -> str:
        return text(key, lang)

    def num(value, digits: int = 2) -> str:
        return t("missing") if value is None else f"{value:.{digits}f}"

    def pct(value) -> str:
        return t("missing") if value is None else f"{100 * value:.0f}%"

    def stage(value) -> str:
        return t(STAGE_KEYS[value]) if value in STAGE_KEYS else t("missing")

    def forecast(f: dict) -> str:
        if f.get("status") != "ok" or f.get("probability") is None:
            return t("not_computed")
        ratio = f.get("expected_share_ratio")
        return f"{f['probability']:.2f}" + ("" if ratio is None else f" · ×{ratio:.2f}")

    def count(value) -> str:  # a mean number of entries: 18, 19.2
        return t("missing") if value is None else f"{value:.1f}".removesuffix(".0")

    entries = {e["topic_id"]: e for e in model.entries}
    assessed = [(e, a) for e in model.entries for a in e.get("assessed_risks") or []]
    categories = {c.id: c.name for c in load_risk_taxonomy().categories}
    return {"m": model, "assessed": assessed,
            "risk_category": lambda cid: categories[cid][lang] if cid in categories else (cid or t("risk_whole")),
            "lang": lang, "t": t, "num": num, "pct": pct, "stage": stage, "forecast": forecast,
            "entries": entries, "chart": lambda e: growth_chart(e["counts_by_year"], title=(e.get("name") or {}).get(lang, e["label"])),
            "name": lambda d: d[lang] if isinstance(d, dict) else d, "comp": lambda c: component(c, lang),
            "land_lines": lambda e: landscape_lines(e.get("landscape"), lang),
            "patent_line": lambda e: patent_line((e.get("landscape") or {}).get("patent_view"), lang),
            "count": count, "method": lambda k: method_name(k, lang), "signal": lambda k: signal_name(k, lang),
            "params": parameter_rows(model.parameters, t)}


def parameter_rows(p: dict, t) -> list[tuple[str, str]]:
    """The parameters a reader checks, as (label, value) rows in the edition's language; the full set for
    reproduction stays in the JSON edition (`parameters`)."""
    def taxonomy(x: dict | None) -> str:
        return t("param_taxonomy_value").format(**x) if x and x.get("file") else t("param_none")

    sel, bt, tm = p.get("selection") or {}, p.get("backtest") or {}, p.get("topic_map") or {}
    rows = [("param_as_of", p.get("as_of")),
            ("param_topic_map", t("param_topic_map_value").format(**tm) if tm.get("map_id") is not None else None),
            ("param_embed_model", p.get("embed_model")),
            ("param_taxonomy", taxonomy(p.get("taxonomy"))), ("param_risk_taxonomy", taxonomy(p.get("risk_taxonomy"))),
            ("param_bar", sel.get("bar")), ("param_published_forecasts", sel.get("n_published_forecasts")),
            ("param_per_field", sel.get("max_per_field", p.get("per_field"))), ("param_min_size", p.get("min_size")),
            ("param_backtest", t("param_backtest_value").format(**bt) if bt.get("backtest_id") is not None
             else t("param_none"))]
    return [(t(k), str(v)) for k, v in rows if v is not None]


def render_html(model: Edition, lang: str) -> str:
    """The edition as one HTML document in `lang` (zh or en)."""
    return _env().get_template("edition.html").render(**view_model(model, lang))


def render_markdown(model: Edition, lang: str) -> str:
    """The edition as Markdown in `lang` (same view model as the HTML)."""
    env = Environment(loader=PackageLoader("frontierwatch.catalog", "render/templates"), autoescape=False,
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("edition.md").render(**view_model(model, lang))
