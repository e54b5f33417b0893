"""Affiliation parser accuracy and coverage on real PubMed strings.

Accuracy: `bench/affiliations/pubmed-200.tsv` holds 200 distinct affiliation strings drawn from
`../shared/data/pubmed/pubmed21n1298.xml.gz` (the 200 with the lowest SHA-256 of ``fw-aff-v1:<pmid>:<ordinal>``,
duplicates of an earlier string skipped), each labelled by hand with the country of its *first* affiliation
(ISO 3166-1 alpha-2; empty when the string names no place and the organisation alone does not say) and, for
China, the province (ISO 3166-2:CN). The labels were written from the strings alone, before the parser was run on
them. A string with an empty label counts as correct only when the parser also gives no country.

Coverage: over every affiliation string in the file, the share the parser gives a country, and among Chinese
ones the share with a province and with a city. Usage: ``python bench/affiliations.py``.
"""
from __future__ import annotations

import csv
import gzip
import sys
import time
from collections import Counter
from pathlib import Path
from xml.etree.ElementTree import iterparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, SHARED, write_result  # noqa: E402

from frontierwatch.sources.affiliations import parse_affiliations  # noqa: E402

LABELS = ROOT / "bench" / "affiliations" / "pubmed-200.tsv"
PUBMED = SHARED / "data" / "pubmed" / "pubmed21n1298.xml.gz"


def accuracy() -> dict:
    rows = list(csv.DictReader(LABELS.open(encoding="utf-8"), delimiter="\t"))
    right = prov_right = prov_n = 0
    misses = []
    for row in rows:
        insts = parse_affiliations(row["affiliation"])
        got = insts[0].country if insts else None
        ok = (got or "") == row["country"]
        right += ok
        if not ok:
            misses.append({"affiliation": row["affiliation"], "label": row["country"], "parsed": got})
        if row["province"]:
            prov_n += 1
            prov_right += bool(insts) and insts[0].province == row["province"]
    return {"strings": len(rows), "country_correct": right, "country_accuracy": round(right / len(rows), 4),
            "china_strings": prov_n, "province_correct": prov_right,
            "province_accuracy": round(prov_right / prov_n, 4) if prov_n else None, "misses": misses}


def coverage() -> dict:
    total = with_country = cn = cn_province = cn_city = 0
    countries: Counter = Counter()
    types: Counter = Counter()
    t0 = time.perf_counter()
    for _, el in iterparse(gzip.open(PUBMED), events=("end",)):
        if el.tag != "PubmedArticle":
            continue
        for aff in el.iterfind(".//AuthorList/Author/AffiliationInfo/Affiliation"):
            text = " ".join("".join(aff.itertext()).split())
            if not text:
                continue
            total += 1
            insts = parse_affiliations(text)
            first = insts[0] if insts else None
            if first and first.country:
                with_country += 1
                countries[first.country] += 1
            types[(first.type if first else None) or "unknown"] += 1
            if first and first.country == "CN":
                cn += 1
                cn_province += first.province is not None
                cn_city += first.city is not None
        el.clear()
    seconds = time.perf_counter() - t0
    return {"affiliation_strings": total, "with_country": with_country,
            "country_coverage": round(with_country / total, 4), "china_strings": cn,
            "china_province_coverage": round(cn_province / cn, 4) if cn else None,
            "china_city_coverage": round(cn_city / cn, 4) if cn else None,
            "top_countries": countries.most_common(15), "institution_types": dict(types.most_common()),
            "seconds_including_xml_parse": round(seconds, 1)}


def main() -> None:
    acc = accuracy()
    print(f"country accuracy {acc['country_correct']}/{acc['strings']} = {acc['country_accuracy']}; "
          f"province {acc['province_correct']}/{acc['china_strings']}")
    for miss in acc["misses"]:
        print(f"  miss: label={miss['label'] or '-'} parsed={miss['parsed']}: {miss['affiliation'][:120]}")
    cov = coverage()
    print(f"coverage: {cov['with_country']}/{cov['affiliation_strings']} = {cov['country_coverage']}; China province "
          f"{cov['china_province_coverage']}, city {cov['china_city_coverage']}")
    write_result("affiliations", {"accuracy": acc, "coverage": cov, "labels": str(LABELS.relative_to(ROOT))})


if __name__ == "__main__":
    main()
