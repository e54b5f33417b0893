"""Page messages of search and matchmaking (zh, en), merged into `frontierwatch.web.i18n.MESSAGES`."""
from __future__ import annotations

SEARCH_MESSAGES: dict[str, tuple[str, str]] = {
    "search.total": ("共 {n} 篇文献同时含有全部检索词", "{n} documents hold every search term"),
    "search.how": ("检索规则：多个词须同时出现；加引号的词组须连续出现；中文词按词语切分（“人机”不会命中“无人机”）；"
                   "术语表中的词同时检索其中文或英文译名。",
                   "How it searches: every word must appear; a quoted phrase must appear as written; Chinese is cut "
                   "into words (人机 does not match 无人机); glossary terms are also searched in their Chinese or "
                   "English translation."),
    "search.concepts": ("检索概念", "Searched for"),
    "search.or": ("或", "or"),
    "search.via": ("经译名命中", "found through the translation"),
    "search.filters": ("筛选", "Filters"),
    "search.year_from": ("起始年份", "From year"),
    "search.year_to": ("截止年份", "To year"),
    "search.kind": ("类型", "Kind"),
    "search.source": ("来源", "Source"),
    "search.direction": ("方向", "Direction"),
    "search.language": ("语言", "Language"),
    "search.any": ("不限", "Any"),
    "search.apply": ("应用筛选", "Apply"),
    "search.clear": ("清除筛选", "Clear filters"),
    "search.topics_note": ("匹配文献最多的技术主题（最新主题图）", "Topics holding most of the matching documents (newest map)"),
    "search.topic_docs": ("{n} 篇", "{n} documents"),
    "search.facets_note": ("括号内为当前结果中的篇数", "Numbers in brackets: documents among these results"),
    "why.meaning.high": ("含义非常接近", "very close in meaning"),
    "why.meaning.medium": ("含义接近", "close in meaning"),
    "why.meaning.low": ("含义有关", "related in meaning"),
    "why.meaning.far": ("含义较远", "distant in meaning"),
    "why.documents": ("含有最匹配的文献", "holds some of the best-matching documents"),
    "match.no_good": ("没有合适的匹配：没有技术主题与您的需求有共同的技术术语或含义相近。请换用更具体的技术词语描述需求，例如“无人机电力巡检”。",
                      "No good match: no technology topic shares a technical term with your need or is close to it in "
                      "meaning. Try describing it with more specific technical words, e.g. 'drone inspection of power lines'."),
    "match.team_of": (" 等（团队 {n} 人）", " et al. (team of {n})"),
    "match.strength": ("匹配度", "match strength"),
    "match.teams_institution": ("机构（按文献作者单位归组）", "Institutions (grouped by the documents' affiliations)"),
    "match.teams_authors": ("作者团队（文献没有单位信息，按作者列出）", "Author teams (the documents carry no affiliations, so teams are listed by author)"),
    "source.arxiv": ("arXiv 预印本", "arXiv"), "source.openalex": ("OpenAlex", "OpenAlex"),
    "source.csl": ("CSL 中文科技文献", "CSL (Chinese abstracts)"), "source.uspto": ("美国专利商标局", "USPTO"),
    "source.pubmed": ("PubMed", "PubMed"), "source.patentsview": ("PatentsView", "PatentsView"),
    "source.cnki": ("中国知网", "CNKI"), "source.textfile": ("文本文件", "text files"),
}
