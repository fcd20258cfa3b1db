"""A small corpus in the extractor's contract, built into a real store with `arcon ingest`.

Four articles with the relations an analyst of the Peru 2013 report asks about
(bribery of the police, a colluding mayor, protection, a Mexican cartel tied to
a Peruvian one, killings and displacement, coca cultivation and trafficking);
one of them is from 2014 so that year filters can be checked. The client and
linked-data tests use it (small, exact, no spaCy);
the named queries are tested on the sample corpus itself
(tests/api/test_named_queries.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from kg.extract.types import Claim, Entity, EntityRef
from kg.namespaces import ARCON
from kg.rdf import iris

FIXTURE_ONTOLOGY = Path(__file__).resolve().parents[1] / "fixtures" / "ontology"
ID = "https://w3id.org/arcon/id/"
MDC = ID + "criminal-group/mafia-de-la-cocaina"
SP = ID + "criminal-group/shining-path"
NPP = ID + "state-institution/national-police-of-peru"
SINALOA = ID + "criminal-group/sinaloa-cartel"
UCA, SAM, VRAEM = ID + "place/pe-uca", ID + "place/pe-sam", ID + "place/vraem"
MAYOR = iris.entity_iri("PublicOfficial", "mayor of Tocache")
FARMERS = iris.entity_iri("VictimGroup", "coca farmers")
ASHANINKA = iris.entity_iri("VictimGroup", "Ashaninka community")
OFFICERS = iris.entity_iri("PublicOfficial", "police officers")
MARKET = "https://w3id.org/arcon/concept/market/"

#: Reference knowledge the queries need beyond the build's fixture ontology.
EXTRA_REFERENCE = """
@prefix arcon: <https://w3id.org/arcon/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://w3id.org/arcon/id/place/mx> a owl:NamedIndividual, arcon:Country ; rdfs:label "Mexico"@en ; arcon:isoCode "MX" .
<https://w3id.org/arcon/id/criminal-group/sinaloa-cartel> a owl:NamedIndividual, arcon:DrugTraffickingOrganization ;
    rdfs:label "Sinaloa Cartel"@en ; arcon:basedIn <https://w3id.org/arcon/id/place/mx> .
