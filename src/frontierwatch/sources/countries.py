"""Country names as affiliations write them → ISO 3166-1 alpha-2 codes.

The official and common names come from `pycountry` (the ISO 3166 tables); the spellings bibliographic sources
actually use are added here: Web of Science's 'Peoples R China' and 'North Ireland', PubMed's 'P.R. China',
'USA', 'Korea', names in the authors' own languages ('España', 'Deutschland', 'Großbritannien'), US states
and their postal codes (US affiliations often end with the state: 'Rochester, MN'), the UK's nations, and a few
cities that are written alone in place of their country ('Singapore', 'Hong Kong').
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import pycountry

US_STATES = {
    "AL": "alabama", "AK": "alaska", "AZ": "arizona", "AR": "arkansas", "CA": "california", "CO": "colorado",
    "CT": "connecticut", "DE": "delaware", "DC": "district of columbia", "FL": "florida", "GA": "georgia",
    "HI": "hawaii", "ID": "idaho", "IL": "illinois", "IN": "indiana", "IA": "iowa", "KS": "kansas", "KY": "kentucky",
    "LA": "louisiana", "ME": "maine", "MD": "maryland", "MA": "massachusetts", "MI": "michigan", "MN": "minnesota",
    "MS": "mississippi", "MO": "missouri", "MT": "montana", "NE": "nebraska", "NV": "nevada", "NH": "new hampshire",
    "NJ": "new jersey", "NM": "new mexico", "NY": "new york", "NC": "north carolina", "ND": "north dakota",
    "OH": "ohio", "OK": "oklahoma", "OR": "oregon", "PA": "pennsylvania", "RI": "rhode island",
    "SC": "south carolina", "SD": "south dakota", "TN": "tennessee", "TX": "texas", "UT": "utah", "VT": "vermont",
    "VA": "virginia", "WA": "washington", "WV": "west virginia", "WI": "wisconsin", "WY": "wyoming",
    "PR": "puerto rico",
}
US_STATE_CODES = frozenset(US_STATES)
# US state names that also name something else are left out: Georgia (the country), New York and Washington
# (cities, handled below), Indiana/Delaware/... are kept.
_US_STATE_NAMES = {name for code, name in US_STATES.items() if name not in ("georgia", "puerto rico")}

_ALIASES = {  # code → spellings separated by '|'
    "US": "usa|u.s.a|us|u.s|united states|united states of america|america",
    "CN": "china|peoples r china|people's republic of china|peoples republic of china|p.r. china|p. r. china|"
          "pr china|p.r.china|p r china|prc|p.r.c|p. r. c|mainland china|r china|中国|中华人民共和国|中國",
    "GB": "uk|u.k|united kingdom|england|scotland|wales|north ireland|northern ireland|great britain|britain|"
          "grossbritannien|großbritannien|royaume-uni|regno unito|reino unido",
    "KR": "korea|south korea|republic of korea|korea republic|s. korea|korea (south)|rep. of korea|korea rep|"
          "corée du sud",
    "KP": "north korea|dpr korea",
    "TW": "taiwan|taiwan roc|taiwan (roc)|republic of china (taiwan)|台湾|臺灣",
    "HK": "hong kong|hong kong sar|hong kong sar china|hongkong|香港",
    "MO": "macau|macao|macau sar|澳门",
    "IR": "iran|islamic republic of iran|i.r. iran", "RU": "russia|russian federation", "VN": "vietnam|viet nam",
    "CZ": "czech republic|czechia", "TR": "turkey|türkiye", "NL": "the netherlands|netherlands|holland|nederland",
    "ES": "españa|spain", "DE": "deutschland|germany|allemagne|alemania", "IT": "italia|italy",
    "BR": "brasil|brazil", "MX": "méxico|mexico", "AT": "österreich|austria", "CH": "schweiz|suisse|svizzera",
    "BE": "belgique|belgië|belgium", "DK": "danmark", "SE": "sverige", "NO": "norge", "FI": "suomi",
    "PL": "polska", "JP": "nippon", "GR": "hellas", "CI": "ivory coast|côte d'ivoire",
    "AE": "uae|u.a.e|united arab emirates", "SA": "ksa|kingdom of saudi arabia", "BO": "bolivia",
    "VE": "venezuela", "TZ": "tanzania", "SY": "syria", "LA": "laos", "MD": "moldova",
    "MK": "macedonia|north macedonia", "PS": "palestine", "CG": "republic of the congo|congo",
    "CD": "dr congo|d.r. congo|democratic republic of congo|democratic republic of the congo",
    "IE": "republic of ireland|eire", "NZ": "aotearoa",
}
# Cities written alone where the country is left out, unambiguous in affiliations.
_CITIES = {
    "London": "GB", "Paris": "FR", "Tokyo": "JP", "Osaka": "JP", "Kyoto": "JP", "Seoul": "KR", "Berlin": "DE",
    "Munich": "DE", "Madrid": "ES", "Barcelona": "ES", "Rome": "IT", "Milan": "IT", "Amsterdam": "NL",
    "Stockholm": "SE", "Copenhagen": "DK", "Oslo": "NO", "Helsinki": "FI", "Vienna": "AT", "Zurich": "CH",
    "Geneva": "CH", "Brussels": "BE", "Toronto": "CA", "Montreal": "CA", "Vancouver": "CA", "Sydney": "AU",
    "Melbourne": "AU", "Tehran": "IR", "Istanbul": "TR", "Ankara": "TR", "Cairo": "EG", "Mumbai": "IN",
    "New Delhi": "IN", "Delhi": "IN", "Bangalore": "IN", "Dhaka": "BD", "Karachi": "PK", "Lahore": "PK",
    "Jakarta": "ID", "Bangkok": "TH", "Kuala Lumpur": "MY", "Manila": "PH", "Hanoi": "VN", "Riyadh": "SA",
    "Jeddah": "SA", "Tel Aviv": "IL", "Jerusalem": "IL", "Moscow": "RU", "Warsaw": "PL", "Prague": "CZ",
    "Budapest": "HU", "Athens": "GR", "Lisbon": "PT", "Dublin": "IE", "Sao Paulo": "BR", "Buenos Aires": "AR",
    "Mexico City": "MX", "Santiago": "CL", "Bogota": "CO", "Lima": "PE", "Nairobi": "KE", "Lagos": "NG",
    "Johannesburg": "ZA", "Cape Town": "ZA", "Boston": "US", "Chicago": "US", "Los Angeles": "US",
    "San Francisco": "US", "Houston": "US", "Philadelphia": "US", "Baltimore": "US", "Bethesda": "US",
    "Pittsburgh": "US", "Seattle": "US", "Atlanta": "US", "Stanford": "US", "New Haven": "US", "Cambridge, MA": "US",
}


def fold(text: str) -> str:
    """Case- and accent-insensitive form used for lookups ('España' → 'espana', 'The Netherlands' kept)."""
    text = text.replace("’", "'").strip(" .")
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def _build() -> dict[str, str]:
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                names[fold(value)] = c.alpha_2
                if "," in value:  # 'Korea, Republic of' → 'republic of korea' too
                    head, _, tail = value.partition(",")
                    names[fold(f"{tail} {head}")] = c.alpha_2
    for code, spellings in _ALIASES.items():
        for spelling in spellings.split("|"):
            names[fold(spelling)] = code
    for code, name in US_STATES.items():
        if name in _US_STATE_NAMES:
            names[name] = "US"
    for city, code in _CITIES.items():
        names[fold(city)] = code
    names.pop("georgia", None)
    names["georgia"] = "GE"
    return names


_NAMES = _build()


@lru_cache(maxsize=65536)
def country_code(name: str) -> str | None:
    """ISO alpha-2 code for a country name in any spelling above ('Peoples R China' → 'CN'), else None."""
    key = fold(name)
    return _NAMES.get(key) or _NAMES.get(key.removeprefix("the "))


# Chinese names (as Chinese statistical publications write them) of the countries and regions affiliations name.
_ZH = """US 美国|CN 中国|GB 英国|DE 德国|FR 法国|JP 日本|KR 韩国|KP 朝鲜|CA 加拿大|AU 澳大利亚|IT 意大利|ES 西班牙
|NL 荷兰|CH 瑞士|SE 瑞典|IN 印度|RU 俄罗斯|BR 巴西|IL 以色列|SG 新加坡|BE 比利时|AT 奥地利|DK 丹麦|FI 芬兰|NO 挪威
|PL 波兰|PT 葡萄牙|IE 爱尔兰|IR 伊朗|TR 土耳其|SA 沙特阿拉伯|PK 巴基斯坦|MX 墨西哥|GR 希腊|CZ 捷克|NZ 新西兰|ZA 南非
|EG 埃及|AR 阿根廷|CL 智利|UA 乌克兰|HU 匈牙利|TW 中国台湾|HK 中国香港|MO 中国澳门|TH 泰国|MY 马来西亚|ID 印度尼西亚
|VN 越南|PH 菲律宾|BD 孟加拉国|NP 尼泊尔|LK 斯里兰卡|AE 阿联酋|QA 卡塔尔|KW 科威特|JO 约旦|LB 黎巴嫩|IQ 伊拉克
|SY 叙利亚|OM 阿曼|BH 巴林|YE 也门|PS 巴勒斯坦|CY 塞浦路斯|RO 罗马尼亚|BG 保加利亚|RS 塞尔维亚|HR 克罗地亚
|SI 斯洛文尼亚|SK 斯洛伐克|LT 立陶宛|LV 拉脱维亚|EE 爱沙尼亚|IS 冰岛|LU 卢森堡|MT 马耳他|BY 白俄罗斯|KZ 哈萨克斯坦
|UZ 乌兹别克斯坦|GE 格鲁吉亚|AM 亚美尼亚|AZ 阿塞拜疆|MN 蒙古|MM 缅甸|KH 柬埔寨|LA 老挝|AF 阿富汗|NG 尼日利亚
|KE 肯尼亚|ET 埃塞俄比亚|GH 加纳|UG 乌干达|TZ 坦桑尼亚|RW 卢旺达|CM 喀麦隆|SN 塞内加尔|CI 科特迪瓦|MA 摩洛哥
|DZ 阿尔及利亚|TN 突尼斯|LY 利比亚|SD 苏丹|ZW 津巴布韦|ZM 赞比亚|MW 马拉维|MZ 莫桑比克|BW 博茨瓦纳|NA 纳米比亚
|CD 刚果（金）|CG 刚果（布）|CO 哥伦比亚|PE 秘鲁|VE 委内瑞拉|EC 厄瓜多尔|UY 乌拉圭|PY 巴拉圭|BO 玻利维亚|CU 古巴
|CR 哥斯达黎加|PA 巴拿马|GT 危地马拉|JM 牙买加|PR 波多黎各|MK 北马其顿|BA 波黑|AL 阿尔巴尼亚|MD 摩尔多瓦|ME 黑山
|XK 科索沃|FJ 斐济|PG 巴布亚新几内亚|BT 不丹|MV 马尔代夫|BN 文莱|TL 东帝汶|HT 海地|DO 多米尼加|TT 特立尼达和多巴哥"""
COUNTRY_ZH = dict(item.strip().split(" ", 1) for item in _ZH.replace("\n", "").split("|"))


def country_name(code: str | None, lang: str = "en") -> str:
    """'CN' → '中国' (zh) or 'China' (en); the code itself when unknown. HK, MO and TW read 中国香港 … in zh."""
    if not code:
        return ""
    if lang == "zh" and code in COUNTRY_ZH:
        return COUNTRY_ZH[code]
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    if code in ("TW", "HK", "MO"):
        return {"TW": "Taiwan, China", "HK": "Hong Kong, China", "MO": "Macao, China"}[code]
    return getattr(found, "common_name", None) or found.name
