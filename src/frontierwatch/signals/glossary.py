"""What the signals stage's numbers are called and mean, in Chinese and English — for readers, not for code.

Pages and editions show a signal by its name and meaning, never by its column name (raw keys stay in the API).
`SIGNALS` covers every column of ``topic_signals``, `COMPONENTS` the axis components, `REASONS` why a
component is left out of a score, `STAGES` the lifecycle stages, `METHODS` the forecaster and the baselines a
backtest scores (the web's methodology page and every edition name them from here); `stage_explanation` states the numbers a
stage was decided on. A test checks that every signal column and component has both languages.
"""
from __future__ import annotations

from frontierwatch.signals.axes import (MIN_AFFILIATED, MIN_COMPONENTS, MIN_DOCUMENTS, MIN_PATENTS, MIN_PEERS,
                                        STAGE_RULE)

__all__ = ["SIGNALS", "COMPONENTS", "REASONS", "STAGES", "METHODS", "method_name", "signal_name", "component_name", "reason_text",
           "stage_name", "stage_explanation", "stage_rule_text"]

# column: (zh name, en name, zh meaning, en meaning)
SIGNALS: dict[str, tuple[str, str, str, str]] = {
    "count": ("年度文献数", "documents in the year", "该主题当年的文献数", "the topic's documents dated in the year"),
    "cum_count": ("累计文献数", "documents to date", "截至当年的全部文献数", "all its documents up to the year"),
    "share": ("占比", "share", "当年全部文献中属于该主题的比例", "its part of all documents of the year"),
    "log_share": ("对数占比", "log share", "占比的自然对数（加半篇平滑）", "natural log of the share (½-document smoothing)"),
    "growth1": ("一年占比增长", "1-year share growth", "占比与一年前之比的对数", "log ratio of the share to a year before"),
    "growth2": ("两年占比增长", "2-year share growth", "占比与两年前之比的对数", "log ratio of the share to two years before"),
    "growth3": ("三年占比增长", "3-year share growth", "占比与三年前之比的对数", "log ratio of the share to three years before"),
    "acceleration": ("增长加速度", "acceleration", "今年与去年一年增长之差", "this year's 1-year growth minus last year's"),
    "trend_slope": ("四年趋势斜率", "4-year trend", "近四年对数占比的回归斜率", "least-squares slope of the log share over four years"),
    "peak_share": ("峰值占比", "peak share", "截至当年的最高占比", "the highest share up to the year"),
    "peak_year": ("峰值年份", "peak year", "达到峰值占比的年份", "the year the peak share was reached"),
    "share_to_peak": ("相对峰值", "share of peak", "当年占比为峰值的多少", "this year's share as a part of the peak"),
    "burst_state": ("年度突发状态", "burst (yearly)", "Kleinberg 突发检测：当年是否处于突发", "Kleinberg burst detection: bursting this year or not"),
    "burst_weight": ("年度突发强度", "burst weight (yearly)", "当年突发的强度", "strength of this year's burst"),
    "burst_month_state": ("月度突发状态", "burst (monthly)", "按月序列的突发状态（12 月）", "burst state of the monthly series in December"),
    "burst_months": ("突发月数", "bursting months", "当年处于突发的月数", "months of the year in a burst"),
    "burst_month_weight": ("月度突发强度", "burst weight (monthly)", "当年各月突发强度的最大值", "largest monthly burst weight of the year"),
    "mean_age": ("平均文献年龄", "mean document age", "文献距当年的平均年数，越小越新", "mean years since its documents appeared; lower is newer"),
    "median_age": ("文献年龄中位数", "median document age", "文献距当年年数的中位数", "median years since its documents appeared"),
    "birth_year": ("出现年份", "birth year", "累计文献达到 10% 的年份", "the year by which 10% of its documents had appeared"),
    "age": ("主题年龄", "topic age", "当年减去出现年份", "years since its birth year"),
    "new_term_ratio": ("新术语比例", "new-term ratio", "文献中首次出现于全库的二元词比例", "part of its documents' word pairs never seen before in the store"),
    "novelty_distance": ("新颖距离", "novelty distance", "与更早出现的最相近主题的语义距离", "semantic distance to the closest older topic"),
    "escore_mean": ("新兴术语得分", "term emergence score", "Porter/Carley 新兴术语得分的平均值", "mean Porter/Carley emergence score of its terms"),
    "escore_share": ("新兴术语比例", "emergent-term share", "含新兴术语的文献比例", "part of its documents using emergent terms"),
    "escore_owned": ("拥有的新兴术语", "emergent terms owned", "主要出现在本主题的新兴术语的得分", "emergence of the emergent terms found mostly in this topic"),
    "category_entropy": ("学科分布熵", "category spread", "文献所属学科分类的分散程度（熵）", "how widely its documents spread over subject categories (entropy)"),
    "cross_field_share": ("跨领域文献比例", "cross-field share", "同时属于两个以上大类学科的文献比例", "part of its documents spanning two or more broad fields"),
    "coherence": ("内聚度", "coherence", "文献与主题中心的平均相似度", "mean similarity of its documents to the topic centre"),
    "impact": ("影响力", "impact", "按领域与年份归一化的被引次数", "citations normalised by field and year"),
    "patent_share": ("专利占比", "patent share", "近三年文献中专利的比例", "part of its documents of the last three years that are patents"),
    "patent_growth": ("专利增长", "patent growth", "近三年与前三年在全库专利中所占比例之比的对数", "log ratio of its part of all patents, last three years over the three before"),
    "company_share": ("企业参与比例", "company share", "带机构信息的文献中有企业作者的比例", "part of its affiliated documents with a company author"),
    "st_linkage": ("论文—专利平衡度", "paper–patent balance", "占全库论文与占全库专利两个比例的较小者除以较大者", "the smaller of its parts of all papers and of all patents over the larger"),
    "application_language": ("应用导向表述", "application language", "标题摘要使用应用、产品、部署等词的文献比例", "part of its documents whose title or abstract speaks of applications, products, deployment"),
    "count_prev2": ("两年前文献数", "documents two years before", "该主题两年前的年度文献数", "its documents dated two years before"),
    "share_prev2": ("两年前占比", "share two years before", "两年前的占比", "its share two years before"),
    "count_growth2": ("两年文献数增长", "2-year document growth", "年度文献数与两年前之比的对数", "log ratio of its documents to two years before"),
    "window_count": ("近三年文献数", "documents in three years", "当年及前两年的文献数", "its documents of the year and the two before"),
    "patent_count": ("近三年专利数", "patents in three years", "当年及前两年的专利数", "its patents of the year and the two before"),
    "paper_count": ("近三年论文数", "papers in three years", "当年及前两年的非专利文献数", "its other documents of the year and the two before"),
    "affiliated_count": ("近三年带机构文献数", "affiliated documents in three years", "当年及前两年带机构信息的文献数", "its documents of the three years with a known institution"),
    "patent_count_before": ("此前三年专利数", "patents in the three years before", "再往前三年的专利数", "its patents of the three years before those"),
    "cited_count": ("近三年有被引数据的文献", "documents with citation counts", "当年及前两年带被引次数的文献数", "its documents of the three years with a citation count"),
}

