"""English grammar over a spaCy dependency parse: who acts, who is acted on, what a pronoun means.

These are facts about English, not about the domain, so they live in code; the
domain (which verbs mean which relation) lives in ``relation-patterns.yaml``.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Token

_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj", "csubjpass")
_RELATIVE = {"who", "which", "that", "whom", "whose"}
_PERSON_PRONOUNS = {"he": "sg", "him": "sg", "she": "sg", "her": "sg", "his": "sg"}
_GROUP_PRONOUNS = {"they": "pl", "them": "pl", "their": "pl", "it": "sg", "its": "sg"}
PERSON_TYPES = {"Person", "PublicOfficial"}
# Verbs whose object (or indirect object) does what the purpose clause says: "paid the captain to transport it".
_OBJECT_CONTROL_PURPOSE = {"pay", "hire", "recruit", "force", "order", "send", "bribe", "ask", "offer", "assign",
                           "deploy", "contract", "tell", "instruct"}
# Verbs whose object is a means, not the doer of the infinitive after it: "used vehicles to move drugs".
_INSTRUMENT_VERBS = {"use", "exploit", "employ", "need", "buy", "rent", "build"}
# Verbs whose object is the doer of the gerund after "of"/"with"/"for": "accused X of bribing".
_OBJECT_CONTROL = {"accuse", "charge", "suspect", "convict", "sentence", "find", "arrest", "detain", "investigate",
                   "prosecute", "blame", "fine", "punish", "jail", "indict", "try", "thank", "praise"}


def is_passive(verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass", "csubjpass") for c in verb.children):
        return True
    return verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl") and not any(c.dep_ == "aux" for c in verb.children)


def grammatical_subject(verb: Token, depth: int = 0) -> Token | None:
    """The subject of a verb, inherited through control, coordination and relative clauses."""
    if depth > 6:
        return None
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    if subjects:
        # the nearest one: a dateline ("PUCALLPA, Peru —") is often parsed as a second subject
        before = [c for c in subjects if c.i < verb.i]
        return before[-1] if before else subjects[0]
    head = verb.head
    if head is verb:
        return None
    if verb.dep_ == "xcomp":
        # object control ("forced farmers to grow") else subject control ("were reported to have received");
        # an instrument is no doer: "used police vehicles to move cocaine"
        if head.lemma_.lower() not in _INSTRUMENT_VERBS:
            for child in head.children:
                if child.dep_ == "dobj":
                    return child
        return grammatical_subject(head, depth + 1)
    if verb.dep_ in ("conj", "advcl", "ccomp") and head.pos_ in ("VERB", "AUX", "ADJ"):
        if verb.dep_ == "conj" or verb.tag_ == "VBG":
            return grammatical_subject(head, depth + 1)
        if verb.dep_ == "advcl" and verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            # a purpose: "paid the captain $50,000 to transport it" (the one paid does it),
            # "used military vehicles to move drugs" (the user does it)
            if head.lemma_.lower() in _OBJECT_CONTROL_PURPOSE:
                for child in head.children:
                    if child.dep_ in ("dative", "dobj") and child.pos_ in ("NOUN", "PROPN", "PRON"):
                        return child
            return grammatical_subject(head, depth + 1)
        return None
    if verb.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
        return head
    if verb.dep_ == "pcomp" and head.dep_ == "prep":  # "by accepting bribes", "after killing"
        governor = head.head
        if governor.pos_ == "ADJ" and governor.dep_ == "amod":
            return governor.head  # "found X guilty of accepting", parsed with "guilty" on X
        if governor.pos_ == "ADJ" and governor.dep_ in ("oprd", "acomp"):
            governor = governor.head  # "were found guilty of receiving"
        through_noun = False
        while governor.pos_ == "NOUN" and governor.dep_ == "pobj" and governor.head.dep_ == "prep" \
                and governor.head.head.pos_ in ("VERB", "AUX", "NOUN"):
            governor = governor.head.head  # "suspended 14 judges on suspicion of taking bribes"
            through_noun = True
        if governor.pos_ not in ("VERB", "AUX"):
            return None
        if through_noun:
            for child in governor.children:
                if child.dep_ == "dobj":
                    return child
        if governor.lemma_.lower() in _OBJECT_CONTROL and head.lower_ in ("of", "with", "for"):
            for child in governor.children:  # "charged five officers with protecting": the officers protect
                if child.dep_ == "dobj":
                    return child
        return grammatical_subject(governor, depth + 1)
    return None


def passive_agent(verb: Token) -> Token | None:
    """The "by" phrase of a passive verb (the parser sometimes labels it prep rather than agent)."""
    agents = passive_agents(verb)
    return agents[0] if agents else None


def passive_agents(verb: Token) -> list[Token]:
    """Every "by" object: "killed by traffickers or by the Shining Path" gives both."""
    found: list[Token] = []
    for child in verb.children:
        is_by = child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by" and is_passive(verb))
        if not is_by:
            continue
        for prep in (child, *child.conjuncts):
            found += [g for g in prep.children if g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME")]
    return found


def holder(noun: Token) -> Token | None:
    """The person a role noun describes: "X, the leader of Y"; "X is the leader of Y"; "the leader of Y, X"."""
    if noun.dep_ == "appos":
        return noun.head
    for child in noun.children:
        if child.dep_ == "appos":
            return child
    if noun.dep_ == "attr" and noun.head.lemma_ in ("be", "become", "remain"):
        for child in noun.head.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
    if noun.dep_ == "compound" and noun.head.pos_ == "PROPN":
        return noun.head
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") and noun.head.pos_ in ("VERB", "AUX"):
        return noun  # "a Shining Path commander was captured": the noun itself is the person
    return None


def resolve_relative(token: Token) -> Token:
    """"who"/"which"/"that" in a relative clause → the noun the clause modifies."""
    if token.lower_ in _RELATIVE and token.tag_ in ("WP", "WDT", "WP$"):
        verb = token.head
        if token.tag_ == "WP$" and verb.pos_ in ("NOUN", "PROPN"):
            verb = verb.head  # "the clan, whose leader …": from the possessed noun up to the clause
        while verb.dep_ not in ("relcl", "acl") and verb.head is not verb and verb.pos_ in ("VERB", "AUX"):
            if verb.dep_ not in ("xcomp", "conj", "ccomp"):
                break
            verb = verb.head
        if verb.dep_ in ("relcl", "acl"):
            return verb.head
    return token


def pronoun_number(token: Token) -> tuple[str, str] | None:
    """("person"|"group", "sg"|"pl") for a pronoun we dare resolve, else None."""
    low = token.lower_
    if low in _PERSON_PRONOUNS:
        return "person", _PERSON_PRONOUNS[low]
    if low in _GROUP_PRONOUNS:
        return "group", _GROUP_PRONOUNS[low]
    return None


def resolve_pronoun(token: Token, mentions: list[dict[str, Any]], anaphor: bool = False) -> dict[str, Any] | None:
    """The antecedent of a pronoun (or an anaphoric "the group"), only when the choice is unambiguous.

    Candidates are the mentions in the same sentence before the pronoun and in
    the previous sentence, of a compatible kind (people for he/she, groups and
    institutions for it/they, plural mentions for they). Subjects are preferred;
    if more than one distinct entity remains, nothing is resolved.
    """
    kind = ("group", "sg") if anaphor else pronoun_number(token)
    if kind is None:
        return None
    who, number = kind
    speaker = _reporting_subject(token, mentions) if not anaphor else None
    if speaker is not None and (who == "group") == (speaker["type"] not in PERSON_TYPES or speaker["plural"]):
        return speaker  # "Police said they had detained …": the speaker
    sent = token.sent
    doc = token.doc
    window_start = sent.start
    if sent.start > 0:
        window_start = doc[sent.start - 1].sent.start
    # "transport it": an object pronoun may stand for a commodity
    things = token.lower_ in ("it", "them") and token.dep_ in ("dobj", "pobj")
    candidates = []
    for m in mentions:
        if not (window_start <= m["start"] and m["end"] <= token.i) or m["type"] == "Place":
            continue
        if m["type"] == "Market":
            if things and not anaphor:
                candidates.append(m)
            continue
        if who == "person" and (m["type"] not in PERSON_TYPES or m["plural"]):
            continue
        if who == "group":
            if number == "sg" and (m["type"] in PERSON_TYPES or m["plural"] or m["generic"]):
                continue
            if number == "pl" and not (m["plural"] or m["type"] not in PERSON_TYPES):
                continue
        candidates.append(m)
    if not candidates:
        return None
    subjects = [m for m in candidates if doc[m["end"] - 1].dep_ in ("nsubj", "nsubjpass")]
    for pool in (subjects, candidates):
        distinct = {m["iri"] for m in pool}
        if len(distinct) == 1:
            return pool[-1]
    return _salient(token, candidates) if not anaphor else None


_OBJECT_DEPS = ("dobj", "pobj", "nsubjpass", "dative", "attr")


def _salient(token: Token, candidates: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Several antecedents fit: an object pronoun is not its own clause's subject ("Prosecutors charged
    them"), and a pronoun takes the latest earlier mention in the same role (subject or object) from an
    earlier clause; no such mention, no antecedent."""
    doc = token.doc
    role = "subject" if token.dep_ in ("nsubj",) else "object" if token.dep_ in _OBJECT_DEPS else None
    if role is None:
        return None
    clause_subject = grammatical_subject(token.head) if role == "object" else None
    pool = []
    for m in candidates:
        head = doc[m["end"] - 1]
        if clause_subject is not None and m["start"] <= clause_subject.i < m["end"]:
            continue
        if head.head.i == token.head.i:
            continue  # a co-argument of the same verb is never the pronoun's antecedent
        same = head.dep_ == "nsubj" if role == "subject" else head.dep_ in _OBJECT_DEPS
        if same:
            pool.append(m)
    return pool[-1] if pool else None


_REPORTING = {"say", "tell", "report", "announce", "add", "state", "claim", "confirm", "insist", "admit", "deny"}


def _reporting_subject(token: Token, mentions: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The subject of the reporting verb whose reported clause holds the pronoun as its subject (or as the
    possessor of its subject: "DIRANDRO said its agents had seized …")."""
    if token.dep_ == "poss" and token.head.dep_ in ("nsubj", "nsubjpass"):
        token = token.head
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return None
    verb = token.head
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head
    if verb.dep_ != "ccomp" or verb.head.lemma_.lower() not in _REPORTING:
        return None
    for child in verb.head.children:
        if child.dep_ == "nsubj":
            for m in mentions:
                if m["start"] <= child.i < m["end"] and m["type"] not in ("Place", "Market"):
                    return m
    return None

