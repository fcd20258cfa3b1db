"""SHACL shapes compiled to SPARQL, so validation runs inside pyoxigraph in milliseconds.

pySHACL takes ~80 ms for one small document graph on this machine; the gate
has a budget of 20 ms and ``arcon validate`` must check three million quads in
under two minutes. Each constraint becomes one SPARQL query selecting
``?g ?this ?value`` for every violation, each graph judged on its own
(``GRAPH ?g``): the gate runs it on an in-memory store holding a batch of
documents, ``arcon validate`` inside the store, so both mean what checking
each document alone means.

Query shape, measured on the 12,000-article store (3.1 M quads): a flat
``GRAPH ?g { ?this a arcon:Claim . ?this arcon:subject ?v }`` is evaluated as
a nested loop, one index lookup per claim (2.9 s for 124k claims), and
``FILTER [NOT] EXISTS`` likewise; the same join written as two sub-selects is
hashed (0.3 s), and ``MINUS`` is a hash anti-join. So each check is: the
candidate violations from one scan of the property (a sub-select with its
FILTER inside, a ``GROUP BY … HAVING`` for ``sh:maxCount``, a ``MINUS`` for
``sh:minCount`` and ``sh:class``), joined with the focus nodes (a
``SELECT DISTINCT ?g ?this`` sub-select). All 106 checks of the real ontology
took 250 s that way round and 42 s this way.

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
    """One constraint of one shape, as a SPARQL query over named graphs.

    The query selects ``?g ?this ?value`` for every violation: ``?g`` the graph
    it was found in, ``?this`` the focus node, ``?value`` the offending value
    (unbound for count constraints). Each graph is judged on its own.
    """

    shape: Identifier  # the property shape, or the node shape for node-level constraints
    component: URIRef  # e.g. sh:MinCountConstraintComponent
    path: URIRef | None
    severity: URIRef
    message: str
    query: str


@dataclass(frozen=True, slots=True)
class _ValueTest:
    """A value constraint: an expression true when ``?value`` conforms, and, for ``sh:class``
    (alone or as an ``sh:or`` of classes), the classes whose instances conform."""

    component: URIRef
    expr: str
    classes: frozenset[str] | None = None


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
    def value_ok(self, shape: Node, v: str) -> list[_ValueTest]:
        """Each value constraint of ``shape`` as a test of the value ``v``."""
        g, out = self.g, []
        for dt in g.objects(shape, SH.datatype):
            out.append(_ValueTest(SH.DatatypeConstraintComponent, self.datatype_ok(v, dt)))
        for kind in g.objects(shape, SH.nodeKind):
            out.append(_ValueTest(SH.NodeKindConstraintComponent, _node_kind(v, kind, shape)))
        for cls in g.objects(shape, SH["class"]):
            out.append(_ValueTest(SH.ClassConstraintComponent, f"EXISTS {{ {self.instances(v, cls)} }}",
                                  self.tbox.subclasses(str(cls))))
        for head in g.objects(shape, SH["in"]):
            members = _list(g, head)
            test = " || ".join(f"sameTerm({v}, {_term(m)})" for m in members) or "false"
            out.append(_ValueTest(SH.InConstraintComponent, f"({test})"))
        for key, op, comp in ((SH.minInclusive, ">=", SH.MinInclusiveConstraintComponent),
                              (SH.maxInclusive, "<=", SH.MaxInclusiveConstraintComponent),
                              (SH.minExclusive, ">", SH.MinExclusiveConstraintComponent),
                              (SH.maxExclusive, "<", SH.MaxExclusiveConstraintComponent)):
            for bound in g.objects(shape, key):
                out.append(_ValueTest(comp, f"COALESCE({v} {op} {_term(bound)}, false)"))
        for pattern in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            args = f"STR({v}), {_term(Literal(str(pattern)))}" + (f", {_term(Literal(str(flags)))}" if flags else "")
            out.append(_ValueTest(SH.PatternConstraintComponent, f"(!isBlank({v}) && COALESCE(REGEX({args}), false))"))
        for key, op, comp in ((SH.minLength, ">=", SH.MinLengthConstraintComponent),
                              (SH.maxLength, "<=", SH.MaxLengthConstraintComponent)):
            for bound in g.objects(shape, key):
                out.append(_ValueTest(comp, f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(bound)})"))
        for head in g.objects(shape, SH["or"]):
            members = _list(g, head)
            alternatives = [self.alternative_ok(alt, v) for alt in members]
            classes = [self.only_class(alt) for alt in members]
            union = frozenset().union(*classes) if classes and None not in classes else None
            out.append(_ValueTest(SH.OrConstraintComponent, "(" + " || ".join(alternatives) + ")", union))
        return out

    def only_class(self, alt: Node) -> frozenset[str] | None:
        """The instances' classes when an ``sh:or`` member is nothing but one ``sh:class``, else None."""
        keys = set(self.g.predicates(alt)) - {RDF.type, SH.message, SH.name}
        classes = list(self.g.objects(alt, SH["class"]))
        if keys != {SH["class"]} or len(classes) != 1:
            return None
        return self.tbox.subclasses(str(classes[0]))

    def alternative_ok(self, alt: Node, v: str) -> str:
        """A member of ``sh:or``: value constraints, or a property with ``sh:minCount 1`` checked on ``v``."""
        keys = set(self.g.predicates(alt)) - {RDF.type, SH.message, SH.name}
        path = self.g.value(alt, SH.path)
        if path is not None:
            if keys - {SH.path, SH.minCount} or int(self.g.value(alt, SH.minCount, default=Literal(0))) != 1:
                raise UnsupportedShape(f"sh:or member {alt}: only [ sh:path p ; sh:minCount 1 ] is supported")
            return f"EXISTS {{ {v} {_term(path)} {self.var('y')} }}"
        parts = [test.expr for test in self.value_ok(alt, v)]
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
        """Value constraints on the focus node itself (few focus nodes: EXISTS inside the graph is fine)."""
        severity, message = self.meta(shape)
        checks = []
        for test in self.value_ok(shape, "?this"):
            query = (f"SELECT DISTINCT ?g ?this ?value WHERE {{ GRAPH ?g {{ {{ {focus} }} BIND(?this AS ?value) "
                     f"FILTER(!({test.expr})) }} }}")
            checks.append(Check(shape, test.component, None, severity, message, query))
        return checks

    def property_checks(self, prop: Node, focus: str) -> list[Check]:
        """One query per constraint, written so pyoxigraph joins by hashing (see ``_select``)."""
        path = self.g.value(prop, SH.path)
        if not isinstance(path, URIRef):
            raise UnsupportedShape(f"property shape {prop}: only a single IRI as sh:path is supported")
        severity, message = self.meta(prop)
        p = _term(path)
        foci = f"{{ SELECT DISTINCT ?g ?this WHERE {{ GRAPH ?g {{ {focus} }} }} }}"
        checks = []

        def add(component: URIRef, where: str) -> None:
            query = f"SELECT DISTINCT ?g ?this ?value WHERE {{ {where} }}"
            checks.append(Check(prop, component, path, severity, message, query))

        for bound in self.g.objects(prop, SH.minCount):
            if int(bound) > 1:
                raise UnsupportedShape(f"property shape {prop}: sh:minCount above 1 is not supported")
            if int(bound) == 1:
                add(SH.MinCountConstraintComponent, f"{foci} MINUS {{ GRAPH ?g {{ ?this {p} ?_any }} }}")
        for bound in self.g.objects(prop, SH.maxCount):
            if int(bound) == 0:
                add(SH.MaxCountConstraintComponent,
                    f"{{ SELECT DISTINCT ?g ?this WHERE {{ GRAPH ?g {{ ?this {p} ?_any }} }} }} {foci}")
            elif int(bound) == 1:
                add(SH.MaxCountConstraintComponent,
                    f"{{ SELECT ?g ?this WHERE {{ GRAPH ?g {{ ?this {p} ?_v }} }} GROUP BY ?g ?this "
                    f"HAVING (COUNT(DISTINCT ?_v) > 1) }} {foci}")
            else:
                raise UnsupportedShape(f"property shape {prop}: sh:maxCount above 1 is not supported")
        for test in self.value_ok(prop, "?value"):
            if test.classes is not None:
                # Values that are no instance of the classes: MINUS is a hash anti-join, where a
                # FILTER NOT EXISTS would look every value's types up one by one.
                types = " ".join(f"<{c}>" for c in sorted(test.classes))
                bad = (f"{{ SELECT ?g ?this ?value WHERE {{ GRAPH ?g {{ ?this {p} ?value }} "
                       f"MINUS {{ GRAPH ?g {{ ?value a ?_t . VALUES ?_t {{ {types} }} }} }} }} }}")
            else:
                bad = f"{{ SELECT ?g ?this ?value WHERE {{ GRAPH ?g {{ ?this {p} ?value . FILTER(!({test.expr})) }} }} }}"
            add(test.component, f"{bad} {foci}")
        for other in self.g.objects(prop, SH.lessThan):
            add(SH.LessThanConstraintComponent,
                f"{{ SELECT ?g ?this ?value WHERE {{ GRAPH ?g {{ ?this {p} ?value }} }} }} "
                f"{{ SELECT ?g ?this ?_w WHERE {{ GRAPH ?g {{ ?this {_term(other)} ?_w }} }} }} "
                f"FILTER(!COALESCE(?value < ?_w, false)) {foci}")
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


def store_query(check: Check) -> str:
    """The check over every named graph of a store, each graph on its own."""
    return check.query


__all__ = ["Check", "UnsupportedShape", "compile_shapes", "store_query"]
