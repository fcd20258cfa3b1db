"""The IRI minting rules of docs/contracts.md."""

import pytest

from kg.rdf import iris


def test_entity_iri_is_deterministic_and_accent_and_case_insensitive(monkeypatch):
    monkeypatch.delenv("ARCON_BASE", raising=False)
    a = iris.entity_iri("CriminalGroup", "Mafia de la Cocaína")
    b = iris.entity_iri("CriminalGroup", "  MAFIA DE LA COCAINA ")
    assert a == b == "https://w3id.org/arcon/id/criminal-group/mafia-de-la-cocaina"


def test_kind_of_coarse_types():
    assert iris.kind("StateInstitution") == "state-institution"
    assert iris.kind("NGO") == "ngo"
    assert iris.kind("InternationalOrganization") == "international-organization"


def test_long_and_symbol_only_names_still_give_distinct_valid_slugs():
    long_a = iris.slug("x" * 200 + "a")
    long_b = iris.slug("x" * 200 + "b")
    assert long_a != long_b and len(long_a) <= 90
    assert iris.slug("???") != iris.slug("!!!")
    assert iris.slug("???").isalnum()


def test_base_is_configurable_and_must_end_with_slash(monkeypatch):
    monkeypatch.setenv("ARCON_BASE", "http://example.org/kg/")
    assert iris.document_graph("https://a/b").startswith("http://example.org/kg/graph/doc/")
    monkeypatch.setenv("ARCON_BASE", "http://example.org/kg")
    with pytest.raises(ValueError, match="must end with '/'"):
        iris.base()


def test_claim_iri_changes_with_any_part():
    args = ("doc", "bribes", "http://s", "http://o", 1, 20)
    first = iris.claim_iri(*args)
    assert first == iris.claim_iri(*args)
    assert first != iris.claim_iri("doc", "bribes", "http://s", "http://o", 1, 21)
