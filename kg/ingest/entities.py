"""Keep the entities graph in step with the document graphs, in the same transaction as each write.

Every write of document graphs (an ingest batch, a deletion) touches some
entities: those the new graphs mention and those the replaced or deleted graphs
mentioned. Their descriptions are recomputed from the mentions of every other
stored document (aggregated by the store) plus the new graphs' own, and written
with the document graphs in one `Store.replace_graphs` call, so a crash leaves
both as they were or both as they were meant to become. An entity that no
document mentions any more loses its description. See kg.rdf.entities for how
a description is derived.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from kg.namespaces import ARCON
from kg.rdf import iris
from kg.rdf.entities import Facts, Mention, Triple, describe, describe_all, gather, is_curated
from kg.rdf.mapping import DocumentGraph
from kg.rdf.ntriples import ntriples
from kg.rdf.tbox import Tbox
from kg.store.base import Store

_M = f"<{ARCON}"
# Larger sets of IRIs are sent in several queries, to keep each query text small.
_CHUNK = 500


def _iris(values: Iterable[str]) -> str:
    return " ".join(f"<{v}>" for v in values)


def _not_in(graphs: Collection[str]) -> str:
    return f"FILTER(?g NOT IN ({', '.join(f'<{g}>' for g in graphs)}))" if graphs else ""


def _chunks(values: Collection[str]) -> Iterable[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start:start + _CHUNK]


def mentioned_in(store: Store, graphs: Collection[str]) -> set[str]:
    """The entities that the stored versions of ``graphs`` mention."""
    found: set[str] = set()
    for part in _chunks(graphs):
        query = f"SELECT DISTINCT ?e WHERE {{ VALUES ?g {{ {_iris(part)} }} GRAPH ?g {{ ?m {_M}mentionOf> ?e }} }}"
        found |= {str(r["e"]) for r in store.query(query).rows()}
    return found


def stored_facts(store: Store, entities: Collection[str] | None, exclude: Collection[str] = ()) -> dict[str, Facts]:
    """What the stored mentions say about ``entities`` (None: every entity), leaving out the graphs ``exclude``.

    Names are counted by the store (one row per entity and name), so a
    frequently mentioned entity costs one row per distinct name, not one per article.
    """
    facts: dict[str, Facts] = {}
    for part in [None] if entities is None else _chunks(entities):

        def where(prop: str) -> str:
            values = f"VALUES ?e {{ {_iris(part)} }}" if part is not None else ""
            return f"{values} GRAPH ?g {{ ?m {_M}mentionOf> ?e ; {_M}{prop}> ?v }} {_not_in(exclude)}"

        names = f"SELECT ?e ?v (COUNT(?m) AS ?n) WHERE {{ {where('mentionName')} }} GROUP BY ?e ?v"
        for row in store.query(names).rows():
            facts.setdefault(str(row["e"]), Facts()).names[row["v"]] += int(row["n"])
        for row in store.query(f"SELECT DISTINCT ?e ?v WHERE {{ {where('mentionAlias')} }}").rows():
            facts.setdefault(str(row["e"]), Facts()).aliases.add(row["v"])
        for row in store.query(f"SELECT DISTINCT ?e ?v WHERE {{ {where('mentionClass')} }}").rows():
            facts.setdefault(str(row["e"]), Facts()).classes.add(str(row["v"]))
    return facts


def descriptions(entities: Collection[str], facts: dict[str, Facts], tbox: Tbox) -> dict[str, bytes]:
    """N-Triples of each entity's new description (empty: it has none any more)."""
    return {e: ntriples(sorted(describe(e, facts.get(e), tbox))) for e in sorted(entities)}


def write_documents(store: Store, docs: Sequence[DocumentGraph], tbox: Tbox) -> None:
    """Replace the graphs of ``docs`` and the descriptions of the entities they touch, in one transaction."""
    graphs = [d.graph for d in docs]
    mentions: list[Mention] = [m for d in docs for m in d.mentions]
    touched = mentioned_in(store, graphs) | {m.entity for m in mentions}
    minted = {e for e in touched if not is_curated(e, tbox)}
    facts = gather(mentions, stored_facts(store, minted, exclude=graphs))
    # Curated entities stay in `touched`: their description is empty, so one an entity had in the
    # entities graph before the reference data took it in (an ontology edit) goes.
    store.replace_graphs({d.graph: d.ntriples() for d in docs},
                         subjects={iris.entities_graph(): descriptions(touched, facts, tbox)})


def delete_documents(store: Store, graphs: Collection[str], tbox: Tbox) -> list[str]:
    """Remove document graphs and update the descriptions of the entities they mentioned; return those removed."""
    present = [g for g in sorted(set(graphs)) if store.has_graph(g)]
    if not present:
        return []
    touched = mentioned_in(store, present)
    facts = stored_facts(store, {e for e in touched if not is_curated(e, tbox)}, exclude=present)
    store.replace_graphs(dict.fromkeys(present), subjects={iris.entities_graph(): descriptions(touched, facts, tbox)})
    return present


def derived_entities(store: Store, tbox: Tbox) -> list[Triple]:
    """The entities graph that the stored mentions imply, sorted."""
    return describe_all(stored_facts(store, None), tbox)


def stored_entities(store: Store) -> list[Triple]:
    """The entities graph as stored, sorted."""
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{iris.entities_graph()}> {{ ?s ?p ?o }} }}").rows()
    return sorted((r["s"], r["p"], r["o"]) for r in rows)


def refresh_entities(store: Store, tbox: Tbox) -> None:
    """Recompute the whole entities graph (after raw SPARQL or Graph Store edits of document graphs)."""
    data = ntriples(derived_entities(store, tbox))
    store.replace_graphs({iris.entities_graph(): data or None})


__all__ = ["delete_documents", "derived_entities", "descriptions", "mentioned_in", "refresh_entities",
           "stored_entities", "stored_facts", "write_documents"]
