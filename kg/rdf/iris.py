"""Mint every IRI the system writes. Nothing else builds IRIs by hand.

The same input always yields the same IRI: entities from their type and
normalised name, documents from their stable identifier, claims from what they
say and where. The base defaults to ``https://w3id.org/arcon/`` and is read from
``ARCON_BASE`` when set (it must end with ``/``). See docs/contracts.md.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata

from kg.namespaces import DEFAULT_BASE

_MAX_SLUG = 80


def base() -> str:
    """The base every minted IRI starts with."""
    value = os.environ.get("ARCON_BASE", DEFAULT_BASE)
    if not value.endswith("/"):
        raise ValueError(f"ARCON_BASE must end with '/': {value!r}")
    return value


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name ("Mafia de la Cocaína" -> "mafia de la cocaina")."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(ascii_only.casefold().split())


def slug(text: str) -> str:
    """A readable, deterministic path segment for a name; long names end in a hash."""
    words = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    if not words:
        return "h" + _digest(text, 12)
    if len(words) > _MAX_SLUG:
        words = words[:_MAX_SLUG].rstrip("-") + "-" + _digest(text, 8)
    return words


def kind(entity_type: str) -> str:
    """Path segment for a coarse entity type: "CriminalGroup" -> "criminal-group", "NGO" -> "ngo"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", entity_type).lower()


def _digest(text: str, length: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def entity_iri(entity_type: str, name: str) -> str:
    """IRI of an entity the reference data does not know."""
    return f"{base()}id/{kind(entity_type)}/{slug(name)}"


def doc_key(doc_id: str) -> str:
    """Short stable key of a document, from its stable identifier (URL or content hash)."""
    return _digest(doc_id)


def document_iri(doc_id: str) -> str:
    return f"{base()}id/doc/{doc_key(doc_id)}"


def document_graph(doc_id: str) -> str:
    """Named graph that holds everything extracted from one document."""
    return f"{base()}graph/doc/{doc_key(doc_id)}"


def sentence_iri(doc_id: str, start: int, end: int) -> str:
    return f"{document_iri(doc_id)}/sentence/{start}-{end}"


def mention_iri(doc_id: str, entity_iri: str) -> str:
    """How one document names one entity (its names, aliases and classes there)."""
    return f"{document_iri(doc_id)}/mention/{_digest(entity_iri)}"


def claim_iri(doc_id: str, relation: str, subject_iri: str, object_iri: str, start: int, end: int) -> str:
    key = _digest("\x1f".join([doc_id, relation, subject_iri, object_iri, str(start), str(end)]))
    return f"{base()}id/claim/{key}"


def run_iri(pipeline: str, version: str, config_hash: str) -> str:
    """The extraction run as a prov:Activity: one per pipeline version and configuration."""
    return f"{base()}id/run/{slug(pipeline)}-{slug(version)}-{config_hash[:12]}"


def ontology_graph() -> str:
    return f"{base()}graph/ontology"


def reference_graph() -> str:
    return f"{base()}graph/reference"


def entities_graph() -> str:
    """The graph holding one description (type, label, other names) of each entity minted from data."""
    return f"{base()}graph/entities"


def document_graph_prefix() -> str:
    """What every document graph IRI starts with."""
    return f"{base()}graph/doc/"
