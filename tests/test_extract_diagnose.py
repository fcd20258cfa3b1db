"""`arcon evaluate --causes`: each miss gets the stage that lost it, and the ceiling does not depend on the scorer."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from extract_support import ROOT
from kg.cli import cli
from kg.extract.diagnose import CAUSES, diagnose
from kg.extract.evaluate import GoldClaim, GoldDoc, load_gold
from kg.extract.pipeline import build_pipeline
from kg.sources import Document, read_documents

DEV = ROOT / "examples" / "gold" / "dev"


@pytest.fixture(scope="module")
def pipelines(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARCON_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield {"rules": build_pipeline(scorer="none"), "model": build_pipeline()}


def _gold(doc: str, sentences: list[str], claims: list[tuple[str, str | None, str, int]]) -> GoldDoc:
    return GoldDoc(doc, "dev", "domain", doc.rsplit("/", 1)[-1], [],
                   [GoldClaim(doc, rel, s, o, "reported", sentences[i], "test:1") for rel, s, o, i in claims])


def _causes(nlp, gold: GoldDoc, text: str) -> dict[tuple[str, str | None, str], str]:
    d = diagnose(nlp, [gold], [Document(id=gold.doc, text=text)], examples=50)
    return {(x["relation"], x["subject"], x["object"]): cause for cause, xs in d.examples.items() for x in xs}


def test_each_miss_is_put_down_to_the_stage_that_lost_it(pipelines):
    first = ["Shining Path rebels killed two police officers near Huanta.",
             "The mayor of Huanta spoke with Shining Path commanders on Monday."]
    gold = _gold("https://example.org/one", first, [
        ("kills", "Shining Path", "police officers", 0),  # found: not a miss
        ("kills", "Comrade Artemio", "police officers", 0),  # nobody of that name in the sentence
        ("bribes", "Shining Path", "police officers", 0),  # the pair is proposed, as kills
        ("threatens", "Shining Path", "Huanta", 1),  # both named, nothing there says threaten
    ])
    causes = _causes(pipelines["rules"], gold, " ".join(first))
    assert causes == {("kills", "Comrade Artemio", "police officers"): "subject",
                      ("bribes", "Shining Path", "police officers"): "relation",
                      ("threatens", "Shining Path", "Huanta"): "trigger"}

    second = ["Police said the clan, which the mayor of Tocache had long protected in exchange for payments "
              "from its leaders over the past decade, controlled the port."]
    gold = _gold("https://example.org/two", second, [
        ("protects", "mayor", "clan", 0),  # a rule states it
        ("kidnaps", "mayor", "clan", 0),  # "protected" is also a trigger of kidnaps: proposed, not kept
        ("bribes", "clan", "mayor", 0),  # the pair is proposed, as protects
        ("bribes", "leaders", "mayor", 0),  # "payments" is there, but mayor and leaders lie too far apart around it
    ])
    causes = _causes(pipelines["rules"], gold, second[0])
    assert causes == {("kidnaps", "mayor", "clan"): "scorer", ("bribes", "clan", "mayor"): "relation",
                      ("bribes", "leaders", "mayor"): "limits"}


def test_the_causes_account_for_every_miss_and_the_ceiling_does_not_depend_on_the_scorer(pipelines):
    names = ("a-03-tingo-maria-police-chief", "c-06-iquique-copper-concentrate", "d-18-trujillo-transport-extortion")
    gold = [g for g in load_gold([DEV]) if g.name in names]
    assert len(gold) == 3
    wanted = {g.doc for g in gold}
    docs = [d for d in read_documents([ROOT / "examples" / "corpus"]) if getattr(d, "id", None) in wanted]
    rules, model = (diagnose(pipelines[k], gold, docs) for k in ("rules", "model"))
    for d in (rules, model):
        misses = sum(c["fn"] for c in d.report.per_relation.values())
        assert sum(d.causes.values()) == misses > 0
        assert set(d.causes) <= set(CAUSES)
        assert d.report.micro()[1] <= d.ceiling <= 1
    # the candidates come from a run with the model off: the same ceiling whichever scorer runs
    assert rules.ceiling == model.ceiling
    # rules alone keep no candidate of their own, so the model can only turn "scorer" misses into hits
    assert model.causes["scorer"] <= rules.causes["scorer"]


def test_the_command_prints_the_causes_and_their_json(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCON_CACHE_DIR", str(tmp_path))
    gold = DEV / "a-03-tingo-maria-police-chief.jsonl"
    args = ["evaluate", str(gold), "--corpus", str(ROOT / "examples" / "corpus"), "--causes"]
    result = CliRunner().invoke(cli, [*args, "--quiet"])
    assert result.exit_code == 0, result.output
    assert "misses by cause:" in result.stdout and "a perfect scorer over these candidates:" in result.stdout
    data = json.loads(CliRunner().invoke(cli, [*args, "--json"]).stdout)
    assert set(data["causes"]["causes"]) == set(CAUSES)
    assert sum(data["causes"]["causes"].values()) == sum(r["fn"] for r in data["relations"].values())
