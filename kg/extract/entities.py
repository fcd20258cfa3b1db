"""Entity typing and linking: gazetteer hits, role mentions and NER spans → typed, linked mentions.

Order of evidence, strongest first:

1. a reference name from the ontology (gazetteer individual) → its curated IRI;
2. a noun phrase whose head is an ontology class label ("the Sinaloa cartel",
   "police chiefs", "the Sánchez Paredes clan") → that class; named when a
   proper noun modifies a singular head, else a role mention ("judges");
3. a statistical NER span (PERSON, GPE/LOC/FAC, ORG) refined by context: a
   title class before it ("Mayor X"), an apposition ("X, the mayor of Y");
   an ORG with no typing evidence is left out rather than guessed.

Then, inside the document: aliases stated in the text ("X, alias Y", "X, known
as Y") attach Y to X's entity; short forms ("Ramírez" after "Luis Ramírez", or a
part of a stated alias) reuse the earlier entity's IRI.

IRIs: a reference IRI when the ontology knows the name, else
``entity_iri(type, canonical name)``, where the canonical name is the first full
mention in the document (for a role mention, its normalised lemmas, so that
"judge" and "judges" meet). Aliases are recorded on the entity (``aliases``);
the KG build stores them as ``skos:altLabel``, and ``arcon ingest`` teaches the
gazetteer the aliases stored articles stated (``Gazetteer.learn``,
``kg.ingest.aliases``), so that a later article naming only the alias reaches
the same entity.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.extract.gazetteer import SPANS_KEY, decode_label
from kg.extract.lexicon import load_lexicon
from kg.ontology.gazetteer_data import Lexicon
from kg.rdf.iris import entity_iri, fold

if not Doc.has_extension("arcon_entities"):
    Doc.set_extension("arcon_entities", default=None)

_PERSON_TYPES = {"Person", "PublicOfficial"}
_MODIFIER_DEPS = {"compound", "amod", "nmod", "npadvmod"}
_NER_PLACE = {"GPE", "LOC", "FAC"}
_ALIAS_CUES = (("alias",), ("aka",), ("a.k.a.",), ("known", "as"), ("also", "known", "as"), ("better", "known", "as"),
               ("nicknamed",), ("dubbed",))
# Quantifiers and evaluative or temporal words before a role noun are not part of it (guidelines, decision 5).
_NOT_PART_OF_THE_NAME = {"several", "many", "some", "few", "numerous", "various", "other", "former", "ex", "corrupt",
                         "dozens", "hundreds", "thousands", "most", "all", "both", "certain", "senior"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"}


def _strip_determiners(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end - 1 and (doc[start].lower_ in _DETERMINERS or doc[start].is_punct):
        start += 1
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"):
        end -= 1
    return start, end


def _phrase_start(token: Token) -> int:
    """Left edge of the noun phrase headed by ``token``: its modifiers, not its determiner."""
    start = token.i
    for child in reversed(list(token.lefts)):  # nearest first; stop at the first word that is not a modifier
        if child.tag_ in ("VBG", "VBD") or child.tag_ == "CD" or child.lower_ in _NOT_PART_OF_THE_NAME:
            break
        if child.dep_ in _MODIFIER_DEPS or (child.dep_ == "punct" and child.text == "-"):
            start = min(start, child.left_edge.i)
        elif child.dep_ not in ("det", "poss", "predet", "nummod", "quantmod", "punct"):
            break
    return start


class EntityTyper:
    def __init__(self, nlp: Language, name: str, ontology_dir: str | None):
        self.name = name
        self.lexicon: Lexicon = load_lexicon(ontology_dir)[0]
        self.coarse_class = self.lexicon.coarse_classes

    def _class_of(self, coarse: str) -> str:
        return self.coarse_class.get(coarse, "")

    def __call__(self, doc: Doc) -> Doc:
        doc._.arcon_entities = find_mentions(doc, self.coarse_class)
        return doc


def _mention(doc: Doc, start: int, end: int, type_: str, cls: str, iri: str | None, source: str,
             label: str | None = None, generic: bool = False) -> dict[str, Any]:
    span = doc[start:end]
    text = span.text
    name = label or text
    if iri is None:
        key = " ".join(t.norm_ for t in span) if generic else name
        iri = entity_iri(type_, key)
    return {
        "start": start, "end": end, "start_char": span.start_char, "end_char": span.end_char,
        "text": text, "type": type_, "class": cls, "iri": iri, "label": name, "aliases": [],
        "source": source, "generic": generic, "plural": span[-1].tag_ in ("NNS", "NNPS"),
    }


def find_mentions(doc: Doc, coarse_class: dict[str, str]) -> list[dict[str, Any]]:
    """All typed, linked mentions of a parsed doc, sorted by position (see the module doc)."""
    taken = [False] * len(doc)
    mentions: list[dict[str, Any]] = []
    titles: dict[int, tuple[str, str]] = {}  # token index of a person name's head -> (type, class)

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    def add(m: dict[str, Any]) -> None:
        mentions.append(m)
        for i in range(m["start"], m["end"]):
            taken[i] = True

    gaz = [(s, decode_label(s.label_)) for s in doc.spans.get(SPANS_KEY, [])]
    gaz = [(s, m) for s, m in gaz if not (m.type == "Market" and _inside_name(doc, s))]
    for span, match in gaz:
        if match.kind == "individual":
            add(_mention(doc, span.start, span.end, match.type, match.cls, match.iri, "gazetteer"))
        elif match.kind == "alias":  # stated in a stored article ("X, alias Y"): Y is X here too
            add(_mention(doc, span.start, span.end, match.type, match.cls, match.iri, "stored-alias"))

    person_tokens = {t.i for e in doc.ents if e.label_ == "PERSON" for t in e}
    class_heads = {s[-1].i for s, m in gaz if m.kind == "class" and m.type in _PERSON_TYPES}
    for span, match in gaz:
        if match.kind != "class" or not free(span.start, span.end) or match.type == "Place":
            continue
        head = span[-1]
        if match.type in _PERSON_TYPES and head.dep_ == "compound" and head.head.i in person_tokens:
            titles[head.head.i] = (match.type, match.cls)  # "Mayor Juan Quispe"
            continue
        if head.i + 1 < len(doc) and doc[head.i + 1].i in person_tokens and match.type in _PERSON_TYPES \
                and head.is_title:
            titles[doc[head.i + 1].i] = (match.type, match.cls)
            continue
        ent = _named_ent_around(doc, head)
        if ent is not None and match.type not in _PERSON_TYPES:
            for t in ent:  # "the Mafia de la Cocaína": the class word names the group, the NER span is the name
                titles[t.i] = (match.type, match.cls)
            continue
        phrase_head = head
        if head.dep_ == "compound" and head.head.pos_ in ("NOUN", "PROPN") and head.head.i > head.i \
                and match.type == "StateInstitution":
            phrase_head = head.head  # "army patrol", "military leaders": typed by the modifier
            if not free(phrase_head.i, phrase_head.i + 1) or phrase_head.i in class_heads:
                continue  # "army captain": the head noun's own class wins
        start, end = _strip_determiners(doc, min(_phrase_start(phrase_head), span.start), phrase_head.i + 1)
        if not free(start, end):
            start = span.start
        start = _after_line_break(doc, start, end)
        proper = any(t.tag_ in ("NNP", "NNPS") and t.ent_type_ != "NORP" for t in doc[start:phrase_head.i])
        generic = not proper or phrase_head.tag_ in ("NNS", "NNPS")
        add(_mention(doc, start, end, match.type, match.cls, None, "class", generic=generic))

    examples = _example_classes(doc, mentions)
    typed_orgs: dict[str, tuple[str, str]] = {}
    people: list[tuple[set[str], str, str]] = []  # names of the people met so far, with type and class
    for ent in doc.ents:
        start, end = _strip_determiners(doc, ent.start, ent.end)
        start = _after_line_break(doc, start, end)
        if not free(start, end):
            continue
        if ent.root.i in examples and ent.label_ not in ("DATE", "CARDINAL", "MONEY", "QUANTITY", "PERCENT"):
            type_, cls = examples[ent.root.i]  # "cartels like the Shining Path"
            add(_mention(doc, start, end, type_, cls, None, "ner"))
        elif ent.label_ == "PERSON":
            title = _title_for(doc, start, end, titles, gaz)
            type_, cls = title or ("Person", coarse_class.get("Person", ""))
            while start < end - 1 and doc[start].i in _title_tokens(gaz):
                start += 1
            while end < len(doc) and doc[end].tag_ == "NNP" and doc[end].is_title and doc[end - 1].head.i == end \
                    and free(end, end + 1):
                end += 1  # "Lorenzo Pacaya" + "Mahua": NER stops before a second surname
            add(_mention(doc, start, end, type_, cls, None, "ner"))
            people.append((set(fold(doc[start:end].text).split()), type_, cls))
        elif ent.label_ in ("ORG", "NORP", "GPE", "LOC", "FAC") and _surname_of(doc[start:end], people):
            # NER often takes a Spanish surname alone for a place or a group ("Benites", "Tuesta")
            type_, cls = _surname_of(doc[start:end], people)
            add(_mention(doc, start, end, type_, cls, None, "ner"))
        elif ent.label_ in _NER_PLACE:
            add(_mention(doc, start, end, "Place", coarse_class.get("Place", ""), None, "ner"))
        elif ent.label_ in ("ORG", "NORP", "FAC") and any(i in titles for i in range(start, end)):
            type_, cls = next(titles[i] for i in range(start, end) if i in titles)
            add(_mention(doc, start, end, type_, cls, None, "ner"))
        elif ent.label_ == "NORP" and _demonym_as_noun(doc[start:end]):
            # "arrested two Colombians and a Mexican": people of that nationality, unnamed (a role mention)
            add(_mention(doc, start, end, "Person", coarse_class.get("Person", ""), None, "ner", generic=True))
        elif ent.label_ == "ORG":
            typed = _appositive_class(doc[start:end], gaz) or typed_orgs.get(fold(doc[start:end].text))
            if typed:
                typed_orgs.setdefault(fold(doc[start:end].text), typed)  # "FENACOKA" again, later on
                add(_mention(doc, start, end, typed[0], typed[1], None, "ner"))

    places = {i for m in mentions if m["type"] == "Place" for i in range(m["start"], m["end"])}
    for start, end in _appositive_names(doc, taken, places) + _names_by_role(doc, taken):
        # "the head of DIRANDRO, General Ricardo Taipe", "led by Alcides Tapullima Ruiz", missed by NER
        add(_mention(doc, start, end, "Person", coarse_class.get("Person", ""), None, "ner"))

    mentions.sort(key=lambda m: m["start"])
    _places_in_coordination(doc, mentions, coarse_class.get("Place", ""))
    _names_listed_after_a_class(doc, mentions)
    _link_aliases(doc, mentions)
    _link_short_forms(mentions)
    return mentions


def _demonym_as_noun(span) -> bool:
    """A nationality word standing as a noun phrase of its own ("two Colombians", "a Mexican", "the
    Peruvians"), not a modifier ("Mexican cartels") or part of a name."""
    head = span.root
    return len(span) == 1 and head.pos_ in ("PROPN", "NOUN") and \
        head.dep_ not in ("amod", "compound", "nmod", "poss", "npadvmod", "appos")


def _places_in_coordination(doc: Doc, mentions: list[dict[str, Any]], place_class: str) -> None:
    """A one-word name NER typed as a person, coordinated with a place ("in Beni and Pando"), is a place."""
    by_token = {i: m for m in mentions for i in range(m["start"], m["end"])}
    for m in mentions:
        if m["source"] != "ner" or m["type"] == "Place" or m["end"] - m["start"] != 1:
            continue
        token = doc[m["start"]]
        partners = [by_token.get(t.i) for t in token.conjuncts]
        if partners and all(p is not None and p["type"] == "Place" for p in partners):
            m.update({"type": "Place", "class": place_class, "iri": entity_iri("Place", m["text"])})


def _names_listed_after_a_class(doc: Doc, mentions: list[dict[str, Any]]) -> None:
    """"three Pucallpa firms, Maderas del Oriente, Forestal Yarinacocha and …": the names are firms."""
    by_token = {i: m for m in mentions for i in range(m["start"], m["end"])}
    for m in mentions:
        if not m["generic"] or m["source"] != "class" or m["type"] in _PERSON_TYPES | {"Place", "Market"}:
            continue
        head = doc[m["end"] - 1]
        for child in head.children:
            if child.dep_ not in ("appos", "conj"):
                continue
            for t in (child, *child.conjuncts):
                named = by_token.get(t.i)
                if named is not None and named["source"] == "ner" and named["type"] == "Person" and t.i > head.i:
                    named.update({"type": m["type"], "class": m["class"],
                                  "iri": entity_iri(m["type"], named["label"])})


def _surname_of(span: Span, people: list[tuple[set[str], str, str]]) -> tuple[str, str] | None:
    """(type, class) of an earlier person whose name holds every word of ``span`` (a proper name)."""
    words = set(fold(span.text).split())
    if not words or not all(t.tag_ == "NNP" for t in span):
        return None
    for names, type_, cls in reversed(people):
        if words <= names:
            return type_, cls
    return None


def _appositive_names(doc: Doc, taken: list[bool], places: set[int] = frozenset()) -> list[tuple[int, int]]:
    """Proper-noun phrases in apposition to a common noun that no other evidence covers: people's names.

    The parser often hangs the name on the last place of a role noun's "of" phrase ("the mayor of the
    district of Sechura, Jacinto Ipanaqué Eche"): a name in apposition to a place is a person's too."""
    out = []
    for token in doc:
        if token.dep_ != "appos" or token.tag_ != "NNP" or taken[token.i]:
            continue
        if token.head.pos_ != "NOUN" and not (token.head.i in places and token.head.dep_ == "pobj"):
            continue
        words = [t for t in token.subtree if t.i <= token.i]
        start = words[0].i
        if any(taken[start:token.i + 1]) or token.i - start < 1:
            continue
        if all(t.tag_ == "NNP" and t.is_title for t in doc[start:token.i + 1]):
            out.append((start, token.i + 1))
    return out


_LEADING_VERBS = {"lead", "head", "run", "found", "command", "direct", "chair"}
_SPEAKING_VERBS = {"say", "tell", "add", "explain", "state", "deny", "insist"}


def _names_by_role(doc: Doc, taken: list[bool]) -> list[tuple[int, int]]:
    """Proper names that only a person fills: "led by X (and Y)", "said X"."""
    heads: list[Token] = []
    for token in doc:
        if token.lemma_.lower() in _LEADING_VERBS and token.tag_ == "VBN":
            for agent in token.children:
                if agent.dep_ == "agent":
                    heads += [o for o in agent.children if o.dep_ == "pobj"]
        elif token.lemma_.lower() in _SPEAKING_VERBS:
            heads += [c for c in token.children if c.dep_ == "nsubj" and c.i > token.i]  # "…, said X"
    out = []
    for head in [h for first in heads for h in (first, *first.conjuncts)]:
        start = min(t.i for t in head.subtree if t.i <= head.i and t.dep_ == "compound") if any(
            t.dep_ == "compound" for t in head.lefts) else head.i
        words = doc[start:head.i + 1]
        if 2 <= len(words) <= 4 and all(t.tag_ == "NNP" and t.is_title for t in words) and not any(taken[start:head.i + 1]):
            out.append((start, head.i + 1))
    return out


def _named_ent_around(doc: Doc, head: Token) -> Span | None:
    """The proper-name NER span that a class word modifies from inside ("Mafia" in "Mafia de la Cocaína")."""
    if head.dep_ != "compound" or head.head.tag_ not in ("NNP", "NNPS"):
        return None
    for ent in doc.ents:
        if ent.label_ in ("ORG", "NORP", "FAC") and ent.start <= head.i < ent.end and head.head.i < ent.end:
            return ent
    return None


def _inside_name(doc: Doc, span: Span) -> bool:
    """A commodity word that is part of a longer proper name ("Mafia de la Cocaína", "Cocaine Mafia")."""
    for ent in doc.ents:
        if ent.label_ in ("ORG", "PERSON", "FAC", "NORP", "WORK_OF_ART") and ent.start <= span.start \
                and span.end <= ent.end and len(ent) > len(span):
            words = [t for t in ent if t.lower_ not in _DETERMINERS]
            return all(t.is_title or t.is_upper or t.lower_ in ("de", "del", "la", "los", "las", "of") for t in words)
    return False


def _after_line_break(doc: Doc, start: int, end: int) -> int:
    """A mention never spans a line break (a heading glued to the next line by NER)."""
    for i in range(end - 2, start - 1, -1):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            return i + 1 if "\n" in doc[i].whitespace_ else i + 1
    return start


def _example_classes(doc: Doc, mentions: list[dict[str, Any]]) -> dict[int, tuple[str, str]]:
    """Names given as examples of a typed group: "cartels like X", "groups such as X", "including X"."""
    out: dict[int, tuple[str, str]] = {}
    for m in mentions:
        if not m["generic"] or m["type"] in _PERSON_TYPES | {"Place", "Market"}:
            continue
        head = doc[m["end"] - 1]
        for prep in head.children:
            words = prep.lower_
            if prep.dep_ == "prep" and (words in ("like", "including") or
                                        (words == "as" and prep.i > 0 and doc[prep.i - 1].lower_ == "such")):
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        for t in [obj, *obj.conjuncts]:
                            out[t.i] = (m["type"], m["class"])
    return out


def _title_tokens(gaz: list[tuple[Span, Any]]) -> set[int]:
    return {t.i for s, m in gaz if m.kind == "class" and m.type in _PERSON_TYPES for t in s}


def _title_for(doc: Doc, start: int, end: int, titles: dict[int, tuple[str, str]],
               gaz: list[tuple[Span, Any]]) -> tuple[str, str] | None:
    for i in range(start, end):
        if i in titles:
            return titles[i]
    for span, match in gaz:  # a title inside the NER span: "Mayor Juan Quispe"
        if match.kind == "class" and match.type in _PERSON_TYPES and start <= span.start < end - 1:
            return match.type, match.cls
    return _appositive_class(doc[start:end], gaz, person=True)


def _appositive_class(span: Span, gaz: list[tuple[Span, Any]], person: bool = False) -> tuple[str, str] | None:
    """The class of a role noun in apposition: "X, the mayor of Y" or "the mayor of Y, X"."""
    root = span.root
    candidates = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        candidates.append(root.head)
    for cand in candidates:
        for gspan, match in gaz:
            if match.kind == "class" and gspan[-1].i == cand.i:
                if person and match.type not in _PERSON_TYPES:
                    continue
                if not person and match.type in _PERSON_TYPES | {"Place"}:
                    continue
                return match.type, match.cls
    return None


def _alias_after(doc: Doc, end: int) -> tuple[int, int] | None:
    """Token range of the name after an alias cue that follows position ``end``."""
    i = end
    if i + 2 < len(doc) and doc[i].text == "(" and (doc[i + 1].is_title or doc[i + 1].is_upper):
        k = i + 1
        while k < len(doc) and doc[k].text != ")" and k - i < 8:
            k += 1
        if k < len(doc) and doc[k].text == ")":
            return i + 1, k  # "the Shining Path (Sendero Luminoso)"
    if i < len(doc) and doc[i].text in (",", "("):
        i += 1
    for cue in _ALIAS_CUES:
        if tuple(t.lower_ for t in doc[i:i + len(cue)]) == cue:
            j = i + len(cue)
            while j < len(doc) and doc[j].is_quote:
                j += 1
            k = j
            while k < len(doc) and (doc[k].is_title or doc[k].is_upper or
                                    (doc[k].lower_ in ("de", "del", "la", "los") and k + 1 < len(doc)
                                     and doc[k + 1].is_title)) and not doc[k].is_punct:
                k += 1
            return (j, k) if k > j else None
    return None


def _link_aliases(doc: Doc, mentions: list[dict[str, Any]]) -> None:
    """"X, alias Y": Y becomes a mention of X's entity and is recorded in X's aliases."""
    added: list[dict[str, Any]] = []
    for m in mentions:
        if m["type"] in ("Place", "Market") or (m["generic"] and (m["plural"] or m["type"] in _PERSON_TYPES)):
            continue
        found = _alias_after(doc, m["end"])
        if not found:
            continue
        start, end = found
        alias = doc[start:end].text
        if fold(alias) == fold(m["label"]):
            continue
        if m["generic"]:  # "a clan, known as Los Cuñados": the description names that group
            m.update(generic=False, label=alias, iri=entity_iri(m["type"], alias))
        else:
            m["aliases"].append(alias)
        existing = [x for x in mentions if x["start"] < end and start < x["end"] and x is not m]
        for x in existing:  # the alias was already found as a name of its own
            mentions.remove(x)
        alias_mention = dict(m, start=start, end=end, start_char=doc[start].idx,
                             end_char=doc[end - 1].idx + len(doc[end - 1]), text=alias, aliases=[], source="alias")
        added.append(alias_mention)
    mentions.extend(added)
    mentions.sort(key=lambda x: x["start"])


def _link_short_forms(mentions: list[dict[str, Any]]) -> None:
    """A later named mention whose words are part of an earlier name or alias takes its entity."""
    known: list[tuple[set[str], dict[str, Any]]] = []
    for m in mentions:
        if m["generic"] or m["source"] == "gazetteer":
            if m["source"] == "gazetteer":
                known.append(({w for w in fold(m["text"]).split()}, m))
            continue
        words = set(fold(m["text"]).split())
        for names, earlier in reversed(known):
            compatible = earlier["type"] == m["type"] or {earlier["type"], m["type"]} <= _PERSON_TYPES
            # NER often takes a Spanish surname alone for a place ("charged Saavedra"): a word of an
            # earlier person's name is that person
            surname = m["type"] == "Place" and earlier["type"] in _PERSON_TYPES and len(words) == 1 \
                and m["source"] == "ner"
            if words and words <= names and (compatible and m["type"] != "Place" or surname) \
                    and earlier["iri"] != m["iri"]:
                for key in ("type", "class", "iri", "label"):
                    m[key] = earlier[key]
                m["source"] = "coref"
                break
        else:
            names = set(fold(m["text"]).split())
            for alias in m["aliases"]:
                known.append((set(fold(alias).split()), m))
            known.append((names, m))


@Language.factory("arcon_entities", default_config={"ontology_dir": None})
def make_entity_typer(nlp: Language, name: str, ontology_dir: str | None) -> EntityTyper:
    return EntityTyper(nlp, name, ontology_dir)
