"""The hand-annotated gold standard agrees with the corpus and the guidelines.

Checks what a typo would break: every gold file has an article, every claim's
sentence is in the article and its participants are in the sentence (or, for a
pronoun antecedent, earlier in the article), every name is from the contract.
Then the mechanical part of the guidelines' Decisions (docs/annotation-
guidelines.md): whole sentences, participants that resolve to entity lines,
one type per name, relation signatures, no duplicates, no unused generic lines.
The checks are functions returning messages, so that broken copies can show
what each one catches.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
GOLD = ROOT / "examples" / "gold"

TYPES = {"CriminalGroup", "StateInstitution", "PublicOfficial", "Person", "Company",
         "InternationalOrganization", "NGO", "VictimGroup", "Place", "Market"}
RELATIONS = {"operatesIn", "engagesIn", "cooperatesWith", "memberOf", "leads", "bribes",
             "colludesWith", "protects", "arrests", "investigates", "combats", "kills",
             "kidnaps", "extorts", "threatens", "exploits", "displaces", "traffics"}
STATUSES = {"reported", "alleged", "denied", "charged", "convicted", "historical"}


def read_article(path: Path) -> tuple[dict, str]:
    raw = path.read_text(encoding="utf-8")
    assert raw.startswith("---\n"), f"{path.name}: no front matter"
    _, header, body = raw.split("---\n", 2)
    return yaml.safe_load(header), body


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*/*.jsonl"))


pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not written yet")


def test_every_article_has_exactly_one_gold_file():
    articles = {p.stem for p in CORPUS.glob("*.md")}
    golds = [p.stem for p in gold_files()]
    assert sorted(golds) == sorted(set(golds)), "an article is in both dev and test"
    assert set(golds) == articles
    assert {p.parent.name for p in gold_files()} <= {"dev", "test"}


@pytest.mark.parametrize("gold", gold_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_gold_file_matches_its_article(gold: Path):
    meta, body = read_article(CORPUS / f"{gold.stem}.md")
    for key in ("title", "url", "published", "publisher"):
        assert meta.get(key), f"{gold.stem}: front matter lacks {key}"
    lines = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = [x for x in lines if x["kind"] == "document"]
    assert len(docs) == 1 and docs[0]["split"] == gold.parent.name and docs[0]["topic"] in {"domain", "offtopic"}
    for x in lines:
        assert x["doc"] == meta["url"], f"{gold.name}: doc {x['doc']!r} is not the article url"
        if x["kind"] == "entity":
            assert x["type"] in TYPES, x
            assert x["text"] in body, f"{gold.name}: entity {x['text']!r} not in article"
        elif x["kind"] == "claim":
            assert x["relation"] in RELATIONS, x
            assert x["status"] in STATUSES, x
            sentence = x["sentence"]
            assert sentence in body, f"{gold.name}: sentence not in article: {sentence[:80]!r}"
            before = body[: body.index(sentence) + len(sentence)]
            for role in ("subject", "object"):
                text = x[role]
                if text is None:
                    assert role == "subject", f"{gold.name}: null object"
                    continue
                assert text in sentence or text in before, f"{gold.name}: {role} {text!r} not in sentence or before it"
        else:
            assert x["kind"] == "document", x
    if docs[0]["topic"] == "offtopic":
        assert len(lines) == 1, f"{gold.name}: an off-topic article has annotations"
    else:
        assert any(x["kind"] == "claim" for x in lines), f"{gold.name}: a domain article without claims"


# --- the mechanical part of the Decisions ------------------------------------

ORGANISATIONS = {"CriminalGroup", "StateInstitution", "Company", "InternationalOrganization", "NGO"}
AGENTS = ORGANISATIONS | {"PublicOfficial", "Person", "VictimGroup"}
OBJECT_TYPES = {  # what the object of a relation may be; every other relation takes an agent
    "operatesIn": {"Place"},
    "engagesIn": {"Market"},
    "traffics": {"Market", "VictimGroup"},
    "memberOf": ORGANISATIONS,
    "leads": ORGANISATIONS,
    "protects": AGENTS | {"Market"},
    "combats": AGENTS | {"Market"},
}
_SENTENCE_END = re.compile(r"[.?!][\"”’')]*(?=\s+[\"“‘(]?[A-Z0-9ÁÉÍÓÚÑ\"“])")
_LEADING = re.compile(r"(?i)(the|a|an)\s|\d")


def sentences(body: str) -> list[str]:
    """Decision 4: split at . ? ! (and closing quotes) before a capital, digit or quote; never across a blank line."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", body):
        start = 0
        for end in _SENTENCE_END.finditer(paragraph):
            out.append(paragraph[start:end.end()].strip())
            start = end.end()
        if paragraph[start:].strip():
            out.append(paragraph[start:].strip())
    return out


