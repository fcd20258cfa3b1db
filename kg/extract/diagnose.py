"""Why the extractor missed the gold claims it missed, and how much recall a perfect scorer could reach.

``arcon evaluate --causes`` tells someone improving the extractor where the
recall goes, stage by stage, so that effort goes to the stage that loses most.
Each gold claim the extractor misses gets the first cause that applies:

* ``taken``: a claim of the extraction matches it, but was already matched to
  another gold claim (matching is one-to-one);
* ``scorer``: a candidate states it (:mod:`kg.extract.candidates`), but the
  learned model scored it under its threshold;
* ``relation``: the two participants are proposed together in that sentence, but
  under another relation;
* ``subject`` / ``object`` / ``both``: that participant is neither a mention in
  the sentence nor reached by any candidate there (entity recognition, or
  reference to a name in another sentence);
* ``trigger``: both participants are there, but no word of the sentence is a
  trigger of the relation (``relation-patterns.yaml``);
* ``limits``: trigger and participants are there, but no candidate joins them:
  too far apart in the parse, a type the relation's domain or range excludes,
  or a trigger that states no event ("would escort").

The candidates come from a second run with the model off (as training sees
them), so the ceiling (TP plus ``taken`` and ``scorer`` misses, over gold) is
the recall a scorer that picked every right candidate would reach with the
present rules, recognition and candidate limits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language

from kg.extract.evaluate import (GoldClaim, GoldDoc, Report, claim_matches, doc_names, one_to_one, overlaps,
                                 participant_matches, person_names, score, sentence_spans)
from kg.extract.pipeline import extract
from kg.extract.training import Article, candidate_claim, collect
from kg.extract.types import Extraction
from kg.sources import Document

CAUSES = {
    "taken": "matched by a claim already matched to another gold claim",
    "scorer": "a candidate states it; the model scored it under its threshold",
    "relation": "its participants are proposed together there, under another relation",
    "subject": "the subject is not found in the sentence (recognition or reference)",
    "object": "the object is not found in the sentence (recognition or reference)",
    "both": "neither participant is found in the sentence",
    "trigger": "both are there; no trigger word of the relation in the sentence",
    "limits": "trigger and both are there; no candidate (parse distance, types, idle trigger)",
}


@dataclass(slots=True)
class Diagnosis:
    report: Report  # the extractor's scores, as `arcon evaluate` prints them
    gold_claims: int
    causes: Counter = field(default_factory=Counter)
    by_relation: dict[str, Counter] = field(default_factory=dict)  # relation -> cause -> misses
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def ceiling(self) -> float:
        """Recall with every right candidate kept: what a perfect scorer could reach."""
        tp = sum(c["tp"] for c in self.report.per_relation.values())
        reachable = tp + self.causes["taken"] + self.causes["scorer"]
        return round(reachable / self.gold_claims, 4) if self.gold_claims else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"gold_claims": self.gold_claims, "misses": sum(self.causes.values()),
                "recall": self.report.micro()[1], "ceiling": self.ceiling,
                "causes": {k: self.causes[k] for k in CAUSES},
                "by_relation": {r: {k: c[k] for k in CAUSES if c[k]} for r, c in sorted(self.by_relation.items())},
                "examples": self.examples}


@dataclass(frozen=True, slots=True)
class _Context:
    """What every miss of one article is checked against, computed once per article."""

    final: Extraction  # the extractor's output, as scored
    article: Article  # the rules' claims, every candidate and the sentences' triggers (model off)
    candidates: tuple  # the candidates as claims
    names: dict[str, set[str]]
    persons: frozenset[str]

    @classmethod
    def of(cls, final: Extraction, article: Article) -> "_Context":
        return cls(final, article, tuple(candidate_claim(article.gold.doc, c) for c in article.candidates),
                   doc_names(final), person_names(article.gold))


def cause_of(g: GoldClaim, ctx: _Context) -> str:
    """The first cause of the module docstring that applies to the missed gold claim ``g``."""
    text, names, persons = ctx.final.document.text, ctx.names, ctx.persons
    if any(claim_matches(g, c, text, names, persons) for c in ctx.final.claims):
        return "taken"
    if any(claim_matches(g, c, text, names, persons) for c in ctx.candidates):
        return "scorer"
    spans = sentence_spans(text, g.sentence)
    here = [c for c in (*ctx.article.extraction.claims, *ctx.candidates) if overlaps(spans, c.start, c.end)]

    def same(gold_text: str | None, ref) -> bool:
        return participant_matches(gold_text, ref.text, ref.iri, names, persons)

    if any((same(g.subject, c.subject) and same(g.object, c.object)) or
           (same(g.subject, c.object) and same(g.object, c.subject)) for c in here):
        return "relation"

    def found(gold_text: str | None) -> bool:
        if gold_text is None:
            return True
        return any(overlaps(spans, e.start, e.end) and same(gold_text, e) for e in ctx.final.entities) or \
            any(same(gold_text, c.subject) or same(gold_text, c.object) for c in here)

    has_subject, has_object = found(g.subject), found(g.object)
    if not has_subject or not has_object:
        return "both" if not has_subject and not has_object else ("subject" if not has_subject else "object")
    if not any(overlaps(spans, s, e) and g.relation in relations for s, e, relations in ctx.article.triggers):
        return "trigger"
    return "limits"


def diagnose(nlp: Language, gold: Sequence[GoldDoc], documents: Sequence[Document], examples: int = 5) -> Diagnosis:
    """Score the extractor on ``gold`` and give each miss its cause (``examples``: misses kept per cause)."""
    finals = {ex.document.id: ex for ex in extract(list(documents), nlp)}
    report = score(list(gold), finals)
    articles = {a.gold.doc: a for a in collect(nlp, gold, documents)}
    out = Diagnosis(report=report, gold_claims=sum(len(g.claims) for g in gold))
    for gdoc in gold:
        ctx = _Context.of(finals[gdoc.doc], articles[gdoc.doc])
        for g, index in one_to_one(gdoc, ctx.final):  # the matching `score` made
            if index is not None:
                continue
            cause = cause_of(g, ctx)
            out.causes[cause] += 1
            out.by_relation.setdefault(g.relation, Counter())[cause] += 1
            kept = out.examples.setdefault(cause, [])
            if len(kept) < examples:
                kept.append({"doc": gdoc.name, "relation": g.relation, "subject": g.subject, "object": g.object,
                             "sentence": g.sentence})
    return out


def format_diagnosis(d: Diagnosis, details: bool = True) -> str:
    misses = sum(d.causes.values())
    lines = [f"misses by cause: {misses} of {d.gold_claims} gold claims "
             f"(recall {d.report.micro()[1]:.3f}; a perfect scorer over these candidates: {d.ceiling:.3f})",
             f"{'cause':<10}{'misses':>7}{'share':>7}   meaning"]
    for cause, meaning in CAUSES.items():
        n = d.causes[cause]
        lines.append(f"{cause:<10}{n:>7}{(n / misses if misses else 0):>7.2f}   {meaning}")
    lines.append("")
    lines.append(f"{'relation':<16}" + "".join(f"{c:>9}" for c in CAUSES))
    for relation, counts in sorted(d.by_relation.items()):
        lines.append(f"{relation:<16}" + "".join(f"{counts[c]:>9}" for c in CAUSES))
    if details:
        for cause in CAUSES:
            if d.examples.get(cause):
                lines.append(f"\n{cause}:")
                lines += [f"  {x['doc']}: {x['relation']}({x['subject']}, {x['object']}) — {x['sentence'][:110]}"
                          for x in d.examples[cause]]
    return "\n".join(lines)
