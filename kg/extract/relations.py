"""The relation component: a clause analyser over the dependency parse → claims between typed mentions.

For each token whose lemma is a trigger of ``relation-patterns.yaml`` (one dict
lookup per token, so sentences without a trigger cost nothing), each rule of
that lemma is read in its voices (active, passive, participle): the rule's
paths and the grammar of :mod:`kg.extract.grammar` give the participants'
tokens (the actor, the passive agents, the holder of a role noun, the agent
of a nominal trigger), :class:`~kg.extract.participants.ParticipantIndex` turns
each token into the mentions it stands for, and the pairs whose coarse types
fit the relation's rdfs:domain / rdfs:range in the ontology (and the rule's
own ``types``) become claims, after the pattern file's reclassifications,
with status, confidence, place and date. Statements of what did not happen
("would escort") and generic present-tense rules ("a police officer who takes
money … is") yield none; nor do relations that are ordinary outside crime
news in an article that names no criminal actor or market. Noun phrases whose
own modifier states a relation ("traffickers from the Upper Huallaga") are read
by :func:`_descriptor_claims`.

Results are plain dicts in ``doc._.arcon_claims`` (so they survive the trip
back from worker processes); :mod:`kg.extract.pipeline` makes ``Claim`` values.
The learned relation model (:mod:`kg.extract.candidates`, :mod:`kg.extract.scorer`)
adds the candidates it scores above its threshold to the rules' claims; without
its weights file the component runs on the rules alone, with a warning.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from kg.extract import grammar
from kg.extract.context import claim_date, claim_place, sentence_dates
from kg.extract.lexicon import load_lexicon
from kg.extract.participants import ParticipantIndex
from kg.extract.patterns import PatternSet, Rule, load_patterns, patterns_path, walk
from kg.extract.candidates import Candidate, Participant, candidates, trigger_relations
from kg.extract.scorer import DEFAULT_MODEL, ModelWarning, RelationModel, file_hash, load_model
from kg.extract.status import confidence, epistemic_status
from kg.ontology.gazetteer_data import Lexicon
from kg.rdf.iris import fold

if not Doc.has_extension("arcon_claims"):
    Doc.set_extension("arcon_claims", default=None)
if not Doc.has_extension("arcon_candidates"):
    Doc.set_extension("arcon_candidates", default=None)

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)(s)?\b")


class RelationFinder:
    def __init__(self, nlp: Language, name: str, ontology_dir: str | None, patterns: str | None,
                 scorer: str | None = "default"):
        self.name = name
        self.lexicon: Lexicon = load_lexicon(ontology_dir)[0]
        self.patterns_file = patterns_path(ontology_dir, patterns)
        self.rules: PatternSet = load_patterns(self.patterns_file)
        unknown = sorted({r.relation for r in self.rules.rules} - set(self.lexicon.relations))
        if unknown and self.lexicon.relations:
            raise ValueError(f"relation patterns name relations the ontology does not define: {', '.join(unknown)}")
        self.triggers = trigger_relations(self.rules)
        self.model: RelationModel | None = self._load_model(scorer)

    def _load_model(self, scorer: str | None) -> RelationModel | None:
        if scorer in (None, "none"):
            return None
        path = DEFAULT_MODEL if scorer == "default" else Path(scorer)
        model = load_model(path)
        if model is None:
            if scorer != "default":
                raise FileNotFoundError(f"no relation model at {scorer}; create one with: arcon train-relations --out {scorer}")
            warnings.warn(f"no relation model at {path}: extracting with the rules only (lower recall); "
                          "create it with: arcon train-relations", ModelWarning, stacklevel=3)
            return None
        trained = model.meta.get("patterns_sha256")
        if trained and trained != file_hash([self.patterns_file]):
            warnings.warn(f"the relation model {path} was trained on other relation patterns than "
                          f"{self.patterns_file}: retrain it with: arcon train-relations", ModelWarning, stacklevel=3)
        return model

    #: Keep every candidate with its features in ``doc._.arcon_candidates`` (training needs them; a normal
    #: run does not, and leaving them out keeps what worker processes send back small).
    keep_candidates: bool = False

    def __call__(self, doc: Doc) -> Doc:
        mentions = doc._.arcon_entities or []
        doc._.arcon_claims = find_claims(doc, mentions, self) if doc.has_annotation("DEP") else []
        return doc


def _nominal_subject(noun: Token, objects: list[Token], index: ParticipantIndex) -> Token | str | None:
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
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("for", "over") and head.head.pos_ == "VERB":
        # the one the clause is about: "were dismissed for links to drug trafficking",
        # "investigated 28 politicians over ties to drug traffickers"
        verb = head.head
        return next((c for c in verb.children if c.dep_ == "dobj"), None) or grammar.grammatical_subject(verb)
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("in", "into", "with", "on") \
            and head.head.pos_ == "VERB":  # "took part in an attack on X", "acting on information from X"
        verb = head.head
        if grammar.is_passive(verb):  # "was carried out by Dirandro, with support from the DEA"
            return grammar.passive_agent(verb)
        return grammar.grammatical_subject(verb)
    return None


def _participants(trigger: Token, rule: Rule, variant: str, index: ParticipantIndex
                  ) -> list[tuple[Token | str, Token | str]]:
    """(subject, object) token pairs of one rule in one voice; "unspecified" for an unnamed agent."""
    passive = grammar.is_passive(trigger)
    if (rule.voice == "passive" and not passive) or (rule.voice == "active" and passive):
        return []
    if rule.subject == "@unspecified" and rule.object == "@subject" and trigger.dep_ == "acl":
        return []  # "cocaine shipments leaving the valley": an agentless participle states no claim (decision 21)
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
        elif rule.subject == "@between":  # "links between police officers and drug traffickers"
            return [(o, c) for o in objects if isinstance(o, Token) for c in o.conjuncts if c.i > o.i]
        elif rule.subject == "@nominal":
            found = _nominal_subject(trigger, [o for o in objects if isinstance(o, Token)], index)
            if found == "@passive-head":
                agent = grammar.passive_agent(trigger.head)
                found = agent if agent is not None else "unspecified"
            if found is None and rule.agentless:
                found = "unspecified"  # "the capture of its leader" (decision 21)
            subjects = [found] if found is not None else []
        elif rule.subject == "@actor" and passive:
            return []  # an active-voice reading of a passive verb would invert the roles
        else:
            subject = grammar.grammatical_subject(trigger)
            subjects = [subject] if subject is not None else []
        return [(s, o) for s in subjects for o in objects]
    if variant == "passive":
        listed = _among_those(trigger)
        if listed is not None:  # "Among those detained were X and Y": X and Y were detained
            return [(agent, listed) for agent in (grammar.passive_agents(trigger) or ["unspecified"])]
        if not passive or trigger.dep_ == "acl":
            return []
        target = grammar.grammatical_subject(trigger)
        if target is None:
            return []
        agents: list[Token | str] = list(grammar.passive_agents(trigger)) or ["unspecified"]
        return [(agent, target) for agent in agents]
    # participle: "shipments protected by police"
    if trigger.dep_ != "acl" or trigger.tag_ != "VBN" or trigger.head.pos_ not in ("NOUN", "PROPN", "PRON"):
        return []
    # only with its agent: "shipments protected by police"; "cocaine seized from a boat" states no claim (decision 21)
    return [(agent, trigger.head) for agent in grammar.passive_agents(trigger)]


def _among_those(trigger: Token) -> Token | None:
    """The subject of "Among those <participle> were X, Y and Z" (wire copy lists the people acted on so)."""
    those = trigger.head
    if trigger.dep_ != "acl" or trigger.tag_ != "VBN" or those.lower_ not in ("those", "the") or \
            those.dep_ != "pobj" or those.head.lower_ != "among":
        return None
    copula = those.head.head
    if copula.lemma_ != "be":
        return None
    return next((c for c in copula.children if c.dep_ in ("nsubj", "attr") and c.i > trigger.i), None)


def _type_ok(types: tuple[str, ...], value: str | None) -> bool:
    return not types or value is None or value in types


def find_claims(doc: Doc, mentions: list[dict[str, Any]], finder: RelationFinder) -> list[dict[str, Any]]:
    """Every claim of the doc: trigger lemmas first (a dict lookup per token), then each rule's frame."""
    lexicon = finder.lexicon
    rules = finder.rules
    off_topic = bool(rules.topic_types) and not any(
        m["type"] in rules.topic_types and doc[m["end"] - 1].lemma_.lower() not in rules.topic_ambiguous
        for m in mentions)
    index = ParticipantIndex(doc, mentions, rules)
    claims: dict[tuple[str, str, str, int], dict[str, Any]] = {}
    by_lemma = rules.by_lemma
    idle: set[int] = set()  # triggers that state no event ("would escort"): the model skips them too
    for trigger in doc:
        candidates = by_lemma.get(trigger.lemma_.lower())
        if not candidates:
            continue
        if _unrealized(trigger, rules) or _generic_statement(trigger):
            idle.add(trigger.i)
            continue
        for rule in candidates:
            if trigger.pos_ not in rule.pos or any(not walk(trigger, p) for p in rule.require_paths) \
                    or any(walk(trigger, p) for p in rule.unless_paths):
                continue
            for variant in rule.variants():
                for subj_tok, obj_tok in _participants(trigger, rule, variant, index):
                    if obj_tok == "unspecified":
                        continue
                    pairwise = rule.subject == "@between"
                    objects = index.expand(obj_tok, conjuncts=not pairwise)
                    subjects = [(None, 0)] if subj_tok == "unspecified" else \
                        index.expand(subj_tok, conjuncts=not pairwise, agent=True)
                    if not subjects and variant != "active" and subj_tok.pos_ == "NOUN":
                        subjects = [(None, 0)]  # "displaced by the expansion of coca farming": no agent is named
                    sentence = trigger.sent
                    for subj, s_ind in subjects:
                        for obj, o_ind in objects:
                            claim = _claim(doc, rule, variant, trigger, sentence, subj, obj, s_ind + o_ind,
                                           lexicon, rules, mentions)
                            if claim is None or (off_topic and claim["relation"] in rules.topic_relations):
                                continue  # "families protect children" in a weather story is no evidence
                            key = _key(claim, lexicon)
                            if key not in claims or claims[key]["confidence"] < claim["confidence"]:
                                claims[key] = claim
    for claim in _descriptor_claims(doc, index, rules, lexicon, mentions):
        if not (off_topic and claim["relation"] in rules.topic_relations):
            claims.setdefault(_key(claim, lexicon), claim)
    found = list(claims.values())
    if finder.model is not None or finder.keep_candidates:
        found += _model_claims(doc, index, mentions, finder, found, off_topic, idle)
    return _drop_redundant(found)


