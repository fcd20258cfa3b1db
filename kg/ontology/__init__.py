"""The ontology: loading, derived views for code, checks for editors, documentation.

What other parts of ARCON use (all derived from ``ontology/``, see :mod:`kg.ontology.model`)::

    from kg.ontology import load_ontology, gazetteer_records, coarse_type, relations, concepts

    load_ontology("ontology")      # rdflib Graph: TBox + concept schemes (the store's ontology graph)
    load_ontology("reference")     # rdflib Graph: reference individuals (the store's reference graph)
    gazetteer_records()            # [GazetteerRecord(text, lang, iri, fine_class, coarse_type, kind, preferred)]
    coarse_type(ARCON.PoliceOfficer)   # "PublicOfficial"
    relations()["bribes"]          # Relation(domain, range, symmetric, harm, mechanism, cues, …)
    concepts("status")             # [Concept(iri, slug, label, alt_labels, cues, …)]

Editors' tools: :mod:`kg.ontology.check` (``arcon ontology check``) and
:mod:`kg.ontology.docs` (``arcon ontology docs``).
"""

from kg.ontology.files import OntologyError
from kg.ontology.model import (
    Concept,
    GazetteerRecord,
    Relation,
    class_of_type,
    coarse_type,
    coarse_types,
    concepts,
    entity_types,
    fine_class,
    gazetteer_records,
    label,
    load_ontology,
    relations,
    superclasses,
)

__all__ = [
    "Concept", "GazetteerRecord", "OntologyError", "Relation", "class_of_type", "coarse_type", "coarse_types",
    "concepts", "entity_types", "fine_class", "gazetteer_records", "label", "load_ontology", "relations",
    "superclasses",
]
