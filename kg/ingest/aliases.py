"""Aliases stated in stored articles, taught to the extractor before an ingest extracts.

An article that says "Florindo Flores, alias Comrade Artemio" records "Comrade
Artemio" as an alias on the mention of Flores's entity (``arcon:mentionAlias``).
A later article that names only "Comrade Artemio" must reach the same entity,
so before extracting, ``arcon ingest`` reads every stated alias from the store
and adds it to the gazetteer (``Gazetteer.learn``). What the ontology names
keeps the ontology's meaning, and an alias stated for two different entities
is ambiguous and left out.

The aliases come from the store as it is when the run starts: documents of the
same run do not teach each other (they are extracted in parallel, and a first
build must not depend on the order of its documents). Build keys do not depend
on the aliases either, so an unchanged document is not extracted again when a
new alias appears; `arcon ingest --force` re-extracts everything with what the
store knows.
"""

from __future__ import annotations

from collections.abc import Mapping

from kg.namespaces import ARCON
from kg.ontology.gazetteer_data import Name
from kg.rdf.iris import fold
from kg.store.base import Store

_ALIASES = f"""PREFIX arcon: <{ARCON}>
SELECT DISTINCT ?entity ?alias ?class WHERE {{
  GRAPH ?g {{ ?mention arcon:mentionOf ?entity ; arcon:mentionAlias ?alias ; arcon:mentionClass ?class }}
}}"""


def stored_aliases(store: Store, class_types: Mapping[str, str]) -> list[Name]:
    """One gazetteer name per unambiguous stated alias, typed by the class its mention was given.

    ``class_types`` maps a fine ontology class to its coarse entity type; a
    mention whose classes are all unknown to it is left out. When articles gave
    the entity different classes, the first by IRI is taken (the entities graph
    keeps them all).
    """
    classes: dict[tuple[str, str], set[str]] = {}
    texts: dict[tuple[str, str], str] = {}
    for row in store.query(_ALIASES).rows():
        key = (fold(str(row["alias"])), str(row["entity"]))
        classes.setdefault(key, set()).add(str(row["class"]))
        texts[key] = min(texts.get(key, str(row["alias"])), str(row["alias"]))
    entities_of: dict[str, set[str]] = {}
    for folded, entity in classes:
        entities_of.setdefault(folded, set()).add(entity)
    names = []
    for (folded, entity), found in sorted(classes.items()):
        typed = sorted(c for c in found if c in class_types)
        if len(entities_of[folded]) > 1 or not typed:
            continue
        names.append(Name(texts[(folded, entity)], entity, typed[0], class_types[typed[0]], "alias", None))
    return names


def teach_stored_aliases(nlp, store: Store) -> int:
    """Teach the pipeline's gazetteer every stated alias in ``store``; returns how many phrases are new to it."""
    gazetteer = nlp.get_pipe("arcon_gazetteer")
    return gazetteer.learn(nlp, stored_aliases(store, gazetteer.lexicon.class_types))
