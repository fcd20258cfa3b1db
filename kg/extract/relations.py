"""The relation component: dependency patterns → claims between typed mentions.

For every match of a compiled rule (``kg.extract.patterns``) it finds the
participants' tokens (the pattern's nodes, or the grammar of
``kg.extract.grammar``: the actor, the passive agent, the holder of a role noun),
turns each token into the mentions it stands for (its own mention; through a
relative pronoun, a safe pronoun, an apposition, "X like Y", a possessive or a
compound modifier; then every coordinated "and" member), keeps the pairs whose
coarse types fit the relation's rdfs:domain / rdfs:range in the ontology (and
the rule's own ``types``), and records status, confidence, place and date.

Results are plain dicts in ``doc._.arcon_claims`` (so they survive the trip
back from worker processes); :mod:`kg.extract.pipeline` makes ``Claim`` values.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from kg.extract import grammar
from kg.extract.context import claim_date, claim_place
from kg.extract.lexicon import load_lexicon
from kg.extract.patterns import PatternSet, Rule, load_patterns, patterns_path, walk
from kg.extract.status import confidence, epistemic_status
from kg.ontology.gazetteer_data import Lexicon

if not Doc.has_extension("arcon_claims"):
    Doc.set_extension("arcon_claims", default=None)

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)(s)?\b")
_EXAMPLE_PREPS = {"like", "including", "as"}


class RelationFinder:
    def __init__(self, nlp: Language, name: str, ontology_dir: str | None, patterns: str | None):
        self.name = name
        self.lexicon: Lexicon = load_lexicon(ontology_dir)[0]
        self.rules: PatternSet = load_patterns(patterns_path(ontology_dir, patterns))
        unknown = sorted({r.relation for r in self.rules.rules} - set(self.lexicon.relations))
        if unknown and self.lexicon.relations:
            raise ValueError(f"relation patterns name relations the ontology does not define: {', '.join(unknown)}")

    def __call__(self, doc: Doc) -> Doc:
        mentions = doc._.arcon_entities or []
        doc._.arcon_claims = find_claims(doc, mentions, self) if doc.has_annotation("DEP") else []
        return doc


class _Index:
    """Token → mention lookups for one doc."""

    def __init__(self, doc: Doc, mentions: list[dict[str, Any]], anaphors: tuple[str, ...],
                 partitives: frozenset[str] = frozenset()):
        self.doc = doc
        self.mentions = mentions
        self.by_token: dict[int, dict[str, Any]] = {}
        for m in mentions:
            for i in range(m["start"], m["end"]):
                self.by_token[i] = m
        self.anaphors = set(anaphors)
        self.partitives = partitives

    def at(self, token: Token) -> tuple[dict[str, Any] | None, int]:
        """The mention a token stands for, and how indirect the link is (0 = its own words)."""
        token_r = grammar.resolve_relative(token)
        indirect = int(token_r.i != token.i)
        m = self.by_token.get(token_r.i)
        if token_r.lemma_.lower() in self.partitives:
            inner = self._of_object(token_r, allow_market=True)
            if inner is not None:
                return inner, indirect
        if m is not None and m["type"] == "Place" and token_r.dep_ in ("nsubj", "nsubjpass"):
            for child in token_r.children:  # a dateline parsed as the subject: "HUANTA, Peru — Police seized"
                other = self.by_token.get(child.i)
                if child.dep_ == "appos" and other is not None and other["type"] != "Place":
                    return self.at(child)
        if m is not None:
            if m["generic"]:
                named = self._named_modifier_for(token_r, m) or self._named_by(token_r)
                if named is not None:
                    return named, indirect
                earlier = self._antecedent(token_r, m)
                if earlier is not None:
                    return earlier, 1
            return m, indirect
        if token_r.pos_ == "PRON":
            if token_r.lower_ in ("them", "those", "some", "many", "most", "all") or token_r.dep_ == "nsubj":
                inner = self._of_object(token_r, allow_market=False)
                if inner is not None:
                    return inner, 1
            return grammar.resolve_pronoun(token_r, self.mentions), 1
        for child in token_r.children:  # "Its founder, Abimael Guzmán, ..."
            if child.dep_ == "appos" and child.i in self.by_token:
                return self.by_token[child.i], 1
        if token_r.lemma_.lower() in self.anaphors and any(c.lower_ == "the" for c in token_r.children):
            earlier = self._antecedent(token_r, None)
            return earlier or grammar.resolve_pronoun(token_r, self.mentions, anaphor=True), 1
        named = self._named_modifier(token_r)
        if named is not None:
            return named, 1
        inner = self._of_object(token_r, allow_market=False)
        if inner is not None:
            return inner, 1
        return None, 0

    def _named_by(self, token: Token) -> dict[str, Any] | None:
        """A role noun whose name the sentence gives: "a network known as the Mafia de la Cocaína",
        "a rancher named X", "a man identified as X"."""
        for child in token.children:
            if child.dep_ == "acl" and child.lemma_.lower() in ("know", "name", "call", "identify", "dub"):
                for t in child.subtree:
                    m = self.by_token.get(t.i)
                    if t.i > child.i and m is not None and not m["generic"] and m["type"] not in ("Place", "Market"):
                        return m
        return None

    def _appositive_names(self, token: Token) -> list[dict[str, Any]]:
        names = []
        for child in token.children:
            if child.dep_ == "appos":
                for t in (child, *child.conjuncts):
                    m = self.by_token.get(t.i)
                    if m is not None and not m["generic"] and m["type"] not in ("Place", "Market"):
                        names.append(m)
        return names

    def _of_object(self, token: Token, allow_market: bool) -> dict[str, Any] | None:
        """"a column of Shining Path rebels", "members of the clan", "400 kilograms of cocaine"."""
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ != "pobj":
                        continue
                    inner = self.by_token.get(obj.i)
                    if inner is None and obj.pos_ == "PRON":
                        return grammar.resolve_pronoun(obj, self.mentions)
                    if inner is not None and inner["type"] != "Place" and (allow_market or inner["type"] != "Market"):
                        named_inner = self._named_modifier(obj) if inner["generic"] else None
                        return named_inner or inner
        return None

    def _antecedent(self, token: Token, m: dict[str, Any] | None) -> dict[str, Any] | None:
        """"the clan", "the faction", "the mayor" after a named one: the latest named mention whose head
        word is the same ("Ochoa Vela clan"), else of the same ontology class (guidelines, decision 2)."""
        if token.tag_ in ("NNS", "NNPS") or not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                                                     for c in token.children):
            return None
        if m is not None and m["end"] - m["start"] > 1:
            return None  # "the Sinaloa cartel" names; only a bare class word refers back
        if any(c.dep_ in ("compound", "amod", "poss") for c in token.children):
            return None
        head = token.lemma_.lower()
        same_head = same_class = None
        for other in self.mentions:
            if other["start"] >= token.i:
                break
            if other["generic"] or other["type"] in ("Place", "Market"):
                continue
            if self.doc[other["end"] - 1].lemma_.lower() == head:
                same_head = other
            elif m is not None and other["class"] == m["class"]:
                same_class = other
        return same_head or same_class

    def _named_modifier(self, token: Token) -> dict[str, Any] | None:
        for child in token.children:
            if child.dep_ in ("compound", "poss") and child.i < token.i:
                m = self.by_token.get(child.i)
                if m is not None and not m["generic"] and m["type"] not in ("Place", "Market"):
                    return m
                if child.dep_ == "poss" and child.pos_ == "PRON":
                    return grammar.resolve_pronoun(child, self.mentions)
        return None

    def _named_modifier_for(self, token: Token, m: dict[str, Any]) -> dict[str, Any] | None:
        """A person-type role keeps its own mention: "the Public Ministry's prosecutors" are prosecutors."""
        if m["type"] in grammar.PERSON_TYPES:
            return None
        return self._named_modifier(token)

    def expand(self, token: Token) -> list[tuple[dict[str, Any], int]]:
        """The token's mentions and those of its coordinated members ("police and military")."""
        out: list[tuple[dict[str, Any], int]] = []
        seen: set[int] = set()
        for t in [token, *token.conjuncts]:
            if t.i in seen:
                continue
            seen.add(t.i)
            m, indirect = self.at(t)
            if m is not None and m["generic"]:
                names = self._appositive_names(t)
                if names:  # "the pilots, Rubén Chávez Mera and Luis Alberto Gonzales Pinchi"
                    out.extend((n, indirect) for n in names)
                    continue
            if m is None:
                for child in t.children:  # "the region's cartels", appositions: "gunmen, members of X"
                    if child.dep_ == "appos":
                        m, indirect = self.at(child)
                        if m is not None:
                            break
            if m is not None:
                out.append((m, indirect))
        return out