def is_proper_name(text: str, body: str) -> bool:
    """A name has a capital inside a word or on a later word, or is capitalised mid-sentence in the article."""
    words = text.split()
    if any(w[:1].isupper() for w in words[1:]) or any(c.isupper() for w in words for c in w[1:]):
        return True
    if not text[:1].isupper():
        return False
    for hit in re.finditer(re.escape(text), body):
        before = body[:hit.start()].rstrip(" ")
        if before and before[-1] not in '.?!"“—\n(':
            return True
    return False


def is_short_form(mention: str, name: str) -> bool:
    """A whole-word run of a name that is capitalised (a surname, "Monzón") or keeps its head ("paste")."""
    m, n = mention.lower().split(), name.lower().split()
    return any(n[i:i + len(m)] == m and (mention[:1].isupper() or m[-1] == n[-1])
               for i in range(len(n) - len(m) + 1))


def entity_names(entity: dict) -> list[str]:
    return [entity["text"], *entity.get("aliases", []), *entity.get("mentions", [])]


def file_problems(body: str, lines: list[dict]) -> list[str]:
    """What in one gold file breaks a mechanical decision; one message per problem."""
    problems: list[str] = []
    entities = [x for x in lines if x["kind"] == "entity"]
    claims = [x for x in lines if x["kind"] == "claim"]
    whole = set(sentences(body))
    owner: dict[str, dict] = {}
    for e in entities:
        extra = set(e) - {"kind", "doc", "text", "type", "aliases", "mentions"}
        if extra:
            problems.append(f"entity {e['text']!r}: unknown fields {sorted(extra)}")
        for key in ("aliases", "mentions"):
            for name in e.get(key, []):
                if not name or name not in body:
                    problems.append(f"entity {e['text']!r}: {key[:-1]} {name!r} not in article")
        for name in entity_names(e):
            other = owner.setdefault(name.lower(), e)
            if other is not e:
                problems.append(f"{name!r} names two entity lines ({other['text']!r}, {e['text']!r})")
    by_name = {name.lower(): e for e in entities for name in entity_names(e)}
    used: set[str] = set()
    seen: set[tuple] = set()
    for c in claims:
        sentence = c["sentence"]
        key = (c["relation"], c["subject"], c["object"], sentence)
        if key in seen:
            problems.append(f"duplicate claim {c['relation']}({c['subject']!r}, {c['object']!r}) in {sentence[:60]!r}")
        seen.add(key)
        if sentence not in whole:
            problems.append(f"not a whole sentence of the article: {sentence[:60]!r}")
        for role in ("subject", "object"):
            text = c[role]
            if text is None:
                continue
            used.add(text.lower())
            where = f"{c['relation']} {role} {text!r}"
            if _LEADING.match(text):
                problems.append(f"{where}: starts with an article or a number")
            if text not in sentence and text.lower() in sentence.lower():
                problems.append(f"{where}: written differently in the sentence")
            entity = by_name.get(text.lower())
            if entity is None:
                entity = next((e for e in entities if any(is_short_form(text, n) for n in entity_names(e))), None)
            if entity is None:
                problems.append(f"{where}: no entity line has this text, alias, mention or short form")
                continue
            if text not in sentence and text.lower() not in {n.lower() for n in [entity["text"], *entity.get("aliases", [])]}:
                problems.append(f"{where}: an antecedent outside the sentence must be the entity line's text or alias")
            allowed = OBJECT_TYPES.get(c["relation"], AGENTS) if role == "object" else AGENTS
            if entity["type"] not in allowed:
                problems.append(f"{where}: a {entity['type']} cannot be the {role} of {c['relation']}")
    for e in entities:
        if e["type"] == "Place" or is_proper_name(e["text"], body):
            continue
        if not {n.lower() for n in entity_names(e)} & used:
            problems.append(f"entity {e['text']!r}: a generic noun that no claim uses")
    return problems


def type_problems(files: dict[str, list[dict]]) -> list[str]:
    """One type per entity text or alias (case ignored) across the whole corpus."""
    seen: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, lines in files.items():
        for e in (x for x in lines if x["kind"] == "entity"):
            for text in [e["text"], *e.get("aliases", [])]:
                seen[text.lower()][e["type"]].append(name)
    return [f"{text!r} typed {dict(types)}" for text, types in sorted(seen.items()) if len(types) > 1]


