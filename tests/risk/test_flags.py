"""Risk flags read context: real records using risk words in other senses raise nothing; real risk records do."""
from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path

import pytest
import yaml

from frontierwatch.errors import InputError
from frontierwatch.risk import FlagParams, document_evidence, flag_topic, load_risk_taxonomy, parse_taxonomy, screen_text

CASES = Path(__file__).resolve().parents[1] / "samples" / "risk" / "risk-cases.jsonl.gz"
TOPICS = Path(__file__).resolve().parents[1] / "samples" / "topics" / "arxiv-topics.jsonl.gz"
EXPECTED = {  # case -> the category its records must raise (None: none at all)
    "surveillance in epidemiology": None, "surveillance as patient follow-up": None,
    "military personnel health": None, "gain of function in genetics": None, "biosafety of nanomaterials": None,
    "weapons as metaphor": None, "face recognition in psychology and medicine": None,
    "surveillance in epidemiology (arXiv)": None,
    "video surveillance": "privacy_surveillance", "person re-identification": "privacy_surveillance",
    "differential privacy": "privacy_surveillance", "adversarial examples": "ai_safety_deepfakes",
    "deepfakes": "ai_safety_deepfakes", "false data injection on power grids": "cyber_infrastructure",
    "malware": "cyber_infrastructure", "missiles": "autonomous_weapons",
    "algorithmic fairness": "algorithmic_discrimination",
}


def _cases() -> list[dict]:
    with gzip.open(CASES, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _text(r: dict) -> str:
    return f"{r['title']}. {r['abstract']}"


def test_the_taxonomy_is_bilingual_versioned_and_names_its_categories():
    tax = load_risk_taxonomy()
    assert tax.version >= 2 and tax.date and len(tax.sha256) == 64
    ids = [c.id for c in tax.categories]
    for wanted in ("privacy_surveillance", "biosafety_dual_use", "ai_safety_deepfakes", "human_germline_editing",
                   "autonomous_weapons", "cyber_infrastructure", "environment_energy_safety", "data_sovereignty"):
        assert wanted in ids
    for c in tax.categories:
        assert c.name["zh"] and c.name["en"] and c.description["zh"] and c.terms.zh and c.terms.en, c.id


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_real_records_are_read_in_context(case):
    records = [r for r in _cases() if r["case"] == case]
    assert records, case
    tax = load_risk_taxonomy()
    for r in records:
        found = document_evidence(_text(r), tax)
        if EXPECTED[case] is None:
            assert found == {}, (r["id"], found)
        else:
            assert EXPECTED[case] in found, (r["id"], found)


def test_disease_surveillance_is_not_a_privacy_topic_but_video_surveillance_is():
    cases = _cases()
    epi = [r | {"doc_id": r["id"]} for r in cases if "surveillance in epidemiology" in r["case"]]
    video = [r | {"doc_id": r["id"]} for r in cases if r["case"] == "video surveillance"]
    assert flag_topic({"label": "surveillance · influenza · outbreak", "keyphrases": ["surveillance"]}, epi) == []
    flags = flag_topic({"label": "video · camera", "keyphrases": ["video", "camera"]}, video + epi)
    privacy = next(f for f in flags if f["category"] == "privacy_surveillance")
    assert privacy["n_documents"] == len(video) and {d["doc_id"] for d in privacy["documents"]} <= {r["id"] for r in video}
    assert privacy["taxonomy"]["version"] == load_risk_taxonomy().version
    assert privacy["terms"]["video surveillance"] == len(video) and privacy["keyphrase_terms"] == []


def test_keyphrases_flag_alone_and_document_evidence_needs_a_share():
    with gzip.open(TOPICS, "rt", encoding="utf-8") as fh:
        docs = [{"doc_id": "arxiv:" + r["id"], "title": r["title"], "abstract": r["abstract"]} for r in map(json.loads, fh)]
    plain = [d for d in docs if not document_evidence(f"{d['title']}. {d['abstract']}", load_risk_taxonomy())]
    assert flag_topic({"label": "graph · vertices", "keyphrases": [["graph", 0.3], ["vertices", 0.2]]}, plain[:100]) == []
    by_keyphrase = flag_topic({"label": "differential privacy · noise", "keyphrases": [{"phrase": "noise", "weight": 1}]},
                              plain[:50])
    assert [f["category"] for f in by_keyphrase] == ["privacy_surveillance"]
    assert by_keyphrase[0]["keyphrase_terms"] == ["differential privacy"] and by_keyphrase[0]["n_documents"] == 0
    dp = [r | {"doc_id": r["id"]} for r in _cases() if r["case"] == "differential privacy"]
    params = FlagParams(min_docs=3, min_share=0.05)
    few = flag_topic({"label": "x · y", "keyphrases": []}, dp + plain[:100], params=params)
    assert few == []  # 3 of 103 documents: below the share
    enough = flag_topic({"label": "x · y", "keyphrases": []}, dp + plain[:40], params=params)
    assert enough[0]["n_documents"] == 3 and enough[0]["share"] == round(3 / 43, 4)


def test_hall_text_screening_finds_red_lines_in_chinese_and_english():
    flags = screen_text("我们计划编辑人类胚胎以提高免疫力，并开展相关临床试验。")
    germ = next(f for f in flags if f["category"] == "human_germline_editing")
    assert germ["red_line"] and "编辑人类胚胎" in germ["red_line_terms"] and "人类胚胎" in germ["terms"]
    flags = screen_text("A loitering munition with autonomous target selection for border defence.")
    weapons = next(f for f in flags if f["category"] == "autonomous_weapons")
    assert weapons["red_line"] and "loitering munition" in weapons["terms"]
    assert screen_text("钙钛矿/硅叠层太阳能电池，认证效率 29.1%。") == []
    assert screen_text("基于视频监控的人脸识别门禁系统")[0]["category"] == "privacy_surveillance"
    assert screen_text("设备工况监控与预测性维护") == []  # 监控 of machines is not surveillance of people


def test_a_replacement_taxonomy_is_validated_and_used(tmp_path):
    from importlib import resources

    raw = resources.files("frontierwatch.risk").joinpath("taxonomy/risk_taxonomy.v2.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    broken = copy.deepcopy(data)
    del broken["categories"][0]["name"]["zh"]
    with pytest.raises(InputError, match="zh and en name"):
        parse_taxonomy(broken, "custom.yaml")
    mine = {"version": 7, "date": "2027-01-01",
            "categories": [{"id": "quantum_crypto", "name": {"zh": "量子破解", "en": "Quantum cryptanalysis"},
                            "description": {"zh": "破解现有公钥密码", "en": "Breaking today's public-key cryptography"},
                            "terms": {"en": ["shor's algorithm", "rsa-2048"], "zh": ["量子破解"]}}]}
    path = tmp_path / "custom.yaml"
    path.write_text(yaml.safe_dump(mine, allow_unicode=True), encoding="utf-8")
    tax = load_risk_taxonomy(path)
    assert tax.identity()["version"] == 7 and tax.file == "custom.yaml"
    assert screen_text("Factoring RSA-2048 with Shor's algorithm on 20 million qubits", tax)[0]["category"] == "quantum_crypto"
    with pytest.raises(InputError, match="does not exist"):
        load_risk_taxonomy(tmp_path / "missing.yaml")
