"""One extraction → one named graph: the article, its claim-bearing sentences, the claims and the entities.

The graph is a plain value (sorted triples, no blank nodes), so the same
extraction always gives byte-identical N-Triples; the store, the SHACL gate and
the tests all consume it. Layout (docs/contracts.md §2, §4; README "Knowledge graph"):

* ``<graph> arcon:contentHash`` the build key: changes when the document, the
  extraction run, the ontology or this mapping changes, so ingest can skip a
  document without extracting it again.
* the article (``arcon:Article``) with title, URL, identifier, publisher,
  language, the document's own content hash and its publication date
  (``dcterms:issued``), or ``arcon:publicationDateUnknown true`` when the
  source gives none (never today's date);
* one ``arcon:Sentence`` per sentence that carries a claim (text and offsets);
* one ``arcon:Claim`` per extracted relation (an n-ary node): subject, relation,
  object, place, date, status, confidence, the harm or corruption mechanism its
  relation expresses in the ontology, ``arcon:sentence``/``arcon:article`` and
  plain ``prov:wasDerivedFrom`` both, ``prov:wasGeneratedBy`` the run;
* beside each claim the direct triple ``subject relation object``, except for a
  **denied** claim: the source says the relation does not hold, so asserting it
  would turn a denial into a fact. Historical claims keep their direct triple
  (the relation did hold, earlier); ask the claim for status and date. Nor is
  it written when a participant is the unspecified agent: unnamed actors of
  different articles are not one agent, and a direct triple would merge them;
* every entity the article mentions or a claim names: type, one label, aliases,
  ``arcon:mentionedIn`` the article.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.extract.types import Claim, Entity, EntityRef, Extraction
from kg.namespaces import ARCON, STATUS
from kg.rdf import iris, ntriples
from kg.rdf.tbox import Tbox

#: Bump when the layout written here changes: every graph is rebuilt on the next ingest.
MAPPING_VERSION = "1"

Triple = tuple[URIRef, URIRef, URIRef | Literal]

_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


@dataclass(frozen=True, slots=True)
class DocumentGraph:
    """The named graph of one document, ready for the gate and the store."""

    graph: str  # named graph IRI
    doc_id: str
    key: str  # the build key written as <graph> arcon:contentHash
    triples: tuple[Triple, ...]  # sorted, no duplicates
    claims: int

    def ntriples(self) -> bytes:
        """Canonical N-Triples (one sorted line per triple)."""
        return ntriples.ntriples(self.triples)

    def nquads(self) -> bytes:
        return ntriples.nquads(self.triples, self.graph)


def build_key(document_hash: str, run: str, ontology_hash: str) -> str:
    """What decides whether a stored graph is still current."""
    parts = [document_hash, run, ontology_hash, MAPPING_VERSION]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def run_of(extraction: Extraction) -> str:
    return iris.run_iri(extraction.pipeline, extraction.pipeline_version, extraction.config_hash)


def map_extraction(extraction: Extraction, tbox: Tbox) -> DocumentGraph:
    """Build the named graph of one document from what the extractor found in it."""
    doc = extraction.document
    graph = iris.document_graph(doc.id)
    article = URIRef(iris.document_iri(doc.id))
    run = run_of(extraction)
    key = build_key(doc.content_hash, run, tbox.hash)
    out: set[Triple] = {(URIRef(graph), ARCON.contentHash, Literal(key))}
    out |= _article(extraction, article)
    out |= _run(extraction, URIRef(run))
    claims = _unique_claims(extraction.claims, doc.id)
    for claim in claims.values():
        out |= _claim(claim, doc.id, article, URIRef(run), tbox)
    out |= _entities(extraction.entities, claims.values(), article, doc.language, tbox)
    return DocumentGraph(graph=graph, doc_id=doc.id, key=key, triples=tuple(sorted(out)), claims=len(claims))


def _article(extraction: Extraction, article: URIRef) -> set[Triple]:
    doc = extraction.document
    out: set[Triple] = {
        (article, RDF.type, ARCON.Article),
        (article, DCTERMS.identifier, Literal(doc.id)),
        (article, DCTERMS.language, Literal(doc.language)),
        (article, ARCON.contentHash, Literal(doc.content_hash)),
    }
    if doc.title:
        out.add((article, DCTERMS.title, Literal(doc.title)))
    if doc.url:
        out.add((article, ARCON.url, Literal(doc.url, datatype=XSD.anyURI)))
    if doc.publisher:
        out.add((article, ARCON.publisherName, Literal(doc.publisher)))
    if doc.published:
        out.add((article, DCTERMS.issued, Literal(doc.published, datatype=XSD.date)))
    else:  # said, not left out: "the source gives no date" must not look like "the date was lost"
        out.add((article, ARCON.publicationDateUnknown, Literal(True)))
    return out


def _run(extraction: Extraction, run: URIRef) -> set[Triple]:
    return {
        (run, RDF.type, ARCON.ExtractionRun),
        (run, ARCON.pipelineName, Literal(extraction.pipeline)),
        (run, ARCON.pipelineVersion, Literal(extraction.pipeline_version)),
    }


def claim_iri(claim: Claim, doc_id: str) -> str:
    return iris.claim_iri(doc_id, claim.relation, claim.subject.iri, claim.object.iri, claim.start, claim.end)


def _unique_claims(claims: Iterable[Claim], doc_id: str) -> dict[str, Claim]:
    """One claim per IRI: the same relation between the same pair in the same sentence is one statement.

    When the extractor emits it twice, the most confident reading wins (ties: the
    first status in sort order), so the choice never depends on input order.
    """
    chosen: dict[str, Claim] = {}
    for claim in claims:
        iri = claim_iri(claim, doc_id)
        best = chosen.get(iri)
        if best is None or (-claim.confidence, claim.status) < (-best.confidence, best.status):
            chosen[iri] = claim
    return dict(sorted(chosen.items()))


def confidence_literal(value: float) -> Literal:
    exact = Decimal(repr(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)
    return Literal(format(exact.normalize(), "f"), datatype=XSD.decimal)


def date_literal(value: str) -> Literal:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with the XSD type its precision calls for."""
    return Literal(value, datatype=_DATE_TYPES.get(len(value), XSD.date))


