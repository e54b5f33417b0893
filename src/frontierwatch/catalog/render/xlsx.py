"""XLSX rendering of an edition with openpyxl: one sheet per part (entries, landscape, risk flags, assessed risks, changes,
methodology/parameters), every label in the chosen language."""
from __future__ import annotations

from io import BytesIO

from frontierwatch.catalog.render.html import parameter_rows
from frontierwatch.catalog.render.landscape_text import patent_line
from frontierwatch.catalog.edition import Edition
from frontierwatch.catalog.messages import text
from frontierwatch.signals.glossary import method_name
from frontierwatch.risk import load_risk_taxonomy


def render_xlsx(model: Edition, lang: str) -> bytes:
    """The edition as an XLSX workbook (bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    def t(key):
        return text(key, lang)

    wb = Workbook()
    ws = wb.active
    ws.title = "entries"
    head = [t("direction"), t("field"), t("rank"), t("topic_id"), t("technology"), t("what_it_is"), t("why_now"),
            t("name_basis"), t("documents"),
            t("score"), t("breakthrough"), t("industrialisation"), t("stage"), t("forecast_probability"),
            t("expected_share_ratio"), t("confidence"), t("reason"), t("evidence"), t("risk_flags")]
    years = sorted({y for e in model.entries for y in e["counts_by_year"]})
    ws.append(head + years)
    for e in model.entries:
        f = e["forecast"]
        named = e.get("name") or {lang: e["label"]}
        ws.append([e["direction"]["name"][lang], e["field"]["name"][lang], e["rank"], e["topic_id"], named[lang],
                   (e.get("summary") or {}).get(lang, ""), (e.get("why") or {}).get(lang, ""),
                   ", ".join(e["keyphrases"]), e["size"], e["score"], e["breakthrough"]["score"],
                   e["industrialisation"]["score"], t("stage_" + e["stage"]) if e["stage"] else t("missing"),
                   f["probability"] if f["status"] == "ok" else t("not_computed"),
                   f["expected_share_ratio"] if f["status"] == "ok" else t("not_computed"),
                   e["mapping"]["confidence"], e["mapping"]["reason"][lang],
                   "; ".join(f"{d['title']} ({d['doc_id']})" for d in e["evidence"]),
                   "; ".join(fl["name"][lang] for fl in e["risk_flags"]) or t("none")]
                  + [e["counts_by_year"].get(y, 0) for y in years])
    land = wb.create_sheet("landscape")
    land.append([t("topic_id"), t("technology"), "status", t("papers"), t("patents"), t("affiliation_coverage"),
                 t("leading_countries"), t("leading_institutions"), t("provinces"), t("china_rank"), t("china_rca"),
                 t("patent_view")])
    for e in model.entries:
        ls = e["landscape"] or {}
        view = patent_line(ls.get("patent_view"), lang)
        if ls.get("status") == "ok":
            china = ls.get("china") or {}
            land.append([e["topic_id"], (e.get("name") or {lang: e["label"]})[lang], "ok", ls["papers"], ls["patents"],
                         f"{ls['n_with_affiliation']}/{ls['n_documents']}",
                         ", ".join(f"{c['name'][lang]} {c['documents']}/{ls['n_with_country']} ({c['share']:.0%})"
                                   for c in ls["countries"]),
                         ", ".join(f"{i['name']} {i['documents']}" for i in ls["institutions"]),
                         ", ".join(f"{p['name'][lang]} {p['documents']}" for p in ls["provinces"]),
                         china.get("rank"), china.get("rca"), view])
        else:
            note = ls["note"][lang] if ls.get("note") else t("no_affiliation_data")
            land.append([e["topic_id"], (e.get("name") or {lang: e["label"]})[lang], note, ls.get("papers"), ls.get("patents"),
                         f"{ls.get('n_with_affiliation', 0)}/{ls.get('n_documents', 0)}", "", "", "", None, None, view])
    risk = wb.create_sheet("risk_flags")
    risk.append([t("topic_id"), t("technology"), t("risk_flags"), t("matched_terms"), t("documents"), t("evidence")])
    for e in model.entries:
        for fl in e["risk_flags"]:
            risk.append([e["topic_id"], (e.get("name") or {lang: e["label"]})[lang], fl["name"][lang],
                         ", ".join(f"{k} ({v})" for k, v in fl["terms"].items()), fl["n_documents"],
                         "; ".join(d["doc_id"] for d in fl["documents"])])
    assessed = wb.create_sheet("assessed_risks")
    assessed.append([t("topic_id"), t("technology"), t("risk_category"), t("severity"), t("likelihood"),
                     t("risk_level"), t("assessment_status"), t("rationale"), t("assessed_on")])
    categories = {c.id: c.name[lang] for c in load_risk_taxonomy().categories}
    for e in model.entries:
        for a in e.get("assessed_risks") or []:
            assessed.append([e["topic_id"], e["label"], categories.get(a["category"], a["category"] or t("risk_whole")),
                             a["severity"], a["likelihood"], f"{a['level'][lang]} ({a['level']['score']})",
                             t("status_" + a["status"]), a["rationale"], a["created"][:10]])
    ch = wb.create_sheet("changes")
    ch.append([t("changes"), t("topic_id"), t("technology"), t("field"), t("rank"), t("previous_edition"),
               t("change_from")])
    if model.changes.get("previous"):
        for key in ("continued", "split", "merged", "new", "dropped"):
            for c in model.changes.get(key) or []:
                origins = t("list_sep").join(f"{(o.get('name') or {lang: o['label']})[lang]} ({o['topic_id']})"
                                             for o in c.get("from") or [])
                ch.append([t("change_" + key), c["topic_id"], (c.get("name") or {lang: c["label"]})[lang],
                           c["field"]["name"][lang], c["rank"], c["previous_rank"], origins])
        ch.append([t("changes_rule")])
    else:
        ch.append([model.changes["note"][lang]])
    watch = wb.create_sheet("watch")
    watch.append([t("watch"), t("topic_id"), t("technology"), t("field"), t("watch_reason"), t("documents"),
                  t("forecast_probability")])
    for w in model.watch:
        watch.append(["", w["topic_id"], w["name"][lang], w["field"]["name"][lang], w["reason"][lang], w["size"],
                      w["forecast"].get("probability")])
    if not model.watch:
        watch.append([t("no_watch")])
    rise = wb.create_sheet("outside_risers")
    rise.append([t("outside_risers"), t("topic_id"), t("technology"), t("documents"), t("forecast_probability"),
                 t("what_it_is")])
    for r in model.outside_risers:
        rise.append(["", r["topic_id"], r["name"][lang], r["size"], r["forecast"].get("probability"), r["summary"][lang]])
    if not model.outside_risers:
        rise.append([t("no_outside_risers")])
    meth = wb.create_sheet("methodology")
    meth.append([t("methodology"), model.methodology["text"][lang]])
    if model.methodology.get("selection"):
        meth.append([t("selection_rule"), model.methodology["selection"][lang]])
    bt = model.methodology.get("backtest")
    if bt:
        meth.append([t("method"), t("mean_ap"), t("mean_p_at_50"), t("mean_spearman")])
        for k, v in bt["summary"].items():
            meth.append([method_name(k, lang), v.get("mean_ap"), v.get("mean_p_at_50"), v.get("mean_spearman")])
    else:
        meth.append([t("backtest"), t("no_backtest")])
    if model.methodology.get("evidence"):
        meth.append([t("backtest"), model.methodology["evidence"][lang]])
    cb = model.methodology.get("catalog_backtest")
    if cb and cb.get("cited"):
        meth.append([t("catalog_backtest"), cb["intro"][lang]])
        meth.append([t("rule"), t("mean_entries"), t("mean_hit_rate"), t("mean_share_ratio")])
        for k, v in cb["rules"].items():
            meth.append([t("rule_" + k), v.get("mean_entries"), v.get("mean_hit_rate"), v.get("mean_share_ratio")])
    elif cb:
        meth.append([t("catalog_backtest"), cb["note"][lang]])
    meth.append([t("parameters"), t("parameters_note")])
    for label, value in parameter_rows(model.parameters, t):
        meth.append([label, value])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
