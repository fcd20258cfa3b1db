"""Candidate claims for the learned relation model: relations between the participants of a sentence.

The clause analyser (:mod:`kg.extract.relations`) only proposes a claim when a
rule's path reaches both participants, so a construction no rule foresaw is a
miss. Here every relation that a trigger of the sentence can state (the
trigger lemmas of ``relation-patterns.yaml``), and the few relations the text
often states with no trigger word at all (``candidates: without_trigger``:
"gangs in Antofagasta"), is proposed between the ordered pairs of
participants of the sentence whose coarse types fit the relation's
``rdfs:domain`` / ``rdfs:range`` and that are close to the trigger in the
parse (each within MAX_PATH dependency steps, together within MAX_SPAN; without
a trigger, within MAX_PATH of each other), and with the unspecified agent as
subject of an agentless passive or a nominal event.
Each candidate is described by what a reader would look at: the trigger
lemma and its voice, the dependency path from the trigger to each participant
and between the participants, the words on that path, the participants'
types and how they were found, and whether a rule stated the same claim.
:mod:`kg.extract.scorer` learns from the dev gold which candidates the
annotators took.

A participant is a word of the sentence that stands for a mention
(:class:`~kg.extract.participants.ParticipantIndex`: its own mention, a
pronoun's or definite description's antecedent, possibly in an earlier
sentence, the named group that members act for).

Speed: the parse is read once per doc into plain lists, and features come in
groups (of the trigger, of each participant, of each path) that are built once
and shared by every candidate that has them, so the model scores a group once
(:meth:`kg.extract.scorer.RelationModel.score_groups`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS, TAG
from spacy.tokens import Doc, Span, Token

from kg.extract import grammar
from kg.extract.participants import ParticipantIndex
from kg.extract.patterns import PatternSet
from kg.extract.scorer import RelationModel
from kg.ontology.gazetteer_data import Lexicon

MAX_PATH = 5
# A pair is proposed only when the trigger's paths to both participants add up to at most this many dependency
# steps: beyond that, cross-validated on the dev articles, the annotators took almost none (and the pairs
# double the work).
MAX_SPAN = 5
MAX_PARTICIPANTS = 16  # per sentence; very long lists add candidates, not evidence
_NEG = {"not", "never", "n't", "no"}
_NOUNISH = {"NOUN", "PROPN", "PRON", "NUM", "ADJ", "X"}
_RELATIVE = {"who", "which", "that", "whom"}

Group = tuple[str, ...]
BIAS: Group = ("bias",)


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity
class Participant:
    token: Token
    mention: dict[str, Any]
    indirect: int  # 0: its own words; 1: through a pronoun, description or membership
    agent: bool  # reached as the one who acts (members acting as their organisation)


class Candidate(NamedTuple):
    """One proposed claim: a relation, a subject (None: the unspecified agent) and an object in a sentence.

    ``anchor`` is the index of the word the claim hangs on (the trigger, else the participants' common head):
    it gives the claim its status, place and date. ``groups`` are the feature groups; :attr:`features`
    flattens them. (A named tuple: a doc has thousands of candidates, and a tuple is the cheapest object.)"""

    relation: str
    anchor: int
    sentence: Span
    subject: Participant | None
    object: Participant
    groups: tuple[Group, ...]
    stated: bool = False  # a rule stated the same claim
    probability: float = 0.0  # the model's, when candidates() was given one

    @property
    def trigger(self) -> Token:
        return self.sentence.doc[self.anchor]

    @property
    def features(self) -> list[str]:
        return [f for group in self.groups for f in group]


def trigger_relations(rules: PatternSet) -> dict[tuple[str, str], frozenset[str]]:
    """(lemma, coarse POS) → the relations its rules can state (reclassification targets included)."""
    out: dict[tuple[str, str], set[str]] = {}
    targets: dict[str, set[str]] = {}
    for rc in rules.reclassify:
        sources = rc.get("from")
        for source in ([sources] if isinstance(sources, str) else (sources or ())):
            targets.setdefault(source, set()).add(rc["to"])
    for rule in rules.rules:
        for lemma in rule.lemmas:
            for pos in rule.pos:
                out.setdefault((lemma, pos), set()).update({rule.relation, *targets.get(rule.relation, ())})
    return {k: frozenset(v) for k, v in out.items()}


def participants(sentence: Span, index: ParticipantIndex, pos: list[str], lower: list[str], lemma: list[str],
                 tag: list[str]) -> list[Participant]:
    """The words of the sentence that stand for a mention (one per mention head, pronoun or description)."""
    out: list[Participant] = []
    by_token = index.by_token
    for i in range(sentence.start, sentence.end):
        own = by_token.get(i)
        if own is None and pos[i] not in _NOUNISH:
            continue
        if own is not None and own["end"] - 1 != i:
            continue  # only a mention's last word speaks for it
        if own is None and pos[i] != "PRON" and lemma[i] not in index.referring and i not in index.place_words:
            continue  # a noun that is no mention stands for one only as a pronoun, description or measure word
        token = sentence.doc[i]
        if pos[i] == "PRON" and lower[i] in _RELATIVE and grammar.resolve_relative(token).i == i:
            continue
        seen: set[str] = set()
        # members acting as their organisation: only a plural or a role word can be read so (decision 8)
        readings = (False, True) if tag[i] in ("NNS", "NNPS") or (own is not None and own["generic"]) else (False,)
        for agent in readings:
            m, indirect = index.at(token, agent=agent)
            if m is None or m["iri"] in seen:
                continue
            seen.add(m["iri"])
            out.append(Participant(token, m, max(indirect, int(m is not own)), agent))
        if len(out) >= MAX_PARTICIPANTS:
            break
    return out


class _Parse:
    """The doc's parse as plain lists (reading a spaCy Token costs an object each time), with ancestor chains."""

    def __init__(self, doc: Doc):
        columns = doc.to_array([HEAD, DEP, LEMMA, POS, TAG, LOWER])  # one C call; HEAD is a relative offset
        strings = doc.vocab.strings
        names: dict[int, str] = {}

        def name(value: int) -> str:
            found = names.get(value)
            if found is None:
                found = names[value] = strings[value]
            return found

        rows = columns.tolist()
        self.head = [i + (h if h < 2 ** 63 else h - 2 ** 64) for i, (h, *_rest) in enumerate(rows)]
        self.dep = [name(r[1]) for r in rows]
        self.lemma = [name(r[2]).lower() for r in rows]
        self.pos = [name(r[3]) for r in rows]
        self.tag = [name(r[4]) for r in rows]
        self.lower = [name(r[5]) for r in rows]
        self._chains: dict[int, list[int]] = {}
        self._paths: dict[tuple[int, int], tuple[str, int, list[int]]] = {}
        self._depths: dict[int, dict[int, int]] = {}

    def depth_of(self, i: int) -> dict[int, int]:
        """``i``'s ancestors (and itself) → how many steps up they are."""
        found = self._depths.get(i)
        if found is None:
            found = self._depths[i] = {t: k for k, t in enumerate(self.chain(i))}
        return found

    def distance(self, a: int, b: int) -> int:
        """Dependency steps between a and b (99 when they are not connected)."""
        depth = self.depth_of(a)
        for k, t in enumerate(self.chain(b)):
            if t in depth:
                return depth[t] + k
        return 99

    def chain(self, i: int) -> list[int]:
        """``i`` and its ancestors up to the root."""
        found = self._chains.get(i)
        if found is None:
            found = [i]
            while self.head[found[-1]] != found[-1] and len(found) < 64:
                found.append(self.head[found[-1]])
            self._chains[i] = found
        return found

    def path(self, a: int, b: int) -> tuple[str, int, list[int]]:
        """The dependency path from a to b ("^nsubj" up from a subject, "prep:by>pobj" down), its length, and
        the words on it (neither end included)."""
        found = self._paths.get((a, b))
        if found is None:
            found = self._paths[(a, b)] = self._path(a, b)
        return found

    def _path(self, a: int, b: int) -> tuple[str, int, list[int]]:
        if a == b:
            return "self", 0, []
        up_a, up_b = self.chain(a), self.chain(b)
        pos_a = self.depth_of(a)
        k_b = next((k for k, t in enumerate(up_b) if t in pos_a), None)
        if k_b is None:
            return "none", 99, []
        k_a = pos_a[up_b[k_b]]
        length = k_a + k_b
        between = [t for t in (*up_a[1:k_a + 1], *up_b[1:k_b]) if t not in (a, b)]
        if length > MAX_PATH:
            return "long", length, between
        steps = ["^" + self.dep[t] for t in up_a[:k_a]]
        steps += [self._step(t) for t in reversed(up_b[:k_b])]
        return ">".join(steps), length, between

    def _step(self, t: int) -> str:
        return f"{self.dep[t]}:{self.lower[t]}" if self.dep[t] in ("prep", "agent") else self.dep[t]


def _bucket(value: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _trigger_group(trigger: Token, rel: str) -> Group:
    passive = grammar.is_passive(trigger)
    lemma = trigger.lemma_.lower()
    voice = "passive" if passive else "active"
    children = list(trigger.children)
    has_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in children)
    has_agent = bool(grammar.passive_agents(trigger)) if passive else False
    out = [
        f"rel={rel}",
        f"lemma={rel}:{lemma}",
        f"lemma_pos={rel}:{lemma}:{trigger.pos_}",
        f"voice={rel}:{trigger.pos_}:{voice}",
        f"lemma_voice={rel}:{lemma}:{voice}",
        f"tdep={rel}:{trigger.dep_}",
        f"tpos={trigger.tag_}",
        f"nsubj={rel}:{has_subject}",
        f"byagent={rel}:{has_agent}",
    ]
    if any(c.dep_ == "neg" or c.lower_ in _NEG for c in children):
        out.append("neg")
    return tuple(out)


def _side_group(side: str, rel: str, p: Participant | None) -> Group:
    """What a participant is: type, class, how it was found."""
    if p is None:
        return (f"{side}=none:{rel}",)
    m = p.mention
    return (
        f"{side}type={rel}:{m['type']}",
        f"{side}class={rel}:{_local(m['class'])}",
        f"{side}src={m['source']}",
        f"{side}gen={rel}:{m['generic']}",
        f"{side}ind={p.indirect}:{p.agent}",
        f"{side}tokpos={p.token.pos_}:{p.token.dep_}",
    )


def _path_group(parse: _Parse, side: str, rel: str, trigger: int, p: Participant | None) -> Group:
    """Where a participant stands from the trigger: the dependency path, side and distance."""
    lemma = parse.lemma[trigger]
    if p is None:
        return (f"{side}none_lemma={rel}:{lemma}",)
    path, length, _ = parse.path(trigger, p.token.i)
    where = "before" if p.token.i < trigger else "after"
    return (
        f"{side}path={rel}:{path}",
        f"{side}path_lemma={rel}:{lemma}:{path}",
        f"{side}upath={path}",
        f"{side}len={_bucket(length, (1, 2, 3, 4))}",
        f"{side}where={rel}:{where}",
        f"{side}dist={_bucket(abs(p.token.i - trigger), (1, 3, 6, 10, 20))}",
    )


def _pair_group(parse: _Parse, rel: str, s: Participant, o: Participant, lemmas: frozenset[str]) -> Group:
    """The shortest dependency path between the two participants, and the words on it."""
    path, length, between = parse.path(s.token.i, o.token.i)
    out = [f"sopath={rel}:{path}", f"solen={_bucket(length, (1, 2, 3, 4, 5))}",
           f"sodist={_bucket(abs(s.token.i - o.token.i), (1, 3, 6, 10, 20))}",
           f"order={rel}:{'s<o' if s.token.i < o.token.i else 'o<s'}"]
    if length <= MAX_PATH:
        for t in between:
            out.append(f"onpath={rel}:{parse.lemma[t]}")
            if parse.lemma[t] in lemmas:
                out.append(f"trigger_on_path={rel}")
    return tuple(out)


def _pairs(parse: _Parse, untriggered: bool, triggers: list[int], subjects: list[Participant | None],
           objects: list[Participant], agentless: dict[int, bool]
           ) -> dict[tuple[Participant | None, Participant], int | None]:
    """(subject, object) → the trigger they hang on: both within MAX_PATH dependency steps of it and together
    within MAX_SPAN (the closest trigger wins; the unspecified agent only for an agentless passive or a nominal event); for a
    relation stated without a trigger word, any two within MAX_PATH steps of each other (trigger None)."""
    best: dict[tuple[Participant | None, Participant], tuple[int, int | None]] = {}
    subject_ids = {id(p) for p in subjects if p is not None}
    for t in triggers:
        reach = {id(p): parse.distance(t, p.token.i) for p in (*objects, *(p for p in subjects if p is not None))}
        near_o = [o for o in objects if reach[id(o)] <= MAX_PATH]
        if not near_o:
            continue
        near_s: list[Participant | None] = [p for p in subjects if p is not None and reach[id(p)] <= MAX_PATH]
        if None in subjects and agentless[t]:
            near_s.append(None)
        for o in near_o:
            for s in near_s:
                if s is not None and (s.mention["iri"] == o.mention["iri"] or s.token.i == o.token.i):
                    continue
                distance = reach[id(o)] + (reach[id(s)] if s is not None and id(s) in subject_ids else 0)
                if distance > MAX_SPAN:
                    continue
                if (s, o) not in best or distance < best[(s, o)][0]:
                    best[(s, o)] = (distance, t)
    if untriggered:
        for o in objects:
            for s in subjects:
                if s is None or (s, o) in best or s.mention["iri"] == o.mention["iri"] or s.token.i == o.token.i:
                    continue
                if parse.distance(s.token.i, o.token.i) <= MAX_PATH:
                    best[(s, o)] = (0, None)
    return {pair: t for pair, (_, t) in best.items()}


def _agentless(trigger: Token) -> bool:
    return trigger.pos_ in ("NOUN", "PROPN") or grammar.is_passive(trigger)


def _common_head(parse: _Parse, a: int, b: int) -> int:
    ancestors = set(parse.chain(a))
    return next((t for t in parse.chain(b) if t in ancestors), b)


def candidates(doc: Doc, index: ParticipantIndex, rules: PatternSet, lexicon: Lexicon,
               triggers: dict[tuple[str, str], frozenset[str]],
               rule_claims: dict[tuple[str, str | None, str, int], str],
               skip: Callable[[int], bool] = lambda i: False, model: RelationModel | None = None
               ) -> list[Candidate]:
    """Every candidate of the doc (see the module docstring); with a ``model``, only those the rules did not
    state whose probability reaches its threshold (scored as they are built: most are not worth an object).

    ``rule_claims`` maps (relation, subject IRI or None, object IRI, sentence start) of each claim the rules
    stated (both orders for a symmetric relation) to the rule's name;
    ``skip(i)`` drops the trigger at token i (one that states no event: "would escort")."""
    parse = _Parse(doc)
    sums: dict[int, tuple[Group, float]] = {}  # a feature group's weight sum, by identity (groups are shared)
    lemmas_of: dict[str, set[str]] = {}
    for (lemma, _pos), rels in triggers.items():
        for rel in rels:
            lemmas_of.setdefault(rel, set()).add(lemma)
    frozen_lemmas = {rel: frozenset(v) for rel, v in lemmas_of.items()}
    out: list[Candidate] = []
    for sentence in doc.sents:
        by_rel: dict[str, list[int]] = {}
        for i in range(sentence.start, sentence.end):
            rels = triggers.get((parse.lemma[i], parse.pos[i]))
            if rels and not skip(i):
                for rel in rels:
                    by_rel.setdefault(rel, []).append(i)
        untriggered = set()
        if rules.untriggered:  # only where the sentence names both sides' types ("gangs in Antofagasta")
            types = {index.by_token[i]["type"] for i in range(sentence.start, sentence.end) if i in index.by_token}
            for rel in rules.untriggered:
                signature = lexicon.relations.get(rel)
                if signature is not None and types & set(signature.range or types) and \
                        types & set(signature.domain or types):
                    untriggered.add(rel)
        if not by_rel and not untriggered:
            continue
        relations = sorted(set(by_rel) | untriggered)
        people = participants(sentence, index, parse.pos, parse.lower, parse.lemma, parse.tag)
        if len(people) < 2 and not by_rel:
            continue
        people_group = (f"people={_bucket(len(people), (2, 4, 7, 10))}",)
        for rel in relations:
            signature = lexicon.relations.get(rel)
            if signature is None:
                continue
            found = by_rel.get(rel, [])
            if not found and rel not in untriggered:
                continue
            subjects: list[Participant | None] = [p for p in people if not signature.domain
                                                  or p.mention["type"] in signature.domain]
            if signature.unspecified_subject and not signature.symmetric and found:
                subjects.append(None)
            objects = [p for p in people if not p.agent and (not signature.range or p.mention["type"]
                                                               in signature.range)]
            if not objects or not subjects:
                continue
            chosen = _pairs(parse, rel in untriggered, found, subjects, objects,
                            {t: _agentless(doc[t]) for t in found})
            if not chosen:
                continue
            sides: dict[int, Group] = {}
            o_sides: dict[int, Group] = {}
            trigger_groups = {t: _trigger_group(doc[t], rel) for t in found}
            paths: dict[tuple[int, int, str], Group] = {}
            rule_groups: dict[str | None, Group] = {}
            type_groups: dict[tuple[str, str], Group] = {}
            no_trigger = (f"notrigger={rel}",)
            for (s, o), trigger in chosen.items():
                s_key = id(s) if s is not None else 0
                if s_key not in sides:
                    sides[s_key] = _side_group("s", rel, s)
                if id(o) not in o_sides:
                    o_sides[id(o)] = _side_group("o", rel, o)
                pair_types = (s.mention["type"] if s else "none", o.mention["type"])
                if pair_types not in type_groups:
                    type_groups[pair_types] = (f"types={rel}:{pair_types[0]}>{pair_types[1]}",)
                rule = rule_claims.get((rel, s.mention["iri"] if s else None, o.mention["iri"], sentence.start))
                if rule not in rule_groups:
                    rule_groups[rule] = (f"rule={rel}:{rule is not None}", f"rulekey={rule}" if rule else f"norule={rel}")
                if model is not None and rule is not None:
                    continue  # scoring: the rules already state it
                common = (BIAS, people_group, type_groups[pair_types], o_sides[id(o)], sides[s_key], rule_groups[rule])
                if trigger is not None:
                    o_path, s_path = (trigger, id(o), "o"), (trigger, id(s), "s")
                    if o_path not in paths:
                        paths[o_path] = _path_group(parse, "o", rel, trigger, o)
                    if s_path not in paths:
                        paths[s_path] = _path_group(parse, "s", rel, trigger, s)
                    groups = (*common, trigger_groups[trigger], paths[o_path], paths[s_path])
                    anchor = trigger
                else:  # stated by the tie between the two alone: the path between them is the evidence
                    groups = (*common, no_trigger, _pair_group(parse, rel, s, o, frozen_lemmas.get(rel, frozenset())))
                    anchor = _common_head(parse, s.token.i, o.token.i)
                probability = 0.0
                if model is not None:
                    probability = model.score_groups(groups, sums)
                    if probability < model.threshold:
                        continue
                out.append(Candidate(rel, anchor, sentence, s, o, groups, rule is not None, probability))
    return out
