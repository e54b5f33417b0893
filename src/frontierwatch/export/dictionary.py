"""The data dictionary of every export: column, type and meaning in Chinese and English.

Each export writes exactly these columns in this order (`frontierwatch.export.queries` selects them), and a test
fails when an exported column has no entry here — an analyst never meets an unexplained column.
"""
from __future__ import annotations

# (column, type, meaning zh, meaning en)
Column = tuple[str, str, str, str]

_SIGNALS: list[Column] = [
    ("map_id", "int32", "主题图编号", "Topic map id"),
    ("topic_id", "string", "主题编号（跨主题图稳定）", "Topic id (stable across maps)"),
    ("year", "int32", "年份", "Year"),
    ("count", "int64", "该年主题文献数", "Documents of the topic dated in the year"),
    ("cum_count", "int64", "截至该年累计文献数", "Documents of the topic up to the year"),
    ("share", "float64", "该年占全部文献的份额", "Share of all documents of the year"),
    ("log_share", "float64", "份额的自然对数", "Natural log of the share"),
    ("growth1", "float64", "1 年份额对数增长", "Log share ratio over 1 year"),
    ("growth2", "float64", "2 年份额对数增长", "Log share ratio over 2 years"),
    ("growth3", "float64", "3 年份额对数增长", "Log share ratio over 3 years"),
    ("acceleration", "float64", "增长加速度", "Change of the 1-year growth"),
    ("trend_slope", "float64", "份额对数趋势斜率", "Slope of the log-share trend"),
    ("peak_share", "float64", "历史最高份额", "Highest share so far"),
    ("peak_year", "float64", "最高份额年份", "Year of the highest share"),
    ("share_to_peak", "float64", "当前份额 / 最高份额", "Share divided by the peak share"),
    ("burst_state", "float64", "年度突发状态（Kleinberg）", "Burst state on the yearly series (Kleinberg)"),
    ("burst_weight", "float64", "年度突发强度", "Burst weight on the yearly series"),
    ("burst_month_state", "float64", "月度突发状态", "Burst state on the monthly series"),
    ("burst_months", "float64", "处于突发的月数", "Months in a burst"),
    ("burst_month_weight", "float64", "月度突发强度", "Burst weight on the monthly series"),
    ("mean_age", "float64", "文献平均年龄（年）", "Mean age of the documents (years)"),
    ("median_age", "float64", "文献年龄中位数（年）", "Median age of the documents (years)"),
    ("birth_year", "float64", "主题出现年份", "Year the topic appeared"),
    ("age", "float64", "主题年龄（年）", "Age of the topic (years)"),
    ("new_term_ratio", "float64", "新术语比例", "Share of terms new in the year"),
    ("novelty_distance", "float64", "与既有主题的新颖距离", "Novelty distance to the existing topics"),
    ("escore_mean", "float64", "EScore 均值（Porter/Carley）", "Mean EScore (Porter/Carley)"),
    ("escore_share", "float64", "新兴术语份额", "Share of emergent terms"),
    ("escore_owned", "float64", "主题独有的新兴术语份额", "Share of emergent terms owned by the topic"),
    ("category_entropy", "float64", "学科分类熵", "Entropy of the subject categories"),
    ("cross_field_share", "float64", "跨领域文献份额", "Share of cross-field documents"),
    ("coherence", "float64", "主题内聚度", "Coherence of the topic"),
    ("impact", "float64", "领域与年份归一化被引", "Field- and year-normalised citations"),
    ("patent_share", "float64", "专利占比", "Share of patents"),
    ("patent_growth", "float64", "专利增长", "Growth of patents"),
    ("company_share", "float64", "企业参与份额", "Share of documents with a company"),
    ("st_linkage", "float64", "科学-技术关联", "Science-technology linkage"),
    ("application_language", "float64", "应用性用语比例", "Share of application language"),
    ("missing", "string", "该行缺失（未计算）的信号（以 ; 分隔）", "Signals missing (not computed) in this row (separated by ;)"),
]

