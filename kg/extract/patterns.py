"""Relation rules: ``ontology/relation-patterns.yaml`` → spaCy DependencyMatcher patterns.

A rule names trigger lemmas and dependency paths to the object (and optionally
the subject and required words); see the YAML file's header for the format.
Each rule compiles to one pattern per grammatical variant:

* ``active``: the path as written;
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

from kg.extract.lexicon import resolve_ontology_dir

PATTERNS_FILE = "relation-patterns.yaml"


class PatternError(ValueError):
    """The relation pattern file is malformed; the message says where."""


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


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    key: str
    rule: Rule
    variant: str  # active | passive | participle
    nodes: list[dict[str, Any]]
    object_node: int | None  # index into the match's token ids, None for a special object
    subject_node: int | None


@dataclass(frozen=True, slots=True)
class PatternSet:
    rules: tuple[Rule, ...]
    patterns: tuple[CompiledPattern, ...]
    reclassify: tuple[dict[str, Any], ...]
    status: dict[str, Any]
    anaphors: dict[str, tuple[str, ...]]


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
    for name, value in sets.items():
        text = text.replace(f"${name}", value)
    return text


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
            if not isinstance(entry, dict) or not entry.get("lemmas") or "object" not in entry:
                raise PatternError(f"{where}: relations.{relation}[{n}] needs 'lemmas' and 'object'")
            obj = _expand(str(entry["object"]), sets)
            passive = str(entry.get("passive", "swap" if obj == "dobj" else "keep"))
            if passive not in ("swap", "keep"):
                raise PatternError(f"{where}: relations.{relation}[{n}].passive must be swap or keep, not {passive!r}")
            subject = entry.get("subject") or ("@actor" if passive == "swap" else "@subject")
            rules.append(Rule(
                relation=str(relation),
                lemmas=tuple(str(x) for x in entry["lemmas"]),
                pos=tuple(entry.get("pos") or ["VERB"]),
                object=obj,
                subject=_expand(str(subject), sets),
                require=tuple(_expand(str(r), sets) for r in entry.get("require") or ()),
                passive=passive,
                weight=float(entry.get("weight", default_weight)),
                types={k: tuple(v) for k, v in (entry.get("types") or {}).items()},
                index=len(rules),
            ))
    patterns = [p for rule in rules for p in compile_rule(rule)]
    return PatternSet(
        rules=tuple(rules),
        patterns=tuple(patterns),
        reclassify=tuple(data.get("reclassify") or ()),
        status=dict(data.get("status") or {}),
        anaphors={k: tuple(v) for k, v in (data.get("anaphors") or {}).items()},
    )


def _path_nodes(path: str, prefix: str, anchor: str = "trigger") -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    left = anchor
    for k, step in enumerate(s.strip() for s in path.split(">")):
        right = f"{prefix}{k}"
        name, _, lemmas = step.partition(":")
        attrs: dict[str, Any] = {}
        if lemmas:
            attrs["LEMMA"] = {"IN": lemmas.split("|")}
        if name == "^":
            op = "<"
        else:
            op = ">"
            attrs["DEP"] = name
        nodes.append({"LEFT_ID": left, "REL_OP": op, "RIGHT_ID": right, "RIGHT_ATTRS": attrs})
        left = right
    return nodes


def _is_special(path: str) -> bool:
    return path.startswith("@")


def compile_rule(rule: Rule) -> list[CompiledPattern]:
    trigger = {"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": {"IN": list(rule.lemmas)}, "POS": {"IN": list(rule.pos)}}}
    variants: list[tuple[str, str]] = [("active", rule.object)]
    if rule.passive == "swap" and rule.object == "dobj":
        variants += [("passive", "nsubjpass"), ("participle", "^")]
    compiled = []
    for variant, obj in variants:
        nodes: list[dict[str, Any]] = [dict(trigger, RIGHT_ATTRS=dict(trigger["RIGHT_ATTRS"]))]
        if variant == "participle":
            nodes[0]["RIGHT_ATTRS"].update({"DEP": "acl", "TAG": "VBN"})
        object_node = subject_node = None
        if not _is_special(obj):
            nodes += _path_nodes(obj, "o")
            object_node = len(nodes) - 1
        if not _is_special(rule.subject):
            nodes += _path_nodes(rule.subject, "s")
            subject_node = len(nodes) - 1
        for r, req in enumerate(rule.require):
            nodes += _path_nodes(req, f"r{r}_")
        compiled.append(CompiledPattern(f"{rule.relation}#{rule.index}:{variant}", rule, variant, nodes,
                                        object_node, subject_node))
    return compiled
