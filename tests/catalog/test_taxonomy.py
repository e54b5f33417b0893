"""The taxonomy data file: six directions, zh + en everywhere, versioned; bad edits fail at load time."""
from __future__ import annotations

import copy
import re

import pytest
import yaml

from frontierwatch.catalog import load_taxonomy
from frontierwatch.catalog.messages import LANGS, MESSAGES
from frontierwatch.catalog.taxonomy import DEFAULT_TAXONOMY, parse_taxonomy
from frontierwatch.errors import InputError

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_six_directions_with_policy_fields_and_products():
    tax = load_taxonomy()
    assert [d.id for d in tax.directions] == ["manufacturing", "information", "materials", "energy", "space", "health"]
    assert [d.name["zh"] for d in tax.directions] == ["未来制造", "未来信息", "未来材料", "未来能源", "未来空间", "未来健康"]
    assert tax.version >= 1 and re.match(r"\d{4}-\d{2}-\d{2}$", tax.date)
    keys = {f.key for f in tax.fields}
    for key in ("manufacturing/biomanufacturing", "manufacturing/industrial-metaverse", "information/quantum-computing",
                "information/large-models-general-ai", "materials/superconductors", "energy/nuclear-fusion",
                "energy/solar-cells", "space/deep-sea", "health/brain-computer-interface", "health/synthetic-biology"):
        assert key in keys
    assert {p.id for p in tax.products} == {"humanoid-robots", "quantum-computers", "brain-computer-interfaces",
                                            "6g-network-equipment", "intelligent-terminals", "next-gen-operating-systems"}


def test_every_label_description_and_term_list_is_bilingual():
    tax = load_taxonomy()
    for d in tax.directions:
        assert CJK.search(d.name["zh"]) and not CJK.search(d.name["en"])
        assert CJK.search(d.description["zh"]) and d.description["en"]
        for f in d.fields:
            assert CJK.search(f.name["zh"]) and f.name["en"] and CJK.search(f.description["zh"])
            assert f.terms["en"] and f.terms["zh"], f.key
            assert any(CJK.search(t) for t in f.terms["zh"]), f.key
    for p in tax.products:
        assert CJK.search(p.name["zh"]) and p.terms["en"] and p.terms["zh"]
    for key, msg in MESSAGES.items():
        assert set(msg) == set(LANGS) and all(msg.values()), key


def test_an_edit_without_chinese_is_refused():
    from importlib import resources

    data = yaml.safe_load(resources.files("frontierwatch.catalog").joinpath("taxonomy").joinpath(DEFAULT_TAXONOMY)
                          .read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    del broken["directions"][2]["fields"][0]["name"]["zh"]
    with pytest.raises(InputError, match="zh and en"):
        parse_taxonomy(broken)
    broken = copy.deepcopy(data)
    broken["directions"][0]["fields"][0]["terms"]["en"].append("smart manufacturing")
    with pytest.raises(InputError, match="repeats"):
        parse_taxonomy(broken)


def test_every_name_has_exactly_zh_and_en():
    """An unquoted comma in a YAML flow mapping silently cuts a name and adds a stray key: catch it."""
    import yaml
    from importlib import resources

    raw = yaml.safe_load(resources.files("frontierwatch.catalog").joinpath(
        "taxonomy/future_industries.v1.yaml").read_text(encoding="utf-8"))

    def walk(node):
        if isinstance(node, dict):
            if "name" in node and isinstance(node["name"], dict):
                assert set(node["name"]) == {"zh", "en"}, node["name"]
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(raw)
