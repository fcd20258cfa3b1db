"""HermiT (through owlready2) and the OWL API on the ontology: the real files pass; a deliberately
broken copy fails with a message naming the offending axioms, classes or file."""

from __future__ import annotations

import pytest

from kg.ontology.check import check_ontology
from ontology_copy import append, copy_ontology

pytestmark = [pytest.mark.java, pytest.mark.slow]


@pytest.fixture(scope="module")
def full_report():
    """One full check of the real ontology, shared by the tests that read it."""
    return check_ontology()


def test_the_ontology_passes_every_check(full_report):
    # Every module was loaded by the OWL API (a module it did not report on is a problem), had no
    # unparsed triple, passed the OWL 2 DL profile and the RDF/XML round trip; HermiT found it
    # consistent with no unsatisfiable class.
    assert [str(p) for p in full_report.problems] == []
    assert full_report.summary.classes >= 50


def test_an_inconsistent_axiom_is_named_with_its_file(tmp_path):
    folder = copy_ontology(tmp_path)
    append(folder / "reference.ttl", "place:vraem a arcon:Country .")
    report = check_ontology(folder, owl_api=False)
    [problem] = report.problems
    assert problem.rule == "consistency"
    assert problem.message.startswith("HermiT finds the ontology inconsistent; caused by: ")
    assert "ClassAssertion(arcon:Country ref:place/vraem) (in reference.ttl)" in problem.message
    assert "ClassAssertion(arcon:Area ref:place/vraem) (in reference.ttl)" in problem.message
    assert "DisjointClasses(arcon:Area arcon:City arcon:Country arcon:Province arcon:Region) (in arcon.ttl)" in problem.message


def test_an_unsatisfiable_class_without_instances(tmp_path):
    folder = copy_ontology(tmp_path)
    append(folder / "arcon.ttl", "\n".join([
        "arcon:Ghost a owl:Class ; rdfs:subClassOf arcon:Person , arcon:Organization ;",
        '    rdfs:label "ghost"@en , "fantasma"@es ; skos:definition "A class that cannot have members."@en .',
    ]))
    report = check_ontology(folder, owl_api=False)
    [problem] = report.problems
    assert problem.rule == "unsatisfiable"
    assert problem.message.startswith("HermiT finds arcon:Ghost unsatisfiable (it can have no instance); caused by: ")
    assert "SubClassOf(arcon:Ghost arcon:Organization) (in arcon.ttl)" in problem.message
    assert "DisjointClasses(arcon:Organization arcon:Person arcon:VictimGroup) (in arcon.ttl)" in problem.message


def test_a_construct_outside_owl2_dl_fails_the_profile_check(tmp_path):
    folder = copy_ontology(tmp_path)
    # A cardinality restriction on a transitive property is not OWL 2 DL.
    append(folder / "arcon.ttl", "\n".join([
        "arcon:Region rdfs:subClassOf [ a owl:Restriction ; owl:onProperty arcon:partOf ;",
        '    owl:maxCardinality "1"^^xsd:nonNegativeInteger ] .',
    ]))
    report = check_ontology(folder, reasoner=False)
    assert [str(p) for p in report.problems] == [
        "[dl-profile] arcon.ttl: Use of non-simple property in ObjectMaxCardinality restriction: "
        "ObjectMaxCardinality(1 arcon:partOf owl:Thing)  [SubClassOf(arcon:Region ObjectMaxCardinality(1 arcon:partOf owl:Thing))]"
    ]


def test_the_reasoner_refuses_the_same_construct_and_the_profile_says_why(tmp_path):
    folder = copy_ontology(tmp_path)
    append(folder / "arcon.ttl", "\n".join([
        "arcon:Region rdfs:subClassOf [ a owl:Restriction ; owl:onProperty arcon:partOf ;",
        '    owl:maxCardinality "1"^^xsd:nonNegativeInteger ] .',
    ]))
    problems = check_ontology(folder).problems
    assert [p.rule for p in problems] == ["tooling", "dl-profile"]
    assert problems[0].message.startswith("HermiT failed: Non-simple property")
    assert "partOf" in problems[0].message and "cardinality" in problems[0].message
    assert "Use of non-simple property in ObjectMaxCardinality restriction" in problems[1].message


def test_a_triple_the_owl_api_cannot_read(tmp_path):
    folder = copy_ontology(tmp_path)
    append(folder / "markets.ttl", "market:cocaine-trade arcon:undeclaredLink market:heroin-trade .")
    messages = [str(p) for p in check_ontology(folder, reasoner=False).problems]
    assert "[unparsed] markets.ttl: market:cocaine-trade arcon:undeclaredLink market:heroin-trade." in messages
    assert any(m.startswith("[dl-profile] markets.ttl: Use of undeclared annotation property: arcon:undeclaredLink") for m in messages)


def test_a_datatype_outside_owl2_does_not_survive_the_round_trip(tmp_path):
    """xsd:gYear is not in the OWL 2 datatype map: Protégé's RDF/XML would add a declaration for it.
    (That is why arcon:date has an open range and SHACL checks the date types.)"""
    folder = copy_ontology(tmp_path)
    append(folder / "statuses.ttl", 'status:historical arcon:iccsCode "1990"^^<http://www.w3.org/2001/XMLSchema#gYear> .')
    messages = [str(p) for p in check_ontology(folder, reasoner=False).problems]
    assert "[round-trip] statuses.ttl: gained axiom: Declaration(Datatype(xsd:gYear))" in messages


def test_the_summary_counts_labels_per_language(full_report):
    summary = full_report.summary
    assert summary.labels["en"] == summary.labels["es"]
    assert summary.alt_labels["en"] > 500 and summary.alt_labels["es"] > 500
    assert "none" not in summary.labels