COMPONENTS: dict[str, tuple[str, str, str, str]] = {
    "term_emergence": ("新兴术语", "term emergence", "本主题拥有的新兴术语", "emergent terms the topic owns"),
    "burst": ("突发强度", "burst", "文献数的突发增长", "a burst in its documents"),
    "momentum": ("增长动量", "momentum", "两年占比增长", "its share's growth over two years"),
    "recency": ("新近性", "recency", "文献越新得分越高", "the newer its documents, the higher"),
    "novelty": ("新颖性", "novelty", "首次出现的术语比例", "terms never seen before"),
    "interdisciplinarity": ("交叉性", "interdisciplinarity", "跨学科分布", "spread over subject categories"),
    "impact": ("影响力", "impact", "归一化被引次数", "normalised citations"),
    "patenting": ("专利占比", "patenting", "文献中专利的比例", "patents among its documents"),
    "patent_growth": ("专利增长", "patent growth", "在全库专利中的比例的增长", "growth of its part of all patents"),
    "company_involvement": ("企业参与", "company involvement", "有企业作者的文献比例", "documents with company authors"),
    "science_tech_linkage": ("科学—技术关联", "science–technology linkage", "论文与专利的平衡", "papers and patents in balance"),
    "application_language": ("应用导向表述", "application language", "谈及应用与产品的文献比例", "documents speaking of applications"),
    "scale": ("规模", "scale", "当年文献数", "documents in the year"),
}

