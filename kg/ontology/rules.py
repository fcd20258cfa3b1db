"""Editorial rules every ontology edit must keep (docs/contracts.md §2, issue 2).

Each rule is a function from the parsed modules to a list of :class:`Problem`
whose message names the file and the term, so that an editor knows what to fix:

- every arcon class, property and individual has exactly one ``rdfs:label`` in
  English and one in Spanish; classes and properties have a ``skos:definition``,
  individuals a definition or comment; no two terms share an English label;
- the 18 relations exist, under ``arcon:relatedTo``, with domain, range and
  definition; ``arcon:entityType`` names the ten coarse types once each;
- concepts are typed and in their scheme; relation annotations point to
  existing harm and corruption concepts;
- every module has its header (title, description, licence, created, version);
- reference individuals have the IRIs the contract promises.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.namespaces import ARCON, CONCEPT, PREFIXES, REF
from kg.ontology import contract
from kg.ontology.files import Module
from kg.ontology.model import coarse_types, fine_class
from kg.rdf.iris import kind, slug

OURS = (str(ARCON), str(CONCEPT), str(REF))
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
SKOS_TYPES = (SKOS.Concept, SKOS.ConceptScheme, SKOS.Collection)
HEADER = (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.created, OWL.versionIRI, OWL.versionInfo)
ISO_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


@dataclass(frozen=True, order=True)
class Problem:
    """A broken rule: which rule, and a message naming the file and the term."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