def _nominal_subject(noun: Token, objects: list[Token], index: "_Index") -> Token | str | None:
    """Who acts in a nominal trigger: "the killing of X by Y", "Y's offensive", "a DIRANDRO inquiry",
    "Y launched an offensive against X"; None when the phrase does not say."""
    taken = {t.i for t in objects}
    agent = grammar.passive_agent(noun) or next(
        (o for p in noun.children if p.dep_ == "prep" and p.lower_ == "by" for o in p.children if o.dep_ == "pobj"),
        None)
    if agent is not None:
        return agent
    for child in noun.children:
        if child.dep_ in ("poss", "compound", "nmod") and child.i < noun.i and child.i not in taken:
            m = index.by_token.get(child.i)
            if child.dep_ == "poss" or (m is not None and not m["generic"] and m["type"] not in ("Place", "Market")):
                return child
    head = noun.head
    if noun.dep_ in ("dobj", "attr", "oprd") and head.pos_ in ("VERB", "AUX"):
        return "@passive-head" if grammar.is_passive(head) else grammar.grammatical_subject(head)
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("in", "into") \
            and head.head.pos_ == "VERB":  # "took part in an attack on X"
        return grammar.grammatical_subject(head.head)
    return None


def _participants(trigger: Token, rule: Rule, variant: str, index: "_Index"
                  ) -> list[tuple[Token | str, Token | str]]:
    """(subject, object) token pairs of one rule in one voice; "unspecified" for an unnamed agent."""
    passive = grammar.is_passive(trigger)
    if (rule.voice == "passive" and not passive) or (rule.voice == "active" and passive):
        return []
    if variant == "active":
        if rule.object_path:
            objects: list[Token | str] = list(walk(trigger, rule.object_path))
        elif rule.object == "@subject":
            subject = grammar.grammatical_subject(trigger)
            objects = [subject] if subject is not None else []
        else:
            objects = []
        if not objects:
            return []
        if rule.subject_path:
            subjects: list[Token | str] = list(walk(trigger, rule.subject_path))
        elif rule.subject == "@unspecified":
            subjects = ["unspecified"]
        elif rule.subject == "@holder":
            holder = grammar.holder(trigger)
            subjects = [holder] if holder is not None else []
        elif rule.subject == "@nominal":
            found = _nominal_subject(trigger, [o for o in objects if isinstance(o, Token)], index)
            if found == "@passive-head":
                agent = grammar.passive_agent(trigger.head)
                found = agent if agent is not None else "unspecified"
            subjects = [found] if found is not None else []
        elif rule.subject == "@actor" and passive:
            return []  # an active-voice reading of a passive verb would invert the roles
        else:
            subject = grammar.grammatical_subject(trigger)
            subjects = [subject] if subject is not None else []
        return [(s, o) for s in subjects for o in objects]
    if variant == "passive":
        if not passive or trigger.dep_ == "acl":
            return []
        target = grammar.grammatical_subject(trigger)
        if target is None:
            return []
        agent = grammar.passive_agent(trigger)
        return [(agent if agent is not None else "unspecified", target)]
    # participle: "shipments protected by police"
    if trigger.dep_ != "acl" or trigger.tag_ != "VBN" or trigger.head.pos_ not in ("NOUN", "PROPN", "PRON"):
        return []
    agent = grammar.passive_agent(trigger)
    return [(agent if agent is not None else "unspecified", trigger.head)]


