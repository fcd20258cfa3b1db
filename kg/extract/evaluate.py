"""Score extractions against the hand-annotated gold standard (docs/annotation-guidelines.md).

Matching rules (tests pin them):

* A predicted claim matches a gold claim when they have the same document and
  relation, their sentences overlap (character ranges in the article text), and
  subject and object each match (either order for symmetric relations,
  ``cooperatesWith`` and ``colludesWith``). Matching is one-to-one, in document
  order.
* A gold participant text matches a predicted participant when
  1. both are null (the unspecified agent); or
  2. their folded texts are equal after dropping a leading article
     ("the", "a", "an"); folding = case and accents ignored; or
  3. the gold text resolves to the predicted IRI: some predicted mention in the
     same document (or one of its stated aliases) has the gold text's folded
     form and that IRI ("Comrade José" → Víctor Quispe Palomino's IRI); or
  4. one is the head-containing part of the other: the shorter one's words are a
     contiguous run of the longer one's words and include the longer one's head
     word (its last word before "of", "de", "del", "in", "from", "for", "with",
     ",", else its last word). "police officers" ~ "three police officers";
     "Shining Path" !~ "Shining Path rebels" (head "rebels").
  5. one is a part of a person's name that the gold document lists: the longer
     one is the text of a gold entity line of type Person or PublicOfficial and
     the shorter one's words are a contiguous run of its words ("Ledesma" ~
     "Gustavo Ledesma Pacheco", "Alexis Polo Quiroz" ~ "Jhonatan Alexis Polo
     Quiroz"): the same person within the article, whoever is scored (the
     second annotator's agreement uses the same rule).
* Status accuracy is counted over matched claims. Entity type accuracy: each gold
  entity is matched to the first predicted mention of the document whose text
  matches it by rule 2, else rule 4; accuracy = same type / matched, and the
  share of gold entities matched is reported as coverage.
* Claims predicted for off-topic articles are false alarms (also counted apart).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.extract.types import Extraction
from kg.rdf.iris import fold

SYMMETRIC = {"cooperatesWith", "colludesWith"}
_ARTICLES = {"the", "a", "an"}
_HEAD_STOPS = {"of", "de", "del", "in", "from", "for", "with", ",", "who", "which", "that"}


class GoldError(ValueError):
    """A gold file is malformed; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class GoldClaim:
    doc: str
    relation: str
    subject: str | None
    object: str
    status: str
    sentence: str
    source: str  # "file:line"


@dataclass(slots=True)
class GoldDoc:
    doc: str
    split: str
    topic: str
    name: str
    entities: list[tuple[str, str]] = field(default_factory=list)
    claims: list[GoldClaim] = field(default_factory=list)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # entity text -> its stated aliases


