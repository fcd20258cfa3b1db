"""Train the relation scorer (kg.extract.scorer) on a gold folder: candidates, labels, cross-validation.

Only the gold folder given is read (by default the dev part); the held-out
test part is never used for training or for choosing the threshold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from spacy.language import Language

from kg.extract.evaluate import GoldDoc, matched_predictions
from kg.extract.pipeline import to_extraction
from kg.extract.scorer import Candidate, Scorer, cross_validate, features, fit
from kg.sources import Document

THRESHOLDS = (0.0, *(round(0.05 * k, 2) for k in range(2, 15)))


def candidates(nlp: Language, gold: Sequence[GoldDoc], documents: Sequence[Document]
               ) -> tuple[list[Candidate], dict[str, int]]:
    """Every claim the rules propose for the gold articles (scorer off), labelled by the gold."""
    finder = nlp.get_pipe("arcon_relations")
    saved, finder.scorer, finder.keep_evidence = finder.scorer, None, True
    by_id = {g.doc: g for g in gold}
    wanted = [d for d in documents if d.id in by_id]
    out: list[Candidate] = []
    extractions = {}
    try:
        for doc, document in nlp.pipe(((d.text, d) for d in wanted), as_tuples=True):
            claims = doc._.arcon_claims or []
            ex = to_extraction(document, doc._.arcon_entities or [], claims)
            extractions[document.id] = ex
            correct = matched_predictions(by_id[document.id], ex)
            out += [Candidate(by_id[document.id].name, features(c["evidence"]), i in correct)
                    for i, c in enumerate(claims)]
    finally:
        finder.scorer, finder.keep_evidence = saved, False
    counts = {by_id[d].name: len(by_id[d].claims) for d in extractions}
    return out, counts


def train(nlp: Language, gold: Sequence[GoldDoc], documents: Sequence[Document], folds: int = 5,
          sources: Sequence[Path] = ()) -> tuple[Scorer, dict[float, dict[str, float]]]:
    """Cross-validate, pick the threshold with the best cross-validated F1, then fit on all the gold."""
    cands, counts = candidates(nlp, gold, documents)
    cv = cross_validate(cands, counts, folds, THRESHOLDS)
    best = max(cv, key=lambda t: (cv[t]["f1"], t))
    weights = fit([c.features for c in cands], [int(c.correct) for c in cands])
    digest = hashlib.sha256()
    for path in sorted(sources):
        digest.update(path.name.encode() + path.read_bytes())
    meta = {
        "trained_on": sorted({c.article for c in cands} | set(counts)),
        "gold_sha256": digest.hexdigest()[:16],
        "candidates": len(cands),
        "correct_candidates": sum(c.correct for c in cands),
        "gold_claims": sum(counts.values()),
        "folds": folds,
        "cross_validated": {"threshold": best, **cv[best], "rules_only": cv[0.0]},
    }
    return Scorer(weights, best, meta), cv
