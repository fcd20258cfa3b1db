"""Train the relation model (kg.extract.scorer) on gold files: candidates, labels, cross-validation by article.

Only the gold files given are read (by default the dev part); the held-out
test part is never used for training or for choosing the threshold. The
cross-validated figures are those of the whole extractor (the rules' claims
plus the model's), scored by :func:`kg.extract.evaluate.score` with the same
matching rules as ``arcon evaluate``, each article by a model not trained on it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.evaluate import GoldDoc, claim_matches, doc_names, person_names, score
from kg.extract.pipeline import to_extraction
from kg.extract.relations import pair_key
from kg.extract.scorer import RelationModel, file_hash, fit
from kg.extract.types import Claim, EntityRef, Extraction
from kg.sources import Document

THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(2, 15))
HYPER = {"l2": 1.0, "steps": 300, "rate": 0.05, "min_count": 2}


@dataclass(slots=True)
class Article:
    """One gold article: the rules' extraction, every candidate with its label and key."""

    gold: GoldDoc
    extraction: Extraction
    rule_keys: set[tuple[str, str, str, int]]
    candidates: list[dict[str, Any]]
    labels: list[bool]
    # per sentence: (start char, end char, the relations a trigger word in it can state), for kg.extract.diagnose
    triggers: list[tuple[int, int, frozenset[str]]]


def candidate_claim(doc: str, c: dict[str, Any]) -> Claim:
    """A candidate record (``doc._.arcon_candidates``) as a claim the scorer's matching rules can compare."""
    return Claim(doc=doc, relation=c["relation"], subject=EntityRef.from_json(c["subject"]),
                 object=EntityRef.from_json(c["object"]), place=None, date=None, status="reported",
                 confidence=0.0, sentence="", start=c["start"], end=c["end"])


def collect(nlp: Language, gold: Sequence[GoldDoc], documents: Sequence[Document]) -> list[Article]:
    """Run the rules over the gold articles and label every candidate by the gold (model off)."""
    finder = nlp.get_pipe("arcon_relations")
    by_id = {g.doc: g for g in gold}
    wanted = [d for d in documents if d.id in by_id]
    saved, finder.model, finder.keep_candidates = finder.model, None, True
    out: list[Article] = []
    try:
        for doc, document in nlp.pipe(((d.text, d) for d in wanted), as_tuples=True):
            g = by_id[document.id]
            claims = doc._.arcon_claims or []
            ex = to_extraction(document, doc._.arcon_entities or [], claims)
            names = doc_names(ex)
            persons = person_names(g)
            cands = doc._.arcon_candidates or []
            labels = [any(claim_matches(gc, candidate_claim(document.id, c), document.text, names, persons) for gc in g.claims)
                      for c in cands]
            keys = {pair_key(c["relation"], c["subject"]["iri"], c["object"]["iri"], c["sentence_start"],
                              finder.lexicon) for c in claims}
            out.append(Article(g, ex, keys, cands, labels, sentence_triggers(doc, finder.triggers)))
    finally:
        finder.model, finder.keep_candidates = saved, False
    return out


def sentence_triggers(doc: Doc, triggers: dict[tuple[str, str], frozenset[str]]
                      ) -> list[tuple[int, int, frozenset[str]]]:
    """Each sentence's character range and the relations its trigger words (lemma, coarse POS) can state."""
    out = []
    for sentence in doc.sents:
        relations: set[str] = set()
        for t in sentence:
            relations |= triggers.get((t.lemma_.lower(), t.pos_), frozenset())
        out.append((sentence.start_char, sentence.end_char, frozenset(relations)))
    return out


def assemble(article: Article, probabilities: Sequence[float], threshold: float) -> Extraction:
    """The rules' claims plus the best candidate of each new claim key whose probability reaches the threshold,
    as :func:`kg.extract.relations.find_claims` does (an unnamed-agent claim yields to a named one)."""
    best: dict[tuple, tuple[float, dict[str, Any]]] = {}
    for c, p in zip(article.candidates, probabilities):
        key = tuple(c["key"])
        if key in article.rule_keys or p < threshold:
            continue
        if key not in best or best[key][0] < p:
            best[key] = (p, c)
    doc = article.extraction.document.id
    claims = [*article.extraction.claims, *(candidate_claim(doc, c) for _, c in best.values())]
    named = {(c.relation, c.object.iri, c.start) for c in claims if c.subject.text is not None}
    claims = [c for c in claims if c.subject.text is not None or (c.relation, c.object.iri, c.start) not in named]
    return Extraction(document=article.extraction.document, entities=article.extraction.entities,
                      claims=tuple(claims))


