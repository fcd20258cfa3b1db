"""Keep the store's ontology and reference graphs in step with ``ontology/``.

Both graphs carry ``<graph> arcon:contentHash`` = the ontology's hash; when the
files change, both graphs are replaced in one transaction. Query-time reasoning
(``rdf:type/rdfs:subClassOf*``, symmetric relations) reads these graphs, so an
ontology edit reaches every query as soon as the graphs are replaced.
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from kg.namespaces import ARCON
from kg.rdf import iris
from kg.rdf.ntriples import ntriples
from kg.rdf.tbox import Tbox
from kg.store.base import Store


def _marker(graph: str, value: str) -> bytes:
    return ntriples([(URIRef(graph), ARCON.contentHash, Literal(value))])


def stored_ontology_hash(store: Store) -> str | None:
    graph = iris.ontology_graph()
    rows = list(store.query(f"SELECT ?h WHERE {{ GRAPH <{graph}> {{ <{graph}> <{ARCON.contentHash}> ?h }} }}").rows())
    return str(rows[0]["h"]) if rows else None


def ontology_graphs(tbox: Tbox) -> dict[str, bytes]:
    """The ontology and reference graphs as N-Triples, each marked with the ontology's hash."""
    ontology, reference = iris.ontology_graph(), iris.reference_graph()
    return {
        ontology: tbox.ontology_nt + _marker(ontology, tbox.hash),
        reference: tbox.reference_nt + _marker(reference, tbox.hash),
    }


def sync_ontology(store: Store, tbox: Tbox) -> bool:
    """Replace the ontology and reference graphs when the ontology changed; True when it did."""
    if stored_ontology_hash(store) == tbox.hash:
        return False
    store.replace_graphs(ontology_graphs(tbox))
    return True
