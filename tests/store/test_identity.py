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


def test_one_doi_parser_for_every_connector():
    """DOIs as OpenAlex, RIS/WoS/BibTeX exports and arXiv give them: bare, lower case, first word; None otherwise."""
    from frontierwatch.store.identity import parse_doi

    assert parse_doi("https://doi.org/10.7717/PeerJ.4375") == "10.7717/peerj.4375"
    assert parse_doi("http://dx.doi.org/10.1103/PhysRevLett.108.208701") == "10.1103/physrevlett.108.208701"
    assert parse_doi("doi:10.1016/J.CELL.2019.01.001 [doi]") == "10.1016/j.cell.2019.01.001"
    assert parse_doi("10.1016/j.a.1 10.1016/j.b.2") == "10.1016/j.a.1"
    for bad in (None, "", "  ", "n/a", "10.1016", 42, "https://example.org/paper"):
        assert parse_doi(bad) is None


def test_title_key_needs_year_and_distinctive_title():
    assert title_key("Erratum", 2012) is None
    assert title_key("Deep Residual Learning for Image Recognition", None) is None
    assert title_key("Déep  Residual Learning, for Image-Recognition!", 2016) == title_key(
        "deep residual learning for image recognition", 2016)
    assert normalise_title("固态电池的界面研究") == "固态电池的界面研究"


def test_strong_keys_order():
    assert strong_keys({"doi": "10.1/X", "arxiv": "1201.0330v2"}) == ["arxiv:1201.0330", "doi:10.1/x"]
