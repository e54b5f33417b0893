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
        "taxonomy/" + DEFAULT_TAXONOMY + "").read_text(encoding="utf-8"))

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


def _packaged() -> dict:
    from importlib import resources
    return yaml.safe_load(resources.files("frontierwatch.catalog").joinpath("taxonomy", DEFAULT_TAXONOMY)
                          .read_text(encoding="utf-8"))


@pytest.mark.parametrize("edit, en, zh", [
    (lambda d: d["directions"][3]["fields"][2].update(exlude={"en": ["x"], "zh": ["x"]}),
     "energy/hydrogen has unknown keys ['exlude']", "energy/hydrogen 含未知键"),
    (lambda d: d["directions"][3]["fields"][2].pop("context"),
     "energy/hydrogen lists ambiguous terms but no context", "没有它们所需的上下文词"),
    (lambda d: d["directions"][3]["fields"][2].update(exclude={"en": "muonic", "zh": []}),
     "en terms must be a list of strings", "词表必须是字符串列表"),
    (lambda d: d.update(version="two"), "version 'two' is not a whole number", "不是整数"),
])
def test_a_bad_user_taxonomy_names_the_file_and_field_in_both_languages(tmp_path, edit, en, zh):
    data = _packaged()
    edit(data)
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_taxonomy(path)
    assert "mine.yaml" in err.value.en and en in err.value.en
    assert "mine.yaml" in err.value.zh and zh in err.value.zh


def test_a_user_taxonomy_replaces_the_packaged_one_through_the_setting(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from frontierwatch.catalog import map_topics
    from frontierwatch.cli import app

    data = _packaged()
    data["directions"] = [data["directions"][3]]           # energy only
    data["directions"][0]["fields"] = [f for f in data["directions"][0]["fields"] if f["id"] == "hydrogen"]
    data["landmark_products"] = []
    path = tmp_path / "energy-only.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("FRONTIERWATCH_TAXONOMY", str(path))
    tax = load_taxonomy()
    assert tax.file == "energy-only.yaml" and [f.key for f in tax.fields] == ["energy/hydrogen"]
    topic = {"id": "t", "label": "fuel cells · hydrogen storage", "keyphrases": ["fuel cells", "hydrogen storage"]}
    assert map_topics([topic], embedder=None)[0]["fields"][0]["field"] == "energy/hydrogen"
    monkeypatch.delenv("FRONTIERWATCH_TAXONOMY")
    assert load_taxonomy().file == DEFAULT_TAXONOMY
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ndate: x\ndirections: [", encoding="utf-8")
    result = CliRunner().invoke(app, ["--taxonomy", str(bad), "directions", "--store", str(tmp_path / "s")])
    assert result.exit_code == 1 and "bad.yaml is not valid YAML" in result.output
