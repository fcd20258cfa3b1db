"""Relation frames: ``ontology/relation-patterns.yaml`` → rules indexed by trigger lemma.

A rule names trigger lemmas and the dependency paths from the trigger to its
object (and optionally its subject and words that must be there); see the YAML
file's header for the format. The clause analyser (:mod:`kg.extract.relations`)
looks up each token's lemma in :attr:`PatternSet.by_lemma`, so a sentence
without a trigger costs one dictionary lookup per token, and walks the paths
with :func:`walk` over the parse. Each rule is read in up to three grammatical
voices:

* ``active``: the paths as written;
* ``passive`` (rules whose object is ``dobj`` and ``passive: swap``): the
  object is the passive subject (``nsubjpass``), the actor the "by" agent;
* ``participle``: a passive participle modifying its object ("shipments
  protected by police", "leaders killed by gunmen").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Token

from kg.extract.lexicon import resolve_ontology_dir

PATTERNS_FILE = "relation-patterns.yaml"
SPECIALS = ("@actor", "@subject", "@holder", "@unspecified", "@nominal", "@between")


class PatternError(ValueError):
    """The relation pattern file is malformed; the message says where."""


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a path: a child by dependency label(s) and optional lemmas, or the head ("^")."""

    deps: frozenset[str]  # empty for "^" and ".."
    lemmas: frozenset[str]
    up: bool
    deep: bool = False  # "..": the token itself and every word below it


@dataclass(frozen=True, slots=True)
class Rule:
    relation: str
    lemmas: tuple[str, ...]
    pos: tuple[str, ...]
    object: str
    subject: str
    require: tuple[str, ...]
    passive: str
    weight: float
    types: dict[str, tuple[str, ...]]
    index: int
    voice: str = "any"  # any | active | passive: the trigger's voice the rule needs
    own_status: bool = False  # the trigger itself says the status ("charged with", "convicted of")
    agentless: bool = False  # a nominal event with no agent named still states the event
    object_path: tuple[Step, ...] = ()
    subject_path: tuple[Step, ...] = ()
    require_paths: tuple[tuple[Step, ...], ...] = ()
    unless_paths: tuple[tuple[Step, ...], ...] = ()

    @property
    def key(self) -> str:
        return f"{self.relation}#{self.index}"

    def variants(self) -> tuple[str, ...]:
        if self.passive == "swap" and self.object == "dobj":
            return ("active", "passive", "participle")
        return ("active",)


@dataclass(frozen=True, slots=True)
class PatternSet:
    rules: tuple[Rule, ...]
    by_lemma: dict[str, tuple[Rule, ...]]
    reclassify: tuple[dict[str, Any], ...]
    status: dict[str, Any]
    anaphors: dict[str, tuple[str, ...]]
    partitives: frozenset[str]
    place_partitives: frozenset[str] = frozenset()
    descriptors: tuple[dict[str, Any], ...] = ()
    topic_types: frozenset[str] = frozenset()
    topic_relations: frozenset[str] = frozenset()
    topic_ambiguous: frozenset[str] = frozenset()
    unrealized_aux: frozenset[str] = frozenset()
    unrealized_governors: frozenset[str] = frozenset()
    unrealized_modals: frozenset[str] = frozenset()
    not_participants: frozenset[str] = frozenset()
    # relations the learned model may propose between two participants of a sentence without a trigger word
    # ("the PCC, a São Paulo gang", "the owner of a freight-forwarding company"): relation-patterns.yaml, candidates
    untriggered: frozenset[str] = frozenset()


def _installed_patterns() -> Path:
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_data" / "ontology", package.parent / "ontology"):
        if (candidate / PATTERNS_FILE).is_file():
            return candidate / PATTERNS_FILE
    return package.parent / "ontology" / PATTERNS_FILE


def patterns_path(ontology_dir: str | Path | None, patterns: str | Path | None = None) -> Path:
    """The pattern file: given explicitly, else beside the ontology in use, else the installed one.

    An ontology copy opened in Protégé usually holds only the Turtle files; it
    still gets the installed relation patterns.
    """
    if patterns:
        return Path(patterns)
    beside = resolve_ontology_dir(ontology_dir) / PATTERNS_FILE
    return beside if beside.is_file() else _installed_patterns()


