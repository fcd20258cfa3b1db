"""Candidate claims for the learned relation model: every trigger × every pair of participants in its sentence.

The clause analyser (:mod:`kg.extract.relations`) only proposes a claim when a
rule's path reaches both participants, so a construction no rule foresaw is a
miss. Here each token whose lemma is a trigger of ``relation-patterns.yaml``
proposes each of its relations between every ordered pair of participants of
its sentence whose coarse types fit the relation's ``rdfs:domain`` /
``rdfs:range`` (plus the unspecified agent as subject), and describes the
candidate by what a reader would look at: the trigger lemma, its voice, the
dependency path from the trigger to each participant, the participants'
types and how they were found, the distances, and whether a rule proposed the
same claim. :mod:`kg.extract.scorer` learns from the dev gold which
candidates the annotators took.

A participant is a word of the sentence that stands for a mention
(:class:`~kg.extract.participants.ParticipantIndex`: its own mention, a
pronoun's or definite description's antecedent, possibly in an earlier
sentence, the named group that members act for).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from kg.extract import grammar
from kg.extract.participants import ParticipantIndex
from kg.extract.patterns import PatternSet
from kg.ontology.gazetteer_data import Lexicon

MAX_PATH = 5
MAX_PARTICIPANTS = 16  # per sentence; very long lists add candidates, not evidence
_NEG = {"not", "never", "n't", "no"}


@dataclass(frozen=True, slots=True)
class Participant:
    token: Token
    mention: dict[str, Any]
    indirect: int  # 0: its own words; 1: through a pronoun, description or membership
    agent: bool  # reached as the one who acts (members acting as their organisation)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposed claim: a trigger, a relation, a subject (None: the unspecified agent) and an object."""

    relation: str
    trigger: Token
    subject: Participant | None
    object: Participant
    features: tuple[str, ...]


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


def participants(sentence: Span, index: ParticipantIndex) -> list[Participant]:
    """The words of the sentence that stand for a mention (one per mention head, pronoun or description)."""
    out: list[Participant] = []
    for token in sentence:
        if token.pos_ not in ("NOUN", "PROPN", "PRON", "NUM", "ADJ", "X") and token.i not in index.by_token:
            continue
        own = index.by_token.get(token.i)
        if own is not None and own["end"] - 1 != token.i:
            continue  # only a mention's last word speaks for it
        if token.pos_ == "PRON" and token.lower_ in ("who", "which", "that", "whom") and \
                grammar.resolve_relative(token).i == token.i:
            continue
        seen: set[str] = set()
        for agent in (False, True):
            m, indirect = index.at(token, agent=agent)
            if m is None or m["iri"] in seen:
                continue
            seen.add(m["iri"])
            indirect = max(indirect, int(m is not own))
            out.append(Participant(token, m, indirect, agent))
        if len(out) >= MAX_PARTICIPANTS:
            break
    return out


def dep_path(a: Token, b: Token) -> tuple[str, int]:
    """The dependency path from ``a`` to ``b`` ("^nsubj" up from a subject; "prep:by>pobj" down), and its length."""
    if a.i == b.i:
        return "self", 0
    up_a = [a, *a.ancestors]
    pos_a = {t.i: k for k, t in enumerate(up_a)}
    up_b = [b, *b.ancestors]
    lca_b = next((k for k, t in enumerate(up_b) if t.i in pos_a), None)
    if lca_b is None:
        return "none", 99
    lca_a = pos_a[up_b[lca_b].i]
    length = lca_a + lca_b
    if length > MAX_PATH:
        return "long", length
    ups = ["^" + t.dep_ for t in up_a[:lca_a]]
    downs = [_step(t) for t in reversed(up_b[:lca_b])]
    return ">".join(ups + downs), length


def _step(t: Token) -> str:
    return f"{t.dep_}:{t.lower_}" if t.dep_ in ("prep", "agent") else t.dep_


def _bucket(value: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _trigger_features(trigger: Token, rel: str) -> list[str]:
    passive = grammar.is_passive(trigger)
    lemma = trigger.lemma_.lower()
    voice = "passive" if passive else "active"
    has_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in trigger.children)
    has_agent = bool(grammar.passive_agents(trigger)) if passive else False
    neg = any(c.dep_ == "neg" or c.lower_ in _NEG for c in trigger.children)
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
    if neg:
        out.append("neg")
    return out


def _side_features(side: str, rel: str, p: Participant | None) -> list[str]:
    """What a participant is: type, class, how it was found."""
    if p is None:
        return [f"{side}=none:{rel}"]
    m = p.mention
    return [
        f"{side}type={rel}:{m['type']}",
        f"{side}class={rel}:{_local(m['class'])}",
        f"{side}src={m['source']}",
        f"{side}gen={rel}:{m['generic']}",
        f"{side}ind={p.indirect}:{p.agent}",
        f"{side}tokpos={p.token.pos_}:{p.token.dep_}",
    ]


def _paths(side: str, rel: str, trigger: Token, p: Participant | None, lemma: str) -> list[str]:
    """Where a participant stands from the trigger: the dependency path, side and distance."""
    if p is None:
        return [f"{side}none_lemma={rel}:{lemma}"]
    path, length = dep_path(trigger, p.token)
    where = "before" if p.token.i < trigger.i else "after"
    return [
        f"{side}path={rel}:{path}",
        f"{side}path_lemma={rel}:{lemma}:{path}",
        f"{side}upath={path}",
        f"{side}len={_bucket(length, (1, 2, 3, 4))}",
        f"{side}where={rel}:{where}",
        f"{side}dist={_bucket(abs(p.token.i - trigger.i), (1, 3, 6, 10, 20))}",
    ]


