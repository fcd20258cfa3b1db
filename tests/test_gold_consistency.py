"""The hand-annotated gold standard agrees with the corpus and the guidelines.

Checks what a typo would break: every gold file has an article, every claim's
sentence is in the article and its participants are in the sentence (or, for a
pronoun antecedent, earlier in the article), every name is from the contract.
"""

from __future__ import annotations

import json
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