def pair_key(relation: str, subject: str, obj: str, sentence_start: int, lexicon: Lexicon
             ) -> tuple[str, str, str, int]:
    """A claim's identity by relation, participant IRIs (either order when symmetric) and sentence."""
    signature = lexicon.relations.get(relation)
    if signature is not None and signature.symmetric and obj < subject:
        subject, obj = obj, subject
    return relation, subject, obj, sentence_start


def _model_claims(doc: Doc, index: ParticipantIndex, mentions: list[dict[str, Any]], finder: RelationFinder,
                  rule_claims: list[dict[str, Any]], off_topic: bool, idle: set[int]) -> list[dict[str, Any]]:
    """The candidates the learned model accepts that the rules did not state, as claims (confidence = p)."""
    lexicon, rules, model = finder.lexicon, finder.rules, finder.model
    unspecified = lexicon.unspecified_agent
    known = {pair_key(c["relation"], c["subject"]["iri"], c["object"]["iri"], c["sentence_start"], lexicon):
             c["rule"] for c in rule_claims}

    def key(relation: str, subject: Participant | None, obj: Participant, start: int) -> tuple[str, str, str, int]:
        return pair_key(relation, subject.mention["iri"] if subject else unspecified, obj.mention["iri"], start,
                        lexicon)

    stated: dict[tuple[str, str | None, str, int], str] = {}
    for c in rule_claims:
        s_iri = None if c["subject"]["text"] is None else c["subject"]["iri"]
        stated[(c["relation"], s_iri, c["object"]["iri"], c["sentence_start"])] = c["rule"]
        if s_iri is not None and lexicon.relations.get(c["relation"]) and lexicon.relations[c["relation"]].symmetric:
            stated[(c["relation"], c["object"]["iri"], s_iri, c["sentence_start"])] = c["rule"]
    scoring = model if not finder.keep_candidates else None
    found = candidates(doc, index, rules, lexicon, finder.triggers, stated,
                       skip=idle.__contains__, model=scoring)
    if finder.keep_candidates:
        doc._.arcon_candidates = [
            _candidate_record(c, key(c.relation, c.subject, c.object, c.sentence.start), unspecified) for c in found]
    if model is None:
        return []
    best: dict[tuple[str, str, str, int], tuple[float, Candidate]] = {}
    cache: dict[int, tuple[Any, float]] = {}
    for c in found:
        if c.stated or (off_topic and c.relation in rules.topic_relations):
            continue
        p = c.probability if scoring is not None else model.score_groups(c.groups, cache)
        if p < model.threshold:
            continue
        k = key(c.relation, c.subject, c.object, c.sentence.start)
        if k not in known and (k not in best or best[k][0] < p):
            best[k] = (p, c)
    out = []
    for p, c in best.values():
        trigger = c.trigger
        own = any(r.own_status for r in rules.by_lemma.get(trigger.lemma_.lower(), ()) if r.relation == c.relation)
        rule = Rule(relation=c.relation, lemmas=(), pos=(), object="@model", subject="@model", require=(),
                    passive="keep", weight=p, types={}, index=-1, own_status=own)
        claim = _claim(doc, rule, "model", c.trigger, c.sentence, c.subject.mention if c.subject else None,
                       c.object.mention, 0, lexicon, rules, mentions)
        if claim is not None:
            claim["confidence"] = round(min(0.99, max(0.05, p)), 2)
            out.append(claim)
    return out


