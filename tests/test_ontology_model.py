"""The ontology as the rest of ARCON reads it (kg.ontology.model), against docs/contracts.md."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespaces import ARCON, CONCEPT, REF
from kg.ontology import contract
from kg.ontology.model import (
    class_of_type, coarse_type, coarse_types, concepts, entity_types, fine_class, gazetteer_records, label,
    load_ontology, relations, superclasses,
)
from kg.rdf.iris import entity_iri

PLACE = REF["place/"]


@pytest.fixture(scope="module")
def graph():
    return load_ontology()


@pytest.fixture(scope="module")
def records():
    return gazetteer_records()


def test_parts_split_the_ontology_from_the_reference_individuals(graph):
    tbox = load_ontology("ontology")
    reference = load_ontology("reference")
    assert (ARCON.CriminalGroup, RDF.type, OWL.Class) in tbox
    assert (REF["criminal-group/shining-path"], RDF.type, ARCON.InsurgentGroup) not in tbox
    assert (REF["criminal-group/shining-path"], RDF.type, ARCON.InsurgentGroup) in reference
    assert (ARCON.CriminalGroup, RDF.type, OWL.Class) not in reference
    assert len(graph) == len(tbox + reference)


def test_load_ontology_returns_a_graph_the_caller_may_change():
    first = load_ontology()
    first.remove((None, None, None))
    assert len(load_ontology()) > 4000


def test_contract_terms_exist(graph):
    classes = """Agent Person Organization CriminalGroup InsurgentGroup DrugTraffickingOrganization MafiaStyleGroup
        CriminalNetwork Clan ArmedGroup StateInstitution Police Military Judiciary ProsecutionService NationalGovernment
        LocalGovernment ElectoralAuthority AntiDrugAgency Legislature PublicOfficial Mayor RegionalGovernor Judge
        PoliceOfficer MilitaryOfficer Minister Prosecutor Candidate Legislator Company InternationalOrganization NGO
        VictimGroup IndigenousCommunity Farmers Workers Women Children Place Country Region Province City Area
        CriminalMarket CorruptionMechanism Harm EpistemicStatus Claim Sentence Article ExtractionRun Mention""".split()
    for name in classes:
        assert (ARCON[name], RDF.type, OWL.Class) in graph, name
    object_properties = "partOf basedIn subject object place status sentence article harm mechanism inArticle mentionedIn mentionOf".split()
    for name in object_properties:
        assert (ARCON[name], RDF.type, OWL.ObjectProperty) in graph, name
    data_properties = "isoCode date confidence text startOffset endOffset url publisherName contentHash pipelineName pipelineVersion mentionName mentionAlias".split()
    for name in data_properties:
        assert (ARCON[name], RDF.type, OWL.DatatypeProperty) in graph, name
    for name in "relation entityType expressesHarm expressesMechanism mentionClass".split():
        assert (ARCON[name], RDF.type, OWL.AnnotationProperty) in graph, name
    assert (ARCON.UnspecifiedAgent, RDF.type, ARCON.Agent) in graph
    assert (ARCON.partOf, RDF.type, OWL.TransitiveProperty) in graph
    assert (ARCON.Agent, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Agent")) in graph
    assert (ARCON.Place, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Location")) in graph
    assert (ARCON.Organization, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Organization")) in graph


def test_every_arcon_term_named_in_the_code_exists(graph):
    """kg/namespaces.py promises it: ARCON.x and ARCON["x"] anywhere in kg/ must be an ontology term."""
    package = Path(__file__).resolve().parent.parent / "kg"
    used = set()
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ARCON":
                used.add((node.attr, source.name))
            if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "ARCON"
                    and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
                used.add((node.slice.value, source.name))
    assert used, "expected the code to name some ontology terms"
    missing = sorted((name, where) for name, where in used if (ARCON[name], None, None) not in graph)
    assert not missing, f"terms used in kg/ but absent from ontology/: {missing}"


def test_coarse_types_follow_the_nearest_annotated_superclass():
    assert entity_types() == sorted(contract.ENTITY_TYPES)
    assert coarse_type(ARCON.PoliceOfficer) == "PublicOfficial"  # not Person, though PublicOfficial ⊑ Person
    assert coarse_type(ARCON.Person) == "Person"
    assert coarse_type(ARCON.InsurgentGroup) == "CriminalGroup"
    assert coarse_type(ARCON.AntiDrugAgency) == "StateInstitution"
    assert coarse_type(ARCON.IndigenousCommunity) == "VictimGroup"
    assert coarse_type(ARCON.Region) == "Place"
    assert coarse_type(ARCON.CriminalMarket) == "Market"
    assert coarse_type(ARCON.Agent) is None
    assert coarse_type(ARCON.Claim) is None
    assert class_of_type("Market") == str(ARCON.CriminalMarket)
    for entity_type in contract.ENTITY_TYPES:
        assert coarse_types()[class_of_type(entity_type)] == entity_type


def test_superclasses_nearest_first():
    chain = superclasses(ARCON.Mayor)
    assert chain.index(str(ARCON.PublicOfficial)) < chain.index(str(ARCON.Person)) < chain.index(str(ARCON.Agent))


def test_fine_class_of_individuals():
    assert fine_class(REF["criminal-group/shining-path"]) == str(ARCON.InsurgentGroup)
    assert fine_class(CONCEPT["market/cocaine-trade"]) == str(ARCON.CriminalMarket)  # not skos:Concept
    assert fine_class(PLACE + "pe-uca") == str(ARCON.Region)


@pytest.mark.parametrize(("text", "lang", "iri", "coarse"), [
    ("cartel", "en", ARCON.DrugTraffickingOrganization, "CriminalGroup"),
    ("drug gang", "en", ARCON.DrugTraffickingOrganization, "CriminalGroup"),
    ("narcos", "en", ARCON.DrugTraffickingOrganization, "CriminalGroup"),
    ("policeman", "en", ARCON.PoliceOfficer, "PublicOfficial"),
    ("police chief", "en", ARCON.PoliceOfficer, "PublicOfficial"),
    ("farmer", "en", ARCON.Farmers, "VictimGroup"),
    ("indigenous community", "en", ARCON.IndigenousCommunity, "VictimGroup"),
    ("PBC", "en", CONCEPT["market/cocaine-trade"], "Market"),
    ("cocaine base paste", "en", CONCEPT["market/cocaine-trade"], "Market"),
    ("coca paste", "en", CONCEPT["market/cocaine-trade"], "Market"),
    ("pasta básica de cocaína", "es", CONCEPT["market/cocaine-trade"], "Market"),
    ("coca", "en", CONCEPT["market/coca-cultivation"], "Market"),
    ("Sendero Luminoso", "es", REF["criminal-group/shining-path"], "CriminalGroup"),
    ("SL", "en", REF["criminal-group/shining-path"], "CriminalGroup"),
    ("Shining Path", "en", REF["criminal-group/shining-path"], "CriminalGroup"),
    ("Dirandro", "en", REF["state-institution/anti-drug-directorate-of-the-national-police"], "StateInstitution"),
    ("DEA", "en", REF["state-institution/drug-enforcement-administration"], "StateInstitution"),
    ("UNODC", "en", REF["international-organization/united-nations-office-on-drugs-and-crime"], "InternationalOrganization"),
    ("Ucayali", "en", PLACE + "pe-uca", "Place"),
    ("VRAEM", "en", PLACE + "vraem", "Place"),
    ("Alto Huallaga", "es", PLACE + "upper-huallaga", "Place"),
])
def test_gazetteer_knows_how_news_writes_names(records, text, lang, iri, coarse):
    hits = [r for r in records if r.text == text and r.lang == lang and r.iri == str(iri)]
    assert hits, f"no gazetteer record {text!r}@{lang} for {iri}"
    assert hits[0].coarse_type == coarse


def test_gazetteer_records_are_typed_and_cover_both_languages(records):
    assert {r.coarse_type for r in records} == contract.ENTITY_TYPES
    assert {r.lang for r in records} == {"en", "es"}
    individual = next(r for r in records if r.text == "Shining Path")
    assert (individual.kind, individual.preferred, individual.fine_class) == ("individual", True, str(ARCON.InsurgentGroup))
    role = next(r for r in records if r.text == "police officer" and r.lang == "en")
    assert (role.kind, role.iri) == ("class", str(ARCON.PoliceOfficer))
    # Harms, statuses and claims are not things the extractor finds in text.
    assert not [r for r in records if r.iri.startswith((str(CONCEPT["harm/"]), str(CONCEPT["status/"])))]
    assert not [r for r in records if r.iri == str(ARCON.UnspecifiedAgent)]


def test_relations_match_the_contract():
    found = relations()
    assert sorted(found) == sorted(contract.RELATIONS)
    for relation in found.values():
        assert relation.domain and relation.range and relation.definition, relation.name
        assert set(relation.label) == {"en", "es"}
        assert relation.cues.get("en") and relation.cues.get("es"), relation.name
    assert found["kills"].harm == str(CONCEPT["harm/killing"])
    assert found["displaces"].harm == str(CONCEPT["harm/displacement"])
    assert found["bribes"].mechanism == str(CONCEPT["corruption/bribery"])
    assert found["colludesWith"].mechanism == str(CONCEPT["corruption/collusion"])
    assert {r.name for r in found.values() if r.symmetric} == contract.SYMMETRIC_RELATIONS
    assert found["operatesIn"].range == (str(ARCON.Place),)
    assert found["engagesIn"].range == (str(ARCON.CriminalMarket),)
    assert set(found["protects"].range) == {str(ARCON.Agent), str(ARCON.CriminalMarket)}
    assert found["leads"].domain == (str(ARCON.Person),)


def test_concept_schemes_hold_the_contract_concepts():
    market = {c.slug for c in concepts("market")}
    assert market >= {
        "human-trafficking", "human-smuggling", "extortion-and-protection-racketeering", "arms-trafficking",
        "trade-in-counterfeit-goods", "illicit-trade-in-excisable-goods", "flora-crimes", "fauna-crimes",
        "non-renewable-resource-crimes", "heroin-trade", "cocaine-trade", "cannabis-trade", "synthetic-drug-trade",
        "cyber-dependent-crimes", "financial-crimes", "coca-cultivation", "cocaine-processing", "cocaine-trafficking",
        "cocaine-export", "money-laundering", "land-trafficking", "illegal-logging", "illegal-mining",
    }
    by_slug = {c.slug: c for c in concepts("market")}
    assert set(by_slug["money-laundering"].broader) == {str(CONCEPT["market/cocaine-trade"]), str(CONCEPT["market/financial-crimes"])}
    assert by_slug["illegal-logging"].broader == (str(CONCEPT["market/flora-crimes"]),)
    assert by_slug["illegal-mining"].broader == (str(CONCEPT["market/non-renewable-resource-crimes"]),)
    assert {c.slug for c in concepts("corruption")} == {
        "bribery", "protection", "collusion", "embezzlement", "money-laundering", "illicit-campaign-financing",
        "obstruction-of-justice", "institutional-co-optation",
    }
    assert {c.slug for c in concepts("harm")} == {
        "killing", "kidnapping", "forced-labour", "child-labour-and-recruitment", "human-trafficking",
        "sexual-exploitation", "displacement", "extortion", "threats-and-intimidation", "environmental-destruction",
    }
    statuses = {c.slug: c for c in concepts("status")}
    assert set(statuses) == {"reported", "alleged", "denied", "charged", "convicted", "historical"}
    assert "allegedly" in statuses["alleged"].cues["en"]


# ICCS 1.0 (UNODC, March 2015) codes checked against a text that quotes the code with its category:
# OAS = http://www.oas.org/ios/glossarydetails.aspx?lang=en&type=0&id=N (each entry cites the ICCS page).
CONFIRMED_ICCS_CODES = {
    ("corruption", "bribery"): "07031",          # worldbank.github.io/sdg-metadata/metadata/en/16-5-1 "(ICCS Category 07031)"
    ("corruption", "embezzlement"): "07032",     # OAS id=68 (fraud), exclusions: "embezzlement (07032)"
    ("corruption", "protection"): "07033",       # OAS id=73 (sexual exploitation), exclusions: "abuse of function (07033)"
    ("corruption", "money-laundering"): "07041",  # OAS id=82 "Money laundering (ICCS 07041)"
    ("market", "money-laundering"): "07041",
    ("harm", "killing"): "0101",                 # OAS id=20 "Intentional Homicide (ICCS 0101)"
    ("harm", "kidnapping"): "020221",            # OAS id=39 "Kidnapping (ICCS 020221)"
    ("harm", "human-trafficking"): "0204",       # OAS id=39 and id=78, exclusions: "Trafficking in persons (0204)"
    ("market", "human-trafficking"): "0204",
    ("harm", "sexual-exploitation"): "0302",     # OAS id=73 "Sexual exploitation (ICCS 0302)"
    ("harm", "environmental-destruction"): "1001",  # OAS id=86 "... environmental pollution or degradation (ICCS 1001)"
    ("market", "human-smuggling"): "08051",      # OAS id=78 "Smuggling of migrants offences (ICCS 08051)"; 08041 is tax/customs
    ("market", "arms-trafficking"): "09012",     # OAS id=79 "Trafficking of weapons and explosives (ICCS 09012)"
    ("market", "illegal-logging"): "1004",       # OAS id=89 "(ICCS 1004)", inclusions: "Illegal logging"
    ("market", "illegal-mining"): "1004",        # OAS id=89, inclusions: "illegal mining"
}


def test_iccs_codes_confirmed_against_the_iccs_text():
    found = {(scheme, c.slug): c.iccs_code for scheme in ("corruption", "harm", "market") for c in concepts(scheme)}
    assert {key: found[key] for key in CONFIRMED_ICCS_CODES} == CONFIRMED_ICCS_CODES


def test_iccs_codes_have_the_shape_of_an_iccs_category():
    """Two-digit section 01-11, then division (4 digits), group (5) or class (6): a slip such as "0805 1" or "8051" fails."""
    codes = {(scheme, c.slug): c.iccs_code for scheme in ("corruption", "harm", "market") for c in concepts(scheme)
             if c.iccs_code is not None}
    assert len(codes) >= len(CONFIRMED_ICCS_CODES)
    bad = {key: code for key, code in codes.items()
           if not (code.isdigit() and len(code) in (4, 5, 6) and 1 <= int(code[:2]) <= 11)}
    assert bad == {}


def test_the_fifteen_gitoc_markets(graph):
    members = set(graph.objects(CONCEPT["market/gitoc-index"], SKOS.member))
    assert len(members) == 15


def test_peru_has_its_26_first_level_divisions_each_with_a_capital(graph):
    codes = {str(c) for c in graph.objects(None, ARCON.isoCode) if str(c).startswith("PE-")}
    assert codes == {f"PE-{c}" for c in (
        "AMA ANC APU ARE AYA CAJ CAL CUS HUV HUC ICA JUN LAL LAM LIM LMA LOR MDD MOQ PAS PIU PUN SAM TAC TUM UCA".split()
    )}
    for code in codes:
        region = URIRef(PLACE + code.lower())
        assert (region, RDF.type, ARCON.Region) in graph
        assert (region, ARCON.partOf, URIRef(PLACE + "pe")) in graph
        capitals = list(graph.subjects(ARCON.capitalOf, region))
        assert len(capitals) == 1, code
        assert (capitals[0], RDF.type, ARCON.City) in graph
        assert (capitals[0], ARCON.partOf, region) in graph
    assert label(PLACE + "pucallpa") == "Pucallpa"
    assert (URIRef(PLACE + "pucallpa"), ARCON.capitalOf, URIRef(PLACE + "pe-uca")) in graph


def test_valleys_lie_in_the_regions_they_span(graph):
    vraem = set(graph.objects(URIRef(PLACE + "vraem"), ARCON.partOf))
    assert {URIRef(PLACE + c) for c in ("pe-aya", "pe-cus", "pe-jun", "pe-huv", "pe-apu")} <= vraem
    huallaga = set(graph.objects(URIRef(PLACE + "upper-huallaga"), ARCON.partOf))
    assert {URIRef(PLACE + "pe-huc"), URIRef(PLACE + "pe-sam")} <= huallaga


def test_foreign_groups_are_based_in_their_country(graph):
    expected = {
        "sinaloa-cartel": "mx", "gulf-cartel": "mx", "los-zetas": "mx", "farc": "co", "los-urabenos": "co",
        "los-rastrojos": "co", "ndrangheta": "it", "primeiro-comando-da-capital": "br",
    }
    for group, country in expected.items():
        assert (REF[f"criminal-group/{group}"], ARCON.basedIn, URIRef(PLACE + country)) in graph, group
    countries = {str(c) for c in graph.objects(None, ARCON.isoCode) if "-" not in str(c)}
    assert {"PE", "BO", "BR", "CO", "EC", "CL", "MX", "US", "ES", "NL"} <= countries


def test_reference_iris_meet_the_iris_minted_from_text(graph, monkeypatch):
    """An entity the extractor mints from a name and type lands on the curated IRI (contracts §1)."""
    monkeypatch.delenv("ARCON_BASE", raising=False)
    checked = 0
    for individual in set(graph.subjects(RDF.type, OWL.NamedIndividual)):
        if not str(individual).startswith(str(REF)) or (individual, ARCON.isoCode, None) in graph:
            continue
        fine = fine_class(individual, graph)
        assert entity_iri(coarse_type(fine), label(individual)) == str(individual)
        checked += 1
    assert checked > 80