REASONS: dict[str, tuple[str, str]] = {
    "no_signal": ("无此数据（文献来源不含该信息，或近三年无文献）",
                  "no data (the sources carry none, or no documents in the last three years)"),
    "few_documents": (f"文献少于 {MIN_DOCUMENTS} 篇", f"fewer than {MIN_DOCUMENTS} documents"),
    "few_cited": (f"有被引数据的文献少于 {MIN_DOCUMENTS} 篇", f"fewer than {MIN_DOCUMENTS} documents with citation counts"),
    "few_patents": (f"近三年专利少于 {MIN_PATENTS} 件", f"fewer than {MIN_PATENTS} patents in three years"),
    "few_papers": (f"近三年论文少于 {MIN_DOCUMENTS} 篇", f"fewer than {MIN_DOCUMENTS} papers in three years"),
    "few_affiliated": (f"带机构信息的文献少于 {MIN_AFFILIATED} 篇", f"fewer than {MIN_AFFILIATED} documents with affiliations"),
    "few_topics": (f"当年有此数据的主题少于 {MIN_PEERS} 个，排名没有意义",
                   f"fewer than {MIN_PEERS} topics have it this year, so a rank means nothing"),
    "no_variation": ("当年所有主题取值相同，无法区分", "the same value for every topic this year: it tells none apart"),
}

# backtest method: (zh name, en name)
METHODS: dict[str, tuple[str, str]] = {
    "frontierwatch": ("本系统预测模型", "frontierwatch forecaster"),
    "momentum": ("动量（两年占比之比）", "momentum (share over two years)"),
    "growth1": ("一年增长", "one-year growth"),
    "volume": ("规模（当年文献数）", "volume (documents in the year)"),
    "recency": ("新近度（平均文献年份）", "recency (mean document year)"),
    "burst": ("Kleinberg 突发强度", "Kleinberg burst weight"),
    "escore": ("Porter/Carley 涌现得分", "Porter/Carley emergence score"),
    "random": ("随机", "random"),
}

STAGES: dict[str, tuple[str, str]] = {
    "emerging": ("萌芽期", "emerging"), "growing": ("成长期", "growing"),
    "mature": ("成熟期", "mature"), "declining": ("衰退期", "declining"),
}


def _pick(pair, lang: str, offset: int = 0) -> str:
    return pair[offset + (0 if lang == "zh" else 1)]


def signal_name(key: str, lang: str) -> str:
    """The reader's name of signal `key` (the key itself only for a column this glossary does not know)."""
    return _pick(SIGNALS[key], lang) if key in SIGNALS else key


def signal_meaning(key: str, lang: str) -> str:
    return _pick(SIGNALS[key], lang, 2) if key in SIGNALS else ""


def component_name(key: str, lang: str) -> str:
    return _pick(COMPONENTS[key], lang) if key in COMPONENTS else key


def component_meaning(key: str, lang: str) -> str:
    return _pick(COMPONENTS[key], lang, 2) if key in COMPONENTS else ""


