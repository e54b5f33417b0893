"""The web app's message catalog, Chinese and English, and the language choice (``?lang=`` then cookie).

Every visible string of the pages comes from ``MESSAGES`` through ``t(key)``; a missing key shows the key
itself (and a test walks the templates to catch that). Data (topic labels, titles) is shown as stored.
"""
from __future__ import annotations

import re

from frontierwatch.signals.glossary import METHODS
from frontierwatch.web.i18n_governance import GOVERNANCE_MESSAGES
from frontierwatch.web.i18n_search import SEARCH_MESSAGES
from frontierwatch.web.i18n_watch import WATCH_MESSAGES

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
LANG_COOKIE = "fw_lang"

MESSAGES: dict[str, tuple[str, str]] = {  # key: (zh, en)
    "site.name": ("未来产业瞭望站", "Frontier Watch"),
    "site.tagline": ("前沿技术的开放观测站：发现、评估、预测、对接", "An open observatory of frontier technology: discover, assess, forecast, match"),
    "nav.home": ("首页", "Home"),
    "nav.map": ("技术图谱", "Topic map"),
    "nav.search": ("检索", "Search"),
    "nav.editions": ("推广目录", "Catalog"),
    "nav.methodology": ("方法与回测", "Methodology"),
    "nav.hall": ("成果发布大厅", "Release hall"),
    "nav.match": ("供需对接", "Matchmaking"),
    "nav.login": ("登录", "Sign in"),
    "nav.logout": ("退出", "Sign out"),
    "nav.account": ("我的账号", "My account"),
    "nav.moderate": ("审核", "Moderation"),
    "lang.switch": ("English", "中文"),
    "home.directions": ("六大未来产业方向", "Six directions of future industries"),
    "home.headline": ("最新一期重点新兴技术", "Headline emerging technologies of the latest edition"),
    "home.headline_from_topics": ("尚未发布推广目录；下面是最新主题图中预测快速增长概率最高的主题（不含会议套话等无效主题）。", "No catalog edition yet; the topics of the latest map most likely to take off are shown (boilerplate clusters left out)."),
    "home.corpus": ("数据概况", "Corpus"),
    "home.documents": ("文献", "documents"),
    "home.topics": ("技术主题", "topics"),
    "home.hall_items": ("大厅已发布条目", "published hall items"),
    "home.taxonomy_fallback": ("方向来自政策文本；主题与方向的映射尚未构建。", "Directions from the policy text; the topic-to-direction mapping is not built yet."),
    "notbuilt.title": ("尚未发布", "Not published yet"),
    "notbuilt.body": ("这部分尚未发布。网站下次更新数据后会在这里显示。",
                      "This part is not published yet. It appears here once the site's data is next updated."),
    "direction.topics": ("本方向的技术主题", "Topics in this direction"),
    "direction.fields": ("细分领域", "Fields"),
    "topic.size_share": ("每年规模与占比", "Size and share per year"),
    "topic.size": ("文献数", "Documents"),
    "topic.share": ("占比", "Share"),
    "topic.signals": ("信号", "Signals"),
    "topic.forecast": ("预测", "Forecast"),
    "topic.assessment": ("评估与预测", "Assessment and forecast"),
    "topic.backtest_skill": ("回测能力", "Backtest skill"),
    "topic.evidence": ("证据文献", "Evidence documents"),
    "topic.landscape": ("格局", "Landscape"),
    "topic.neighbours": ("相邻主题", "Neighbouring topics"),
    "topic.lineage": ("主题谱系", "Lineage"),
    "topic.lineage_none": ("只有一张主题图，尚无谱系", "Only one topic map so far: no lineage yet"),
    "topic.lineage_overlap": ("（成员重合 {j}%，共享 {n} 篇）", "(member overlap {j}%, {n} shared documents)"),
    "topic.risk": ("风险提示", "Risk flags"),
    "topic.no_risk": ("未触发风险提示。", "No risk flag raised."),
    "topic.keyphrases": ("关键词", "Keyphrases"),
    "topic.stage": ("生命周期阶段", "Lifecycle stage"),
    "topic.breakthrough": ("突破性", "Breakthrough"),
    "topic.industrialisation": ("产业化潜力", "Industrialisation potential"),
    "topic.missing": ("（暂无数据）", "(no data)"),
    "topic.directions": ("所属方向", "Directions"),
    "topic.mapping_reason": ("归类依据", "Why this direction"),
    "topic.confidence": ("置信度", "confidence"),
    "topic.components": ("分项", "Components"),
    "topic.missing_components": ("未计入的分项", "Left out"),
    "topic.rests_on": ("基于 {n}/{of} 个有数据的分项", "rests on {n} of {of} components with data"),
    "topic.insufficient": ("数据不足", "insufficient data"),
    "topic.insufficient_why": ("仅 {n} 个分项有数据，不足以给出得分", "only {n} components have data: too few for a score"),
    "topic.axes_hint": ("得分为各分项在当年全部主题中的百分位的加权平均（0–1）：0.8 表示高于约 80% 的主题。缺少数据的分项不计入，其余权重重新归一。",
                        "Each score is a weighted mean of the components' percentiles among the year's topics (0–1): 0.8 reads 'above about 80% of topics'. Components without data are left out and the other weights renormalised."),
    "topic.download": ("下载", "Download"), "topic.download_series": ("逐年数据 CSV", "series CSV"),
    "topic.download_documents": ("证据文献 CSV", "documents CSV"),
    "topic.probability": ("进入快速增长的概率", "Probability of taking off"),
    "topic.call": ("判断", "Call"),
    "topic.call_yes": ("预计快速增长", "expected to take off"),
    "topic.call_no": ("未达阈值", "below the threshold"),
    "topic.expected_ratio": ("预期占比倍数", "Expected share ratio"),
    "topic.threshold": ("判断阈值", "Threshold"),
    "topic.interval": ("90% 区间", "90% interval"),
    "topic.rank": ("预测排名（1 = 最可能）", "Forecast rank (1 = most likely)"),
    "topic.required_ratio": ("计为极速增长所需的占比倍数", "Share ratio needed to count as extreme growth"),
    "topic.horizon": ("预测期（年）", "Horizon (years)"),
    "topic.as_of_year": ("基准年", "Base year"),
    "topic.eligible": ("纳入评估", "Eligible for evaluation"),
    "topic.trained_on": ("训练年份", "Trained on years"),
    "topic.model": ("模型", "Model"),
    "topic.signals_year": ("信号年份", "Signals of year"),
    "topic.more_signals": ("全部信号", "All signals"),
    "topic.risk_docs": ("相关文献", "Documents"),
    "topic.risk_terms": ("触发词", "Terms"),
    "land.countries": ("国家/地区", "Countries"),
    "land.institutions": ("机构", "Institutions"),
    "land.institution_types": ("机构类型", "Institution types"),
    "land.coverage": ("带机构信息的文献", "Documents with affiliations"),
    "land.kinds": ("论文 / 专利", "Papers / patents"),
    "land.china": ("中国", "China"),
    "land.rank": ("排名", "rank"),
    "land.minimum": ("公布份额所需的最低文献数", "published minimum for shares"),
    "land.china_absent": ("未出现", "not present"),
    "land.rca_hint": ("显示性比较优势；大于 1 表示中国在该主题上相对专长", "revealed comparative advantage; above 1 China is relatively specialised"),
    "land.whole_counting": ("一篇文献的作者分属多个国家/地区时每处各计一次，因此份额之和可超过 100%。",
                            "A document with authors in several countries counts for each, so shares can add to more than 100%."),
    "land.provinces": ("中国省份（占中国文献）", "Chinese provinces (share of Chinese documents)"),
    "pat.title": ("专利与产业化", "Patents"),
    "pat.no_data": ("截至该日期数据库中没有专利数据，因此不给出专利指标。", "The store holds no patents up to this date, so no patent figures are shown."),
    "pat.none_in_topic": ("该主题没有专利（数据库中其他主题有专利）。", "This topic has no patents (other topics in the store do)."),
    "pat.sparse": ("专利件数低于计算增长所需的最低数", "fewer patents than the minimum for a growth figure:"),
    "pat.growth": ("专利增长（近三年 · 前三年）", "Patent growth (last three years · three before)"),
    "pat.corpus": ("全库专利同期", "all patents in the store"),
    "pat.linkage": ("论文—专利关联", "Paper–patent linkage"),
    "pat.paper_share": ("占全库论文", "share of all papers"),
    "pat.patent_share": ("占全库专利", "share of all patents"),
    "pat.balance": ("平衡度", "balance"),
    "pat.balance_hint": ("1 表示论文与专利同比例，0 表示只有一方", "1 = papers and patents in the same proportion, 0 = one side only"),
    "pat.papers": ("论文", "Papers"),
    "pat.patents": ("专利", "Patents"),
    "pat.cpc": ("主要 CPC 小类", "Leading CPC subclasses"),
    "pat.near": ("与本主题典型论文同样接近的专利（不论归入哪个主题）", "Patents as close to this topic as its typical paper (whatever topic they fell in)"),
    "pat.near_hint": ("与主题中心的相似度不低于其论文的中位数", "similarity to the topic centre at least its papers' median,"),
    "pat.assignees": ("主要专利权人", "Leading assignees"),
    "common.yes": ("是", "yes"),
    "hall.links": ("链接", "Links"),
    "role.viewer": ("浏览者", "viewer"), "role.submitter": ("发布者", "submitter"),
    "role.moderator": ("审核员", "moderator"), "role.admin": ("管理员", "administrator"),
    "users.title": ("用户管理", "Users"), "users.change_role": ("修改角色", "Change role"),
    "users.create": ("新建用户", "Create a user"),
    "metric.mean_ap": ("平均精度（AP）", "Average precision (AP)"), "metric.lift": ("相对随机的提升", "Lift over random"),
    "metric.mean_p_at_20": ("前 20 名命中率", "Precision in the top 20"),
    "metric.mean_p_at_50": ("前 50 名命中率", "Precision in the top 50"),
    "metric.mean_spearman": ("Spearman 等级相关", "Spearman rank correlation"), "metric.mean_f1": ("F1 值", "F1"),
    "label.extreme-growth-8pct": ("极速增长（CSET 规则：主题占比年增长超过 8%，且超过其此前峰值）",
                                  "extreme growth (the CSET rule: share growing more than 8% a year, above its earlier peak)"),
    "method.best_note": ("高亮行为平均精度最高的方法（不一定是本系统模型）。", "The highlighted row is the method with the highest average precision (not necessarily ours)."),
    "method.p50_hidden": ("评估主题少于 50 个，前 50 名命中率没有意义，故不列出。", "Fewer than 50 topics were eligible, so precision in the top 50 means nothing and is not shown."),
    "method.cutoffs": ("各截止年份", "By cut-off year"), "method.cutoff": ("截止年份", "Cut-off"),
    "method.seed": ("随机种子", "Seed"), "method.n_eligible": ("纳入评估的主题", "Eligible topics"),
    "method.n_positive": ("实际快速增长的主题", "Topics that took off"), "method.own_ap": ("本系统平均精度", "Our AP"),
    "kind.paper": ("论文", "paper"), "kind.patent": ("专利", "patent"), "kind.achievement": ("成果", "achievement"),
    "language.en": ("英文", "English"), "language.zh": ("中文", "Chinese"),
    "doc.categories": ("学科分类", "Subject categories"), "doc.cited_by": ("被引次数", "Cited by"),
    "doc.sources": ("数据来源", "Sources"), "doc.topic": ("所属技术主题", "Topic"),
    "common.colon": ("：", ": "),
    "common.no": ("否", "no"),
    "common.direction_field": ("方向 · 领域", "Direction · field"),
    "stage.emerging": ("萌芽期", "emerging"),
    "stage.growing": ("成长期", "growing"),
    "stage.mature": ("成熟期", "mature"),
    "stage.declining": ("衰退期", "declining"),
    "map.title": ("技术主题图谱", "Topic map"),
    "map.colour.direction": ("按方向着色", "Coloured by direction"), "map.colour.stage": ("按生命周期阶段着色", "Coloured by stage"),
    "map.unmapped": ("尚未归类", "not mapped yet"), "map.outside": ("六大方向之外", "outside the six directions"),
    "map.no_stage": ("阶段未知", "stage unknown"),
    "asof.label": ("截止日期", "As of"), "asof.show": ("查看", "Show"),
    "map.hint": ("每个点是一个技术主题，相近的主题位置相近；点的大小表示文献数。点击打开主题；滚轮缩放、拖动平移。",
                 "Each point is a technology topic; similar topics lie close together; size shows documents. Click to open; scroll to zoom, drag to pan."),
    "search.title": ("检索文献与主题", "Search documents and topics"),
    "search.placeholder": ("输入中文或英文关键词，例如：量子计算、perovskite solar cell", "Chinese or English keywords, e.g. 量子计算, perovskite solar cell"),
    "search.button": ("检索", "Search"),
    "search.documents": ("文献", "Documents"),
    "search.topics": ("主题", "Topics"),
    "search.hall": ("大厅条目", "Hall items"),
    "search.none": ("没有找到结果。", "Nothing found."),
    "search.engine": ("检索方式", "How it searched"),
    "editions.title": ("前沿技术推广目录", "Frontier technology catalog"),
    "editions.read": ("在线阅读", "Read online"),
    "edition.lang.zh": ("中文版", "Chinese edition"), "edition.lang.en": ("英文版", "English edition"),
    "edition.rank": ("名次", "Rank"), "edition.field": ("细分领域", "Field"), "edition.score": ("综合得分", "Score"),
    "edition.evidence": ("证据文献", "Evidence"), "edition.changes": ("与上期相比", "Since the previous edition"),
    "edition.new": ("新上榜", "new"), "edition.dropped": ("落榜", "dropped"),
    "edition.continued": ("延续", "continued"), "edition.split": ("分化而来", "split off"),
    "edition.merged": ("合并而来", "merged from"), "edition.from": ("上期为", "previously"),
    "edition.rule": ("按主题谱系判定：换了编号或名称的同一技术仍算延续；由上期条目分化出的记为分化，由几个主题合成的记为合并。",
                     "Following the topic lineage: the same technology under another id or name continues; a topic "
                     "split off a listed one is a split, one formed from several topics a merger."), "edition.methodology": ("编制方法", "How it was made"),
    "edition.printable": ("可打印版本", "Printable version"), "edition.outside": ("其余主题不属于六大方向", "other topics lie outside the six directions"),
    "editions.download": ("下载", "Download"),
    "editions.as_of": ("截止日期", "As of"),
    "editions.entries": ("条目数", "Entries"),
    "editions.map": ("当期主题图谱", "Topic map of the edition"),
    "method.no_backtest": ("尚无回测记录。网站下次更新数据后会在这里显示。", "No backtest recorded yet. It appears here once the site's data is next updated."),
    "method.catalog_backtest": ("目录回测：往期目录的入选技术后来怎样", "Catalog backtest: what became of past catalogs' entries"),
    "method.catalog_intro": ("按已发布的入选规则，以各截止年年末为日期重建往期目录（只用当时的数据），统计入选主题在其后 {h} 年内达到极速增长标准的比例（命中率），并与同一主题图上的其他规则对比。",
                             "Past editions rebuilt with the published selection rule as of 31 December of each cutoff year (data of that date only): the hit rate is the share of entries whose topic met the extreme-growth label within {h} years, against other rules on the same topic maps."),
    "method.catalog_base": ("基准：六大方向合格主题中的极速增长比例 {rate}；本目录规则的命中率是它的 {ratio} 倍，是旧规则的 {old} 倍（旧规则条目更多；旧规则按领域轮取至相同条目数时，本规则是它的 {same} 倍；按相同条目数取两轴均值最高的合格主题，命中率为 {axes}）。",
                            "Base rate: share of extreme growers among the eligible topics of the six directions, {rate}; this catalog's rule hits {ratio} times that, and {old} times the old rule (which listed more entries; against the old rule trimmed to the same number, each field's best first, {same} times; the same number of eligible topics with the highest mean of the axes hits {axes})."),
    "method.no_catalog_backtest": ("尚无目录回测。网站下次更新数据后会在这里显示。", "No catalog backtest recorded yet. It appears here once the site's data is next updated."),
    "method.rule": ("规则", "Rule"),
    "method.mean_entries": ("平均条目数", "Mean entries"),
    "method.mean_hit_rate": ("平均命中率", "Mean hit rate"),
    "method.mean_share_ratio": ("平均份额比", "Mean share ratio"),
    "method.edition_entries": ("入选条目", "Entries"),
    "method.hits": ("命中", "Hits"),
    "method.hit_rate": ("命中率", "Hit rate"),
    "method.positive_rate": ("正例率", "Positive rate"),
    "method.rule.frontierwatch": ("本目录规则（已发布的预测）", "This catalog's rule (published forecast)"),
    "method.rule.axes_top3": ("旧规则：每领域两轴均值前三", "Old rule: top 3 per field by mean of the axes"),
    "method.rule.axes_fields": ("旧规则按领域轮取（同条目数）", "Old rule, each field's best first (same number)"),
    "method.rule.axes": ("两轴均值（同条目数）", "Mean of the axes (same number)"),
    "method.rule.size": ("规模最大（同条目数）", "Largest (same number)"),
    "method.rule.recency": ("文献最新（同条目数）", "Most recent (same number)"),
    "method.rule.random": ("随机（同条目数，多次抽取的均值）", "Random (same number, mean of draws)"),
    "method.title": ("方法与回测结果", "Methodology and backtest results"),
    "method.pipeline": ("流程", "Pipeline"),
    "method.pipeline_body": ("数据源 → 数据库 → 向量 → 技术主题 → 信号 → 预测 → 目录 / 网站 / 供需对接。每一步都可在命令行复现。",
                             "sources → store → embeddings → topics → signals → forecast → catalog / web / matchmaking. Every step is reproducible from the command line."),
    "method.backtest": ("回测：过去的判断有多准", "Backtest: how often past calls came true"),
    "method.method": ("方法", "Method"),
    "method.calibration": ("概率是否可靠：预测概率与实际比例", "Are the probabilities right? Predicted probability against the observed rate"),
    "method.brier": ("布里尔分数（越低越好）", "Brier score (lower is better)"),
    "method.base_rate": ("仅用正例率时", "with the base rate alone"),
    "method.sample": ("样本", "Sample"),
    "method.predicted": ("平均预测概率", "Mean predicted probability"),
    "method.observed": ("实际极速增长比例", "Observed rate of extreme growth"),
    "method.topics": ("主题数", "Topics"),
    "method.horizons": ("不同预测期的表现", "Skill by horizon"),
    "method.horizon": ("预测期（年）", "Horizon (years)"),
    "method.cutoffs": ("截止年", "Cutoffs"),
    "method.best_baseline": ("最佳基线", "Best baseline"),
    "method.eligible": ("参评主题", "Topics scored"),
    "method.positives": ("极速增长主题", "Extreme growers"),
    "hall.title": ("成果发布大厅", "Release hall"),
    "hall.intro": ("发布技术成果与应用场景需求；经审核后公开，并自动关联最相近的技术主题。",
                   "Publish technology achievements and application-scenario needs; after review they are public and linked to their closest topics."),
    "hall.achievements": ("技术成果", "Achievements"),
    "hall.scenarios": ("场景需求", "Scenario needs"),
    "hall.submit_achievement": ("发布技术成果", "Publish an achievement"),
    "hall.submit_scenario": ("发布场景需求", "Publish a need"),
    "hall.empty": ("暂无已公开的条目。", "No published items yet."),
    "hall.pending_note": ("已提交，等待审核。审核通过后公开。", "Submitted; waiting for review. It becomes public once approved."),
    "hall.status": ("状态", "Status"),
    "hall.status.pending": ("待审核", "pending"),
    "hall.status.approved": ("已通过", "approved"),
    "hall.status.rejected": ("未通过", "rejected"),
    "hall.linked_topics": ("关联的技术主题", "Linked topics"),
    "hall.no_links": ("尚未关联主题（主题图谱或对接模块尚未构建）。", "No topics linked yet (topic map or matchmaking not built yet)."),
    "hall.login_to_submit": ("登录后可发布。", "Sign in to publish."),
    "hall.my_items": ("我提交的条目", "My submissions"),
    "hall.find_matches": ("查找匹配", "Find matches"),
    "f.title": ("名称", "Title"),
    "f.description": ("成果简介", "Description"),
    "f.direction": ("方向", "Direction"),
    "f.field": ("细分领域", "Field"),
    "f.trl": ("技术成熟度（TRL 1–9）", "Readiness (TRL 1–9)"),
    "f.organisation": ("单位", "Organisation"),
    "f.contact": ("联系方式", "Contact"),
    "f.links": ("链接（每行一个，最多 5 个）", "Links (one per line, up to 5)"),
    "f.sector": ("行业", "Sector"),
    "f.problem": ("需要解决的问题", "Problem"),
    "f.constraints": ("约束条件", "Constraints"),
    "f.budget_band": ("预算区间", "Budget band"),
    "f.deadline": ("期望完成日期", "Deadline"),
    "f.submit": ("提交", "Submit"),
    "f.username": ("用户名", "Username"),
    "f.password": ("密码", "Password"),
    "f.note": ("审核意见（可选）", "Note (optional)"),
    "budget.undisclosed": ("不公开", "undisclosed"),
    "budget.lt_1m": ("100 万元以下", "under CNY 1M"),
    "budget.1m_5m": ("100–500 万元", "CNY 1–5M"),
    "budget.5m_20m": ("500–2000 万元", "CNY 5–20M"),
    "budget.gt_20m": ("2000 万元以上", "over CNY 20M"),
    "mod.title": ("审核队列", "Moderation queue"),
    "mod.approve": ("通过", "Approve"),
    "mod.reject": ("驳回", "Reject"),
    "mod.empty": ("没有待审核的条目。", "Nothing waiting for review."),
    "login.title": ("登录", "Sign in"),
    "login.failed": ("用户名或密码错误。", "Wrong username or password."),
    "setup.title": ("创建首个管理员", "Create the first administrator"),
    "setup.intro": ("此链接由 frontierwatch serve 启动时打印，只能使用一次；创建后请用新账号登录管理其他用户。",
                    "This link was printed by frontierwatch serve when it started and works once; afterwards "
                    "sign in with the new account to manage other users."),
    "account.token": ("API 令牌", "API token"),
    "account.token_new": ("生成新令牌", "Issue a new token"),
    "account.token_shown_once": ("令牌只显示这一次，请妥善保存。脚本用法：Authorization: Bearer <令牌>",
                                 "The token is shown only once; keep it safe. Scripts send: Authorization: Bearer <token>"),
    "account.role": ("角色", "Role"),
    "match.title": ("供需对接", "Matchmaking"),
    "match.placeholder": ("描述您的需求，例如：无人机巡检输电线路", "Describe your need, e.g. drone inspection of power lines"),
    "match.button": ("匹配", "Match"),
    "match.why": ("匹配理由", "Why"),
    "why.terms": ("命中词", "terms"),
    "why.similarity": ("相似度", "similarity"),
    "why.coverage": ("词覆盖", "term coverage"),
    "error.title": ("出错了", "Something went wrong"),
    "error.back": ("返回首页", "Back to the home page"),
    "common.year": ("年份", "Year"),
    "common.more": ("更多", "More"),
    "common.id": ("编号", "ID"),
    "common.size": ("规模", "Size"),
    "common.label": ("主题", "Topic"),
    "common.score": ("得分", "Score"),
    "common.format": ("格式", "Format"),
    "footer.offline": ("本站完全离线运行，图表使用本地 ECharts（Apache-2.0）", "Runs fully offline; charts by a local copy of ECharts (Apache-2.0)"),
}

