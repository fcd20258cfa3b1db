"""Which entity mention a word stands for: the participants of a claim.

A trigger's paths end on words; a claim needs entity mentions. A word stands
for its own mention, or, in this order of preference:

* a measure or part ("400 kilograms of cocaine", "members of the clan",
  "the highlands of Ayacucho") → the "of" object;
* a description in apposition to a named group ("the Ochoa Vela clan, a family
  network that …") → that group; a role noun whose name is given ("the
  pilots, Rubén Chávez Mera and …", "a network known as X") → the names;
* a definite description that refers back ("the clan", "the valley", "the
  paste", "the group") → the latest earlier mention with the same head word
  or class (guidelines, decision 10);
* a relative or personal pronoun → its antecedent, when unambiguous;
* a dateline parsed as the subject ("HUANTA, Peru — Police seized …") → the
  real subject in apposition to it;

then every coordinated member ("police and soldiers") and every listed member
("27 people, among them X", "six suspects, including X").
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import LOWER
from spacy.tokens import Doc, Token

from kg.extract import grammar
from kg.extract.gazetteer import SPANS_KEY, decode_label
from kg.extract.patterns import PatternSet
from kg.rdf.iris import fold

_ORGANISATIONS = {"CriminalGroup", "StateInstitution", "Company", "NGO", "InternationalOrganization"}


class ParticipantIndex:
    """Token → the entity mention it stands for, in one doc (see the module docstring)."""

    def __init__(self, doc: Doc, mentions: list[dict[str, Any]], rules: PatternSet):
        self.doc = doc
        self.mentions = mentions
        self.by_token: dict[int, dict[str, Any]] = {}
        for m in mentions:
            for i in range(m["start"], m["end"]):
                self.by_token[i] = m
        self.anaphors = set(rules.anaphors.get("organisation", ()))  # criminal groups ("the group", "the clan")
        self.institutions = set(rules.anaphors.get("institution", ()))  # "the committee": only by its own head word
        self.market_anaphors = set(rules.anaphors.get("market", ()))
        self.partitives = rules.partitives
        self.not_participants = rules.not_participants
        self.place_partitives = rules.place_partitives
        self._at: dict[tuple[int, bool], tuple[dict[str, Any] | None, int]] = {}
        listing = {doc.vocab.strings[w] for w in ("including", "among") if w in doc.vocab.strings}
        self.listing = [i for i, w in enumerate(doc.to_array(LOWER).tolist()) if w in listing]  # "among them X"
        # words that may stand for a mention of another word: descriptions, measure words, commodities
        self.referring = (self.anaphors | self.institutions | self.market_anaphors | set(self.partitives)
                          | set(self.place_partitives))
        # class words for places ("the valley", "the province"): the gazetteer types them, entities does not
        self.place_words: dict[int, str] = {}
        for span in doc.spans.get(SPANS_KEY, []):
            match = decode_label(span.label_)
            if match.kind == "class" and match.type == "Place" and len(span) == 1:
                self.place_words[span.start] = match.cls

    def at(self, token: Token, agent: bool = False) -> tuple[dict[str, Any] | None, int]:
        """The mention a token stands for, and how indirect the link is (0 = its own words).

        ``agent``: the token is the one who acts, so members acting as their organisation stand for it
        ("agents of DIRANDRO arrested", "CORAH teams uprooted": guidelines, decision 8). Memoised: the rules
        and the candidates of the learned model ask about the same words."""
        key = (token.i, agent)
        found = self._at.get(key)
        if found is None:
            found = self._at[key] = self._at_uncached(token, agent)
        return found

    def _at_uncached(self, token: Token, agent: bool) -> tuple[dict[str, Any] | None, int]:
        token_r = grammar.resolve_relative(token)
        indirect = int(token_r.i != token.i)
        if token_r.lemma_.lower() in self.not_participants:
            return None, 0  # laboratories, airstrips, weapons: neither agents nor markets (decision 26)
        m = self.by_token.get(token_r.i)
        if agent and (m is None or m["generic"]) and token_r.tag_ in ("NNS", "NNPS"):
            organisation = self._organisation_of(token_r)
            if organisation is not None:
                return organisation, 1
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
            if m["type"] == "Market" and token_r.lemma_.lower() in self.market_anaphors:
                earlier = self._market_antecedent(token_r, m)
                if earlier is not None:
                    return earlier, 1
            if m["generic"] and token_r.dep_ == "appos":  # "the Ochoa Vela clan, a family network that …"
                named_head = self.by_token.get(token_r.head.i)
                if named_head is not None and not named_head["generic"] and named_head["type"] == m["type"]:
                    return named_head, 1
            if m["generic"]:
                equated = self._equated_name(token_r, m)
                if equated is not None:
                    return equated, indirect
                # "Shining Path rebels attacked" → the group (acting as it, decision 8); "killed two Shining Path
                # fighters" → the fighters, acted upon
                named = (self._named_modifier_for(token_r, m) if agent else None) or self._named_by(token_r)
                if named is not None:
                    return named, indirect
                earlier = self._antecedent(token_r, m)
                if earlier is not None:
                    return earlier, 1
            return m, indirect
        if m is None and token_r.lemma_.lower() in self.market_anaphors:  # "the paste", with no label of its own
            earlier = self._market_antecedent(token_r, None)
            if earlier is not None:
                return earlier, 1
        if m is None and token_r.i in self.place_words:
            earlier = self._place_antecedent(token_r)
            if earlier is not None:
                return earlier, 1
        if token_r.pos_ == "PRON":
            if token_r.lower_ in ("them", "those", "some", "many", "most", "all") or token_r.dep_ == "nsubj":
                inner = self._of_object(token_r, allow_market=False)
                if inner is not None:
                    return inner, 1
            found = grammar.resolve_pronoun(token_r, self.mentions)
            return (self._name_of(found) or found) if found is not None else None, 1
        for child in token_r.children:  # "Its founder, Abimael Guzmán, ..."
            if child.dep_ == "appos" and child.i in self.by_token:
                return self.by_token[child.i], 1
        if token_r.lemma_.lower() in self.anaphors and any(c.lower_ == "the" for c in token_r.children):
            earlier = self._antecedent(token_r, None)
            return earlier or grammar.resolve_pronoun(token_r, self.mentions, anaphor=True), 1
        if token_r.lemma_.lower() in self.institutions and any(c.lower_ == "the" for c in token_r.children):
            earlier = self._antecedent(token_r, None, same_head_only=True)
            if earlier is not None:
                return earlier, 1
        if token_r.lemma_.lower() in self.anaphors and any(
                c.dep_ == "poss" and (self.by_token.get(c.i) or {}).get("type") in grammar.PERSON_TYPES
                for c in token_r.children):  # "Vuković's organisation": the group named before, not Vuković
            earlier = self._latest_group(token_r)
            if earlier is not None:
                return earlier, 1
        named = self._named_modifier(token_r, pronouns=False) or self._named_by(token_r)
        if named is not None:
            return named, 1
        inner = self._of_object(token_r, allow_market=False,  # "the highlands of Ayacucho", "the province of Atalaya"
                                allow_place=token_r.lemma_.lower() in self.place_partitives or token_r.i in self.place_words)
        if inner is not None:
            return inner, 1
        return None, 0

    def _place_antecedent(self, token: Token) -> dict[str, Any] | None:
        """"the valley", "the province" after "the Monzón valley", "Padre Abad province": that place."""
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children) or \
                any(c.dep_ in ("compound", "amod", "poss") for c in token.children):
            return None
        word = fold(token.text)
        cls = self.place_words[token.i]
        same_word = same_class = None
        for other in self.mentions:
            if other["start"] >= token.i:
                break
            if other["type"] != "Place":
                continue
            if word in fold(other["text"]).split():
                same_word = other
            elif other["class"] == cls:
                same_class = other
        return same_word or same_class

    def _market_antecedent(self, token: Token, m: dict[str, Any] | None) -> dict[str, Any] | None:
        """"the drugs", "the paste", "the cargo" after "cocaine base paste": that commodity (decision 10)."""
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in token.children):
            return None
        if m is not None and m["end"] - m["start"] > 1:
            return None
        head = token.lemma_.lower()
        same_head = latest = None
        for other in self.mentions:
            if other["start"] >= token.i:
                break
            same_word = self.doc[other["end"] - 1].lemma_.lower() == head and other["end"] - other["start"] > 1
            if other["type"] != "Market" or (m is not None and other["iri"] == m["iri"] and not same_word):
                continue  # "the drugs" after "drugs"; but "the paste" after "cocaine base paste" is that
            if self.doc[other["start"]:other["end"]].root.lemma_.lower() in self.market_anaphors and \
                    other["end"] - other["start"] == 1:
                continue  # another bare "drug"
            latest = other
            if self.doc[other["end"] - 1].lemma_.lower() == head:
                same_head = other
        return same_head or latest

    def _organisation_of(self, token: Token) -> dict[str, Any] | None:
        """The named organisation that members belong to: "agents of DIRANDRO", "CORAH teams",
        "a column of Shining Path rebels", "eradication teams from CORAH"."""
        for child in token.children:
            if child.dep_ == "compound" and child.i < token.i:
                m = self.by_token.get(child.i)
                if m is not None and not m["generic"] and m["type"] in _ORGANISATIONS:
                    return m
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for obj in child.children:
                    m = self.by_token.get(obj.i)
                    if obj.dep_ == "pobj" and m is not None and not m["generic"] and m["type"] in _ORGANISATIONS:
                        return m
            if child.dep_ == "poss" and child.lower_ in ("its", "their"):  # "DIRANDRO said its agents seized"
                m = grammar.resolve_pronoun(child, self.mentions)
                if m is not None and m["type"] in _ORGANISATIONS:
                    equated = self._equated_name(self.doc[m["end"] - 1], m) if m["generic"] else None
                    return equated or m
        return None

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
        """"the pilots, Rubén Chávez Mera and Luis Alberto Gonzales Pinchi"; "three firms, A, B and C"
        (the parser often takes such a list for a coordination after the comma)."""
        names = []
        children = list(token.children)
        for prep in children:  # "the mayor of the district of Sechura, Jacinto Ipanaqué": the name hangs on the place
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.subtree:
                    place = self.by_token.get(obj.i)
                    if obj.dep_ == "pobj" and place is not None and place["type"] == "Place":
                        children += [c for c in obj.children if c.dep_ == "appos" and self._is_person(c)]
        for child in children:
            after_comma = child.dep_ == "conj" and child.i > 0 and token.doc[child.left_edge.i - 1].text == ","
            if child.dep_ == "appos" or after_comma:
                for t in (child, *child.conjuncts):
                    m = self.by_token.get(t.i)
                    if m is not None and not m["generic"] and m["type"] not in ("Place", "Market"):
                        names.append(m)
        return names

    def _name_of(self, m: dict[str, Any]) -> dict[str, Any] | None:
        """The name a singular description is given where it stands: "The clan's alleged leader, Segundo Valqui
        Torres, … He has denied …" → he is Segundo Valqui Torres, not "alleged leader"."""
        if not m["generic"] or m["plural"]:
            return None
        head = self.doc[m["end"] - 1]
        person = m["type"] in grammar.PERSON_TYPES
        names = [*filter(None, (self._equated_name(head, m),)), *self._appositive_names(head),
                 *filter(None, (self._named_by(head),))]
        return next((n for n in names if (n["type"] in grammar.PERSON_TYPES) == person), None)

    def _is_person(self, token: Token) -> bool:
        m = self.by_token.get(token.i)
        return m is not None and not m["generic"] and m["type"] in grammar.PERSON_TYPES

    def _of_object(self, token: Token, allow_market: bool, allow_place: bool = False) -> dict[str, Any] | None:
        """"a column of Shining Path rebels", "members of the clan", "400 kilograms of cocaine"."""
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ != "pobj":
                        continue
                    inner = self.by_token.get(obj.i)
                    if inner is None and obj.pos_ == "PRON":
                        return grammar.resolve_pronoun(obj, self.mentions)
                    if inner is None and obj.lemma_.lower() in self.partitives:
                        inner = self._of_object(obj, allow_market, allow_place) or next(
                            (self.by_token[c.i] for c in obj.children  # "480 kilograms of gold bars"
                             if c.dep_ == "compound" and c.i in self.by_token
                             and self.by_token[c.i]["type"] == "Market"), None)
                    if inner is not None and (allow_place or inner["type"] != "Place") and \
                            (allow_market or inner["type"] != "Market"):
                        named_inner = self._named_modifier(obj) if inner["generic"] else None
                        return named_inner or inner
        return None

    def _latest_group(self, token: Token) -> dict[str, Any] | None:
        """The latest criminal group mentioned before ``token``."""
        found = None
        for other in self.mentions:
            if other["start"] >= token.i:
                break
            if other["type"] == "CriminalGroup":
                found = other
        return found

    def _equated_name(self, token: Token, m: dict[str, Any]) -> dict[str, Any] | None:
        """A description the sentence equates with a named mention of the same type: "Brazil's most powerful
        criminal organisation, the First Capital Command"; "the PCC had become the dominant criminal group"."""
        def named(t: Token | None) -> dict[str, Any] | None:
            other = self.by_token.get(t.i) if t is not None else None
            ok = other is not None and not other["generic"] and other["type"] == m["type"] and other is not m
            return other if ok else None
        for child in token.children:
            if child.dep_ == "appos" and named(child) is not None:
                return named(child)
        if token.dep_ == "attr" and token.head.lemma_.lower() in ("be", "become", "remain"):
            return named(next((c for c in token.head.children if c.dep_ == "nsubj"), None))
        return None

    def _antecedent(self, token: Token, m: dict[str, Any] | None, same_head_only: bool = False
                    ) -> dict[str, Any] | None:
        """"the clan", "the faction", "the mayor" after a named one: the latest named mention whose head
        word is the same ("Ochoa Vela clan"), else of the same ontology class (guidelines, decision 10)."""
        plural = token.tag_ in ("NNS", "NNPS")
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in token.children):
            return None
        if plural and (m is None or m["type"] != "CriminalGroup"):
            return None  # "the rebels" refer back to the group named before; "the officers" stay as they are
        if m is not None and m["end"] - m["start"] > 1:
            return None  # "the Sinaloa cartel" names; only a bare class word refers back
        if any(c.dep_ in ("compound", "amod", "poss", "appos") or (c.dep_ == "prep" and c.lower_ == "of")
               for c in token.children):
            return None  # "the owner of the ranch, Germán Suárez Vaca" describes someone new
        head = token.lemma_.lower()
        # "the man", "the official": the class Person or PublicOfficial itself is too broad to pick one person
        broad = m is not None and m["type"] in grammar.PERSON_TYPES and m["class"].rsplit("#", 1)[-1] == m["type"]
        same_head = same_class = named_group = None
        for other in self.mentions:
            if other["start"] >= token.i:
                break
            if other["type"] in ("Place", "Market") or other["plural"]:
                continue
            longer = other["end"] - other["start"] > 1
            if other["generic"]:  # "a drug trafficking network" … "the network"; "a notary, G. Ledesma" … "the notary"
                if self.doc[other["end"] - 1].lemma_.lower() == head:
                    earlier_head = self.doc[other["end"] - 1]
                    names = self._appositive_names(earlier_head) or [
                        n for n in (self._named_by(earlier_head),) if n is not None]
                    if names:  # "the captain, identified as Renato Gallegos" … "the captain"
                        same_head = names[0]
                    elif longer:
                        same_head = other
                continue
            if self.doc[other["end"] - 1].lemma_.lower() == head:
                same_head = other
            elif m is not None and other["class"] == m["class"] and not broad:
                same_class = other
            if other["type"] == "CriminalGroup":
                named_group = other
        if same_head_only:
            return same_head
        if m is None:  # "the group", "the organisation": no class word of its own
            return same_head or named_group
        if m["type"] == "CriminalGroup" and head in self.anaphors:  # "the gang" after "Los Topos del Porvenir"
            return same_head or same_class or named_group
        return same_head or same_class

    def _named_modifier(self, token: Token, pronouns: bool = True) -> dict[str, Any] | None:
        """"Shining Path rebels", "the clan's gunmen", "its fighters" (``pronouns``: not "their fields")."""
        for child in token.children:
            if child.dep_ in ("compound", "poss") and child.i < token.i:
                m = self.by_token.get(child.i)
                if m is not None and not m["generic"] and m["type"] not in ("Place", "Market"):
                    return m
                if pronouns and child.dep_ == "poss" and child.pos_ == "PRON":
                    return grammar.resolve_pronoun(child, self.mentions)
        return None

    def _named_modifier_for(self, token: Token, m: dict[str, Any]) -> dict[str, Any] | None:
        """A person-type role keeps its own mention: "the Public Ministry's prosecutors" are prosecutors; an
        organisation is not the person who owns or runs it: "Vuković's organisation" is the organisation."""
        if m["type"] in grammar.PERSON_TYPES:
            return None
        named = self._named_modifier(token)
        if named is not None and named["type"] in grammar.PERSON_TYPES and m["type"] in _ORGANISATIONS:
            return None
        return named

    def expand(self, token: Token, conjuncts: bool = True, agent: bool = False) -> list[tuple[dict[str, Any], int]]:
        """The token's mentions and those of its coordinated members ("police and military")."""
        out: list[tuple[dict[str, Any], int]] = []
        seen: set[int] = set()
        for t in [token, *(token.conjuncts if conjuncts else ())]:
            if t.i in seen:
                continue
            seen.add(t.i)
            m, indirect = self.at(t, agent=agent)
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
            for member in self._members(t):  # "six suspects, including X"; "27 people, among them X"
                if member.i not in seen:
                    seen.add(member.i)
                    found, ind = self.at(member)
                    if found is not None:
                        out.append((found, ind + 1))
        return out

    def _members(self, token: Token) -> list[Token]:
        if not any(token.i < j <= token.right_edge.i + 12 for j in self.listing):
            return []  # no "including"/"among" near: nothing is listed
        members = []
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("including", "among"):
                members += [o for o in child.children if o.dep_ == "pobj" and o.pos_ != "PRON"]
        after = token.right_edge.i
        for t in (*token.children, *token.head.children):  # the parser hangs "among them X" on X
            if t.i == token.i:
                continue
            for p in t.children:
                if p.dep_ == "prep" and p.lower_ == "among" and after < p.i <= after + 2 and \
                        any(o.lower_ in ("them", "those") for o in p.children):
                    members.append(t)
        # "charged 17 people with extortion, among them Polo's brother, Kevin Polo Quiroz, and two guards":
        # "among them" on the verb, the members as its second object or the verb's next object
        verb = token.head
        verb_children = list(verb.children) if token.dep_ in ("dobj", "nsubjpass", "nsubj") else []
        objects = [c for c in verb_children if c.dep_ == "dobj"]
        listed = token.dep_ in ("dobj", "nsubjpass") or (token.dep_ == "nsubj" and not objects)
        if listed and verb.pos_ in ("VERB", "AUX") and (not objects or objects[0].i == token.i):
            for p in verb_children:
                if p.dep_ != "prep" or p.lower_ != "among" or p.i < after or \
                        not any(o.lower_ in ("them", "those") for o in p.children):
                    continue
                members += [o for o in p.children if o.dep_ == "pobj" and o.lower_ not in ("them", "those")]
                members += [c for c in verb_children if c.dep_ in ("dobj", "appos", "npadvmod") and c.i > p.i]
        out = []
        for m in members:
            for x in (m, *m.conjuncts):
                names = [a for a in x.children if a.dep_ == "appos" and a.pos_ == "PROPN"]
                out += names or [x]  # "Polo's younger brother, Kevin Polo Quiroz": the name
                out += [c for n in names for c in n.conjuncts]
        return out