def _type_ok(types: tuple[str, ...], value: str | None) -> bool:
    return not types or value is None or value in types


def find_claims(doc: Doc, mentions: list[dict[str, Any]], finder: RelationFinder) -> list[dict[str, Any]]:
    """Every claim of the doc: trigger lemmas first (a dict lookup per token), then each rule's frame."""
    lexicon = finder.lexicon
    rules = finder.rules
    off_topic = bool(rules.topic_types) and not any(m["type"] in rules.topic_types for m in mentions)
    index = _Index(doc, mentions, rules.anaphors.get("organisation", ()), rules.partitives)
    claims: dict[tuple[str, str, str, int], dict[str, Any]] = {}
    by_lemma = rules.by_lemma
    for trigger in doc:
        candidates = by_lemma.get(trigger.lemma_.lower())
        if not candidates:
            continue
        for rule in candidates:
            if trigger.pos_ not in rule.pos or any(not walk(trigger, p) for p in rule.require_paths):
                continue
            for variant in rule.variants():
                for subj_tok, obj_tok in _participants(trigger, rule, variant, index):
                    if obj_tok == "unspecified":
                        continue
                    objects = index.expand(obj_tok)
                    subjects = [(None, 0)] if subj_tok == "unspecified" else index.expand(subj_tok)
                    if not subjects and variant != "active" and subj_tok.pos_ == "NOUN":
                        subjects = [(None, 0)]  # "displaced by the expansion of coca farming": no agent is named
                    sentence = trigger.sent
                    for subj, s_ind in subjects:
                        for obj, o_ind in objects:
                            claim = _claim(doc, rule, variant, trigger, sentence, subj, obj, s_ind + o_ind,
                                           lexicon, rules, mentions)
                            if claim is None or (off_topic and claim["relation"] in rules.topic_relations):
                                continue  # "families protect children" in a weather story is no evidence
                            key = (claim["relation"], claim["subject"]["iri"], claim["object"]["iri"], sentence.start)
                            if key not in claims or claims[key]["confidence"] < claim["confidence"]:
                                claims[key] = claim
    for claim in _descriptor_claims(doc, index, rules, lexicon, mentions):
        key = (claim["relation"], claim["subject"]["iri"], claim["object"]["iri"], claim["sentence_start"])
        claims.setdefault(key, claim)
    return _drop_redundant(list(claims.values()))


