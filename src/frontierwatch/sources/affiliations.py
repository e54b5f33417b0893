"""Free-text affiliation strings → institutions with country, type and (in China) province and city.

Every connector whose source gives affiliations as text (PubMed, Web of Science C1, CNKI AD, RIS AD, Scopus
tables) uses `parse_affiliations`, so one address is read the same way whatever file it came from.

How a string is read (``'Dept of X, Fudan University, Shanghai 200433, P.R. China. Electronic address: a@b.cn'``):

1. e-mail addresses (with their 'Electronic address:' / 'E-mail:' lead-ins) are removed — they are personal data
   and never stored;
2. the string is cut at ';' into one affiliation each; a piece with no country of its own ('Radiation
   Division; Bhabha Atomic Research Centre, Mumbai, India') is joined to the piece after it;
3. the country is searched from the end: a comma or sentence piece that is a country name in any of the usual
   spellings ('USA', 'United States', 'P.R. China', 'Peoples R China', 'Großbritannien', 'España'), ends with
   one, is a US state ('MD 20892', 'Maryland'), or a Chinese city or province → ISO 3166-1 alpha-2 (`countries`);
   Hong Kong, Macao and Taiwan keep their own ISO codes (HK, MO, TW) also when the address adds 'China', so
   each is counted one way (pages name them 中国香港, 中国澳门, 中国台湾);
4. the institution is the comma part that names the organisation (a university before a hospital before an
   institute…, skipping parts that open with 'Department of', 'School of', 'Key Laboratory' …), its type is
   read from the name (company, healthcare, education, government, facility, nonprofit — OpenAlex's words);
5. for China the province (ISO 3166-2:CN code, e.g. ``CN-HB``) and city come from the city or province named
   nearest the end (`china_regions`), an explicit province winning over a city's default province.

Accuracy is measured on 200 hand-labelled PubMed strings: ``python bench/affiliations.py`` (README, bench/).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from frontierwatch.sources.china_regions import CITIES, PROVINCE_BY_NAME, SPECIAL_REGIONS
from frontierwatch.sources.countries import US_STATE_CODES, country_code
from frontierwatch.sources.record import Institution
from frontierwatch.text import has_cjk, to_simplified

_EMAIL = re.compile(r"(?:(?:electronic address|e-?mail(?: address)?|email|correspondence)\s*[:：]?\s*)?"
                    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)
_PARENS = re.compile(r"\s*[(（][^()（）]*[)）]")
_DIGITS = re.compile(r"\d")
_SENTENCE = re.compile(r"\.\s+(?=[A-Z\u00C0-\u024F])")
_CN_POSTCODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
_UNIT_START = re.compile(r"^(?:the\s+)?(?:\d+\w*\s+)?(?:dep(?:t|artment|artamento|artement)s?|division|divisi[oó]n|"
                         r"section|unit|service|servicio|servizio|program(?:me)?|school|faculty|facultad|faculdade|"
                         r"college|graduate|key lab|state key|laboratory|lab\b|laboratorio|centre for|center for|"
                         r"institute of \w+ (?:and|&)|dipartimento|departamento|clinic of|chair|group|team)", re.I)
_TIER = [
    re.compile(r"\buniversit|\buniversidad|universidade|universitat|universiteit|université|università|hochschule|"
               r"polytechnic|institute of technology|\bETH\b|\bMIT\b|\buniv\b", re.I),
    re.compile(r"college|school|\bcoll\b|\bsch\b", re.I),
    re.compile(r"\b(?:inc|corp|corporation|ltd|llc|gmbh|co|ag|plc|s\.?a|a/?s|company|pharmaceuticals?)\b\.?$|"
               r"hospital|hôpital|hospitalar|ospedale|klinikum|clinic\b|medical cent|health (?:system|care|service)|"
               r"\bNHS\b|\bIRCCS\b|infirmary|academy|acad\b|institut|\binst\b|centre|center|council|ministry|"
               r"agency|administration|bureau|foundation|observatory|laborator|\bhosp\b|\bctr\b|\blab\b|centro", re.I),
]
_TYPES = [
    ("company", re.compile(r"\b(?:inc|corp|ltd|llc|gmbh|co|ag|plc|s\.a|as|a/s|bv|nv|k\.?k|pte|s\.?r\.?l)\.?$|"
                           r"\b(?:company|corporation|limited)\b|(?:pharmaceuticals|technologies|therapeutics|"
                           r"biotech|consulting)$|有限公司|公司", re.I)),
    ("healthcare", re.compile(r"\bhosp\b|hospital|hôpital|hospitalar|ospedale|klinikum|clinic|medical cent|health ?care|"
                              r"health (?:system|service|board|district|trust)|\bNHS\b|IRCCS|infirmary|"
                              r"cancer cent|医院", re.I)),
    ("education", re.compile(r"\buniv\b|\bcoll\b|\buniversit|\buniversidad|universidade|universitat|universiteit|université|"
                             r"università|hochschule|college|school|polytechnic|institute of technology|faculty|"
                             r"大学|学院", re.I)),
    ("government", re.compile(r"ministry|national institutes? of health|centers? for disease control|bureau|"
                              r"government|administration|agency|department of health|public health (?:england|"
                              r"agency)|santé publique|commission|council|\bCDC\b|veterans affairs|部|局|委员会", re.I)),
    ("facility", re.compile(r"institut|\binst\b|laborator|research cent|academy of|observatory|\bCNRS\b|centro|"
                            r"\bINSERM\b|max planck|centre|center|研究院|研究所|研究中心|科学院", re.I)),
    ("nonprofit", re.compile(r"foundation|society|association|charity|\btrust\b|基金会|协会|学会", re.I)),
]
_ZH_ORG = re.compile(r"^.*?(?:大学|学院|研究院|研究所|研究中心|科学院|公司|医院)")


def strip_emails(text: str) -> str:
    """`text` without e-mail addresses and their lead-ins ('Electronic address: a@b.org')."""
    cleaned = _EMAIL.sub(" ", text or "")
    return " ".join(cleaned.split()).strip(" .;,")


def _fold(text: str) -> str:
    text = text.replace("’", "'").replace("`", "'")
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def _pieces(text: str) -> list[str]:
    """Comma and sentence pieces of one affiliation, parentheses removed, in order."""
    out = []
    for part in re.split(r"[,，;；]", _PARENS.sub("", text)):
        out += [p.strip(" .") for p in _SENTENCE.split(part) if p.strip(" .")]
    return out


def _words(piece: str) -> list[str]:
    return [w for w in re.split(r"[\s/]+", _fold(piece).strip(" .")) if w and not _DIGITS.search(w)]


@lru_cache(maxsize=65536)
def _piece_country(piece: str) -> str | None:
    """The country a single piece names or ends with, else None."""
    if re.fullmatch(r"[A-Z]{2}(?:\s+\d{5}(?:-\d{4})?)?", piece.strip()) and piece.strip()[:2] in US_STATE_CODES:
        return "US"
    words = _words(piece)
    for n in range(min(5, len(words)), 0, -1):
        code = country_code(" ".join(words[-n:]))
        if code:
            return code
    city = _china_place(words, from_end=True)
    if city:
        return SPECIAL_REGIONS.get(city[0], "CN")
    return None


def _china_place(words: list[str], from_end: bool) -> tuple[str, str | None] | None:
    """``(province code, city)`` of the first Chinese city or province among `words` (from the end or start)."""
    spans = [(i, n) for i in range(len(words)) for n in (3, 2, 1) if i + n <= len(words)]
    if from_end:
        spans.sort(key=lambda s: (-(s[0] + s[1]), -s[1]))
    for i, n in spans:
        name = " ".join(words[i:i + n]).replace("'", "'")
        for candidate in (name, name.removesuffix(" city"), name.removesuffix(" province")):
            if candidate in CITIES:
                return CITIES[candidate][0], CITIES[candidate][1]
            if candidate in PROVINCE_BY_NAME:
                return PROVINCE_BY_NAME[candidate], None
    return None


def country_of(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code of the country an affiliation string names, searching from its end."""
    for piece in reversed(_pieces(text)):
        code = _piece_country(piece)
        if code:
            return code
    if has_cjk(text):
        return _zh_country(to_simplified(text))  # 中國 / 廣東省 name the same places as 中国 / 广东省
    return None


