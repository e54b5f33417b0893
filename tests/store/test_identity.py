"""Identifier normalisation and the title-key rule."""
from frontierwatch.store.identity import (
    normalise_arxiv, normalise_doi, normalise_openalex, normalise_patent, normalise_title, strong_keys, title_key,
)


def test_normalisers():
    assert normalise_doi("https://doi.org/10.1103/PhysRevB.1") == "10.1103/physrevb.1"
    assert normalise_doi("doi: 10.1/ABC") == "10.1/abc"
    assert normalise_arxiv("arXiv:1201.0330v3") == "1201.0330"
    assert normalise_arxiv("http://arxiv.org/abs/cond-mat/0102536v1") == "cond-mat/0102536"
    assert normalise_openalex("https://openalex.org/W2741809807") == "W2741809807"
    assert normalise_patent("US 06,970,935 B1") == "US6970935"
    assert normalise_patent("US07272630B2") == "US7272630"


def test_title_key_needs_year_and_distinctive_title():
    assert title_key("Erratum", 2012) is None
    assert title_key("Deep Residual Learning for Image Recognition", None) is None
    assert title_key("Déep  Residual Learning, for Image-Recognition!", 2016) == title_key(
        "deep residual learning for image recognition", 2016)
    assert normalise_title("固态电池的界面研究") == "固态电池的界面研究"


def test_strong_keys_order():
    assert strong_keys({"doi": "10.1/X", "arxiv": "1201.0330v2"}) == ["arxiv:1201.0330", "doi:10.1/x"]
