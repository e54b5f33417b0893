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