def short(iri: str) -> str:
    """A compact name for messages: ``arcon:Mayor``, ``market:cocaine-trade``, ``ref:place/pe``."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return f"<{iri}>"
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


class _Context:
    """The merged graph plus where each term is declared (for messages)."""

    def __init__(self, parsed: dict[Module, Graph]):
        self.parsed = parsed
        self.graph = Graph()
        self.where: dict[str, str] = {}
        for module, graph in parsed.items():
            self.graph += graph
            for subject in graph.subjects(RDF.type, None):
                if isinstance(subject, URIRef):
                    self.where.setdefault(str(subject), module.path.name)
        self.classes = self._ours(self.graph.subjects(RDF.type, OWL.Class), prefix=str(ARCON))
        self.properties = self._ours(
            (s for t in PROPERTY_TYPES for s in self.graph.subjects(RDF.type, t)), prefix=str(ARCON)
        )
        typed = (
            s for s, t in self.graph.subject_objects(RDF.type)
            if t == OWL.NamedIndividual or t in SKOS_TYPES or (str(t).startswith(str(ARCON)) and t in self.classes)
        )
        self.individuals = self._ours(typed) - self.classes - self.properties

    @staticmethod
    def _ours(nodes: Iterable[object], prefix: str | None = None) -> set[URIRef]:
        starts = (prefix,) if prefix else OURS
        return {n for n in nodes if isinstance(n, URIRef) and str(n).startswith(starts)}

    def at(self, iri: object) -> str:
        return f"{self.where.get(str(iri), '?')}: {short(str(iri))}"


def check_rules(parsed: dict[Module, Graph]) -> list[Problem]:
    """Run every rule over the parsed modules; an empty list means all hold."""
    context = _Context(parsed)
    problems: list[Problem] = []
    for rule in RULES:
        problems.extend(rule(context))
    return sorted(problems)


def labels_per_language(c: _Context) -> list[Problem]:
    problems = []
    for term in sorted(c.classes | c.properties | c.individuals):
        labels = list(c.graph.objects(term, RDFS.label))
        by_lang: dict[str, list[str]] = defaultdict(list)
        for value in labels:
            by_lang[value.language if isinstance(value, Literal) else None].append(str(value))
        for lang in ("en", "es"):
            count = len(by_lang.get(lang, []))
            if count != 1:
                what = "no" if count == 0 else f"{count}"
                problems.append(Problem("label", f"{c.at(term)} has {what} rdfs:label@{lang} (exactly one is required)"))
        for lang in sorted(set(by_lang) - {"en", "es"}, key=str):
            tag = f"@{lang}" if lang else " without a language tag"
            problems.append(Problem("label", f"{c.at(term)} has an rdfs:label{tag}: {by_lang[lang]}"))
    return problems


def definitions(c: _Context) -> list[Problem]:
    problems = []
    for term in sorted(c.classes | c.properties):
        if not any(isinstance(d, Literal) and d.language == "en" for d in c.graph.objects(term, SKOS.definition)):
            problems.append(Problem("definition", f"{c.at(term)} has no skos:definition@en"))
    for term in sorted(c.individuals):
        if (term, SKOS.definition, None) not in c.graph and (term, RDFS.comment, None) not in c.graph:
            problems.append(Problem("definition", f"{c.at(term)} has neither skos:definition nor rdfs:comment"))
    return problems


def unique_english_labels(c: _Context) -> list[Problem]:
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for term in c.classes | c.properties | c.individuals:
        for value in c.graph.objects(term, RDFS.label):
            if isinstance(value, Literal) and value.language == "en":
                owners[str(value).casefold().strip()].add(term)
    return [
        Problem("duplicate-label", f"the English label {text!r} is used by " + ", ".join(c.at(t) for t in sorted(terms)))
        for text, terms in sorted(owners.items())
        if len(terms) > 1
    ]


def relations_present(c: _Context) -> list[Problem]:
    problems = []
    for name in contract.RELATIONS:
        prop = ARCON[name]
        where = f"arcon.ttl: arcon:{name}"
        if (prop, RDF.type, OWL.ObjectProperty) not in c.graph:
            problems.append(Problem("relation", f"{where} is missing: it must be an owl:ObjectProperty (docs/contracts.md §2)"))
            continue
        if (prop, RDFS.subPropertyOf, ARCON.relatedTo) not in c.graph:
            problems.append(Problem("relation", f"{where} is not rdfs:subPropertyOf arcon:relatedTo"))
        for predicate, what in ((RDFS.domain, "rdfs:domain"), (RDFS.range, "rdfs:range"), (SKOS.definition, "skos:definition")):
            if (prop, predicate, None) not in c.graph:
                problems.append(Problem("relation", f"{where} has no {what}"))
        symmetric = (prop, RDF.type, OWL.SymmetricProperty) in c.graph
        if symmetric != (name in contract.SYMMETRIC_RELATIONS):
            should = "must" if name in contract.SYMMETRIC_RELATIONS else "must not"
            problems.append(Problem("relation", f"{where} {should} be an owl:SymmetricProperty"))
    return problems


def entity_type_annotations(c: _Context) -> list[Problem]:
    problems = []
    by_value: dict[str, list[URIRef]] = defaultdict(list)
    for cls, value in c.graph.subject_objects(ARCON.entityType):
        by_value[str(value)].append(cls)
    for value in sorted(contract.ENTITY_TYPES - set(by_value)):
        problems.append(Problem("entity-type", f"no class has arcon:entityType {value!r} (docs/contracts.md §2)"))
    for value, classes in sorted(by_value.items()):
        if value not in contract.ENTITY_TYPES:
            problems.append(Problem("entity-type", f"{c.at(classes[0])} has an unknown arcon:entityType {value!r}"))
        if len(classes) > 1:
            owners = ", ".join(c.at(x) for x in sorted(classes))
            problems.append(Problem("entity-type", f"arcon:entityType {value!r} is on several classes: {owners}"))
    return problems


def concept_schemes(c: _Context) -> list[Problem]:
    problems = []
    for scheme, class_name in contract.SCHEMES.items():
        scheme_iri = URIRef(f"{CONCEPT}{scheme}")
        if (scheme_iri, RDF.type, SKOS.ConceptScheme) not in c.graph:
            problems.append(Problem("scheme", f"the concept scheme {short(str(scheme_iri))} is missing"))
            continue
        members = set(c.graph.subjects(SKOS.inScheme, scheme_iri))
        if not members:
            problems.append(Problem("scheme", f"the concept scheme {short(str(scheme_iri))} has no concepts"))
        for concept in sorted(members):
            if not str(concept).startswith(f"{scheme_iri}/"):
                problems.append(Problem("scheme", f"{c.at(concept)} is in {short(str(scheme_iri))} but its IRI is not under it"))
            for expected in (SKOS.Concept, ARCON[class_name]):
                if (concept, RDF.type, expected) not in c.graph:
                    problems.append(Problem("scheme", f"{c.at(concept)} is not typed {short(str(expected))}"))
    for predicate, scheme in ((ARCON.expressesHarm, "harm"), (ARCON.expressesMechanism, "corruption")):
        for prop, concept in sorted(c.graph.subject_objects(predicate)):
            if (concept, SKOS.inScheme, URIRef(f"{CONCEPT}{scheme}")) not in c.graph:
                statement = f"{c.at(prop)} {short(str(predicate))} {short(str(concept))}"
                problems.append(Problem("scheme", f"{statement}, which is not a concept of the {scheme} scheme"))
    return problems


def module_headers(c: _Context) -> list[Problem]:
    problems = []
    for module, graph in sorted(c.parsed.items(), key=lambda item: item[0].path.name):
        header = URIRef(module.iri)
        for predicate in HEADER:
            if (header, predicate, None) not in graph:
                problems.append(Problem("header", f"{module.path.name}: the ontology header has no {short(str(predicate))}"))
    return problems


def reference_iris(c: _Context) -> list[Problem]:
    problems = []
    types = coarse_types(c.graph)
    for term in sorted(t for t in c.individuals if str(t).startswith(str(REF))):
        code = c.graph.value(term, ARCON.isoCode)
        english = [str(v) for v in c.graph.objects(term, RDFS.label) if isinstance(v, Literal) and v.language == "en"]
        fine = fine_class(str(term), c.graph)
        coarse = types.get(fine or "")
        if coarse is None:
            problems.append(Problem("reference-iri", f"{c.at(term)} is not typed with a class that has a coarse type"))
            continue
        if code is not None:
            if not ISO_CODE.match(str(code)):
                problems.append(Problem(
                    "reference-iri", f"{c.at(term)} has a malformed arcon:isoCode {str(code)!r} (e.g. PE, PE-UCA)"
                ))
            expected = f"{REF}{kind(coarse)}/{str(code).lower()}"
        elif len(english) == 1:
            expected = f"{REF}{kind(coarse)}/{slug(english[0])}"
        else:
            continue  # reported by the label rule
        if str(term) != expected:
            problems.append(Problem("reference-iri", f"{c.at(term)} should have the IRI <{expected}> (docs/contracts.md §1)"))
    return problems


RULES: tuple[Callable[[_Context], list[Problem]], ...] = (
    labels_per_language, definitions, unique_english_labels, relations_present,
    entity_type_annotations, concept_schemes, module_headers, reference_iris,
)
