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
extracted again (``kg.extract.aliases.relink_candidates``), except those that
stated it. One such round is made: an alias that only the second round states
waits for the next run. Build keys do not depend on the aliases, so an unchanged document of an
earlier run is not extracted again when a new alias appears; `arcon ingest
--force` re-extracts everything with what the store knows.
"""

from __future__ import annotations

from collections.abc import Mapping

from kg.extract.aliases import Stated, teach, unambiguous
from kg.namespaces import ARCON
from kg.ontology.gazetteer_data import Name
from kg.rdf.iris import fold
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
    rows = store.query(_ALIASES).rows()
    return unambiguous((Stated(str(r["alias"]), str(r["entity"]), str(r["class"]), str(r["g"])) for r in rows),
                       class_types)


def teach_stored_aliases(nlp, store: Store) -> set[tuple[str, str]]:
    """Teach the pipeline's gazetteer every stated alias in ``store``; returns them as (folded alias, entity)."""
    names = stored_aliases(store, nlp.get_pipe("arcon_gazetteer").lexicon.class_types)
    teach(nlp, names)
    return {(fold(n.label), n.iri) for n in names}


def teach_new_aliases(nlp, store: Store, known: set[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """Teach the aliases ``store`` states beyond ``known`` (what :func:`teach_stored_aliases` returned before the
    run); returns each new alias, folded, with the document graphs that stated it."""
    new = [(n, g) for n, g in _aliases_with_graphs(store, nlp.get_pipe("arcon_gazetteer").lexicon.class_types)
           if (fold(n.label), n.iri) not in known]
    teach(nlp, [n for n, _ in new])
    return {fold(n.label): g for n, g in new}