def read_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("gold", gold_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_gold_file_follows_the_decisions(gold: Path):
    _, body = read_article(CORPUS / f"{gold.stem}.md")
    assert file_problems(body, read_gold(gold)) == []


def test_one_type_per_name_across_the_corpus():
    assert type_problems({p.stem: read_gold(p) for p in gold_files()}) == []


# --- broken copies: each check catches what it claims ------------------------

SAMPLE_BODY = (
    "PUCALLPA, Peru — Police arrested Luis Vela Ríos, a trafficker known as \"Chato\", on Monday. "
    "The police chief said Vela had paid officers.\n\n"
    "He denied it."
)
SAMPLE = [
    {"kind": "document", "doc": "d", "split": "dev", "topic": "domain"},
    {"kind": "entity", "doc": "d", "text": "Pucallpa", "type": "Place"},
    {"kind": "entity", "doc": "d", "text": "Police", "type": "StateInstitution"},
    {"kind": "entity", "doc": "d", "text": "Luis Vela Ríos", "type": "Person", "aliases": ["Chato"]},
    {"kind": "entity", "doc": "d", "text": "officers", "type": "PublicOfficial"},
    {"kind": "claim", "doc": "d", "relation": "arrests", "subject": "Police", "object": "Luis Vela Ríos",
     "status": "reported",
     "sentence": "PUCALLPA, Peru — Police arrested Luis Vela Ríos, a trafficker known as \"Chato\", on Monday."},
    {"kind": "claim", "doc": "d", "relation": "bribes", "subject": "Vela", "object": "officers", "status": "reported",
     "sentence": "The police chief said Vela had paid officers."},
    {"kind": "claim", "doc": "d", "relation": "bribes", "subject": "Luis Vela Ríos", "object": "officers",
     "status": "denied", "sentence": "He denied it."},
]


def broken(change) -> list[str]:
    lines = json.loads(json.dumps(SAMPLE))
    change(lines)
    return file_problems(SAMPLE_BODY, lines)


def test_the_sample_is_clean():
    assert file_problems(SAMPLE_BODY, SAMPLE) == []
    assert sentences(SAMPLE_BODY)[-1] == "He denied it."


def test_a_sentence_fragment_is_caught():
    def cut(lines):
        lines[5]["sentence"] = "Police arrested Luis Vela Ríos"
    assert broken(cut) == ["not a whole sentence of the article: 'Police arrested Luis Vela Ríos'"]


def test_a_participant_without_an_entity_line_is_caught():
    def unknown(lines):
        lines[6]["object"] = "paid officers"
    assert broken(unknown) == ["bribes object 'paid officers': no entity line has this text, alias, mention or short form"]


def test_a_role_mention_is_accepted_once_recorded():
    def role(lines):
        lines[6]["subject"] = "police chief"
    assert broken(role) == ["bribes subject 'police chief': no entity line has this text, alias, mention or short form"]

    def recorded(lines):
        role(lines)
        lines[3]["mentions"] = ["police chief"]
    assert broken(recorded) == []


def test_a_surname_for_a_pronoun_is_caught():
    def surname(lines):
        lines[7]["subject"] = "Vela"
    assert broken(surname) == [
        "bribes subject 'Vela': an antecedent outside the sentence must be the entity line's text or alias"]


def test_a_mention_written_differently_is_caught():
    def case(lines):
        lines[5]["subject"] = "police"
        lines[2]["text"] = "police"
    assert broken(case) == ["arrests subject 'police': written differently in the sentence"]


def test_a_leading_article_is_caught():
    def leading(lines):
        lines[5]["subject"] = "the Police"
    assert "arrests subject 'the Police': starts with an article or a number" in broken(leading)


def test_a_duplicate_claim_is_caught():
    assert broken(lambda lines: lines.append(dict(lines[5]))) == [
        "duplicate claim arrests('Police', 'Luis Vela Ríos') in 'PUCALLPA, Peru — Police arrested Luis Vela Ríos, a trafficke'"]


def test_one_text_for_two_entity_lines_is_caught():
    def twice(lines):
        lines.insert(5, {"kind": "entity", "doc": "d", "text": "police", "type": "StateInstitution"})
    assert broken(twice) == ["'police' names two entity lines ('Police', 'police')"]


def test_a_wrong_relation_signature_is_caught():
    def signature(lines):
        lines[5]["relation"] = "operatesIn"
    assert broken(signature) == ["operatesIn object 'Luis Vela Ríos': a Person cannot be the object of operatesIn"]


def test_an_unused_generic_line_is_caught_but_not_an_unused_name():
    def unused(lines):
        lines.insert(5, {"kind": "entity", "doc": "d", "text": "trafficker", "type": "CriminalGroup"})
    assert broken(unused) == ["entity 'trafficker': a generic noun that no claim uses"]
    assert file_problems(SAMPLE_BODY, [x for x in SAMPLE if x.get("text") != "Pucallpa"]) == []


def test_a_name_typed_twice_across_articles_is_caught():
    other = [{"kind": "entity", "doc": "e", "text": "chato", "type": "CriminalGroup"}]
    assert type_problems({"a": SAMPLE, "b": other}) == [
        "'chato' typed {'Person': ['a'], 'CriminalGroup': ['b']}"]