MESSAGES.update(GOVERNANCE_MESSAGES)
MESSAGES.update(WATCH_MESSAGES)
MESSAGES.update(SEARCH_MESSAGES)
MESSAGES.update({f"forecaster.{key}": names for key, names in METHODS.items()})


_OPERATOR_HINT = re.compile(r"\s*[;；,，]?\s*(?:run|use|see|请先运行|请运行|运行|可用|用)\s+['‘\"“]?(?:frontierwatch|build_signals)\b.*$",
                            re.S | re.I)


def for_readers(message: str, lang: str, pending: bool = True) -> str:
    """A core message as a web reader should read it: the operator's instruction ("; run frontierwatch
    build", "可用 'frontierwatch topics' 查看编号") is dropped; with `pending` (a part not computed yet) the
    reader is told what to expect instead. Messages without one are returned unchanged."""
    text = str(message or "")
    bare = _OPERATOR_HINT.sub("", text)
    if bare == text or not pending:
        return bare
    return bare + ("（网站下次更新数据后显示）" if lang == "zh" else " (it appears once the site's data is next updated)")


def normalise_lang(value: str | None) -> str | None:
    """'zh'/'en' (also 'zh-CN', 'en_US', any case) → 'zh'/'en'; anything else → None."""
    if not value:
        return None
    head = value.strip().lower()[:2]
    return head if head in LANGS else None


def translator(lang: str):
    """A ``t(key)`` function for `lang`: the message, or the key itself when the catalog lacks it."""
    index = 0 if lang == "zh" else 1

    def t(key: str) -> str:
        pair = MESSAGES.get(key)
        return pair[index] if pair else key

    return t


def pick(value: dict | str | None, lang: str, base: str = "name") -> str:
    """Choose the language variant of a bilingual record: ``{"name_zh", "name_en"}`` or ``{"zh", "en"}``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    for key in (f"{base}_{lang}", lang, f"{base}_en", "en", base, f"{base}_zh", "zh", "label"):
        if value.get(key):
            return str(value[key])
    return ""
