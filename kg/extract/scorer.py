"""A learned filter over candidate claims: logistic regression on the evidence the rules record.

The clause analyser (:mod:`kg.extract.relations`) proposes candidate claims and
records, for each, what it rests on (``claim["evidence"]``: the rule and voice,
the trigger lemma, the participants' types and how they were found, the
distance to the trigger, the status). The rules cannot tell a candidate that
the annotators took from one they did not; a scorer trained on the dev gold
can, from those features. It keeps a candidate when its probability reaches
the threshold, and the probability becomes the claim's confidence.

Training (``arcon train-relations``) is plain batch gradient descent with L2
regularisation in numpy, from zero weights for a fixed number of steps: the
same gold and rules always give the same weights, which are written as a small
JSON file. The threshold is chosen by k-fold cross-validation over articles,
and the cross-validated figures are stored with the weights. The pipeline
uses a scorer only when its config names one (``scorer = "path.json"`` in
``pipeline.cfg``): on the dev articles it has not yet beaten the rules.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 1


def features(evidence: dict[str, Any]) -> list[str]:
    """One-hot feature names of a candidate (conjunctions included: what a relation allows varies)."""
    rel = evidence["relation"]
    s_type, o_type = evidence["subject_type"], evidence["object_type"]
    out = [
        "bias",
        f"rel={rel}",
        f"rule={evidence['rule']}",
        f"lemma={rel}:{evidence['lemma']}",
        f"pos={evidence['pos']}",
        f"types={rel}:{s_type}>{o_type}",
        f"stype={rel}:{s_type}",
        f"otype={rel}:{o_type}",
        f"ssrc={evidence['subject_source']}",
        f"osrc={evidence['object_source']}",
        f"sgen={evidence['subject_generic']}",
        f"ogen={evidence['object_generic']}",
        f"indirect={min(int(evidence['indirect']), 2)}",
        f"status={evidence['status']}",
        f"slen={_bucket(evidence['sentence_length'], (15, 30, 45))}",
    ]
    for side in ("subject", "object"):
        offset = int(evidence[f"{side}_offset"])
        if side == "subject" and s_type == "none":
            out.append("soff=none")
            continue
        direction = "before" if offset < 0 else "after"
        out.append(f"{side[0]}off={direction}:{_bucket(abs(offset), (2, 5, 10, 20))}")
    return out


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


@dataclass(frozen=True, slots=True)
class Scorer:
    weights: dict[str, float]
    threshold: float
    meta: dict[str, Any]

    def probability(self, evidence: dict[str, Any]) -> float:
        z = sum(self.weights.get(f, 0.0) for f in features(evidence))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "threshold": self.threshold, "meta": self.meta,
                "weights": {k: round(v, 6) for k, v in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Scorer":
        if data.get("format") != FORMAT:
            raise ValueError(f"relation scorer format {data.get('format')!r}, expected {FORMAT}; "
                             "re-create it with: arcon train-relations")
        return cls(weights={k: float(v) for k, v in data["weights"].items()}, threshold=float(data["threshold"]),
                   meta=dict(data.get("meta") or {}))


def load_scorer(path: str | Path) -> Scorer | None:
    """The scorer written at ``path`` by ``arcon train-relations``; None when there is none."""
    target = Path(path)
    if not target.is_file():
        return None
    return Scorer.from_json(json.loads(target.read_text(encoding="utf-8")))


def apply(scorer: Scorer | None, claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the candidates the scorer accepts; their probability becomes the confidence."""
    if scorer is None:
        return claims
    kept = []
    for claim in claims:
        p = scorer.probability(claim["evidence"])
        if p >= scorer.threshold:
            kept.append(dict(claim, confidence=round(min(0.99, max(0.05, p)), 2)))
    return kept


def fit(rows: Sequence[list[str]], labels: Sequence[int], l2: float = 1.0, steps: int = 400,
        rate: float = 0.5) -> dict[str, float]:
    """Logistic regression by batch gradient descent from zero (deterministic)."""
    vocab = sorted({f for row in rows for f in row})
    index = {f: i for i, f in enumerate(vocab)}
    x = np.zeros((len(rows), len(vocab)))
    for r, row in enumerate(rows):
        for f in row:
            x[r, index[f]] = 1.0
    y = np.asarray(labels, dtype=float)
    w = np.zeros(len(vocab))
    n = max(1, len(rows))
    penalty = np.full(len(vocab), l2)
    if "bias" in index:
        penalty[index["bias"]] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) / n + penalty * w / n
        w -= rate * grad
    return {f: float(w[i]) for f, i in index.items() if abs(w[i]) > 1e-9}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate claim for training: its article, features, and whether it matched a gold claim."""

    article: str
    features: list[str]
    correct: bool


def cross_validate(candidates: Sequence[Candidate], gold_counts: dict[str, int], folds: int,
                   thresholds: Iterable[float], **fit_args: Any) -> dict[float, dict[str, float]]:
    """Micro P/R/F1 per threshold over ``folds`` article folds (each article scored by a model not trained on it).

    ``gold_counts`` holds the number of gold claims per article, so that gold
    claims no rule proposed count as misses.
    """
    articles = sorted(gold_counts)
    fold_of = {a: i % folds for i, a in enumerate(articles)}
    probs: list[tuple[float, bool]] = []
    for k in range(folds):
        train = [c for c in candidates if fold_of.get(c.article, -1) != k]
        test = [c for c in candidates if fold_of.get(c.article, -1) == k]
        weights = fit([c.features for c in train], [int(c.correct) for c in train], **fit_args)
        model = Scorer(weights, 0.0, {})
        for c in test:
            z = sum(model.weights.get(f, 0.0) for f in c.features)
            probs.append((1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), c.correct))
    total_gold = sum(gold_counts.values())
    out = {}
    for t in thresholds:
        tp = sum(1 for p, ok in probs if p >= t and ok)
        fp = sum(1 for p, ok in probs if p >= t and not ok)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / total_gold if total_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[round(t, 2)] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
    return out
