"""`arcon extract`: the JSONL contract, the table, and bad input reported and skipped."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from extract_support import FIXTURE_ONTOLOGY
from kg.cli import cli

TYPES = {"CriminalGroup", "StateInstitution", "PublicOfficial", "Person", "Company", "InternationalOrganization",
         "NGO", "VictimGroup", "Place", "Market"}
ARTICLE = """---
title: "Cartels bribe police in Ucayali"
url: https://news.example/test/2013/05/14/ucayali
published: 2013-05-14
publisher: Test Wire
---
PUCALLPA, Peru — Mexican cartels bribed police officers in Ucayali, prosecutors said on Monday.

Judges were reportedly bribed to dismiss charges against the Shining Path, which operates in the VRAEM.
"""


@pytest.fixture()
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCON_CACHE_DIR", str(tmp_path / "cache"))

    def invoke(*args):
        return CliRunner().invoke(cli, ["extract", "--ontology", str(FIXTURE_ONTOLOGY), *args])
    return invoke


def test_jsonl_contract(tmp_path, run):
    article = tmp_path / "a.md"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run(str(article))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    body = ARTICLE.split("---\n", 2)[2]
    entities = [x for x in lines if x["kind"] == "entity"]
    claims = [x for x in lines if x["kind"] == "claim"]
    assert entities and claims
    for e in entities:
        assert set(e) - {"aliases"} == {"kind", "doc", "text", "type", "class", "iri", "start", "end"}
        assert e["doc"] == "https://news.example/test/2013/05/14/ucayali"
        assert e["type"] in TYPES and e["class"].startswith("https://w3id.org/arcon/ontology#")
        assert body[e["start"]:e["end"]] == e["text"]
    for c in claims:
        assert set(c) == {"kind", "doc", "relation", "subject", "object", "place", "date", "status", "confidence",
                          "sentence", "start", "end"}
        assert set(c["subject"]) == set(c["object"]) == {"text", "type", "iri"}
        assert c["place"] is None or set(c["place"]) == {"text", "type", "iri"}
        assert c["date"] is None or isinstance(c["date"], str)
        assert isinstance(c["confidence"], float) and 0 <= c["confidence"] <= 1
        assert c["status"] in {"reported", "alleged", "denied", "charged", "convicted", "historical"}
        assert body[c["start"]:c["end"]] == c["sentence"]
    bribe = next(c for c in claims if c["relation"] == "bribes" and c["subject"]["text"] == "Mexican cartels")
    assert bribe["object"]["text"] == "police officers" and bribe["object"]["type"] == "PublicOfficial"
    assert bribe["place"]["iri"] == "https://w3id.org/arcon/id/place/pe-uca"
    assert bribe["date"] == "2013-05"
    judges = next(c for c in claims if c["relation"] == "bribes" and c["object"]["text"] == "Judges")
    assert judges["subject"] == {"text": None, "type": None, "iri": "https://w3id.org/arcon/ontology#UnspecifiedAgent"}
    assert judges["status"] == "alleged"


def test_table_format(tmp_path, run):
    article = tmp_path / "a.md"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run("--format", "table", str(article))
    assert result.exit_code == 0, result.output
    assert "claim   bribes          Mexican cartels → police officers  [reported" in result.stdout
    assert "(unspecified) → Judges" in result.stdout


def test_bad_input_is_reported_with_file_and_line_and_skipped(tmp_path, run):
    (tmp_path / "good.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    (tmp_path / "feed.jsonl").write_text(
        json.dumps({"id": "x1", "text": "Cartels bribed judges in Ucayali."}) + "\n" + json.dumps({"id": "x2"}) + "\n",
        encoding="utf-8")
    result = run("--processes", "1", "--batch-size", "2", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert f"skipped {tmp_path / 'empty.txt'}" in result.stderr
    assert f"skipped {tmp_path / 'binary.txt'}" in result.stderr
    assert f"skipped {tmp_path / 'feed.jsonl'}:2:" in result.stderr
    docs = {json.loads(line)["doc"] for line in result.stdout.splitlines()}
    assert docs == {"https://news.example/test/2013/05/14/ucayali", "x1"}


def test_no_readable_document_is_an_error(tmp_path, run):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = run(str(tmp_path / "empty.txt"))
    assert result.exit_code == 1
    assert "no readable documents (1 skipped)" in result.output


@pytest.mark.slow
def test_two_processes_give_the_same_output(tmp_path, run):
    for n in range(4):
        (tmp_path / f"a{n}.md").write_text(ARTICLE.replace("/ucayali", f"/ucayali-{n}"), encoding="utf-8")
    one = run("--processes", "1", "--batch-size", "2", "--no-progress", str(tmp_path))
    two = run("--processes", "2", "--batch-size", "2", "--no-progress", str(tmp_path))
    assert one.exit_code == two.exit_code == 0, two.output
    assert one.stdout == two.stdout and one.stdout