def _descriptor_claims(doc: Doc, index: "_Index", rules: PatternSet, lexicon: Lexicon,
                       mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Relations stated by a noun phrase's own modifier: "traffickers from the Huallaga valley",
    "the Shining Path faction in the VRAEM", "a Tocache-based clan" (guidelines, decision 9)."""
    out = []
    for spec in rules.descriptors:
        preps = set(spec.get("preps") or ())
        types = set(spec.get("subject") or ())
        rule = Rule(relation=spec["relation"], lemmas=(), pos=(), object="@descriptor", subject="@descriptor",
                    require=(), passive="keep", weight=float(spec.get("weight", 0.6)), types={}, index=-1)
        for m in mentions:
            if m["type"] not in types:
                continue
            head = doc[m["end"] - 1]
            places: list[Token] = []
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ in preps:
                    places += [o for o in child.children if o.dep_ == "pobj"]
            for t in doc[m["start"]:m["end"] - 1]:  # "Tocache-based"
                if t.lower_ in ("based", "born") and t.i > 0 and doc[t.i - 1].text == "-":
                    places.append(doc[t.i - 2])
            for place_tok in places:
                for place, ind in index.expand(place_tok):
                    if place["type"] != "Place":
                        continue
                    claim = _claim(doc, rule, "descriptor", head, head.sent, m, place, ind, lexicon, rules, mentions)
                    if claim is not None:
                        out.append(claim)
    return out


def _drop_redundant(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An unspecified-agent claim is dropped when the same sentence names the agent for it."""
    named = {(c["relation"], c["object"]["iri"], c["start"]) for c in claims if c["subject"]["text"] is not None}
    kept = [c for c in claims if c["subject"]["text"] is not None or
            (c["relation"], c["object"]["iri"], c["start"]) not in named]
    return sorted(kept, key=lambda c: (c["start"], c["relation"], c["subject"]["iri"], c["object"]["iri"]))


def _ref(m: dict[str, Any] | None, unspecified: str) -> dict[str, Any]:
    if m is None:
        return {"text": None, "type": None, "iri": unspecified}
    return {"text": m["text"], "type": m["type"], "iri": m["iri"]}


def _claim(doc: Doc, rule: Rule, variant: str, trigger: Token, sentence, subj, obj, indirect: int,
           lexicon: Lexicon, rules: PatternSet, mentions: list[dict[str, Any]]) -> dict[str, Any] | None:
    relation = rule.relation
    s_type = subj["type"] if subj else None
    o_type = obj["type"]
    if subj is not None and subj["iri"] == obj["iri"]:
        return None
    for rc in rules.reclassify:
        if rc.get("from") != relation:
            continue
        if "object_not" in rc:
            if o_type not in rc["object_not"]:
                relation = rc["to"]
        elif _sides(s_type, o_type, rc.get("one_side", ()), rc.get("other_side", ())):
            relation = rc["to"]
    signature = lexicon.relations.get(relation)
    if signature is not None:
        if not _type_ok(signature.domain, s_type) or not _type_ok(signature.range, o_type):
            return None
    types = rule.types
    if not _type_ok(types.get("subject", ()), s_type) or not _type_ok(types.get("object", ()), o_type):
        return None
    if "any_side" in types and not _sides(s_type, o_type, types["any_side"], types.get("other_side", ())):
        return None
    status = epistemic_status(trigger, sentence, rules.status, None)
    linked = sum(1 for m in (subj, obj) if m is not None and m["source"] == "gazetteer")
    long_path = len(rule.object_path) > 2
    score = confidence(rule.weight, linked, indirect, subj is None, long_path, status)
    used = {m["iri"] for m in (subj, obj) if m is not None}
    place = claim_place(trigger, sentence, mentions, used)
    years = sorted({int(y.group(1)) + (9 if y.group(2) else 0)
                    for ent in sentence.ents if ent.label_ == "DATE" for y in _YEAR.finditer(ent.text)})
    start, end = _trimmed(sentence)
    return {
        "relation": relation,
        "subject": _ref(subj, lexicon.unspecified_agent),
        "object": _ref(obj, lexicon.unspecified_agent),
        "place": _ref(place, lexicon.unspecified_agent) if place else None,
        "date": claim_date(trigger, sentence, status),
        "status": status,
        "confidence": score,
        "sentence": doc.text[start:end],
        "start": start,
        "end": end,
        "years": years,
        "rule": f"{rule.key}:{variant}",
        "sentence_start": sentence.start,
        "trigger": trigger.i,
    }


def _trimmed(sentence) -> tuple[int, int]:
    """Character offsets of the sentence without the blank lines spaCy may attach to it."""
    text = sentence.text
    lead = len(text) - len(text.lstrip())
    return sentence.start_char + lead, sentence.start_char + len(text.rstrip())


def _sides(a: str | None, b: str | None, one: tuple[str, ...] | list[str], other: tuple[str, ...] | list[str]) -> bool:
    if not other:
        return a in one or b in one
    return (a in one and b in other) or (b in one and a in other)


@Language.factory("arcon_relations", default_config={"ontology_dir": None, "patterns": None})
def make_relation_finder(nlp: Language, name: str, ontology_dir: str | None, patterns: str | None) -> RelationFinder:
    return RelationFinder(nlp, name, ontology_dir, patterns)
