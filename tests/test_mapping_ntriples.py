"""Document graphs are written as real N-Triples, whatever the sentence text holds."""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox

from graph_fixtures import article
from kg.namespaces import ARCON
from kg.rdf.mapping import map_extraction

QUOTED = '"Without the wharf, the network would have had to use beaches," he said.\n\nA \\ backslash.'


def test_quotes_backslashes_and_line_breaks_survive_the_gate_format(tbox):
    e = article(1)
    claim = replace(e.claims[0], sentence=QUOTED)
    doc = map_extraction(replace(e, claims=(claim, *e.claims[1:])), tbox)
    store = ox.Store()
    store.load(doc.ntriples(), ox.RdfFormat.N_TRIPLES)  # rdflib's n3() would write a Turtle """…""" here
    texts = {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(str(ARCON.text)), None)}
    assert QUOTED in texts
    quads = ox.Store()
    quads.load(doc.nquads(), ox.RdfFormat.N_QUADS)
    assert len(quads) == len(store)
