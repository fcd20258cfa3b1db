"""Editorial rules and syntax checks: the real ontology passes; each deliberately broken copy fails
with a message that names the file and what to fix. (No Java: see test_ontology_reasoning.py.)"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.ontology.check import check_ontology
from ontology_copy import append, copy_ontology, line_of, replace


def problems(directory) -> list[str]:
    return [str(p) for p in check_ontology(directory, reasoner=False, owl_api=False).problems]


def test_the_ontology_keeps_every_rule():
    report = check_ontology(reasoner=False, owl_api=False)
    assert report.problems == []
    summary = report.summary
    assert summary.modules == 7
    assert summary.labels["en"] == summary.labels["es"] > 300
    assert summary.object_properties >= 18 and summary.concepts >= 50 and summary.individuals >= 150


def test_syntax_error_names_file_and_line(tmp_path):
    folder = copy_ontology(tmp_path)
    path = folder / "markets.ttl"
    replace(path, 'rdfs:label "cocaine trade"@en ,', 'rdfs:label "cocaine trade@en ,')
    line = line_of(path, 'rdfs:label "cocaine trade@en')
    found = problems(folder)
    assert len(found) == 1
    assert found[0].startswith(f"[syntax] markets.ttl:{line}: Turtle syntax error")


def test_undefined_prefix_is_a_syntax_error(tmp_path):
    folder = copy_ontology(tmp_path)
    append(folder / "harms.ttl", "nope:thing a owl:Class .")
    [found] = problems(folder)
    assert found.startswith("[syntax] harms.ttl:") and "nope" in found


def test_missing_spanish_label(tmp_path):
    folder = copy_ontology(tmp_path)
    replace(folder / "arcon.ttl", 'rdfs:label "mayor"@en , "alcalde"@es ;', 'rdfs:label "mayor"@en ;')
    assert problems(folder) == ["[label] arcon.ttl: arcon:Mayor has no rdfs:label@es (exactly one is required)"]


def test_two_english_labels(tmp_path):
    folder = copy_ontology(tmp_path)
    replace(folder / "reference.ttl", 'rdfs:label "Shining Path"@en ,', 'rdfs:label "Shining Path"@en , "Sendero"@en ,')
    assert problems(folder) == [
        "[label] reference.ttl: ref:criminal-group/shining-path has 2 rdfs:label@en (exactly one is required)"
    ]


def test_label_without_language_tag(tmp_path):
    folder = copy_ontology(tmp_path)
    replace(folder / "harms.ttl", 'rdfs:label "killing"@en ,', 'rdfs:label "killing"@en , "homicide" ,')
    assert problems(folder) == ["[label] harms.ttl: harm:killing has an rdfs:label without a language tag: ['homicide']"]


def test_duplicate_english_label(tmp_path):
    folder = copy_ontology(tmp_path)
    replace(folder / "arcon.ttl", 'rdfs:label "judge"@en , "juez"@es ;', 'rdfs:label "Mayor"@en , "juez"@es ;')
    assert problems(folder) == [
        "[duplicate-label] the English label 'mayor' is used by arcon.ttl: arcon:Judge, arcon.ttl: arcon:Mayor"
    ]


def test_missing_definition(tmp_path):
    folder = copy_ontology(tmp_path)
    path = folder / "arcon.ttl"
    text = path.read_text(encoding="utf-8")
    start = text.index('    skos:definition "A member of a legislature."@en ;\n')
    path.write_text(text[:start] + text[start:].split("\n", 1)[1], encoding="utf-8")
    assert problems(folder) == ["[definition] arcon.ttl: arcon:Legislator has no skos:definition@en"]


def test_missing_relation(tmp_path):
    folder = copy_ontology(tmp_path)
    path = folder / "arcon.ttl"
    text = path.read_text(encoding="utf-8")
    start = text.index("arcon:kidnaps a owl:ObjectProperty ;")
    end = text.index("arcon:extorts a owl:ObjectProperty ;")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert problems(folder) == [
        "[relation] arcon.ttl: arcon:kidnaps is missing: it must be an owl:ObjectProperty (docs/contracts.md §2)"
    ]


def test_relation_without_range_or_symmetry(tmp_path):
    folder = copy_ontology(tmp_path)
    path = folder / "arcon.ttl"
    replace(path, "arcon:colludesWith a owl:ObjectProperty , owl:SymmetricProperty ;", "arcon:colludesWith a owl:ObjectProperty ;")
    text = path.read_text(encoding="utf-8")
    start = text.index("arcon:arrests a owl:ObjectProperty ;")
    cut = text.index("    rdfs:range arcon:Agent ;\n", start)
    path.write_text(text[:cut] + text[cut:].split("\n", 1)[1], encoding="utf-8")
    assert problems(folder) == [
        "[relation] arcon.ttl: arcon:arrests has no rdfs:range",
        "[relation] arcon.ttl: arcon:colludesWith must be an owl:SymmetricProperty",
    ]


def test_entity_type_on_two_classes(tmp_path):
    folder = copy_ontology(tmp_path)
    replace(folder / "arcon.ttl", 'rdfs:label "clan"@en , "clan familiar"@es ;',
            'rdfs:label "clan"@en , "clan familiar"@es ;\n    arcon:entityType "Person" ;')
    assert problems(folder) == [
        "[entity-type] arcon:entityType 'Person' is on several classes: arcon.ttl: arcon:Clan, arcon.ttl: arcon:Person"
    ]


def test_relation_annotation_must_name_a_harm_concept(tmp_path):
    folder = copy_ontology(tmp_path)
    replace(folder / "arcon.ttl", "arcon:expressesHarm harm:killing ;", "arcon:expressesHarm harm:murder ;")
    assert problems(folder) == [
        "[scheme] arcon.ttl: arcon:kills arcon:expressesHarm harm:murder, which is not a concept of the harm scheme"
    ]


def test_concept_without_its_class(tmp_path):
    folder = copy_ontology(tmp_path)
    replace(folder / "statuses.ttl", "status:denied a owl:NamedIndividual , skos:Concept , arcon:EpistemicStatus ;",
            "status:denied a owl:NamedIndividual , skos:Concept ;")
    assert problems(folder) == ["[scheme] statuses.ttl: status:denied is not typed arcon:EpistemicStatus"]


def test_module_header_needs_a_licence(tmp_path):
    folder = copy_ontology(tmp_path)
    text = (folder / "harms.ttl").read_text(encoding="utf-8")
    start = text.index("    dcterms:license")
    (folder / "harms.ttl").write_text(text[:start] + text[start:].split("\n", 1)[1], encoding="utf-8")
    assert problems(folder) == ["[header] harms.ttl: the ontology header has no dcterms:license"]


def test_reference_iri_must_follow_the_contract(tmp_path):
    folder = copy_ontology(tmp_path)
    replace(folder / "reference.ttl", 'rdfs:label "Gulf Cartel"@en ,', 'rdfs:label "Cartel of the Gulf"@en ,')
    replace(folder / "reference.ttl", 'arcon:isoCode "PE-UCA"', 'arcon:isoCode "PE-UCY"')
    assert problems(folder) == [
        "[reference-iri] reference.ttl: ref:criminal-group/gulf-cartel should have the IRI "
        "<https://w3id.org/arcon/id/criminal-group/cartel-of-the-gulf> (docs/contracts.md §1)",
        "[reference-iri] reference.ttl: ref:place/pe-uca should have the IRI "
        "<https://w3id.org/arcon/id/place/pe-ucy> (docs/contracts.md §1)",
    ]


def test_module_missing_from_the_catalog(tmp_path):
    folder = copy_ontology(tmp_path)
    replace(folder / "catalog-v001.xml", '    <uri id="harms" name="https://w3id.org/arcon/ontology/harms" uri="harms.ttl"/>\n', "")
    assert problems(folder) == [
        '[files] catalog-v001.xml: no entry resolving https://w3id.org/arcon/ontology/harms to harms.ttl '
        '(add <uri name="https://w3id.org/arcon/ontology/harms" uri="harms.ttl"/>)'
    ]


def test_cli_reports_a_broken_rule_without_a_traceback(tmp_path):
    folder = copy_ontology(tmp_path)
    replace(folder / "arcon.ttl", 'rdfs:label "mayor"@en , "alcalde"@es ;', 'rdfs:label "mayor"@en ;')
    result = CliRunner().invoke(cli, ["ontology", "check", "--dir", str(folder), "--no-reasoner", "--no-owlapi"])
    assert result.exit_code == 1
    assert "error: [label] arcon.ttl: arcon:Mayor has no rdfs:label@es" in result.output
    assert "Traceback" not in result.output


def test_cli_summary_on_the_real_ontology_without_java():
    result = CliRunner().invoke(cli, ["ontology", "check", "--no-reasoner", "--no-owlapi"])
    assert result.exit_code == 0, result.output
    for line in ("classes:", "object properties:", "data properties:", "annotation properties:",
                 "reference individuals:", "concepts:", "labels:", "@es", "ontology check passed"):
        assert line in result.output


@pytest.mark.parametrize("variable", ["ARCON_ONTOLOGY_DIR"])
def test_environment_variable_points_the_check_elsewhere(tmp_path, monkeypatch, variable):
    folder = copy_ontology(tmp_path)
    replace(folder / "arcon.ttl", 'rdfs:label "mayor"@en , "alcalde"@es ;', 'rdfs:label "mayor"@en ;')
    monkeypatch.setenv(variable, str(folder))
    assert [str(p) for p in check_ontology(reasoner=False, owl_api=False).problems] == [
        "[label] arcon.ttl: arcon:Mayor has no rdfs:label@es (exactly one is required)"
    ]
