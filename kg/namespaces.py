"""The IRIs every part of the system agrees on (see docs/contracts.md).

Only namespace roots live here; individual terms are written as ``ARCON.Claim``
etc. and must exist in ``ontology/`` (a test checks every ``ARCON.x`` used in the
code against the ontology).
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

#: The ontology document and its terms (classes and properties).
ONTOLOGY_IRI = "https://w3id.org/arcon/ontology"
ARCON = Namespace("https://w3id.org/arcon/ontology#")

#: SKOS concepts: criminal markets, corruption mechanisms, harms, epistemic statuses.
CONCEPT = Namespace("https://w3id.org/arcon/concept/")
MARKET = Namespace("https://w3id.org/arcon/concept/market/")
CORRUPTION = Namespace("https://w3id.org/arcon/concept/corruption/")
HARM = Namespace("https://w3id.org/arcon/concept/harm/")
STATUS = Namespace("https://w3id.org/arcon/concept/status/")

#: Curated reference individuals (places, institutions, known groups).
REF = Namespace("https://w3id.org/arcon/id/")

#: Default base for IRIs minted from data; ARCON_BASE overrides it (kg.rdf.iris).
DEFAULT_BASE = "https://w3id.org/arcon/"

ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
SCHEMA = Namespace("https://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")

PREFIXES: dict[str, str] = {
    "arcon": str(ARCON),
    "market": str(MARKET),
    "corruption": str(CORRUPTION),
    "harm": str(HARM),
    "status": str(STATUS),
    "ref": str(REF),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "org": str(ORG),
    "foaf": str(FOAF),
    "nif": str(NIF),
    "schema": str(SCHEMA),
    "void": str(VOID),
    "dcat": str(DCAT),
}