def _zh_country(text: str) -> str | None:
    if "中国" in text or _CN_POSTCODE.search(text):
        return "CN"
    place = _zh_place(text)
    return None if place is None else SPECIAL_REGIONS.get(place[0], "CN")


def _zh_place(text: str) -> tuple[str, str | None] | None:
    """Province and city named in a Chinese-script address (province before city, as Chinese addresses run)."""
    found_city = next(((CITIES[n][0], CITIES[n][1]) for n in _zh_names_in(text) if n in CITIES), None)
    found_prov = next((PROVINCE_BY_NAME[n] for n in _zh_names_in(text) if n in PROVINCE_BY_NAME), None)
    if found_city and (found_prov is None or found_prov == found_city[0]):
        return found_city
    return (found_prov, None) if found_prov else found_city


def _zh_names_in(text: str) -> list[str]:
    hits = []
    for i in range(len(text)):
        for n in (5, 4, 3, 2):
            chunk = text[i:i + n]
            if chunk in CITIES or chunk in PROVINCE_BY_NAME:
                hits.append(chunk)
                break
    return hits


def china_place(text: str) -> tuple[str | None, str | None]:
    """``(province code, city)`` of a Chinese affiliation; the province named nearest the end wins over a city's."""
    if has_cjk(text):
        place = _zh_place(to_simplified(text))
        return place if place else (None, None)
    city = province = None
    for piece in reversed(_pieces(text)):
        words = _words(piece)
        if country_code(" ".join(words)):
            continue
        place = _china_place(words, from_end=True)
        if place is None:
            continue
        if place[1] and city is None:
            city = place
            break
        if place[1] is None and province is None:
            province = place[0]
    if city is None:
        return province, None
    if province and province != city[0]:
        same = [v for k, v in CITIES.items() if v[1] == city[1] and v[0] == province]
        return (province, city[1]) if same else (province, None)
    return city[0], city[1]


