"""`arcon extract`: an alias one article of the run states names the same entity in the others, whatever the order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from alias_texts import FIRST, LATER, OTHER, write
from kg.cli import cli
from kg.rdf import iris

RAMIREZ = iris.entity_iri("Person", "Luis Ramírez Torres")


def extract(folder: Path, *options: str) -> tuple[list[dict], str]:
    result = CliRunner().invoke(cli, ["extract", str(folder), "--format", "jsonl", "--no-progress", *options])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def victims(rows: list[dict], name: str) -> set[str]:
    return {r["object"]["iri"] for r in rows
            if r["kind"] == "claim" and r["relation"] == "kills" and r["doc"].endswith(f"/{name}")}


@pytest.mark.parametrize("later_first", [False, True])
def test_an_article_naming_only_the_alias_reaches_the_entity_whatever_the_order(tmp_path, monkeypatch, later_first):
    monkeypatch.setenv("ARCON_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "run"
    later = "a-later" if later_first else "z-later"
    write(folder, later, LATER, "2013-05-10")
    write(folder, "m-first", FIRST, "2013-03-04")
    rows, err = extract(folder)
    assert victims(rows, later) == {RAMIREZ}
    assert "extracted again 1 document(s)" in err
    # documents come out in input order, each once
    docs = [r["doc"] for r in rows]
    assert sorted(set(docs), key=docs.index) == [f"https://news.example/{n}" for n in sorted((later, "m-first"))]

    streamed, err = extract(folder, "--no-relink")
    assert RAMIREZ not in victims(streamed, later)  # the control: without the relink nothing ties them
    assert "extracted again" not in err


def test_an_alias_two_articles_state_for_two_people_is_taught_to_neither(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCON_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "run"
    write(folder, "first", FIRST, "2013-03-04")
    write(folder, "later", LATER, "2013-05-10")
    write(folder, "other", OTHER, "2013-06-01")
    rows, err = extract(folder)
    assert RAMIREZ not in victims(rows, "later")
    assert "extracted again" not in err