def _claim(claim: Claim, doc_id: str, article: URIRef, run: URIRef, tbox: Tbox) -> set[Triple]:
    node = URIRef(claim_iri(claim, doc_id))
    sentence = URIRef(iris.sentence_iri(doc_id, claim.start, claim.end))
    subject, obj = URIRef(claim.subject.iri), URIRef(claim.object.iri)
    relation = tbox.relations.get(claim.relation)
    predicate = URIRef(relation.iri) if relation else ARCON[claim.relation]
    out: set[Triple] = {
        (node, RDF.type, ARCON.Claim),
        (node, ARCON.subject, subject),
        (node, ARCON.relation, predicate),
        (node, ARCON.object, obj),
        (node, ARCON.status, STATUS[claim.status]),
        (node, ARCON.confidence, confidence_literal(claim.confidence)),
        (node, ARCON.sentence, sentence),
        (node, ARCON.article, article),
        (node, PROV.wasDerivedFrom, sentence),
        (node, PROV.wasDerivedFrom, article),
        (node, PROV.wasGeneratedBy, run),
        (sentence, RDF.type, ARCON.Sentence),
        (sentence, ARCON.text, Literal(claim.sentence)),
        (sentence, ARCON.startOffset, Literal(claim.start, datatype=XSD.nonNegativeInteger)),
        (sentence, ARCON.endOffset, Literal(claim.end, datatype=XSD.nonNegativeInteger)),
        (sentence, ARCON.inArticle, article),
    }
    if claim.place is not None:
        out.add((node, ARCON.place, URIRef(claim.place.iri)))
    if claim.date:
        out.add((node, ARCON.date, date_literal(claim.date)))
    if relation is not None:
        out |= {(node, ARCON.harm, URIRef(h)) for h in relation.harms}
        out |= {(node, ARCON.mechanism, URIRef(m)) for m in relation.mechanisms}
    if claim.status != "denied" and ARCON.UnspecifiedAgent not in (subject, obj):
        out.add((subject, predicate, obj))
    return out


def _entities(
    mentions: Iterable[Entity], claims: Iterable[Claim], article: URIRef, language: str, tbox: Tbox
) -> set[Triple]:
    """Type, one label, aliases and ``mentionedIn`` for every entity the graph names.

    The label is the ontology's English label for curated individuals, else the
    extractor's canonical name, else the first mention's text: one per graph,
    chosen the same way every time.
    """
    classes: dict[str, set[str]] = {}
    names: dict[str, list[tuple[int, str]]] = {}
    aliases: dict[str, set[str]] = {}
    mentioned: set[str] = set()
    for m in mentions:
        classes.setdefault(m.iri, set()).add(m.cls)
        names.setdefault(m.iri, []).append((0 if m.label else 1, m.start, m.label or m.text))
        aliases.setdefault(m.iri, set()).update(m.aliases)
        mentioned.add(m.iri)
    for claim in claims:
        for ref in (claim.subject, claim.object, claim.place):
            if ref is None:
                continue
            _add_participant(ref, classes, names, mentioned, tbox)

    out: set[Triple] = set()
    lang = language or None
    for iri in sorted(classes):
        node = URIRef(iri)
        known = tbox.individuals.get(iri)
        for cls in sorted(classes[iri]):
            out.add((node, RDF.type, URIRef(cls)))
        if known is not None:
            out |= {(node, RDF.type, URIRef(t)) for t in known.types}
        label = known.label if known and known.label else min(names.get(iri, [(0, 0, "")]))[2]
        if label:
            out.add((node, RDFS.label, Literal(label, lang=lang)))
        for alias in sorted(aliases.get(iri, ())):
            if alias != label:
                out.add((node, SKOS.altLabel, Literal(alias, lang=lang)))
        if iri in mentioned:
            out.add((node, ARCON.mentionedIn, article))
    return out


def _add_participant(
    ref: EntityRef,
    classes: dict[str, set[str]],
    names: dict[str, list[tuple[int, int, str]]],
    mentioned: set[str],
    tbox: Tbox,
) -> None:
    """A claim participant the entity list lacks still gets a type (ontology's, else its coarse type's class)."""
    if ref.iri in classes:
        return
    known = tbox.individuals.get(ref.iri)
    if known is not None:
        classes[ref.iri] = set(known.types)
    elif ref.type and ref.type in tbox.class_of_type:
        classes[ref.iri] = {tbox.class_of_type[ref.type]}
    else:
        classes[ref.iri] = set()
    if ref.text:
        names.setdefault(ref.iri, []).append((1, 1 << 62, ref.text))
        mentioned.add(ref.iri)