def reason_text(code: str, lang: str) -> str:
    return _pick(REASONS[code], lang) if code in REASONS else code


def method_name(key: str, lang: str) -> str:
    """A backtest method's name for readers; an unknown method keeps its key."""
    return _pick(METHODS[key], lang) if key in METHODS else key


def stage_name(stage: str | None, lang: str) -> str:
    return _pick(STAGES[stage], lang) if stage in STAGES else ""


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"×{value:.2f}"


def stage_explanation(stage: str | None, basis: dict | None, year: int | None, lang: str) -> str:
    """One sentence with the numbers a stage was decided on, e.g. "documents 13 → 37 a year (2017 → 2019,
    ×2.78); share of all documents 0.87% → 0.62% (×0.71), 49% of its peak (2015)" — "" without a basis."""
    if not stage or not basis or year is None:
        return ""
    b = {k: basis.get(k) for k in ("count", "count_prev2", "count_ratio", "share", "share_prev2", "share_ratio",
                                    "share_to_peak", "peak_year", "birth_year")}
    before = year - 2
    peak = "" if b["peak_year"] is None else f"{b['peak_year']:.0f}"
    if lang == "zh":
        text = (f"年度文献数 {_num(b['count_prev2'])} → {_num(b['count'])} 篇（{before}→{year} 年，{_ratio(b['count_ratio'])}）；"
                f"占全部文献 {_pct(b['share_prev2'])} → {_pct(b['share'])}（{_ratio(b['share_ratio'])}）")
        if b["share_to_peak"] is not None:
            text += f"，为峰值（{peak} 年）的 {b['share_to_peak'] * 100:.0f}%"
        if b["birth_year"] is not None:
            text += f"；出现于 {b['birth_year']:.0f} 年"
        return text + "。"
    text = (f"documents {_num(b['count_prev2'])} → {_num(b['count'])} a year ({before} → {year}, "
            f"{_ratio(b['count_ratio'])}); share of all documents {_pct(b['share_prev2'])} → {_pct(b['share'])} "
            f"({_ratio(b['share_ratio'])})")
    if b["share_to_peak"] is not None:
        text += f", {b['share_to_peak'] * 100:.0f}% of its peak ({peak})"
    if b["birth_year"] is not None:
        text += f"; born {b['birth_year']:.0f}"
    return text + "."


def stage_rule_text(lang: str) -> str:
    """The stage rule in words, with its thresholds (`axes.STAGE_RULE`)."""
    r = STAGE_RULE
    if lang == "zh":
        return (f"衰退期：文献数下降（两年比 ≤ {r['falling']}）且占比下降（≤ {r['share_holds']}）且占比不超过峰值的 "
                f"{r['to_peak'] * 100:.0f}%；萌芽期：文献数未下降，且出现不超过 {r['young_years']} 年，或占比两年增长 ≥ "
                f"×{r['emerging_share_growth']} 而仍低于中位数；成长期：文献数增长（≥ ×{r['rising']}）且占比不降（≥ "
                f"{r['share_holds']}）；成熟期：其余情况（平稳，或文献数增长而占比下降，即增长慢于全库）。"
                f"两项得分各至少需 {MIN_COMPONENTS} 个有数据的分项，否则标为“数据不足”。")
    return (f"Declining: fewer documents (two-year ratio ≤ {r['falling']}) and a falling share (≤ {r['share_holds']}) "
            f"at most {r['to_peak'] * 100:.0f}% of its peak; emerging: documents not falling and born at most "
            f"{r['young_years']} years ago, or a share grown ×{r['emerging_share_growth']} while below the median; "
            f"growing: more documents (≥ ×{r['rising']}) and a share that holds (≥ {r['share_holds']}); mature: "
            f"otherwise (steady, or more documents while the share falls — growing more slowly than the corpus). "
            f"Each score needs at least {MIN_COMPONENTS} components with data, else it reads “insufficient data”.")