def folds_of(articles: Sequence[Article], folds: int) -> dict[str, int]:
    """Article → fold, round robin over the sorted article names (the same split every run)."""
    return {name: i % folds for i, name in enumerate(sorted(a.gold.name for a in articles))}


def cross_validate(articles: Sequence[Article], folds: int, thresholds: Sequence[float] = THRESHOLDS,
                   select_on: Sequence[str] = (), share: float = 1.0, seed: int = 0,
                   **hyper: Any) -> dict[str, dict[str, float]]:
    """Micro P/R/F1 of rules + model per threshold (and of the rules alone), each article scored by a model
    trained on the other folds; ``select_on``: score only the articles whose names start with one of these
    prefixes (all articles still train); ``share``: train each model on that share of the other folds'
    articles only, drawn with ``seed`` (for :func:`learning_curve`)."""
    fold = folds_of(articles, folds)
    draw = random.Random(seed)
    probs: dict[str, list[float]] = {}
    for k in range(folds):
        train = [a for a in articles if fold[a.gold.name] != k]
        if share < 1.0:
            train = draw.sample(train, max(1, round(share * len(train))))
        model = RelationModel(fit([c["features"] for a in train for c in a.candidates],
                                  [int(y) for a in train for y in a.labels], **{**HYPER, **hyper}), 0.0, {})
        for a in articles:
            if fold[a.gold.name] == k:
                probs[a.gold.name] = [model.probability(c["features"]) for c in a.candidates]
    scored = [a for a in articles if not select_on or a.gold.name.startswith(tuple(select_on))]
    gold = [a.gold for a in scored]
    out = {"rules": _figures(score(gold, {a.gold.doc: a.extraction for a in scored}))}
    for t in thresholds:
        report = score(gold, {a.gold.doc: assemble(a, probs[a.gold.name], t) for a in scored})
        out[f"{t:.2f}"] = _figures(report)
    return out


def learning_curve(articles: Sequence[Article], folds: int, shares: Sequence[float], draws: int = 3,
                   select_on: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Cross-validated F1 of rules + model when each model sees only a share of its training articles: does
    more gold of the same kind help the model? Per share and draw the best threshold's F1 (an optimistic choice,
    the same for every share), averaged over ``draws`` random draws (one when the share is whole)."""
    out = []
    for share in shares:
        best = []
        for seed in range(draws if share < 1.0 else 1):
            cv = cross_validate(articles, folds, select_on=select_on, share=share, seed=seed)
            best.append(max(row["f1"] for t, row in cv.items() if t != "rules"))
        trained = round(share * len(articles) * (folds - 1) / folds)
        out.append({"share": share, "articles": trained, "f1": round(sum(best) / len(best), 4), "draws": best})
    return out


def _figures(report) -> dict[str, float]:
    p, r, f = report.micro()
    return {"precision": p, "recall": r, "f1": f}


def train(nlp: Language, gold: Sequence[GoldDoc], documents: Sequence[Document], folds: int = 5,
          sources: Sequence[Path] = (), command: str = "arcon train-relations",
          min_precision: float = 0.0, select_on: Sequence[str] = ()
          ) -> tuple[RelationModel, dict[str, dict[str, float]]]:
    """Cross-validate, keep the threshold with the best cross-validated F1 (on the articles ``select_on``
    names, else all) whose precision reaches ``min_precision``, then fit on all the gold given."""
    articles = collect(nlp, gold, documents)
    cv = cross_validate(articles, folds, select_on=select_on)
    allowed = [t for t in cv if t != "rules" and cv[t]["precision"] >= min_precision] or \
        [t for t in cv if t != "rules"]
    top = max(cv[t]["f1"] for t in allowed)
    # among thresholds within half a point of the best F1 (the noise of a few dozen articles), the most precise
    best = max((t for t in allowed if cv[t]["f1"] >= top - 0.005), key=float)
    weights = fit([c["features"] for a in articles for c in a.candidates],
                  [int(y) for a in articles for y in a.labels], **HYPER)
    finder = nlp.get_pipe("arcon_relations")
    meta = {
        "command": command,
        "trained_on": sorted(a.gold.name for a in articles),
        "gold_sha256": file_hash(list(sources)) if sources else None,
        "patterns_sha256": file_hash([finder.patterns_file]),
        "model": nlp.meta.get("arcon_model"),
        "candidates": sum(len(a.candidates) for a in articles),
        "positive_candidates": sum(sum(a.labels) for a in articles),
        "gold_claims": sum(len(a.gold.claims) for a in articles),
        "hyperparameters": HYPER,
        "folds": folds,
        "threshold_chosen_on": list(select_on) or "all",
        "cross_validated": {"threshold": float(best), **cv[best], "rules_only": cv["rules"]},
    }
    return RelationModel(weights, float(best), meta), cv
