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
    "search.facets_note": ("括号内为当前结果中的篇数", "Numbers in brackets: documents among these results"),
    "source.arxiv": ("arXiv 预印本", "arXiv"), "source.openalex": ("OpenAlex", "OpenAlex"),
    "source.csl": ("CSL 中文科技文献", "CSL (Chinese abstracts)"), "source.uspto": ("美国专利商标局", "USPTO"),
    "source.pubmed": ("PubMed", "PubMed"), "source.patentsview": ("PatentsView", "PatentsView"),
    "source.cnki": ("中国知网", "CNKI"), "source.textfile": ("文本文件", "text files"),
}
