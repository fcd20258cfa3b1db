"""The learned relation model: logistic regression over candidate claims (kg.extract.candidates).

The clause analyser's rules state a claim only when one of their paths reaches
both participants, so a construction no rule foresaw is a miss. The model
scores every candidate (a trigger and two participants of its sentence, see
:mod:`kg.extract.candidates`) from what it rests on (trigger lemma, voice,
dependency paths, participant types and how they were found, whether a rule
proposed it) and keeps those whose probability reaches the threshold; the
rules' own claims stay (a high-precision backbone) and are a feature.

Training (``arcon train-relations``, :mod:`kg.extract.training`) is full-batch
Adam on the L2-regularised log loss over a sparse one-hot design, from zero
weights for a fixed number of steps: the same gold, rules and parser give the
same weights, written as a small JSON file with the command, the hash of the
gold and of the pattern file, and the cross-validated figures. Without that
file the pipeline runs on the rules alone, with a warning.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 2
DEFAULT_MODEL = Path(__file__).with_name("relation-model.json")


class ModelWarning(UserWarning):
    """The relation model is missing or was trained on other rules: extraction goes on, less well."""


@dataclass(frozen=True, slots=True)
class RelationModel:
    weights: dict[str, float]
    threshold: float
    meta: dict[str, Any]

    def probability(self, features: Sequence[str]) -> float:
        z = sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def score_groups(self, groups: Sequence[Sequence[str]], cache: dict[int, tuple[Sequence[str], float]]) -> float:
        """:meth:`probability` of a candidate given as feature groups; ``cache`` keeps each group's sum by its
        identity (candidates of one doc share their groups), so a group is looked up once per doc. The group
        is kept beside its sum: a freed group's identity may be reused by another."""
        z = 0.0
        for group in groups:
            entry = cache.get(id(group))
            if entry is None or entry[0] is not group:
                entry = cache[id(group)] = (group, sum(self.weights.get(f, 0.0) for f in group))
            z += entry[1]
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "threshold": self.threshold, "meta": self.meta,
                "weights": {k: round(v, 3) for k, v in sorted(self.weights.items()) if abs(v) >= 0.005}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "RelationModel":
        if data.get("format") != FORMAT:
            raise ValueError(f"relation model format {data.get('format')!r}, expected {FORMAT}; "
                             "re-create it with: arcon train-relations")
        return cls(weights={k: float(v) for k, v in data["weights"].items()}, threshold=float(data["threshold"]),
                   meta=dict(data.get("meta") or {}))


def load_model(path: str | Path) -> RelationModel | None:
    """The model written at ``path`` by ``arcon train-relations``; None when there is none."""
    target = Path(path)
    if not target.is_file():
        return None
    return RelationModel.from_json(json.loads(target.read_text(encoding="utf-8")))


def file_hash(paths: Sequence[Path]) -> str:
    """A short hash of files' names and bytes (the gold a model was trained on, the pattern file)."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def vocabulary(rows: Sequence[Sequence[str]], min_count: int = 2) -> list[str]:
    """Features seen at least ``min_count`` times (rarer ones cannot be weighed and would only be noise)."""
    counts = Counter(f for row in rows for f in set(row))
    return sorted(f for f, n in counts.items() if n >= min_count)


def fit(rows: Sequence[Sequence[str]], labels: Sequence[int], l2: float = 1.0, steps: int = 300,
        rate: float = 0.05, min_count: int = 2) -> dict[str, float]:
    """Logistic regression by full-batch Adam from zero weights (deterministic), over one-hot features."""
    vocab = vocabulary(rows, min_count)
    index = {f: i for i, f in enumerate(vocab)}
    cols_list: list[int] = []
    lengths: list[int] = []
    for row in rows:
        cols = sorted({index[f] for f in row if f in index})
        cols_list += cols
        lengths.append(len(cols))
    cols_arr = np.asarray(cols_list, dtype=np.int64)
    row_of = np.repeat(np.arange(len(rows)), lengths)
    y = np.asarray(labels, dtype=float)
    n = max(1, len(rows))
    w = np.zeros(len(vocab))
    m = np.zeros(len(vocab))
    v = np.zeros(len(vocab))
    penalty = np.full(len(vocab), l2)
    if "bias" in index:
        penalty[index["bias"]] = 0.0
    for step in range(1, steps + 1):
        z = np.bincount(row_of, weights=w[cols_arr], minlength=len(rows))
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        grad = np.bincount(cols_arr, weights=(p - y)[row_of], minlength=len(vocab)) / n + penalty * w / n
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= rate * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return {f: float(w[i]) for f, i in index.items() if abs(w[i]) > 1e-9}