def _candidate_record(c: Candidate, key: tuple[str, str, str, int], unspecified: str) -> dict[str, Any]:
    """A candidate as plain values for training: what it claims, where, and its features."""
    start, end = _trimmed(c.sentence, c.trigger.idx)
    return {"key": list(key), "relation": c.relation, "features": list(c.features),
            "subject": _ref(c.subject.mention if c.subject else None, unspecified),
            "object": _ref(c.object.mention, unspecified), "start": start, "end": end}


def _unrealized(trigger: Token, rules: PatternSet) -> bool:
    """"would escort", "will question", "asked a judge to hold him": no event is stated."""
    verb = trigger
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in rules.unrealized_aux for c in auxiliaries):
        return True
    if any(c.lower_ in rules.unrealized_modals for c in auxiliaries) and not any(c.lower_ == "have" for c in auxiliaries):
        return True  # "could push farmers into the arms of the rebels"; "may have paid" stays, as a hedge
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in rules.unrealized_governors


def _generic_statement(trigger: Token) -> bool:
    """"A police officer who takes money from a trafficker is …": a present-tense rule about anyone."""
    if trigger.tag_ not in ("VBZ", "VBP"):
        return False
    subject = grammar.grammatical_subject(trigger)
    if subject is None:
        return False
    subject = grammar.resolve_relative(subject)
    if not (subject.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in ("a", "an", "any", "every")
                                         for c in subject.children)):
        return False
    if trigger.dep_ == "relcl":  # "a network that supplies Mexican buyers" names one network
        return subject.dep_ in ("nsubj", "nsubjpass") and subject.head.tag_ in ("VBZ", "VBP")
    return True


