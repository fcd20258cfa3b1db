"""Extractions built by hand for the graph-build tests (the extractor's contract, no spaCy).

The article text is real prose and every offset points into it, so a sentence
in the graph is the sentence in the text.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kg.extract.types import Claim, Entity, EntityRef, Extraction
from kg.namespaces import ARCON
from kg.rdf import iris
from kg.sources.document import Document

ROOT = Path(__file__).resolve().parent.parent

SP = "https://w3id.org/arcon/id/criminal-group/shining-path"
UCA = "https://w3id.org/arcon/id/place/pe-uca"
COCAINE = "https://w3id.org/arcon/concept/market/cocaine-trade"
UNSPECIFIED = str(ARCON.UnspecifiedAgent)

TEXT = (
    "Shining Path remnants operate in Ucayali, police said on Tuesday. "
    "Traffickers allegedly paid police officers in Aguaytía to ignore the shipments. "
    "The regional police chief denied that his officers had protected the traffickers. "
    "A local leader was killed in 2013, and the Mexican cartel works with the clan."
)


def sentence_span(text: str, sentence_start: str) -> tuple[int, int, str]:
    start = text.index(sentence_start)
    end = text.index(". ", start) + 1 if ". " in text[start:] else len(text)
    return start, end, text[start:end]


def ref(text: str | None, type_: str | None, iri: str) -> EntityRef:
    return EntityRef(text=text, type=type_, iri=iri)


def article(n: int = 1, text: str = TEXT, **changes) -> Extraction:
    """A small, realistic extraction; ``n`` varies the URL so many distinct articles can be made."""
    url = f"https://news.example/andean-wire/2013/05/{n:02d}/ucayali-police"
    doc = Document(id=url, url=url, text=text, title=f"Police in Ucayali, report {n}",
                   published="2013-05-14", publisher="Andean Wire", source=f"test:{n}")
    traffickers = iris.entity_iri("CriminalGroup", "traffickers")
    officers = iris.entity_iri("PublicOfficial", "police officers")
    chief = iris.entity_iri("PublicOfficial", "regional police chief")
    leader = iris.entity_iri("VictimGroup", "local leader")
    mexican = iris.entity_iri("CriminalGroup", "Mexican cartel")
    clan = iris.entity_iri("CriminalGroup", "the clan")

    def ent(mention: str, type_: str, cls: str, iri: str, **kw) -> Entity:
        start = text.index(mention)
        return Entity(doc=url, text=mention, type=type_, cls=str(ARCON[cls]), iri=iri,
                      start=start, end=start + len(mention), **kw)

    def claim(relation, subject, obj, first_words, status="reported", confidence=0.8, place=None, date=None):
        start, end, sentence = sentence_span(text, first_words)
        return Claim(doc=url, relation=relation, subject=subject, object=obj, place=place, date=date,
                     status=status, confidence=confidence, sentence=sentence, start=start, end=end)

    entities = (
        ent("Shining Path", "CriminalGroup", "InsurgentGroup", SP, aliases=("Sendero Luminoso",)),
        ent("Ucayali", "Place", "Region", UCA),
        ent("Traffickers", "CriminalGroup", "CriminalGroup", traffickers),
        ent("police officers", "PublicOfficial", "PoliceOfficer", officers),
        ent("regional police chief", "PublicOfficial", "PoliceOfficer", chief),
        ent("local leader", "VictimGroup", "VictimGroup", leader),
        ent("Mexican cartel", "CriminalGroup", "DrugTraffickingOrganization", mexican),
        ent("clan", "CriminalGroup", "Clan", clan),
    )
    claims = (
        claim("operatesIn", ref("Shining Path", "CriminalGroup", SP), ref("Ucayali", "Place", UCA),
              "Shining Path remnants", confidence=0.9),
        claim("bribes", ref("Traffickers", "CriminalGroup", traffickers),
              ref("police officers", "PublicOfficial", officers), "Traffickers allegedly", status="alleged",
              confidence=0.75, place=ref("Ucayali", "Place", UCA), date="2013-05"),
        claim("protects", ref("regional police chief", "PublicOfficial", chief),
              ref("Traffickers", "CriminalGroup", traffickers), "The regional police chief", status="denied",
              confidence=0.7),
        claim("kills", ref(None, None, UNSPECIFIED), ref("local leader", "VictimGroup", leader),
              "A local leader", date="2013", confidence=0.6),
        claim("cooperatesWith", ref("Mexican cartel", "CriminalGroup", mexican), ref("clan", "CriminalGroup", clan),
              "A local leader", confidence=0.65),
    )
    return replace(Extraction(document=doc, entities=entities, claims=claims,
                              pipeline="arcon-extract", pipeline_version="0.1.0", config_hash="abc123def456"),
                   **changes)


def write_corpus(folder: Path, count: int, broken: frozenset[int] = frozenset()) -> tuple[Path, Path]:
    """``count`` articles as source JSONL plus their extraction JSONL; articles in ``broken`` carry a bad claim."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    docs, lines = folder / "articles.jsonl", folder / "extractions.jsonl"
    with docs.open("w", encoding="utf-8") as d, lines.open("w", encoding="utf-8") as x:
        x.write(json.dumps({"kind": "run", "pipeline": "arcon-extract", "version": "0.1.0",
                            "config_hash": "abc123def456"}) + "\n")
        for n in range(1, count + 1):
            e = article(n)
            if n in broken:
                claims = list(e.claims)
                claims[1] = replace(claims[1], confidence=1.5)
                e = replace(e, claims=tuple(claims))
            doc = e.document
            d.write(json.dumps({"id": doc.id, "url": doc.url, "title": doc.title, "published": doc.published,
                                "publisher": doc.publisher, "language": doc.language, "text": doc.text}) + "\n")
            for item in (*e.entities, *e.claims):
                x.write(json.dumps(item.to_json()) + "\n")
    return docs, lines