<https://w3id.org/arcon/concept/market/coca-cultivation> skos:broader <https://w3id.org/arcon/concept/market/cocaine-trade> .
<https://w3id.org/arcon/concept/market/cocaine-trafficking> skos:broader <https://w3id.org/arcon/concept/market/cocaine-trade> .
"""

# (url, date, title, [(sentence, [claims as (relation, subject, object, place, status)])])
ARTICLES = [
    (
        "https://news.example/2013/03/ucayali-bribes",
        "2013-03-10",
        "Police bribed in Ucayali",
        [
            ("Mafia de la Cocaína paid officers of the National Police of Peru in Ucayali.",
             [("bribes", (MDC, "CriminalGroup"), (NPP, "StateInstitution"), UCA, "alleged")]),
            ("The Sinaloa Cartel works with the Mafia de la Cocaína in Ucayali.",
             [("cooperatesWith", (SINALOA, "CriminalGroup"), (MDC, "CriminalGroup"), UCA, "reported")]),
            ("Police officers protected shipments of the Mafia de la Cocaína in Ucayali.",
             [("protects", (OFFICERS, "PublicOfficial"), (MDC, "CriminalGroup"), UCA, "reported")]),
            ("The Mafia de la Cocaína traffics cocaine from Ucayali.",
             [("engagesIn", (MDC, "CriminalGroup"), (MARKET + "cocaine-trafficking", "Market"), UCA, "reported")]),
        ],
    ),
    (
        "https://news.example/2013/07/san-martin-mayor",
        "2013-07-02",
        "Mayor colluded with traffickers",
        [
            ("Mafia de la Cocaína again paid the National Police of Peru in San Martín.",
             [("bribes", (MDC, "CriminalGroup"), (NPP, "StateInstitution"), SAM, "reported")]),
            ("The mayor of Tocache colluded with the Mafia de la Cocaína in San Martín.",
             [("colludesWith", (MAYOR, "PublicOfficial"), (MDC, "CriminalGroup"), SAM, "charged")]),
            ("Shining Path killed coca farmers in the VRAEM.",
             [("kills", (SP, "CriminalGroup"), (FARMERS, "VictimGroup"), VRAEM, "reported")]),
            ("The Mafia de la Cocaína drove the Ashaninka community from its land in San Martín.",
             [("displaces", (MDC, "CriminalGroup"), (ASHANINKA, "VictimGroup"), SAM, "reported")]),
            ("Shining Path grows coca in San Martín.",
             [("engagesIn", (SP, "CriminalGroup"), (MARKET + "coca-cultivation", "Market"), SAM, "reported")]),
        ],
    ),
    (
        "https://news.example/2013/07/denial",
        "2013-07-20",
        "Police deny protection",
        [
            ("Police officers deny that they protected the Mafia de la Cocaína in Ucayali.",
             [("protects", (OFFICERS, "PublicOfficial"), (MDC, "CriminalGroup"), UCA, "denied")]),
        ],
    ),
    (
        "https://news.example/2014/01/ucayali-again",
        "2014-01-15",
        "Bribes in Ucayali, a year on",
        [
            ("Mafia de la Cocaína paid the National Police of Peru in Ucayali again.",
             [("bribes", (MDC, "CriminalGroup"), (NPP, "StateInstitution"), UCA, "reported")]),
        ],
    ),
]

LABELS = {MDC: "Mafia de la Cocaína", SP: "Shining Path", NPP: "National Police of Peru", SINALOA: "Sinaloa Cartel",
          MAYOR: "mayor of Tocache", FARMERS: "coca farmers", ASHANINKA: "Ashaninka community", OFFICERS: "police officers"}
CLASSES = {MAYOR: "Mayor", FARMERS: "Farmers", ASHANINKA: "IndigenousCommunity", OFFICERS: "PoliceOfficer"}


def write_inputs(folder: Path) -> tuple[Path, Path, Path]:
    """Documents JSONL, extraction JSONL and an ontology folder for `arcon ingest`."""
    folder.mkdir(parents=True, exist_ok=True)
    ontology = folder / "ontology"
    shutil.copytree(FIXTURE_ONTOLOGY, ontology)
    with (ontology / "reference.ttl").open("a", encoding="utf-8") as fh:
        fh.write(EXTRA_REFERENCE)
    docs, extractions = folder / "articles.jsonl", folder / "extractions.jsonl"
    with docs.open("w", encoding="utf-8") as d, extractions.open("w", encoding="utf-8") as x:
        x.write(json.dumps({"kind": "run", "pipeline": "fixture", "version": "1", "config_hash": "f" * 12}) + "\n")
        for url, date, title, sentences in ARTICLES:
            text = " ".join(s for s, _ in sentences)
            d.write(json.dumps({"id": url, "url": url, "title": title, "published": date,
                                "publisher": "News Example", "language": "en", "text": text}) + "\n")
            seen: set[str] = set()
            for sentence, claims in sentences:
                start = text.index(sentence)
                for relation, (s_iri, s_type), (o_iri, o_type), place, status in claims:
                    for iri, type_ in ((s_iri, s_type), (o_iri, o_type)):
                        if iri in seen or type_ == "Market":
                            continue
                        seen.add(iri)
                        label = LABELS[iri]
                        cls = str(ARCON[CLASSES.get(iri, type_)])
                        ent = Entity(doc=url, text=label, type=type_, cls=cls, iri=iri, start=start, end=start + len(label))
                        x.write(json.dumps(ent.to_json()) + "\n")
                    claim = Claim(
                        doc=url, relation=relation,
                        subject=EntityRef(text=LABELS.get(s_iri), type=s_type, iri=s_iri),
                        object=EntityRef(text=LABELS.get(o_iri), type=o_type, iri=o_iri),
                        place=EntityRef(text=None, type="Place", iri=place),
                        date=None, status=status, confidence=0.8,
                        sentence=sentence, start=start, end=start + len(sentence),
                    )
                    x.write(json.dumps(claim.to_json()) + "\n")
    return docs, extractions, ontology


def build_store(folder: Path) -> Path:
    """Ingest the fixture corpus with the real `arcon ingest`; return the store folder."""
    docs, extractions, ontology = write_inputs(folder)
    store = folder / "store"
    env = {**__import__("os").environ, "ARCON_ONTOLOGY_DIR": str(ontology)}
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "ingest", str(docs), "--extractions", str(extractions),
         "--store", str(store), "--quiet"],
        env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"arcon ingest failed: {result.stdout}\n{result.stderr}")
    return store