def _pair_features(rel: str, s: Participant, o: Participant, triggers: set[str]) -> list[str]:
    """The shortest dependency path between the two participants, and the words on it."""
    path, length = dep_path(s.token, o.token)
    out = [f"sopath={rel}:{path}", f"solen={_bucket(length, (1, 2, 3, 4, 5))}",
           f"sodist={_bucket(abs(s.token.i - o.token.i), (1, 3, 6, 10, 20))}",
           f"order={rel}:{'s<o' if s.token.i < o.token.i else 'o<s'}"]
    if length <= MAX_PATH:
        for t in _between(s.token, o.token):
            lemma = t.lemma_.lower()
            out.append(f"onpath={rel}:{lemma}")
            if lemma in triggers:
                out.append(f"trigger_on_path={rel}")
    return out


def _between(a: Token, b: Token) -> list[Token]:
    """The words on the dependency path between a and b (neither included)."""
    up_a = [a, *a.ancestors]
    pos_a = {t.i: k for k, t in enumerate(up_a)}
    up_b = [b, *b.ancestors]
    k_b = next((k for k, t in enumerate(up_b) if t.i in pos_a), None)
    if k_b is None:
        return []
    k_a = pos_a[up_b[k_b].i]
    return [t for t in (*up_a[1:k_a + 1], *up_b[1:k_b]) if t.i not in (a.i, b.i)]


def _nearest(trigger_list: list[Token], s: Participant | None, o: Participant) -> Token | None:
    """The trigger that governs both participants best: on their path, else the closest to the object."""
    if not trigger_list:
        return None
    if s is not None:
        on_path = {t.i for t in _between(s.token, o.token)}
        for t in trigger_list:
            if t.i in on_path:
                return t
    return min(trigger_list, key=lambda t: (abs(t.i - o.token.i), t.i))


def _lowest_common(a: Token, b: Token) -> Token:
    ancestors = {t.i for t in (a, *a.ancestors)}
    return next((t for t in (b, *b.ancestors) if t.i in ancestors), b)


def candidates(doc: Doc, index: ParticipantIndex, rules: PatternSet, lexicon: Lexicon,
               triggers: dict[tuple[str, str], frozenset[str]],
               rule_of: Callable[[Candidate], str | None],
               skip: Callable[[Token], bool] = lambda t: False) -> list[Candidate]:
    """Every candidate of the doc.

    A candidate is a relation between two participants of a sentence with a trigger of that relation in the
    sentence (or any two, for the relations of ``rules.untriggered``), or between the unspecified agent and a
    participant of a trigger's sentence. ``rule_of`` names the rule that stated the same claim (or None);
    ``skip`` drops triggers that state no event ("would escort")."""
    out: list[Candidate] = []
    lemmas_of: dict[str, set[str]] = {}
    for (lemma, _pos), rels in triggers.items():
        for rel in rels:
            lemmas_of.setdefault(rel, set()).add(lemma)
    for sentence in doc.sents:
        by_rel: dict[str, list[Token]] = {}
        for t in sentence:
            rels = triggers.get((t.lemma_.lower(), t.pos_))
            if rels and not skip(t):
                for rel in rels:
                    by_rel.setdefault(rel, []).append(t)
        relations = sorted(set(by_rel) | set(rules.untriggered))
        people = participants(sentence, index)
        if not people:
            continue
        n_people = _bucket(len(people), (2, 4, 7, 10))
        for rel in relations:
            signature = lexicon.relations.get(rel)
            if signature is None:
                continue
            found = by_rel.get(rel, [])
            subjects: list[Participant | None] = [p for p in people if not signature.domain
                                                  or p.mention["type"] in signature.domain]
            if signature.unspecified_subject and not signature.symmetric and found:
                subjects.append(None)
            objects = [p for p in people if not p.agent and (not signature.range or p.mention["type"]
                                                               in signature.range)]
            for o in objects:
                o_side = _side_features("o", rel, o)
                for s in subjects:
                    if s is not None and (s.mention["iri"] == o.mention["iri"] or s.token.i == o.token.i):
                        continue
                    trigger = _nearest(found, s, o)
                    feats = ["bias", f"people={n_people}",
                             f"types={rel}:{s.mention['type'] if s else 'none'}>{o.mention['type']}",
                             *o_side, *_side_features("s", rel, s)]
                    if trigger is not None:
                        lemma = trigger.lemma_.lower()
                        feats += _trigger_features(trigger, rel)
                        feats += _paths("o", rel, trigger, o, lemma) + _paths("s", rel, trigger, s, lemma)
                    else:
                        feats.append(f"notrigger={rel}")
                        trigger = _lowest_common(s.token, o.token) if s is not None else o.token
                    if s is not None:
                        feats += _pair_features(rel, s, o, lemmas_of.get(rel, set()))
                    candidate = Candidate(rel, trigger, s, o, ())
                    rule = rule_of(candidate)
                    feats += [f"rule={rel}:{rule is not None}", f"rulekey={rule}" if rule else f"norule={rel}"]
                    out.append(Candidate(rel, trigger, s, o, tuple(feats)))
    return out
