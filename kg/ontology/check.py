"""``arcon ontology check``: every check an ontology edit must pass, in one report.

In order, stopping early only when later steps could not run:

1. every ``*.ttl`` parses (rdflib; a syntax error names file and line) and is
   listed in ``catalog-v001.xml``;
2. the editorial rules of :mod:`kg.ontology.rules`;
3. owlready2 loads the modules and HermiT finds them consistent with no
   unsatisfiable class (otherwise the OWL API names the axioms that cause it);
4. the OWL API loads each module with no unparsed triple, finds it in the OWL 2
   DL profile, and gets the same axioms back after saving it as RDF/XML.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespaces import ARCON, CONCEPT, REF
from kg.ontology import hermit, owlapi
from kg.ontology.files import Module, OntologyError, modules, parse_file
from kg.ontology.rules import Problem, check_rules, short

_IRI = re.compile(r"<([^<>\s]+)>")
_ONTOLOGY_ID = re.compile(r" in OntologyID\(OntologyIRI\(<[^>]*>\)(?: VersionIRI\(<[^>]*>\))?\)")
_OWLAPI_RULES = {"ERROR": "owlapi-load", "UNPARSED": "unparsed", "PROFILE": "dl-profile", "ROUNDTRIP": "round-trip"}


@dataclass(frozen=True)
class Summary:
    """Counts an editor can glance at to see that an edit did what they meant."""

    modules: int = 0
    classes: int = 0
    object_properties: int = 0
    data_properties: int = 0
    annotation_properties: int = 0
    individuals: int = 0
    concepts: int = 0
    labels: dict[str, int] = field(default_factory=dict)
    alt_labels: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        def per_lang(counts: dict[str, int]) -> str:
            return ", ".join(f"{n} @{lang}" for lang, n in sorted(counts.items()))

        return [
            f"modules: {self.modules}",
            f"classes: {self.classes}",
            f"object properties: {self.object_properties}",
            f"data properties: {self.data_properties}",
            f"annotation properties: {self.annotation_properties}",
            f"reference individuals: {self.individuals}",
            f"concepts: {self.concepts}",
            f"labels: {per_lang(self.labels)}",
            f"alt labels: {per_lang(self.alt_labels)}",
        ]


@dataclass(frozen=True)
class CheckReport:
    summary: Summary
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def summarise(graph: Graph, module_count: int) -> Summary:
    """Count the ontology's own terms (arcon classes and properties, reference individuals, concepts)."""

    def ours(rdf_type: URIRef, namespace: str) -> int:
        return sum(1 for s in set(graph.subjects(RDF.type, rdf_type)) if str(s).startswith(namespace))

    def by_lang(predicate: URIRef) -> dict[str, int]:
        return dict(Counter(o.language or "none" for o in graph.objects(None, predicate) if isinstance(o, Literal)))

    individuals = {s for s in graph.subjects(RDF.type, OWL.NamedIndividual) if str(s).startswith((str(REF), str(ARCON)))}
    return Summary(
        modules=module_count,
        classes=ours(OWL.Class, str(ARCON)),
        object_properties=ours(OWL.ObjectProperty, str(ARCON)),
        data_properties=ours(OWL.DatatypeProperty, str(ARCON)),
        annotation_properties=ours(OWL.AnnotationProperty, str(ARCON)),
        individuals=len(individuals),
        concepts=ours(SKOS.Concept, str(CONCEPT)),
        labels=by_lang(RDFS.label),
        alt_labels=by_lang(SKOS.altLabel),
    )


def shorten(text: str) -> str:
    """Write the IRIs in an OWL API axiom as prefixed names, without the ontology id the OWL API appends."""
    return _IRI.sub(lambda m: short(m.group(1)), _ONTOLOGY_ID.sub("", text))


def check_ontology(directory: Path | None = None, *, reasoner: bool = True, owl_api: bool = True) -> CheckReport:
    """Run the checks on an ontology folder (default: the one ARCON uses)."""
    try:
        found = modules(directory)
        parsed = {m: parse_file(m.path) for m in found}
    except OntologyError as error:
        return CheckReport(Summary(), [Problem(error.rule, str(error))])
    merged = Graph()
    for graph in parsed.values():
        merged += graph
    summary = summarise(merged, len(found))
    problems = check_rules(parsed)
    steps = [step for step, wanted in ((reasoner_problems, reasoner), (owl_api_problems, owl_api)) if wanted]
    for step in steps:  # each runs even when the other fails: a HermiT crash is explained by the DL profile
        try:
            problems += step(found)
        except OntologyError as error:
            problems.append(Problem("tooling", str(error)))
    return CheckReport(summary, problems)


def reasoner_problems(found: list[Module]) -> list[Problem]:
    """HermiT through owlready2; when it objects, the OWL API names the axioms responsible."""
    result = hermit.classify(found)
    if result.consistent and not result.unsatisfiable:
        return []
    problems = []
    current: Problem | None = None
    causes: list[str] = []

    def close() -> None:
        if current is not None:
            problems.append(Problem(current.rule, current.message + "; caused by: " + "; ".join(causes)))

    for finding in owlapi.run_checker(found, "explain"):
        if finding.kind in ("INCONSISTENT", "UNSAT"):
            close()
            causes = []
            if finding.kind == "INCONSISTENT":
                current = Problem("consistency", "HermiT finds the ontology inconsistent")
            else:
                current = Problem("unsatisfiable", f"HermiT finds {short(finding.text)} unsatisfiable (it can have no instance)")
        elif finding.kind == "CAUSE":
            causes.append(f"{shorten(finding.text)} (in {finding.file})")
        elif finding.kind == "ERROR":
            problems.append(Problem("consistency", finding.text))
    close()
    if not problems:  # owlready2 and the OWL API disagree: still report what owlready2 saw
        what = "inconsistent" if not result.consistent else "unsatisfiable: " + ", ".join(map(short, result.unsatisfiable))
        problems.append(Problem("consistency", f"HermiT (owlready2) finds the ontology {what}"))
    return problems


def owl_api_problems(found: list[Module]) -> list[Problem]:
    """Load, unparsed triples, OWL 2 DL profile and RDF/XML round trip, per module."""
    findings = owlapi.run_checker(found, "check", [m.path for m in found])
    loaded = {f.file for f in findings if f.kind == "LOADED"}
    problems = [
        Problem(_OWLAPI_RULES[f.kind], f"{f.file}: {shorten(f.text)}")
        for f in findings
        if f.kind in _OWLAPI_RULES
    ]
    for module in found:
        if module.path.name not in loaded and not any(p.message.startswith(module.path.name) for p in problems):
            problems.append(Problem("owlapi-load", f"{module.path.name}: the OWL API did not report on it"))
    return problems
