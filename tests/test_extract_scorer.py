"""The learned relation model: candidates, deterministic training, the committed weights, the command, its use."""

from __future__ import annotations

import json
import shutil
import warnings

import pytest
from click.testing import CliRunner

from extract_support import ROOT
from kg.cli import cli
from kg.extract import relations as relations_module
from kg.extract.candidates import candidates, trigger_relations
from kg.extract.evaluate import gold_files
from kg.extract.participants import ParticipantIndex
from kg.extract.patterns import patterns_path
from kg.extract.pipeline import build_pipeline
from kg.extract.relations import RelationFinder
from kg.extract.scorer import DEFAULT_MODEL, ModelWarning, RelationModel, file_hash, fit, load_model

UNSPECIFIED = "https://w3id.org/arcon/ontology#UnspecifiedAgent"


@pytest.fixture(scope="module")
def rules_only(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARCON_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield build_pipeline(scorer="none")


def test_fit_is_deterministic_and_learns_a_separable_feature():
    rows = [["bias", "good"]] * 20 + [["bias", "bad"]] * 20
    labels = [1] * 20 + [0] * 20
    first, second = fit(rows, labels), fit(rows, labels)
    assert first == second
    assert first["good"] > 0 > first["bad"]


def test_features_seen_once_get_no_weight():
    weights = fit([["bias", "common"], ["bias", "common"], ["bias", "once"]], [1, 1, 0])
    assert "once" not in weights and "common" in weights


def test_scoring_by_shared_groups_equals_scoring_the_flat_features():
    model = RelationModel({"bias": -1.0, "a": 0.5, "b": 2.0, "c": -0.25}, 0.5, {})
    shared = ("a", "b")
    cache: dict = {}
    first = model.score_groups((("bias",), shared, ("c",)), cache)
    assert first == pytest.approx(model.probability(["bias", "a", "b", "c"]))
    assert model.score_groups((("bias",), shared), cache) == pytest.approx(model.probability(["bias", "a", "b"]))
    assert cache[id(shared)][0] is shared  # looked up once per doc
    # a group freed and another built in its place may get the same identity: its own sum counts
    cache[id(shared)] = (("x",), 99.0)
    assert model.score_groups((shared,), cache) == pytest.approx(model.probability(["a", "b"]))


def candidate_set(nlp, text):
    doc = nlp(text)
    finder = nlp.get_pipe("arcon_relations")
    index = ParticipantIndex(doc, doc._.arcon_entities, finder.rules)
    found = candidates(doc, index, finder.rules, finder.lexicon, trigger_relations(finder.rules), {})
    return {(c.relation, c.subject.mention["text"] if c.subject else None, c.object.mention["text"]): c
            for c in found}


def test_candidates_pair_the_participants_of_a_trigger_and_add_the_unnamed_agent_only_when_agentless(rules_only):
    found = candidate_set(rules_only, "Two police officers were killed in Huanta.")
    assert ("kills", None, "police officers") in found  # an agentless passive
    found = candidate_set(rules_only, "Shining Path rebels killed two police officers near Huanta.")
    assert ("kills", "Shining Path", "police officers") in found
    assert ("kills", None, "police officers") not in found  # the active verb names its agent
    kill = found[("kills", "Shining Path", "police officers")]
    assert "lemma=kills:kill" in kill.features and "voice=kills:VERB:active" in kill.features
    assert any(f.startswith("opath=kills:dobj") for f in kill.features)


def test_a_relation_stated_without_a_trigger_is_proposed_only_between_close_participants(rules_only):
    found = candidate_set(rules_only, "In Chile, gangs in Antofagasta buy the drug from couriers.")
    pair = found.get(("operatesIn", "gangs", "Antofagasta"))
    assert pair is not None and "notrigger=operatesIn" in pair.features
    assert any(f.startswith("sopath=operatesIn:prep:in>pobj") for f in pair.features)
    # kills has no trigger here, and is not among the relations stated without one
    assert not any(rel == "kills" for rel, _, _ in found)


def test_the_committed_model_was_trained_by_the_command_on_the_present_dev_gold_and_patterns():
    model = load_model(DEFAULT_MODEL)
    assert model is not None, "no kg/extract/relation-model.json: run arcon train-relations"
    meta = model.meta
    assert meta["command"].startswith("arcon train-relations")
    assert meta["patterns_sha256"] == file_hash([patterns_path(None)]), \
        "relation-patterns.yaml changed since the model was trained: run arcon train-relations"
    assert meta["gold_sha256"] == file_hash(gold_files([ROOT / "examples" / "gold" / "dev"])), \
        "the dev gold changed since the model was trained: run arcon train-relations"
    dev = sorted(p.stem for p in (ROOT / "examples" / "gold" / "dev").glob("*.jsonl"))
    assert meta["trained_on"] == dev  # the dev part and nothing else (never the held-out test part)
    assert 0 < model.threshold < 1 and meta["cross_validated"]["threshold"] == model.threshold


def test_a_model_file_of_another_format_or_missing_says_how_to_remake_it(tmp_path):
    bad = tmp_path / "model.json"
    bad.write_text(json.dumps({"format": 1, "threshold": 0.5, "weights": {}}))
    with pytest.raises(ValueError, match="re-create it with: arcon train-relations"):
        load_model(bad)
    with pytest.raises(FileNotFoundError, match="no relation model at .*; create one with: arcon train-relations"):
        RelationFinder(None, "arcon_relations", None, None, str(tmp_path / "missing.json"))


def test_without_the_default_model_the_rules_run_alone_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(relations_module, "DEFAULT_MODEL", tmp_path / "absent.json")
    with pytest.warns(ModelWarning, match="no relation model at .*: extracting with the rules only"):
        finder = RelationFinder(None, "arcon_relations", None, None, "default")
    assert finder.model is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "none" is a choice, not a fault: no warning
        assert RelationFinder(None, "arcon_relations", None, None, "none").model is None


def test_a_model_trained_on_other_patterns_warns(tmp_path):
    stale = tmp_path / "model.json"
    stale.write_text(json.dumps(RelationModel({"bias": 0.0}, 0.5, {"patterns_sha256": "0" * 16}).to_json()))
    with pytest.warns(ModelWarning, match="trained on other relation patterns"):
        RelationFinder(None, "arcon_relations", None, None, str(stale))


@pytest.mark.slow
def test_train_relations_writes_a_model_the_pipeline_uses(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCON_CACHE_DIR", str(tmp_path / "cache"))
    gold = tmp_path / "gold"
    gold.mkdir()
    names = ("a-17-tocache-police-sentenced", "b-09-mafia-de-la-cocaina-raids", "c-05-pcc-puerto-maldonado",
             "d-05-callao-paita-customs")
    for name in names:
        shutil.copy(ROOT / "examples" / "gold" / "dev" / f"{name}.jsonl", gold)
    out = tmp_path / "model.json"
    args = ["train-relations", str(gold), "--corpus", str(ROOT / "examples" / "corpus"), "--folds", "2", "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "(2-fold cross-validation over articles; threshold chosen on c-*, d-*)" in result.output
    assert "<- kept" in result.output and "rules" in result.output
    model = load_model(out)
    assert model is not None and model.weights
    assert model.meta["trained_on"] == sorted(names)
    assert model.meta["command"] == f"arcon train-relations {gold} --folds 2"
    assert model.meta["gold_sha256"] == file_hash(sorted(gold.glob("*.jsonl")))
    assert 0 <= model.meta["cross_validated"]["f1"] <= 1
    again = tmp_path / "again.json"
    assert CliRunner().invoke(cli, [*args[:-1], str(again)]).exit_code == 0
    assert again.read_text() == out.read_text()  # the same gold gives the same file

    # a model of four articles is shy: a low threshold makes it add claims, each with its probability
    eager = tmp_path / "eager.json"
    eager.write_text(json.dumps(RelationModel(model.weights, 0.1, model.meta).to_json()))
    nlp = build_pipeline(scorer=str(eager))
    text = (ROOT / "examples" / "corpus" / "c-05-pcc-puerto-maldonado.md").read_text(encoding="utf-8")
    found = nlp(text.split("---", 2)[2])._.arcon_claims
    learned = [c for c in found if c["rule"].endswith(":model")]
    assert found and learned, "the model adds claims the rules did not state"
    stated = {(c["relation"], c["subject"]["iri"], c["object"]["iri"], c["start"]) for c in found
              if not c["rule"].endswith(":model")}
    for claim in learned:
        assert 0.095 <= claim["confidence"] <= 0.99
        assert (claim["relation"], claim["subject"]["iri"], claim["object"]["iri"], claim["start"]) not in stated


@pytest.mark.slow
def test_the_learning_curve_trains_on_shares_of_the_folds_and_writes_no_model(tmp_path, monkeypatch, rules_only):
    from kg.extract.evaluate import load_gold
    from kg.extract.training import collect, cross_validate, learning_curve
    from kg.sources import read_documents

    names = ("a-17-tocache-police-sentenced", "b-09-mafia-de-la-cocaina-raids", "c-05-pcc-puerto-maldonado",
             "d-05-callao-paita-customs")
    gold = [g for g in load_gold([ROOT / "examples" / "gold" / "dev"]) if g.name in names]
    wanted = {g.doc for g in gold}
    docs = [d for d in read_documents([ROOT / "examples" / "corpus"]) if getattr(d, "id", None) in wanted]
    articles = collect(rules_only, gold, docs)
    curve = learning_curve(articles, 2, (0.5, 1.0), draws=2)
    assert [(row["share"], row["articles"], len(row["draws"])) for row in curve] == [(0.5, 1, 2), (1.0, 2, 1)]
    assert curve == learning_curve(articles, 2, (0.5, 1.0), draws=2)  # the same draws every run
    whole = cross_validate(articles, 2)
    assert curve[1]["f1"] == max(row["f1"] for t, row in whole.items() if t != "rules")

    monkeypatch.setenv("ARCON_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "gold"
    folder.mkdir()
    for name in names:
        shutil.copy(ROOT / "examples" / "gold" / "dev" / f"{name}.jsonl", folder)
    out = tmp_path / "model.json"
    args = ["train-relations", str(folder), "--corpus", str(ROOT / "examples" / "corpus"), "--folds", "2",
            "--out", str(out), "--learning-curve"]
    result = CliRunner().invoke(cli, [*args, "0.5,1"])
    assert result.exit_code == 0, result.output
    assert "share  articles      F1" in result.output and "draws:" in result.output
    assert not out.exists()
    bad = CliRunner().invoke(cli, [*args, "0,2"])
    assert bad.exit_code == 2 and "each share must be in (0, 1]" in bad.output
