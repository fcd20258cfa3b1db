"""The ontology-driven gazetteer: every label and altLabel of the ontology, matched in text.

Matching is case-, accent- and number-insensitive: a token's match key is its
folded text, or its folded lemma for plural nouns ("Cártels" and "cartel" meet
at "cartel"). ``arcon_normalizer`` writes that key into ``token.norm_`` after
the statistical components have run (NER reads the norm, so it must not run
before), and a :class:`~spacy.matcher.PhraseMatcher` on ``NORM`` finds the
names. The label phrases are normalised with the same tagger and lemmatiser,
once per ontology version: the result is cached (see :mod:`kg.extract.lexicon`).

Each match becomes a span in ``doc.spans["arcon_gazetteer"]`` whose label
encodes what the ontology says of the name (see :func:`encode_name`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.extract.lexicon import load_lexicon, read_cache, write_cache
from kg.ontology.gazetteer_data import Lexicon, Name
from kg.rdf.iris import fold

SPANS_KEY = "arcon_gazetteer"
_PLURAL_TAGS = {"NNS", "NNPS"}
# Components whose output the normalised key depends on (tags and lemmas).
_NORM_INPUTS = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")
# Part of the pattern cache's name: bump it when compile_patterns changes what it makes of the same labels.
_PATTERNS_VERSION = 2


def token_key(token: Token) -> str:
    """The match key of a token: folded lemma for plural nouns, else folded text."""
    if token.tag_ in _PLURAL_TAGS and token.lemma_:
        key = fold(token.lemma_)
        if token.tag_ == "NNPS" and key == fold(token.text) and key.endswith("s") and len(key) > 3:
            key = key[:-1]  # the lemmatiser keeps capitalised plurals ("Cartels") as they are
        return key
    return fold(token.text)


@Language.component("arcon_normalizer")
def normalizer(doc: Doc) -> Doc:
    """Write each token's match key into ``token.norm_`` (after NER, which reads NORM)."""
    for token in doc:
        token.norm_ = token_key(token)
    return doc


@dataclass(frozen=True, slots=True)
class Match:
    """What a gazetteer span says: decoded from the span label."""

    kind: str  # "individual" | "class"
    type: str
    cls: str
    iri: str


def encode_name(name: Name) -> str:
    return "\t".join((name.kind, name.type, name.cls, name.iri))


def decode_label(label: str) -> Match:
    kind, type_, cls, iri = label.split("\t")
    return Match(kind, type_, cls, iri)


def _preferred(names: list[Name]) -> Name:
    """One name per phrase: an individual beats a class; English beats Spanish; then IRI order."""
    return min(names, key=lambda n: (n.kind != "individual", n.lang not in ("en", None), n.iri))


def _normalise_phrases(nlp: Language, phrases: list[str]) -> list[list[list[str]]]:
    """Run the label phrases through the same tokenizer, tagger and lemmatiser as the text: each phrase's
    keys, and its folded words when they differ (a name alone may be tagged as a plural, "Iquitos" → "iquito",
    where running text has it as a singular name)."""
    steps = [proc for name, proc in nlp.pipeline if name in _NORM_INPUTS]
    docs = [nlp.make_doc(p) for p in phrases]
    for proc in steps:
        docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
    out = []
    for d in docs:
        keys, words = [token_key(t) for t in d], [fold(t.text) for t in d]
        out.append([keys] if keys == words else [keys, words])
    return out


def compile_patterns(nlp: Language, lexicon: Lexicon) -> list[tuple[list[str], str]]:
    """(normalised tokens, encoded name) for every label; plural variants when there is no tagger."""
    by_label: dict[str, list[Name]] = {}
    for name in lexicon.names:
        by_label.setdefault(name.label, []).append(name)
    labels = sorted(by_label)
    keys = _normalise_phrases(nlp, labels)
    has_tagger = any(name in ("tagger", "morphologizer") for name in nlp.pipe_names)
    grouped: dict[tuple[str, ...], list[Name]] = {}
    for label, forms in zip(labels, keys):
        key = forms[0]
        variants = [tuple(form) for form in forms]
        if not has_tagger and key and not key[-1].endswith("s"):
            variants.append(tuple(key[:-1]) + (key[-1] + "s",))  # rules-only: crude plural
        for variant in dict.fromkeys(variants):
            if variant:
                grouped.setdefault(variant, []).extend(by_label[label])
    return [(list(k), encode_name(_preferred(v))) for k, v in sorted(grouped.items())]


def _model_id(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}-{'-'.join(nlp.pipe_names)}"


class Gazetteer:
    """Find ontology names in a doc; spans go to ``doc.spans["arcon_gazetteer"]``."""

    def __init__(self, nlp: Language, name: str, ontology_dir: str | None):
        self.name = name
        lexicon, key = load_lexicon(ontology_dir)
        self.lexicon_key = key
        cache_name = f"patterns-v{_PATTERNS_VERSION}-{key[:16]}-{fold(_model_id(nlp)).replace(' ', '_')}.json"
        patterns = read_cache(cache_name)
        if patterns is None:
            patterns = compile_patterns(nlp, lexicon)
            write_cache(cache_name, patterns)
        self.lexicon = lexicon
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.keys: set[tuple[str, ...]] = set()
        self._add(nlp, patterns)

    def _add(self, nlp: Language, patterns: list[tuple[list[str], str]]) -> int:
        by_label: dict[str, list[Doc]] = {}
        for words, label in patterns:
            if tuple(words) in self.keys:
                continue
            self.keys.add(tuple(words))
            pattern = Doc(nlp.vocab, words=words)
            for token, word in zip(pattern, words):
                token.norm_ = word
            by_label.setdefault(label, []).append(pattern)
        for label, docs in by_label.items():
            self.matcher.add(label, docs)
        return sum(len(docs) for docs in by_label.values())

    def learn(self, nlp: Language, names: Iterable[Name]) -> int:
        """Also find ``names`` from now on (aliases stated in stored articles); returns how many phrases are new.

        A phrase the ontology (or an earlier call) already names keeps that meaning.
        """
        names = tuple(names)
        if not names:
            return 0
        extra = Lexicon(names, self.lexicon.class_types, self.lexicon.relations,
                        self.lexicon.unspecified_agent, self.lexicon.coarse_classes)
        return self._add(nlp, compile_patterns(nlp, extra))

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)]
        doc.spans[SPANS_KEY] = filter_spans(spans)  # longest wins, then leftmost
        return doc


@Language.factory("arcon_gazetteer", default_config={"ontology_dir": None})
def make_gazetteer(nlp: Language, name: str, ontology_dir: str | None) -> Gazetteer:
    return Gazetteer(nlp, name, ontology_dir)