DICTIONARY: dict[str, list[Column]] = {
    "topics": [
        ("id", "string", "主题编号（跨主题图稳定）", "Topic id (stable across maps)"),
        ("label", "string", "主题标签（关键词）", "Topic label (key phrases)"),
        ("field", "string", "所属领域编号", "Field id"),
        ("field_label", "string", "所属领域标签", "Field label"),
        ("size", "int64", "截至日期的主题文献数", "Documents of the topic as of the date"),
        ("stage", "string", "生命周期阶段：emerging 新兴 / growing 成长 / mature 成熟 / declining 衰退",
         "Lifecycle stage: emerging / growing / mature / declining"),
        ("breakthrough", "float64", "突破性得分（0–1）", "Breakthrough score (0–1)"),
        ("industrialisation", "float64", "产业化潜力得分（0–1）", "Industrialisation-potential score (0–1)"),
        ("probability", "float64", "预测期内极端增长的校准概率", "Calibrated probability of extreme growth within the horizon"),
        ("call", "bool", "预测判断：概率不低于公布的阈值", "Forecast call: probability at or above the published threshold"),
        ("expected_share_ratio", "float64", "预期份额比（预测期末 / 当前）", "Expected share ratio (end of horizon / now)"),
        ("directions", "string", "所属方向编号（以 ; 分隔）", "Direction ids (separated by ;)"),
        ("as_of", "date", "主题图日期", "Date of the topic map"),
    ],
    "signals": _SIGNALS,
    "forecasts": [
        ("map_id", "int32", "主题图编号", "Topic map id"),
        ("topic_id", "string", "主题编号", "Topic id"),
        ("as_of_year", "int32", "预测起点年份", "Year the forecast is made as of"),
        ("horizon", "int32", "预测期（年）", "Horizon (years)"),
        ("probability", "float64", "极端增长的校准概率", "Calibrated probability of extreme growth"),
        ("expected_share_ratio", "float64", "预期份额比", "Expected share ratio"),
        ("call", "bool", "预测判断（概率 ≥ 阈值）", "Call (probability >= threshold)"),
        ("threshold", "float64", "公布的判断阈值", "Published call threshold"),
        ("eligible", "bool", "当年文献足够、可按回测方式评分", "Enough documents in the year to be scored as in the backtest"),
        ("model", "string", "预测模型", "Forecasting model"),
    ],
    "documents": [
        ("doc_id", "string", "文献编号", "Document id"),
        ("kind", "string", "类型：paper 论文 / patent 专利 / achievement 成果", "Kind: paper / patent / achievement"),
        ("title", "string", "标题", "Title"),
        ("published", "date", "发表/申请日期", "Publication or filing date"),
        ("year", "int32", "年份", "Year"),
        ("language", "string", "语言（ISO 639-1）", "Language (ISO 639-1)"),
        ("primary_category", "string", "主分类", "Primary category"),
        ("doi", "string", "DOI", "DOI"),
        ("venue", "string", "期刊/会议/专利局", "Venue"),
        ("cited_by_count", "int32", "被引次数（快照）", "Citations (snapshot)"),
        ("topic_id", "string", "所属主题编号（该主题图）", "Topic of the document in the map"),
        ("distance", "float32", "到主题中心的余弦距离", "Cosine distance to the topic centroid"),
        ("counted", "bool", "是否计入该主题图（截至日期内）", "Counted by the map (dated on or before its date)"),
    ],
}
DICTIONARY["assignments"] = [c for c in DICTIONARY["documents"] if c[0] in ("doc_id", "topic_id", "distance", "counted")] + [
    ("candidate_new", "bool", "远离所有主题的候选新主题文献", "Far from every topic: a candidate for a new topic")]
WHAT = tuple(DICTIONARY)


def columns(what: str) -> list[str]:
    return [c[0] for c in DICTIONARY[what]]
