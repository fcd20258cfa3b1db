"""Aliases stated in stored articles, taught to the extractor before an ingest extracts.

An article that says "Florindo Flores, alias Comrade Artemio" records "Comrade
Artemio" as an alias on the mention of Flores's entity (``arcon:mentionAlias``).
A later article that names only "Comrade Artemio" must reach the same entity,
so before extracting, ``arcon ingest`` reads every stated alias from the store
and adds it to the gazetteer (``Gazetteer.learn``). What the ontology names
keeps the ontology's meaning, and an alias stated for two different entities
is ambiguous and left out.

Documents of the same run teach each other too, whatever their order: after
the run, the aliases it stated are read back from the store, taught, and every
document of the run whose text contains one (case and accents aside) is
extracted again (``relink_candidates``), except those that stated it. One such
round is made: an alias that only the second round states waits for the next
run. Build keys do not depend on the aliases, so an unchanged document of an
earlier run is not extracted again when a new alias appears; `arcon ingest
--force` re-extracts everything with what the store knows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from kg.namespaces import ARCON
from kg.ontology.gazetteer_data import Name
from kg.rdf import iris
from kg.rdf.iris import fold
from kg.sources import Document
from kg.store.base import Store

_ALIASES = f"""PREFIX arcon: <{ARCON}>
SELECT DISTINCT ?entity ?alias ?class ?g WHERE {{
  GRAPH ?g {{ ?mention arcon:mentionOf ?entity ; arcon:mentionAlias ?alias ; arcon:mentionClass ?class }}
}}"""


def stored_aliases(store: Store, class_types: Mapping[str, str]) -> list[Name]:
    """One gazetteer name per unambiguous stated alias, typed by the class its mention was given.

    ``class_types`` maps a fine ontology class to its coarse entity type; a
    mention whose classes are all unknown to it is left out. When articles gave
    the entity different classes, the first by IRI is taken (the entities graph
    keeps them all).
    """
    return [name for name, _graphs in _aliases_with_graphs(store, class_types)]


def _aliases_with_graphs(store: Store, class_types: Mapping[str, str]) -> list[tuple[Name, frozenset[str]]]:
    """:func:`stored_aliases`, each with the document graphs that state it."""
    classes: dict[tuple[str, str], set[str]] = {}
    texts: dict[tuple[str, str], str] = {}
    graphs: dict[tuple[str, str], set[str]] = {}
    for row in store.query(_ALIASES).rows():
        key = (fold(str(row["alias"])), str(row["entity"]))
        classes.setdefault(key, set()).add(str(row["class"]))
        texts[key] = min(texts.get(key, str(row["alias"])), str(row["alias"]))
        graphs.setdefault(key, set()).add(str(row["g"]))
    entities_of: dict[str, set[str]] = {}
    for folded, entity in classes:
        entities_of.setdefault(folded, set()).add(entity)
    names = []
    for (folded, entity), found in sorted(classes.items()):
        typed = sorted(c for c in found if c in class_types)
        if len(entities_of[folded]) > 1 or not typed:
            continue
        names.append((Name(texts[(folded, entity)], entity, typed[0], class_types[typed[0]], "alias", None),
                      frozenset(graphs[(folded, entity)])))
    return names


def teach_stored_aliases(nlp, store: Store) -> set[tuple[str, str]]:
    """Teach the pipeline's gazetteer every stated alias in ``store``; returns them as (folded alias, entity)."""
    gazetteer = nlp.get_pipe("arcon_gazetteer")
    names = stored_aliases(store, gazetteer.lexicon.class_types)
    gazetteer.learn(nlp, names)
    return {(fold(n.label), n.iri) for n in names}


def teach_new_aliases(nlp, store: Store, known: set[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """Teach the aliases ``store`` states beyond ``known`` (what :func:`teach_stored_aliases` returned before the
    run); returns each new alias, folded, with the document graphs that stated it."""
    gazetteer = nlp.get_pipe("arcon_gazetteer")
    new = [(n, g) for n, g in _aliases_with_graphs(store, gazetteer.lexicon.class_types)
           if (fold(n.label), n.iri) not in known]
    gazetteer.learn(nlp, [n for n, _ in new])
    return {fold(n.label): g for n, g in new}


def relink_candidates(documents: Iterable[Document], aliases: Mapping[str, frozenset[str]]) -> Iterator[Document]:
    """The documents whose text contains one of ``aliases`` (folded, as whole words), but not those that state
    it: extracted again with the aliases taught, their mentions of it reach the entity it names."""
    if not aliases:
        return
    pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True)) + r")\b")
    for doc in documents:
        graph = iris.document_graph(doc.id)
        if any(graph not in aliases[m.group(1)] for m in pattern.finditer(fold(doc.text))):
            yield doc
