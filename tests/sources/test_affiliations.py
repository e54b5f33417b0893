"""The affiliation parser on real strings (PubMed, WoS, CNKI), and its accuracy on the labelled benchmark set."""
from __future__ import annotations

import csv
from pathlib import Path

from frontierwatch.sources.affiliations import country_of, parse_affiliations, split_affiliations, strip_emails
from frontierwatch.sources.countries import country_code
from frontierwatch.sources.textfile import institution_from_address

LABELS = Path(__file__).resolve().parents[2] / "bench" / "affiliations" / "pubmed-200.tsv"


def test_country_spellings_map_to_iso_codes():
    for name in ("USA", "United States", "United States of America", "U.S.A."):
        assert country_code(name) == "US"
    for name in ("P.R. China", "Peoples R China", "People's Republic of China", "PR China", "China", "中国"):
        assert country_code(name) == "CN"
    assert country_code("Großbritannien") == "GB" and country_code("España") == "ES"
    assert country_code("Republic of Korea") == "KR" and country_code("The Netherlands") == "NL"
    assert country_code("Atlantis") is None


def test_pubmed_strings_give_institution_country_type_province_and_city():
    [inst] = parse_affiliations("Department of Urology, Union Hospital, Tongji Medical College, Huazhong University "
                                "of Science and Technology, No. 1277 Jiefang Avenue, Wuhan 430022, China.")
    assert (inst.name, inst.type, inst.country) == ("Huazhong University of Science and Technology", "education", "CN")
    assert (inst.province, inst.city) == ("CN-HB", "Wuhan")
    [inst] = parse_affiliations("Department of Neurology, Jinan First People's Hospital, Shandong Traditional Chinese "
                                "Medicine University, Jinan, Shandong Province 250013, China.")
    assert (inst.country, inst.province, inst.city) == ("CN", "CN-SD", "Jinan")
    [inst] = parse_affiliations("RAND Corporation, 1776 Main Street, Santa Monica, CA 90407-2138, USA.")
    assert (inst.name, inst.type, inst.country) == ("RAND Corporation", "company", "US")
    [inst] = parse_affiliations("Center for Individualized Medicine, Mayo Clinic, Rochester, MN.")
    assert inst.country == "US" and inst.type == "healthcare"
    [inst] = parse_affiliations("Nature Conservation Bureau, Ministry of the Environment, Godochosha No. 5, "
                                "Kasumigaseki 1-2-2, Chiyoda-ku, Tokyo 100-8975, Japan.")
    assert inst.country == "JP" and inst.type == "government"


def test_emails_are_never_stored():
    text = ("Division of Clinical and Translational Research, Washington University School of Medicine, St Louis, "
            "MO 63110, USA. Electronic address: p.sinha@wustl.edu.")
    assert "@" not in strip_emails(text) and "Electronic address" not in strip_emails(text)
    [inst] = parse_affiliations(text)
    assert "@" not in inst.address and inst.country == "US"
    [inst] = parse_affiliations("College of Pharmaceutical Sciences, Zhejiang University of Technology Hangzhou "
                                "310014 P. R. China wengyoyo@163.com.")
    assert "@" not in inst.address and (inst.country, inst.province) == ("CN", "CN-ZJ")


def test_several_affiliations_split_and_a_bare_unit_joins_the_next():
    text = ("Radiation and Photo Chemistry Division; Bhabha Atomic Research Centre, Mumbai 400085, India; "
            "Homi Bhabha National Institute, Anushaktinagar, Mumbai 400094, India.")
    parts = split_affiliations(text)
    assert len(parts) == 2 and parts[0].startswith("Radiation and Photo Chemistry Division, Bhabha")
    assert [i.country for i in parse_affiliations(text)] == ["IN", "IN"]


def test_hong_kong_keeps_its_own_code():
    [inst] = parse_affiliations("Department of Biology, The Chinese University of Hong Kong, Shatin, New Territories, "
                                "Hong Kong, China.")
    assert inst.country == "HK" and inst.province is None


def test_other_connectors_share_the_parser():
    wos = institution_from_address("[Piwowar, Heather] Impactstory, Sanford, NC 27330 USA.")
    assert (wos.name, wos.country) == ("Impactstory", "US")
    cnki = institution_from_address("清华大学计算机科学与技术系,北京 100084")
    assert (cnki.name, cnki.country, cnki.province, cnki.city) == ("清华大学", "CN", "CN-BJ", "Beijing")
    assert country_of("Univ Sci & Technol China, Hefei 230026, Anhui, Peoples R China") == "CN"


def test_country_accuracy_on_the_labelled_set_is_at_least_097():
    """200 PubMed strings labelled by hand (bench/affiliations/pubmed-200.tsv, see bench/affiliations.py)."""
    rows = list(csv.DictReader(LABELS.open(encoding="utf-8"), delimiter="\t"))
    assert len(rows) == 200
    right = sum((parse_affiliations(r["affiliation"]) or [None])[0] is not None
                and (parse_affiliations(r["affiliation"])[0].country or "") == r["country"] for r in rows)
    assert right / len(rows) >= 0.97