def _key(claim: dict[str, Any], lexicon: Lexicon) -> tuple[str, str, str, int]:
    """One claim per relation, participants and sentence; either order for a symmetric relation.

    Commodities are told apart by their words too: "cocaine base paste and cocaine" may link to one
    market concept and still be two things moved."""
    a, b = claim["subject"]["iri"], claim["object"]["iri"]
    if claim["object"]["type"] == "Market":
        b = f"{b}#{fold(claim['object']['text'])}"
    signature = lexicon.relations.get(claim["relation"])
    if signature is not None and signature.symmetric and b < a:
        a, b = b, a
    return claim["relation"], a, b, claim["sentence_start"]


def _descriptor_claims(doc: Doc, index: ParticipantIndex, rules: PatternSet, lexicon: Lexicon,
                       mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Relations stated by a noun phrase's own modifier: "traffickers from the Huallaga valley",
    "the Shining Path faction in the VRAEM", "a Tocache-based clan", "three Pucallpa firms", "Ayacucho,
    where the Shining Path began its insurgency" (guidelines, decision 35)."""
    out = []
    for spec in rules.descriptors:
        preps = set(spec.get("preps") or ())
        types = set(spec.get("subject") or ())
        rule = Rule(relation=spec["relation"], lemmas=(), pos=(), object="@descriptor", subject="@descriptor",
                    require=(), passive="keep", weight=float(spec.get("weight", 0.6)), types={}, index=-1)
        seen_heads: set[int] = set()
        for m in mentions:
            person = m["type"] == "Person"  # "a Lima businessman": a person only by a place name before the noun
            if m["type"] not in types and not (person and spec.get("compound")):
                continue
            head = doc[m["end"] - 1]
            if head.i in seen_heads:
                continue
            seen_heads.add(head.i)
            places: list[Token] = []
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ in preps and not person:
                    places += [o for o in child.children if o.dep_ == "pobj"]
                if child.dep_ == "compound" and spec.get("compound") and child.i < head.i:
                    places.append(child)  # "three Pucallpa firms", "a Lima businessman"
            for t in doc[m["start"]:m["end"] - 1]:  # "Tocache-based"
                if t.lower_ in ("based", "born") and t.i > 1 and doc[t.i - 1].text == "-":
                    places.append(doc[t.i - 2])
            if not places:
                continue
            agents = index.expand(head, conjuncts=False) or [(m, 0)]  # a named apposition stands for the role noun
            for place_tok in places:
                for place, ind in index.expand(place_tok):
                    if place["type"] != "Place":
                        continue
                    for agent, a_ind in agents:
                        claim = _claim(doc, rule, "descriptor", head, head.sent, agent, place, ind + a_ind, lexicon,
                                       rules, mentions)
                        if claim is not None:
                            out.append(claim)
        if not spec.get("where"):
            continue
        for place in mentions:  # "Ayacucho, where the Shining Path began its insurgency"
            if place["type"] != "Place":
                continue
            for clause in doc[place["end"] - 1].children:
                if clause.dep_ != "relcl" or not any(c.lower_ == "where" for c in clause.children):
                    continue
                subject = grammar.grammatical_subject(clause)
                for agent, ind in (index.expand(subject) if subject is not None else []):
                    if agent["type"] in types:
                        claim = _claim(doc, rule, "where", clause, clause.sent, agent, place, ind, lexicon, rules,
                                       mentions)
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
    for rc in rules.reclassify if variant != "model" else ():  # the model scores the final relation
        if _reclassified(rc, relation, trigger, subj, obj):
            relation = rc["to"]
            if rc.get("swap") and subj is not None:
                subj, obj = obj, subj  # "officers charged traffickers $5,000 a trip": the traffickers bribe them
            if rc.get("drop_subject"):
                subj = None  # "the flights carry cocaine": the mover is not named
            s_type, o_type = (subj["type"] if subj else None), obj["type"]
    signature = lexicon.relations.get(relation)
    if signature is not None:
        if not _type_ok(signature.domain, s_type) or not _type_ok(signature.range, o_type):
            return None
        if signature.symmetric and subj is None:
            return None  # "he had been hired": cooperation needs both parties named
        if subj is None and not signature.unspecified_subject:
            return None  # "the PCC, which was founded in 1993": no founder, and `leads` needs a Person
    types = rule.types
    if not _type_ok(types.get("subject", ()), s_type) or not _type_ok(types.get("object", ()), o_type):
        return None
    if "any_side" in types and not _sides(s_type, o_type, types["any_side"], types.get("other_side", ())):
        return None
    heads = tuple(t for m in (subj, obj) if m is not None and m["end"] <= len(doc)
                  for t in _heads(doc[m["end"] - 1]))
    status = epistemic_status(trigger, sentence, rules.status, None, own=rule.own_status, participants=heads)
    linked = sum(1 for m in (subj, obj) if m is not None and m["source"] == "gazetteer")
    long_path = len(rule.object_path) > 2
    score = confidence(rule.weight, linked, indirect, subj is None, long_path, status)
    used = {m["iri"] for m in (subj, obj) if m is not None}
    place = claim_place(trigger, sentence, mentions, used)
    years = sorted({int(y.group(1)) + (9 if y.group(2) else 0)
                    for ent in sentence_dates(sentence) if not _since(ent)
                    for y in _YEAR.finditer(ent.text)})
    start, end = _trimmed(sentence, trigger.idx)
    return {
        "relation": relation,
        "subject": _ref(subj, lexicon.unspecified_agent),
        "object": _ref(obj, lexicon.unspecified_agent),
        "place": _ref(place, lexicon.unspecified_agent) if place else None,
        "date": claim_date(trigger, sentence, status),
        "status": status,
        "confidence": score,
        "sentence": sentence.text[start - sentence.start_char:end - sentence.start_char],  # Doc.text re-joins all tokens
        "start": start,
        "end": end,
        "years": years,
        "rule": f"{rule.key}:{variant}",
        "sentence_start": sentence.start,
        "trigger": trigger.i,
    }


def _heads(token: Token) -> tuple[Token, ...]:
    """A mention's head word, and the noun it modifies ("Shining Path" in "suspected Shining Path rebels")."""
    return (token, token.head) if token.dep_ in ("compound", "amod") else (token,)


def _since(ent) -> bool:
    """"since 2008" reaches the present: it does not make a statement background."""
    before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
    return ent[0].lower_ == "since" or before == "since" or (
        before == "least" and ent.start > 2 and ent.doc[ent.start - 3].lower_ == "since")


def _reclassified(rc: dict[str, Any], relation: str, trigger: Token, subj: dict[str, Any] | None,
                  obj: dict[str, Any]) -> bool:
    """Whether a ``reclassify`` entry of the pattern file turns this candidate into another relation."""
    sources = rc.get("from")
    if sources is not None and relation not in ([sources] if isinstance(sources, str) else sources):
        return False
    s_type, o_type = (subj["type"] if subj else None), obj["type"]
    if "governed_by" in rc:  # "threatened to kill him": the killing is a threat
        return trigger.dep_ == "xcomp" and trigger.head.lemma_.lower() in rc["governed_by"]
    if "object_not" in rc:
        named = obj["type"] in rc.get("unless_named", ()) and not obj["generic"]
        return o_type not in rc["object_not"] and not named
    if "subject" in rc or "object" in rc:
        return (s_type in rc.get("subject", (s_type,))) and (o_type in rc.get("object", (o_type,)))
    return _sides(s_type, o_type, rc.get("one_side", ()), rc.get("other_side", ()))


def _trimmed(sentence, at: int | None = None) -> tuple[int, int]:
    """Character offsets of the sentence without the blank lines spaCy may attach to it.

    A sentence never crosses a paragraph break (guidelines, decision 4); spaCy sometimes glues a closing
    quote or a heading to the next paragraph, so only the paragraph holding character ``at`` is kept."""
    text = sentence.text
    begin = 0
    end = len(text)
    if at is not None:
        offset = at - sentence.start_char
        for match in re.finditer(r"\n\s*\n", text):
            if match.end() <= offset:
                begin = match.end()
            elif match.start() >= offset:
                end = min(end, match.start())
    part = text[begin:end]
    lead = len(part) - len(part.lstrip())
    return sentence.start_char + begin + lead, sentence.start_char + begin + len(part.rstrip())


def _sides(a: str | None, b: str | None, one: tuple[str, ...] | list[str], other: tuple[str, ...] | list[str]) -> bool:
    if not other:
        return a in one or b in one
    return (a in one and b in other) or (b in one and a in other)


@Language.factory("arcon_relations", default_config={"ontology_dir": None, "patterns": None, "scorer": "default"})
def make_relation_finder(nlp: Language, name: str, ontology_dir: str | None, patterns: str | None,
                         scorer: str | None) -> RelationFinder:
    """``scorer``: "default" (the committed ``kg/extract/relation-model.json``; rules only with a warning if it is
    absent), the path of a model written by ``arcon train-relations``, or "none" (rules only)."""
    return RelationFinder(nlp, name, ontology_dir, patterns, scorer)
