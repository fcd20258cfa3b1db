"""What the extractor returns. These values are the `arcon extract --format jsonl` contract.

Field names and meanings follow the extraction issue exactly:

* entity: ``{"kind":"entity","doc","text","type","class","iri","start","end"}``
* claim: ``{"kind":"claim","doc","relation","subject":{"text","type","iri"},
  "object":{...},"place":{...}|null,"date":str|null,"status","confidence",
  "sentence","start","end"}``

``type`` is a coarse type (the ``arcon:entityType`` annotation of an ontology
class), ``class`` the fine ontology class IRI, ``relation`` the local name of one
of the ontology's claim relations, ``status`` the local name of an epistemic
status concept, and ``start``/``end`` character offsets in the document text
(of the mention for an entity, of the sentence for a claim).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.sources.document import Document


@dataclass(frozen=True, slots=True)
class EntityRef:
    """A claim's participant. ``text``/``type`` are None for the unspecified agent."""

    text: str | None
    type: str | None
    iri: str

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "type": self.type, "iri": self.iri}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "EntityRef":
        return cls(text=data.get("text"), type=data.get("type"), iri=data["iri"])


@dataclass(frozen=True, slots=True)
class Entity:
    """One mention of an entity in a document, typed and linked."""

    doc: str
    text: str
    type: str
    cls: str  # fine ontology class IRI ("class" in JSON)
    iri: str
    start: int
    end: int
    label: str | None = None  # canonical name when it differs from the mention text
    aliases: tuple[str, ...] = ()  # names stated in the text ("X, alias Y")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": "entity",
            "doc": self.doc,
            "text": self.text,
            "type": self.type,
            "class": self.cls,
            "iri": self.iri,
            "start": self.start,
            "end": self.end,
        }
        if self.aliases:
            data["aliases"] = list(self.aliases)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Entity":
        return cls(
            doc=data["doc"],
            text=data["text"],
            type=data["type"],
            cls=data["class"],
            iri=data["iri"],
            start=int(data["start"]),
            end=int(data["end"]),
            aliases=tuple(data.get("aliases", ())),
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """One relation stated in one sentence: the record of evidence."""

    doc: str
    relation: str
    subject: EntityRef
    object: EntityRef
    place: EntityRef | None
    date: str | None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    status: str  # reported | alleged | denied | charged | convicted | historical
    confidence: float
    sentence: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "claim",
            "doc": self.doc,
            "relation": self.relation,
            "subject": self.subject.to_json(),
            "object": self.object.to_json(),
            "place": self.place.to_json() if self.place else None,
            "date": self.date,
            "status": self.status,
            "confidence": self.confidence,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Claim":
        place = data.get("place")
        return cls(
            doc=data["doc"],
            relation=data["relation"],
            subject=EntityRef.from_json(data["subject"]),
            object=EntityRef.from_json(data["object"]),
            place=EntityRef.from_json(place) if place else None,
            date=data.get("date"),
            status=data["status"],
            confidence=float(data["confidence"]),
            sentence=data["sentence"],
            start=int(data["start"]),
            end=int(data["end"]),
        )


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the extractor found in one document, plus the run that found it."""

    document: Document
    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()
    pipeline: str = "arcon-extract"
    pipeline_version: str = "0"
    config_hash: str = field(default="0" * 12)
