"""Validation results as values, and the two ways people read them: text and a SHACL report in Turtle."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Identifier

from kg.namespaces import PREFIXES


@dataclass(frozen=True, slots=True, order=True)
class Violation:
    """One SHACL validation result: which shape, which focus node, which value, in words."""

    graph: str  # the document graph (or ontology/reference graph) it was found in
    focus: Identifier
    path: URIRef | None
    value: Identifier | None
    shape: Identifier
    component: URIRef
    severity: URIRef
    message: str

    def key(self) -> tuple:
        """What makes two results the same, whatever engine produced them."""
        return (str(self.focus), str(self.path or ""), str(self.value or ""), str(self.shape), str(self.component))


def _short(term: Identifier | None) -> str:
    if term is None:
        return "-"
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, ns in PREFIXES.items():
            if text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns):]}"
        if text.startswith("https://w3id.org/arcon/shapes#"):
            return "arconsh:" + text.split("#", 1)[1]
        return f"<{text}>"
    if isinstance(term, BNode):
        return "[anonymous shape]"
    return term.n3()


def format_text(violations: Iterable[Violation], checked: int | None = None) -> str:
    """A report for people: one block per result, grouped by graph, then a count per shape."""
    violations = sorted(violations, key=lambda v: (v.graph, v.key()))
    lines: list[str] = []
    current = None
    for v in violations:
        if v.graph != current:
            current = v.graph
            lines.append(f"graph <{v.graph}>")
        severity = str(v.severity).rsplit("#", 1)[-1]
        lines.append(f"  {severity}: {v.message or 'constraint not met'}")
        lines.append(f"    focus node: {_short(v.focus)}")
        if v.path is not None:
            lines.append(f"    property:   {_short(v.path)}")
        if v.value is not None:
            lines.append(f"    value:      {_short(v.value)}")
        component = str(v.component).rsplit("#", 1)[-1]
        lines.append(f"    shape:      {_short(v.shape)} ({component})")
    graphs = len({v.graph for v in violations})
    scope = f" in {checked} graphs" if checked is not None else ""
    if violations:
        counts = Counter(v.message or _short(v.shape) for v in violations)
        noun = "violation" if len(violations) == 1 else "violations"
        plural = "" if graphs == 1 else "s"
        of = f" (of {checked} checked)" if checked is not None else ""
        lines.append(f"{len(violations)} {noun} in {graphs} graph{plural}{of}:")
        lines += [f"  {n:6d}  {message}" for message, n in counts.most_common()]
    else:
        lines.append(f"conforms: no violations{scope}")
    return "\n".join(lines) + "\n"


def report_graph(violations: Iterable[Violation]) -> Graph:
    """A standard ``sh:ValidationReport`` (one ``sh:ValidationResult`` per violation)."""
    g = Graph()
    g.bind("sh", SH)
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    violations = sorted(violations, key=lambda v: (v.graph, v.key()))
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(not violations)))
    for v in violations:
        r = BNode()
        g.add((report, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        g.add((r, SH.focusNode, v.focus))
        g.add((r, SH.sourceShape, v.shape))
        g.add((r, SH.sourceConstraintComponent, v.component))
        g.add((r, SH.resultSeverity, v.severity))
        g.add((r, SH.resultMessage, Literal(v.message)))
        g.add((r, URIRef("https://w3id.org/arcon/shapes#graph"), URIRef(v.graph)))
        if v.path is not None:
            g.add((r, SH.resultPath, v.path))
        if v.value is not None:
            g.add((r, SH.value, v.value))
    return g
