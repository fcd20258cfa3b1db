"""Epistemic status and confidence of a claim.

Status, from the words around the trigger (lexicons in ``relation-patterns.yaml``
under ``status``), first match wins:

1. ``denied``: a negation on the trigger or on a verb that governs it ("did not
   pay"), a governing denial ("denied protecting", "failed to protect"), or "no
   evidence that …";
2. ``convicted``: governed by convict / sentence / found guilty, or by what a
   court or judge "found" or "ruled";
3. ``charged``: governed by charge / indict / stand trial;
4. ``alleged``: a hedge adverb (allegedly, reportedly), a hedging governor
   (suspected of, accused of, believed to, said to, under investigation for),
   or a modal (may, might, could);
5. ``historical``: a year in the sentence at least ``historical_years`` before the
   article's year ("in 1992", "during the 1980s");
6. else ``reported``.

Confidence (0..1) = the rule's weight, then: +0.10 when both participants are
linked to curated reference IRIs (+0.05 for one); −0.10 for a participant reached
through a pronoun, a relative clause or an inherited subject; −0.05 for an
unspecified agent; −0.05 for an object path longer than two steps; status
alleged −0.05, denied −0.10, convicted +0.05. Clamped to [0.05, 0.99], two decimals.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Span, Token

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)(s)?\b")


def _governors(trigger: Token, limit: int = 8) -> list[Token]:
    """The trigger and the words above it, up to the clause that states it."""
    chain = [trigger]
    token = trigger
    while token.head is not token and len(chain) < limit:
        if token.dep_ in ("conj",) and token.head.pos_ in ("VERB", "AUX"):
            token = token.head  # coordinated verbs share their governors, not their negation
            continue
        if token.dep_ not in ("xcomp", "ccomp", "pcomp", "prep", "pobj", "advcl", "acomp", "dobj", "attr",
                              "acl", "csubj", "nsubj", "auxpass", "oprd"):
            break
        token = token.head
        chain.append(token)
    return chain


def epistemic_status(trigger: Token, sentence: Span, lexicon: dict[str, Any], article_year: int | None,
                     own: bool = False, participants: tuple[Token, ...] = ()) -> str:
    """``own``: the trigger is itself the charge or verdict ("charged with drug trafficking": the offence
    is charged). ``participants``: head words of the subject and object ("suspected Shining Path rebels")."""
    chain = _governors(trigger)
    lemmas = [t.lemma_.lower() for t in chain]
    if own:
        chain = [trigger, *chain]  # the trigger counts as its own governor
        lemmas = [lemmas[0], *lemmas]
    denied = lexicon.get("denied", {})
    if any(c.dep_ == "neg" for c in trigger.children) or any(
            c.dep_ == "neg" for t in chain[1:] if t.pos_ in ("VERB", "AUX") for c in t.children):
        return "denied"
    if any(lem in denied.get("governors", ()) for lem in lemmas[1:]):
        return "denied"
    for t in chain[1:]:
        if t.lemma_.lower() in denied.get("no_evidence", ()) and any(c.lower_ == "no" for c in t.children):
            return "denied"
    convicted = lexicon.get("convicted", {})
    if any(lem in convicted.get("governors", ()) for lem in lemmas[1:]):
        return "convicted"
    for t in chain[1:]:  # "the court found that …": a verdict
        if t.lemma_.lower() in ("find", "rule", "conclude", "establish") and any(
                c.dep_ == "nsubj" and c.lemma_.lower() in convicted.get("finders", ()) for c in t.children):
            return "convicted"
    charged = lexicon.get("charged", {})
    documents = set(charged.get("documents", ()))
    for t in chain:  # "according to the indictment, X …", "the indictment names X as …" (decision 16)
        for c in t.children:
            if c.dep_ == "nsubj" and c.lemma_.lower() in documents:
                return "charged"
            if c.dep_ == "prep" and c.lower_ == "according" and any(
                    o.lemma_.lower() in documents for p in c.children for o in p.subtree if o.dep_ == "pobj"):
                return "charged"
    for t in chain[1:]:
        lem = t.lemma_.lower()
        if lem in charged.get("governors", ()):
            passive_only = lem in charged.get("charged_only_when_passive", ())
            if not passive_only or any(c.dep_ == "auxpass" for c in t.children):
                if lem not in lexicon.get("alleged", {}).get("governors", ()) or not passive_only:
                    return "charged"
    alleged = lexicon.get("alleged", {})
    for k, t in enumerate(chain):
        if any(c.lower_ in alleged.get("adverbs", ()) for c in t.children):
            return "alleged"
        if (t.i != trigger.i or (own and k == 0)) and t.lemma_.lower() in alleged.get("governors", ()):
            return "alleged"
        if t.i != trigger.i and t.lemma_.lower() in alleged.get("passive_governors", ()) and \
                any(c.dep_ == "auxpass" for c in t.children):
            return "alleged"  # "is said to", "were reported to", "is believed to"; "X said" is attribution
        if any(c.dep_ == "aux" and c.lower_ in alleged.get("modals", ()) for c in t.children):
            return "alleged"
    head = trigger.head  # the words attached where the trigger is: its head's children (and a root itself)
    if any(t.lower_ in alleged.get("adverbs", ()) for t in (*head.children, *((head,) if head.head is head else ()))):
        return "alleged"
    hedges = set(alleged.get("adjectives", ()))
    if any(c.dep_ == "amod" and c.lower_ in hedges for t in (trigger, *participants) for c in t.children):
        return "alleged"  # "the clan's alleged leader", "suspected Shining Path rebels"
    if article_year is not None:
        gap = int(lexicon.get("historical_years", 5))
        for ent in sentence.ents:
            if ent.label_ != "DATE":
                continue
            for match in _YEAR.finditer(ent.text):
                year = int(match.group(1)) + (9 if match.group(2) else 0)
                if year <= article_year - gap:
                    return "historical"
    return "reported"


def confidence(weight: float, linked: int, indirect: int, unspecified: bool, long_path: bool, status: str) -> float:
    score = weight + (0.10 if linked >= 2 else 0.05 if linked == 1 else 0.0)
    score -= 0.10 * indirect
    score -= 0.05 if unspecified else 0.0
    score -= 0.05 if long_path else 0.0
    score += {"alleged": -0.05, "denied": -0.10, "convicted": 0.05}.get(status, 0.0)
    return round(min(0.99, max(0.05, score)), 2)