def institution_name(text: str) -> str:
    """The organisation part of one affiliation (see the module docstring, step 4)."""
    if has_cjk(text.split(",")[0]):
        first = re.split(r"[,，\s]", text.strip())[0]
        m = _ZH_ORG.match(first)
        return m.group(0) if m else first
    parts = [p.strip(" .") for p in re.split(r"[,;]", _PARENS.sub("", text)) if p.strip(" .")]
    parts = [p for p in parts if not _is_place(p)] or parts
    for tier in _TIER:
        hit = next((p for p in parts if tier.search(p) and not _UNIT_START.match(p)), None)
        if hit:
            return hit
    for tier in _TIER:
        hit = next((p for p in reversed(parts) if tier.search(p)), None)
        if hit:
            return hit
    return parts[0] if parts else text


def _is_place(piece: str) -> bool:
    """True for a piece that is only a place: a country, US state, Chinese city or province, or a postcode."""
    words = _words(piece)
    if not words or re.fullmatch(r"[A-Z]{2}(?:\s+\d{5}(?:-\d{4})?)?", piece.strip()):
        return True
    name = " ".join(words)
    return bool(country_code(name)) or any(n in CITIES or n in PROVINCE_BY_NAME
                                           for n in (name, name.removesuffix(" province"), name.removesuffix(" city")))


def institution_type(name: str) -> str | None:
    """OpenAlex's institution type read from a name; None when the name says nothing."""
    for kind, pattern in _TYPES:
        if pattern.search(name):
            return kind
    return None


def split_affiliations(text: str) -> list[str]:
    """One string per affiliation: e-mails removed, cut at ';', a piece without a country joined to the next."""
    pieces = [p.strip(" .") for p in re.split(r";|；", strip_emails(text)) if p.strip(" .")]
    out: list[str] = []
    carry = ""
    for piece in pieces:
        joined = f"{carry}, {piece}" if carry else piece
        if country_of(piece) is None and piece is not pieces[-1]:
            carry = joined
            continue
        out.append(joined)
        carry = ""
    return out


def parse_affiliation(text: str) -> Institution | None:
    """One affiliation (already split) → `Institution` with name, type, country, province, city and address."""
    address = strip_emails(text)
    if not address:
        return None
    name = institution_name(address)
    country = country_of(address)
    province = city = None
    if country == "CN":
        province, city = china_place(address)
        if province in SPECIAL_REGIONS:  # 'Shatin, Hong Kong, China': Hong Kong keeps its own ISO 3166-1 code
            country, province = SPECIAL_REGIONS[province], None
    return Institution(name=name, type=institution_type(name), country=country, province=province, city=city,
                       address=address)


def parse_affiliations(text: str) -> list[Institution]:
    """Every affiliation in a free-text string (several may be joined with ';')."""
    return [inst for piece in split_affiliations(text) if (inst := parse_affiliation(piece))]