def load_patterns(path: Path) -> PatternSet:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PatternError(f"cannot read relation patterns {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise PatternError(f"{path}: not valid YAML: {exc}") from None
    return parse_patterns(data, str(path))


def _expand(text: str, sets: dict[str, str]) -> str:
    for name in sorted(sets, key=len, reverse=True):
        text = text.replace(f"${name}", sets[name])
    return text


def parse_path(path: str, where: str) -> tuple[Step, ...]:
    """"prep:in|on>pobj" → steps; "^" is the head; ".." any word below; "dobj|attr" either label."""
    steps = []
    for raw in path.split(">"):
        step = raw.strip()
        if not step:
            raise PatternError(f"{where}: empty step in path {path!r}")
        name, _, lemmas = step.partition(":")
        lemma_set = frozenset(x for x in lemmas.split("|") if x)
        if name == "..":
            steps.append(Step(frozenset(), lemma_set, False, deep=True))
        elif name == "^":
            steps.append(Step(frozenset(), lemma_set, True))
        else:
            steps.append(Step(frozenset(name.split("|")), lemma_set, False))
    return tuple(steps)


def walk(token: Token, steps: tuple[Step, ...]) -> list[Token]:
    """Every token reached from ``token`` along ``steps``."""
    frontier = [token]
    for step in steps:
        nxt: list[Token] = []
        for t in frontier:
            if step.up:
                candidates = [t.head] if t.head is not t else []
            elif step.deep:
                candidates = list(t.subtree)
            else:
                candidates = [c for c in t.children if c.dep_ in step.deps]
            for c in candidates:
                if not step.lemmas or c.lemma_.lower() in step.lemmas or c.lower_ in step.lemmas or \
                        ("#money" in step.lemmas and c.ent_type_ == "MONEY"):
                    nxt.append(c)
        frontier = nxt
        if not frontier:
            break
    return frontier


def parse_patterns(data: Any, where: str = "relation patterns") -> PatternSet:
    if not isinstance(data, dict) or not isinstance(data.get("relations"), dict):
        raise PatternError(f"{where}: expected a mapping with a 'relations' section")
    default_weight = float((data.get("defaults") or {}).get("weight", 0.75))
    sets = {str(k): str(v) for k, v in (data.get("sets") or {}).items()}
    rules: list[Rule] = []
    for relation, entries in data["relations"].items():
        if not isinstance(entries, list):
            raise PatternError(f"{where}: relations.{relation} must be a list of rules")
        for n, entry in enumerate(entries):
            here = f"{where}: relations.{relation}[{n}]"
            if not isinstance(entry, dict) or not entry.get("lemmas") or "object" not in entry:
                raise PatternError(f"{here} needs 'lemmas' and 'object'")
            obj = _expand(str(entry["object"]), sets)
            passive = str(entry.get("passive", "swap" if obj == "dobj" else "keep"))
            if passive not in ("swap", "keep"):
                raise PatternError(f"{here}.passive must be swap or keep, not {passive!r}")
            pos = tuple(entry.get("pos") or ["VERB"])
            voice = str(entry.get("voice", "any"))
            if voice not in ("any", "active", "passive"):
                raise PatternError(f"{here}.voice must be any, active or passive, not {voice!r}")
            default_subject = "@nominal" if set(pos) <= {"NOUN", "PROPN"} else (
                "@actor" if passive == "swap" else "@subject")
            subject = _expand(str(entry.get("subject") or default_subject), sets)
            for special in (obj, subject):
                if special.startswith("@") and special not in SPECIALS:
                    raise PatternError(f"{here}: unknown participant {special!r} (one of {', '.join(SPECIALS)})")
            require = tuple(_expand(str(r), sets) for r in entry.get("require") or ())
            rules.append(Rule(
                relation=str(relation),
                lemmas=tuple(str(x).lower() for x in entry["lemmas"]),
                pos=pos,
                object=obj,
                subject=subject,
                require=require,
                passive=passive,
                weight=float(entry.get("weight", default_weight)),
                types={k: tuple(v) for k, v in (entry.get("types") or {}).items()},
                index=len(rules),
                voice=voice,
                own_status=bool(entry.get("own_status", False)),
                agentless=bool(entry.get("agentless", False)),
                object_path=() if obj.startswith("@") else parse_path(obj, here),
                subject_path=() if subject.startswith("@") else parse_path(subject, here),
                require_paths=tuple(parse_path(r, here) for r in require),
                unless_paths=tuple(parse_path(_expand(str(u), sets), here) for u in entry.get("unless") or ()),
            ))
    by_lemma: dict[str, list[Rule]] = {}
    for rule in rules:
        for lemma in rule.lemmas:
            by_lemma.setdefault(lemma, []).append(rule)
    grammar = data.get("grammar") or {}
    return PatternSet(
        rules=tuple(rules),
        by_lemma={k: tuple(v) for k, v in by_lemma.items()},
        reclassify=tuple(data.get("reclassify") or ()),
        status=dict(data.get("status") or {}),
        anaphors={k: tuple(v) for k, v in (data.get("anaphors") or {}).items()},
        partitives=frozenset(str(x) for x in grammar.get("partitives") or ()),
        place_partitives=frozenset(str(x) for x in grammar.get("place_partitives") or ()),
        descriptors=tuple(data.get("descriptors") or ()),
        topic_types=frozenset((data.get("topic") or {}).get("requires_any_type") or ()),
        topic_relations=frozenset((data.get("topic") or {}).get("relations") or ()),
        topic_ambiguous=frozenset((data.get("topic") or {}).get("ambiguous_heads") or ()),
        unrealized_aux=frozenset((data.get("unrealized") or {}).get("auxiliaries") or ()),
        unrealized_governors=frozenset((data.get("unrealized") or {}).get("governors") or ()),
        unrealized_modals=frozenset((data.get("unrealized") or {}).get("modals") or ()),
        not_participants=frozenset(str(x) for x in grammar.get("not_participants") or ()),
        untriggered=frozenset(str(x) for x in (data.get("candidates") or {}).get("without_trigger") or ()),
    )