def gold_files(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files += sorted(path.rglob("*.jsonl"))
        elif path.is_file():
            files.append(path)
        else:
            raise GoldError(f"{path}: no such gold file or folder")
    return files


def load_gold(paths: Iterable[str | Path]) -> list[GoldDoc]:
    docs: list[GoldDoc] = []
    for path in gold_files(paths):
        current: GoldDoc | None = None
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                item = json.loads(line)
                kind = item["kind"]
                if kind == "document":
                    current = GoldDoc(item["doc"], item.get("split", ""), item.get("topic", "domain"), path.stem)
                    docs.append(current)
                elif current is None:
                    raise GoldError(f"{where}: a {kind} line before the document line")
                elif kind == "entity":
                    current.entities.append((item["text"], item["type"]))
                    if item.get("aliases"):
                        current.aliases[item["text"]] = tuple(item["aliases"])
                elif kind == "claim":
                    current.claims.append(GoldClaim(item["doc"], item["relation"], item["subject"], item["object"],
                                                    item["status"], item["sentence"], where))
                else:
                    raise GoldError(f"{where}: unknown kind {kind!r}")
            except json.JSONDecodeError as exc:
                raise GoldError(f"{where}: not JSON: {exc.msg}") from None
            except KeyError as exc:
                raise GoldError(f"{where}: missing field {exc}") from None
    return docs


def _words(text: str) -> list[str]:
    words = re.findall(r"[\w'-]+|,", fold(text))
    while len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return words


def _head(words: list[str]) -> str:
    for i, w in enumerate(words):
        if w in _HEAD_STOPS and i > 0:
            return words[i - 1]
    return words[-1] if words else ""


def head_part(a: str, b: str) -> bool:
    """True when one text is the head-containing part of the other (rule 4)."""
    wa, wb = _words(a), _words(b)
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if not short:
        return False
    head = _head(long_)
    for i in range(len(long_) - len(short) + 1):
        if long_[i:i + len(short)] == short and head in short:
            return True
    return False


def same_text(a: str, b: str) -> bool:
    return _words(a) == _words(b)


def participant_matches(gold: str | None, text: str | None, iri: str, names: dict[str, set[str]],
                        persons: frozenset[str] = frozenset()) -> bool:
    """Rules 1–5 of the module docstring; ``persons``: the folded names of the gold document's person lines."""
    if gold is None or text is None:
        return gold is None and text is None
    if same_text(gold, text):
        return True
    if iri in names.get(" ".join(_words(gold)), set()):
        return True
    return head_part(gold, text) or name_part(gold, text, persons)


def name_part(a: str, b: str, persons: frozenset[str]) -> bool:
    """Rule 5: the shorter text is a contiguous run of words of the longer, which names a gold person."""
    wa, wb = _words(a), _words(b)
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if not short or " ".join(long_) not in persons:
        return False
    return any(long_[i:i + len(short)] == short for i in range(len(long_) - len(short) + 1))


def person_names(gdoc: "GoldDoc") -> frozenset[str]:
    """The folded texts of a gold document's Person and PublicOfficial entity lines (for rule 5)."""
    return frozenset(" ".join(_words(text)) for text, type_ in gdoc.entities if type_ in ("Person", "PublicOfficial"))


def doc_names(extraction: Extraction) -> dict[str, set[str]]:
    """Folded mention texts and aliases of a document → the IRIs they were linked to."""
    names: dict[str, set[str]] = {}
    for e in extraction.entities:
        for text in (e.text, *(e.aliases or ()), *( [e.label] if e.label else [])):
            names.setdefault(" ".join(_words(text)), set()).add(e.iri)
    return names


@dataclass(slots=True)
class Report:
    per_relation: dict[str, Counter]  # relation -> Counter(tp, fp, fn)
    status_total: int = 0
    status_correct: int = 0
    entity_gold: int = 0
    entity_matched: int = 0
    entity_correct: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[dict[str, Any]] = field(default_factory=list)
    offtopic_false_alarms: int = 0
    type_errors: list[dict[str, Any]] = field(default_factory=list)
    status_errors: list[dict[str, Any]] = field(default_factory=list)  # matched claims whose status differs

    def micro(self) -> tuple[float, float, float]:
        tp = sum(c["tp"] for c in self.per_relation.values())
        fp = sum(c["fp"] for c in self.per_relation.values())
        fn = sum(c["fn"] for c in self.per_relation.values())
        return prf(tp, fp, fn)

    def to_json(self) -> dict[str, Any]:
        p, r, f = self.micro()
        return {
            "micro": {"precision": p, "recall": r, "f1": f},
            "relations": {k: {"tp": v["tp"], "fp": v["fp"], "fn": v["fn"], **dict(zip(("precision", "recall", "f1"), prf(v["tp"], v["fp"], v["fn"])))}
                          for k, v in sorted(self.per_relation.items())},
            "status_accuracy": _ratio(self.status_correct, self.status_total),
            "matched_claims": self.status_total,
            "entity_type_accuracy": _ratio(self.entity_correct, self.entity_matched),
            "entity_coverage": _ratio(self.entity_matched, self.entity_gold),
            "offtopic_false_alarms": self.offtopic_false_alarms,
            "misses": self.misses,
            "false_alarms": self.false_alarms,
            "type_errors": self.type_errors,
            "status_errors": self.status_errors,
        }


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


def sentence_spans(text: str, sentence: str) -> list[tuple[int, int]]:
    """Character ranges of every occurrence of ``sentence`` in ``text``."""
    out, pos = [], text.find(sentence)
    while pos != -1:
        out.append((pos, pos + len(sentence)))
        pos = text.find(sentence, pos + 1)
    return out


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def _overlaps(text: str, sentence: str, start: int, end: int) -> bool:
    return overlaps(sentence_spans(text, sentence), start, end)


def claim_matches(g: GoldClaim, c, text: str, names: dict[str, set[str]],
                  persons: frozenset[str] = frozenset()) -> bool:
    """Whether predicted claim ``c`` matches gold claim ``g`` (rules in the module docstring)."""
    if g.relation != c.relation or not _overlaps(text, g.sentence, c.start, c.end):
        return False
    forward = (participant_matches(g.subject, c.subject.text, c.subject.iri, names, persons)
               and participant_matches(g.object, c.object.text, c.object.iri, names, persons))
    if forward or g.relation not in SYMMETRIC:
        return forward
    return (participant_matches(g.subject, c.object.text, c.object.iri, names, persons)
            and participant_matches(g.object, c.subject.text, c.subject.iri, names, persons))


def one_to_one(gdoc: GoldDoc, ex: Extraction) -> list[tuple[GoldClaim, int | None]]:
    """Each gold claim with the index in ``ex.claims`` of the prediction it is matched to (None: missed):
    in document order, the first unmatched prediction that matches (rules in the module docstring)."""
    text = ex.document.text
    names = doc_names(ex)
    persons = person_names(gdoc)
    unmatched = list(range(len(ex.claims)))
    out: list[tuple[GoldClaim, int | None]] = []
    for g in gdoc.claims:
        found = next((i for i in unmatched if claim_matches(g, ex.claims[i], text, names, persons)), None)
        if found is not None:
            unmatched.remove(found)
        out.append((g, found))
    return out


def score(gold: list[GoldDoc], extractions: dict[str, Extraction]) -> Report:
    report = Report(per_relation={})

    def bump(relation: str, key: str) -> None:
        report.per_relation.setdefault(relation, Counter({"tp": 0, "fp": 0, "fn": 0}))[key] += 1

    for gdoc in gold:
        ex = extractions.get(gdoc.doc)
        if ex is None:
            raise GoldError(f"{gdoc.name}: no extraction for document {gdoc.doc!r} (is its article in the corpus?)")
        pairs = one_to_one(gdoc, ex)
        taken = {i for _, i in pairs if i is not None}
        unmatched = [c for i, c in enumerate(ex.claims) if i not in taken]
        for g, index in pairs:
            if index is None:
                bump(g.relation, "fn")
                report.misses.append({"doc": gdoc.name, "relation": g.relation, "subject": g.subject,
                                      "object": g.object, "status": g.status, "sentence": g.sentence})
                continue
            found = ex.claims[index]
            bump(g.relation, "tp")
            report.status_total += 1
            report.status_correct += int(found.status == g.status)
            if found.status != g.status:
                report.status_errors.append({"doc": gdoc.name, "relation": g.relation, "subject": g.subject,
                                             "object": g.object, "gold": g.status, "predicted": found.status,
                                             "sentence": g.sentence})
        for c in unmatched:
            bump(c.relation, "fp")
            report.offtopic_false_alarms += int(gdoc.topic == "offtopic")
            report.false_alarms.append({"doc": gdoc.name, "relation": c.relation, "subject": c.subject.text,
                                        "object": c.object.text, "status": c.status, "sentence": c.sentence})
        for gtext, gtype in gdoc.entities:
            report.entity_gold += 1
            match = next((e for e in ex.entities if same_text(gtext, e.text)), None) or \
                next((e for e in ex.entities if head_part(gtext, e.text)), None)
            if match is None:
                continue
            report.entity_matched += 1
            if match.type == gtype:
                report.entity_correct += 1
            else:
                report.type_errors.append({"doc": gdoc.name, "text": gtext, "gold": gtype, "predicted": match.type})
    return report


def format_report(report: Report, details: bool = True) -> str:
    lines = [f"{'relation':<16}{'P':>8}{'R':>8}{'F1':>8}{'TP':>6}{'FP':>6}{'FN':>6}"]
    for rel, c in sorted(report.per_relation.items()):
        p, r, f = prf(c["tp"], c["fp"], c["fn"])
        lines.append(f"{rel:<16}{p:>8.3f}{r:>8.3f}{f:>8.3f}{c['tp']:>6}{c['fp']:>6}{c['fn']:>6}")
    p, r, f = report.micro()
    lines.append(f"{'micro':<16}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    data = report.to_json()
    lines.append(f"status accuracy on {report.status_total} matched claims: {data['status_accuracy']:.3f}")
    lines.append(f"entity type accuracy: {data['entity_type_accuracy']:.3f} "
                 f"({report.entity_correct}/{report.entity_matched} matched; coverage "
                 f"{data['entity_coverage']:.3f} of {report.entity_gold} gold entities)")
    lines.append(f"false alarms in off-topic articles: {report.offtopic_false_alarms}")
    if details:
        lines.append("")
        lines.append(f"misses ({len(report.misses)}):")
        for m in report.misses:
            lines.append(f"  {m['doc']}: {m['relation']}({m['subject']}, {m['object']}) [{m['status']}] "
                         f"— {m['sentence'][:110]}")
        lines.append(f"false alarms ({len(report.false_alarms)}):")
        for m in report.false_alarms:
            lines.append(f"  {m['doc']}: {m['relation']}({m['subject']}, {m['object']}) [{m['status']}] "
                         f"— {m['sentence'][:110]}")
        if report.status_errors:
            lines.append(f"status errors ({len(report.status_errors)}):")
            for m in report.status_errors:
                lines.append(f"  {m['doc']}: {m['relation']}({m['subject']}, {m['object']}) gold {m['gold']}, "
                             f"predicted {m['predicted']} — {m['sentence'][:90]}")
        if report.type_errors:
            lines.append(f"entity type errors ({len(report.type_errors)}):")
            for t in report.type_errors:
                lines.append(f"  {t['doc']}: {t['text']!r} gold {t['gold']}, predicted {t['predicted']}")
    return "\n".join(lines)
