"""An entry's landscape and patent view as short lines of text, one language, for the HTML, PDF and Markdown
editions (the spreadsheet has its own columns). Every share is printed with its count and denominator."""
from __future__ import annotations

from frontierwatch.catalog.messages import text


def _share(row: dict, denominator: int, lang: str) -> str:
    name = row["name"][lang] if isinstance(row.get("name"), dict) else row.get("name")
    return f"{name} {row['documents']}/{denominator} ({100 * row['share']:.0f}%)" if row.get("share") is not None \
        else f"{name} {row['documents']}"


def landscape_lines(land: dict | None, lang: str) -> list[str]:
    """Lines about countries, China, provinces, institutions and types; one note line below the minimum."""
    t = lambda key: text(key, lang)  # noqa: E731
    if not land or land.get("status") == "no_affiliation_data":
        return [t("no_affiliation_data")]
    cover = f"{t('affiliation_coverage')} {land['n_with_affiliation']}/{land['n_documents']}"
    if land["status"] != "ok":
        return [f"{land['note'][lang]} ({cover})"]
    sep = "、" if lang == "zh" else ", "
    lines = [cover]
    china = land.get("china")
    if china:
        rank = f"{t('china_rank')} {china['rank']}/{china['of_countries']}" if china["rank"] else \
            f"{t('china_rank')}: {t('china_absent')}"
        rca = "" if china.get("rca") is None else f"; RCA {china['rca']:.2f}"
        semi = "；" if lang == "zh" else "; "
        lines.append(f"{rank}{semi}{china['documents']}/{land['n_with_country']} ({100 * china['share']:.0f}%)"
                     f"{rca.replace('; ', semi)}")
    lines.append(f"{t('leading_countries')}: " + sep.join(_share(c, land["n_with_country"], lang)
                                                          for c in land["countries"]) + f" ({t('whole_counting')})")
    if land.get("provinces"):
        lines.append(f"{t('provinces')}: " + sep.join(_share(p, china["documents"], lang) for p in land["provinces"]))
    if land.get("institutions"):
        lines.append(f"{t('leading_institutions')}: " + sep.join(
            _share(i, land["n_with_affiliation"], lang) for i in land["institutions"]))
    if land.get("institution_types"):
        lines.append(f"{t('institution_types')}: " + sep.join(
            _share(i, land["n_with_affiliation"], lang) for i in land["institution_types"]))
    return lines


def patent_line(view: dict | None, lang: str) -> str:
    """Patents, growth against the corpus, paper–patent linkage and leading CPC subclasses, in one line."""
    t = lambda key: text(key, lang)  # noqa: E731
    if not view or view["status"] == "no_patent_data":
        return t("no_patent_data")
    near = view.get("near") or {}
    if view["status"] == "no_patents":
        return t("no_patents_in_topic") + (f"; {t('near_patents')} {near['patents']}" if near.get("patents") else "")
    parts = [f"{t('papers')} {view['papers']} / {t('patents')} {view['patents']}"]
    g = view.get("growth")
    if g:
        ratio = "" if g["ratio"] is None else f" ×{g['ratio']:.2f}"
        corpus = "" if g["corpus_ratio"] is None else f" ({t('all_patents')} ×{g['corpus_ratio']:.2f})"
        parts.append(f"{t('patent_growth')} {g['recent_years'][0]}–{g['recent_years'][1]}: {g['recent']} · "
                     f"{g['earlier_years'][0]}–{g['earlier_years'][1]}: {g['earlier']}{ratio}{corpus}")
    elif view["status"] == "sparse":
        parts.append(t("too_few_patents"))
    k = view.get("linkage")
    if k:
        parts.append(f"{t('paper_patent_linkage')} {k['balance']:.2f}")
    if near:
        parts.append(f"{t('near_patents')} {near['patents']}")
    if view.get("cpc"):
        parts.append("CPC " + ", ".join(f"{c['cpc']} ({c['patents']})" for c in view["cpc"][:3]))
    return ("；" if lang == "zh" else "; ").join(parts)
