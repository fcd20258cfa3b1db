"""SHACL shapes compiled to SPARQL, so validation runs inside pyoxigraph in milliseconds.

pySHACL takes ~60 ms for one small document graph on this machine; the gate
has a budget of 20 ms and ``arcon validate`` must check a million quads in
minutes. Each constraint of the shapes becomes one SPARQL group pattern that
binds the focus node ``?this`` (and the offending ``?value``) of every
violation; the same pattern runs on one document (the gate) or inside
``GRAPH ?g`` over the whole store, so a store check means the same thing as
checking each document graph alone.

Only the SHACL used by ``shapes/`` and the generated shapes is supported
(targets: class, subjects-of, objects-of, node, SHACL-AF SPARQL target;
constraints: min/max count 0-1, datatype, nodeKind, class, in, value ranges,
pattern, min/max length, lessThan, or). Anything else raises
:class:`UnsupportedShape` naming the shape, so a new construct cannot be
silently ignored. ``tests/test_validate.py`` checks the results equal
pySHACL's on the fixtures.

Two deliberate differences from pySHACL, both because of how pyoxigraph stores
literals: it keeps integer-derived types (``xsd:nonNegativeInteger``) as
``xsd:integer``, so ``sh:datatype xsd:nonNegativeInteger`` accepts an
``xsd:integer`` ≥ 0; and lexical well-formedness is checked (by a cast) only
for the types rdflib checks too.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Identifier, Node

from kg.rdf.tbox import Tbox

_CASTABLE = {XSD.date, XSD.dateTime, XSD.decimal, XSD.integer, XSD.boolean, XSD.double, XSD.float}
_INTEGER_DERIVED = {XSD.nonNegativeInteger: ">= 0", XSD.positiveInteger: "> 0", XSD.nonPositiveInteger: "<= 0",
                    XSD.negativeInteger: "< 0"}
_KNOWN_KEYS = {
    RDF.type, SH.path, SH.property, SH.message, SH.severity, SH.name, SH.description, SH.targetClass,
    SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.minCount, SH.maxCount,
    SH.datatype, SH.nodeKind, SH["class"], SH["in"], SH.minInclusive, SH.maxInclusive, SH.minExclusive,
    SH.maxExclusive, SH.pattern, SH.flags, SH.minLength, SH.maxLength, SH.lessThan, SH["or"], SH.deactivated,
    SH.order, SH.group,
}


class UnsupportedShape(ValueError):
    """The shapes use SHACL this compiler does not translate; validate with pySHACL or extend it."""


@dataclass(frozen=True, slots=True)
class Check:
    """One constraint of one shape, as a SPARQL group pattern binding ``?this`` and maybe ``?value``."""

    shape: Identifier  # the property shape, or the node shape for node-level constraints
    component: URIRef  # e.g. sh:MinCountConstraintComponent
    path: URIRef | None
    severity: URIRef
    message: str
    pattern: str


def _term(node: Node) -> str:
    return node.n3()


def _list(g: Graph, head: Node) -> list[Node]:
    return list(Collection(g, head))


class _Compiler:
    def __init__(self, shapes: Graph, tbox: Tbox):
        self.g = shapes
        self.tbox = tbox
        self.n = 0

    def var(self, stem: str) -> str:
        self.n += 1
        return f"?_{stem}{self.n}"

    # -- targets ----------------------------------------------------------------
    def instances(self, var: str, cls: Node) -> str:
        """SHACL instance of ``cls``: its own type or a subclass (the hierarchy comes from the ontology)."""
        t = self.var("t")
        classes = " ".join(f"<{c}>" for c in sorted(self.tbox.subclasses(str(cls))))
        return f"{var} a {t} . VALUES {t} {{ {classes} }}"

    def focus(self, shape: Node) -> str | None:
        parts = []
        for cls in self.g.objects(shape, SH.targetClass):
            parts.append(self.instances("?this", cls))
        for p in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"?this {_term(p)} {self.var('x')} .")
        for p in self.g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{self.var('x')} {_term(p)} ?this .")
        for node in self.g.objects(shape, SH.targetNode):
            parts.append(f"VALUES ?this {{ {_term(node)} }}")
        for target in self.g.objects(shape, SH.target):
            select = self.g.value(target, SH.select)
            if (target, RDF.type, SH.SPARQLTarget) not in self.g or select is None:
                raise UnsupportedShape(f"shape {shape}: only SPARQL targets (sh:SPARQLTarget) are supported as sh:target")
            parts.append(f"{{ {select} }}")
        if not parts:
            return None
        return " UNION ".join(f"{{ {p} }}" for p in parts)

    # -- value constraints --------------------------------------------------------
    def value_ok(self, shape: Node, v: str) -> list[tuple[URIRef, str]]:
        """(component, SPARQL expression true when value ``v`` conforms) for each value constraint of ``shape``."""
        g, out = self.g, []
        for dt in g.objects(shape, SH.datatype):
            out.append((SH.DatatypeConstraintComponent, self.datatype_ok(v, dt)))
        for kind in g.objects(shape, SH.nodeKind):
            out.append((SH.NodeKindConstraintComponent, _node_kind(v, kind, shape)))
        for cls in g.objects(shape, SH["class"]):
            out.append((SH.ClassConstraintComponent, f"EXISTS {{ {self.instances(v, cls)} }}"))
        for head in g.objects(shape, SH["in"]):
            members = _list(g, head)
            test = " || ".join(f"sameTerm({v}, {_term(m)})" for m in members) or "false"
            out.append((SH.InConstraintComponent, f"({test})"))
        for key, op, comp in ((SH.minInclusive, ">=", SH.MinInclusiveConstraintComponent),
                              (SH.maxInclusive, "<=", SH.MaxInclusiveConstraintComponent),
                              (SH.minExclusive, ">", SH.MinExclusiveConstraintComponent),
                              (SH.maxExclusive, "<", SH.MaxExclusiveConstraintComponent)):
            for bound in g.objects(shape, key):
                out.append((comp, f"COALESCE({v} {op} {_term(bound)}, false)"))
        for pattern in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            args = f"STR({v}), {_term(Literal(str(pattern)))}" + (f", {_term(Literal(str(flags)))}" if flags else "")
            out.append((SH.PatternConstraintComponent, f"(!isBlank({v}) && COALESCE(REGEX({args}), false))"))
        for key, op, comp in ((SH.minLength, ">=", SH.MinLengthConstraintComponent),
                              (SH.maxLength, "<=", SH.MaxLengthConstraintComponent)):
            for bound in g.objects(shape, key):
                out.append((comp, f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(bound)})"))
        for head in g.objects(shape, SH["or"]):
            alternatives = [self.alternative_ok(alt, v) for alt in _list(g, head)]
            out.append((SH.OrConstraintComponent, "(" + " || ".join(alternatives) + ")"))
        return out

    def alternative_ok(self, alt: Node, v: str) -> str:
        """A member of ``sh:or``: value constraints, or a property with ``sh:minCount 1`` checked on ``v``."""
        keys = set(self.g.predicates(alt)) - {RDF.type, SH.message, SH.name}
        path = self.g.value(alt, SH.path)
        if path is not None:
            if keys - {SH.path, SH.minCount} or int(self.g.value(alt, SH.minCount, default=Literal(0))) != 1:
                raise UnsupportedShape(f"sh:or member {alt}: only [ sh:path p ; sh:minCount 1 ] is supported")
            return f"EXISTS {{ {v} {_term(path)} {self.var('y')} }}"
        parts = [expr for _, expr in self.value_ok(alt, v)]
        return "(" + (" && ".join(parts) or "true") + ")"

    def datatype_ok(self, v: str, dt: Node) -> str:
        if dt == RDF.langString:
            return f"(isLiteral({v}) && LANG({v}) != \"\")"
        if dt in _INTEGER_DERIVED:
            return (f"(isLiteral({v}) && (datatype({v}) = {_term(dt)} || datatype({v}) = {_term(XSD.integer)})"
                    f" && COALESCE({v} {_INTEGER_DERIVED[dt]}, false))")
        expr = f"(isLiteral({v}) && datatype({v}) = {_term(dt)}"
        if dt in _CASTABLE:
            expr += f" && COALESCE(isLiteral({_term(dt)}(STR({v}))), false)"
        return expr + ")"

    # -- shapes -----------------------------------------------------------------
    def checks(self) -> list[Check]:
        out: list[Check] = []
        node_shapes = set(self.g.subjects(RDF.type, SH.NodeShape))
        for key in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target):
            node_shapes |= set(self.g.subjects(key, None))
        for shape in sorted(node_shapes, key=str):
            if self.g.value(shape, SH.deactivated) == Literal(True):
                continue
            focus = self.focus(shape)
            if focus is None:
                continue
            self.reject_unknown(shape)
            out += self.node_checks(shape, focus)
            for prop in sorted(self.g.objects(shape, SH.property), key=str):
                if self.g.value(prop, SH.deactivated) == Literal(True):
                    continue
                self.reject_unknown(prop)
                out += self.property_checks(prop, focus)
        return out

    def reject_unknown(self, shape: Node) -> None:
        unknown = set(self.g.predicates(shape)) - _KNOWN_KEYS
        if unknown:
            names = ", ".join(sorted(str(u) for u in unknown))
            raise UnsupportedShape(f"shape {shape} uses {names}, which the SPARQL compiler does not support")

    def meta(self, shape: Node) -> tuple[URIRef, str]:
        severity = self.g.value(shape, SH.severity, default=SH.Violation)
        message = self.g.value(shape, SH.message)
        return severity, str(message) if message is not None else ""

    def node_checks(self, shape: Node, focus: str) -> list[Check]:
        severity, message = self.meta(shape)
        checks = []
        for component, ok in self.value_ok(shape, "?this"):
            pattern = f"{{ {focus} }} BIND(?this AS ?value) FILTER(!({ok}))"
            checks.append(Check(shape, component, None, severity, message, pattern))
        return checks

    def property_checks(self, prop: Node, focus: str) -> list[Check]:
        path = self.g.value(prop, SH.path)
        if not isinstance(path, URIRef):
            raise UnsupportedShape(f"property shape {prop}: only a single IRI as sh:path is supported")
        severity, message = self.meta(prop)
        p = _term(path)
        checks = []

        def add(component: URIRef, pattern: str) -> None:
            checks.append(Check(prop, component, path, severity, message, pattern))

        for bound in self.g.objects(prop, SH.minCount):
            if int(bound) > 1:
                raise UnsupportedShape(f"property shape {prop}: sh:minCount above 1 is not supported")
            if int(bound) == 1:
                add(SH.MinCountConstraintComponent, f"{{ {focus} }} FILTER NOT EXISTS {{ ?this {p} ?_any }}")
        for bound in self.g.objects(prop, SH.maxCount):
            if int(bound) == 0:
                add(SH.MaxCountConstraintComponent, f"{{ {focus} }} FILTER EXISTS {{ ?this {p} ?_any }}")
            elif int(bound) == 1:
                add(SH.MaxCountConstraintComponent,
                    f"{{ {focus} }} FILTER EXISTS {{ ?this {p} ?_a , ?_b . FILTER(!sameTerm(?_a, ?_b)) }}")
            else:
                raise UnsupportedShape(f"property shape {prop}: sh:maxCount above 1 is not supported")
        for component, ok in self.value_ok(prop, "?value"):
            add(component, f"{{ {focus} }} ?this {p} ?value . FILTER(!({ok}))")
        for other in self.g.objects(prop, SH.lessThan):
            add(SH.LessThanConstraintComponent,
                f"{{ {focus} }} ?this {p} ?value . ?this {_term(other)} ?_w . FILTER(!COALESCE(?value < ?_w, false))")
        return checks


def _node_kind(v: str, kind: Node, shape: Node) -> str:
    tests = {
        SH.IRI: f"isIRI({v})",
        SH.Literal: f"isLiteral({v})",
        SH.BlankNode: f"isBlank({v})",
        SH.BlankNodeOrIRI: f"(isBlank({v}) || isIRI({v}))",
        SH.BlankNodeOrLiteral: f"(isBlank({v}) || isLiteral({v}))",
        SH.IRIOrLiteral: f"(isIRI({v}) || isLiteral({v}))",
    }
    if kind not in tests:
        raise UnsupportedShape(f"shape {shape}: unknown sh:nodeKind {kind}")
    return tests[kind]


def compile_shapes(shapes: Graph, tbox: Tbox) -> list[Check]:
    """Every constraint of ``shapes`` as a :class:`Check`, in a stable order."""
    return _Compiler(shapes, tbox).checks()


def document_query(check: Check) -> str:
    """The check over a single graph (the query's default graph)."""
    return f"SELECT DISTINCT ?this ?value WHERE {{ {check.pattern} }}"


def store_query(check: Check) -> str:
    """One check over every named graph of a store, each graph on its own (as the gate saw it)."""
    return f"SELECT DISTINCT ?g ?this ?value WHERE {{ GRAPH ?g {{ {check.pattern} }} }}"


__all__ = ["Check", "UnsupportedShape", "compile_shapes", "document_query", "store_query"]
