"""``arcon ontology docs`` writes browsable HTML: pyLODE for the TBox, a page per other module."""

from __future__ import annotations

import re

import html5lib
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.ontology.files import modules


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs")
    result = CliRunner().invoke(cli, ["ontology", "docs", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def read(path) -> str:
    text = path.read_text(encoding="utf-8")
    html5lib.HTMLParser(strict=False).parse(text)  # parses as HTML
    return text


def test_one_page_per_module_and_an_index(docs):
    expected = {"index.html"} | {f"{m.path.stem}.html" for m in modules()}
    assert {p.name for p in docs.iterdir()} == expected
    index = read(docs / "index.html")
    for module in modules():
        assert f'href="{module.path.stem}.html"' in index


def test_tbox_page_documents_classes_and_relations(docs):
    page = read(docs / "arcon.html")
    assert "pyLODE" in page
    for text in ("criminal group", "drug-trafficking organization", "operates in", "colludes with",
                 "A sentence expresses it when"):
        assert text in page, text


def test_reference_and_scheme_pages_list_their_terms_with_links(docs):
    reference = read(docs / "reference.html")
    assert 'id="ref:criminal-group/shining-path"' in reference
    assert "Sendero Luminoso" in reference and "PE-UCA" in reference
    # partOf links to the region's section on the same page
    assert re.search(r'<a href="#ref:place/pe-uca"[^>]*>Ucayali Region</a>', reference)
    markets = read(docs / "markets.html")
    assert "cocaine base paste" in markets and 'id="market:coca-cultivation"' in markets


def test_docs_of_a_broken_ontology_fail_cleanly(tmp_path):
    from ontology_copy import copy_ontology, replace

    folder = copy_ontology(tmp_path)
    replace(folder / "harms.ttl", 'rdfs:label "killing"@en ,', 'rdfs:label "killing@en ,')
    result = CliRunner().invoke(cli, ["ontology", "docs", "--out", str(tmp_path / "out"), "--dir", str(folder)])
    assert result.exit_code == 1
    assert "Error: harms.ttl:" in result.output and "Turtle syntax error" in result.output
    assert "Traceback" not in result.output
