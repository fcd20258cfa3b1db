"""The learned claim filter: deterministic training, cross-validation over articles, the command, its use."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from extract_support import ROOT
from kg.cli import cli
from kg.extract.relations import RelationFinder
from kg.extract.scorer import Candidate, Scorer, apply, cross_validate, features, fit, load_scorer

EVIDENCE = {"relation": "kills", "rule": "kills#1:active", "lemma": "kill", "pos": "VERB",
            "subject_type": "CriminalGroup", "object_type": "PublicOfficial", "subject_source": "class",
            "object_source": "class", "subject_generic": True, "object_generic": True, "indirect": 0,
            "status": "reported", "subject_offset": -2, "object_offset": 3, "sentence_length": 20}


def test_fit_is_deterministic_and_learns_a_separable_feature():
    rows = [["bias", "good"]] * 20 + [["bias", "bad"]] * 20
    labels = [1] * 20 + [0] * 20
    first, second = fit(rows, labels), fit(rows, labels)
    assert first == second
    assert first["good"] > 0 > first["bad"]


def test_cross_validation_counts_gold_claims_no_rule_proposed_as_misses():
    cands = [Candidate(f"a{(i // 2) % 4}", ["bias", "good" if i % 2 else "bad"], bool(i % 2)) for i in range(40)]
    gold = {f"a{k}": 10 for k in range(4)}  # 40 gold claims, 20 proposed correctly
    cv = cross_validate(cands, gold, folds=2, thresholds=(0.0, 0.5))
    assert cv[0.0] == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert cv[0.5]["precision"] == 1.0 and cv[0.5]["recall"] == 0.5


def test_apply_keeps_what_reaches_the_threshold_and_the_probability_becomes_the_confidence():
    names = features(EVIDENCE)
    assert "types=kills:CriminalGroup>PublicOfficial" in names and "soff=before:<=2" in names
    keep = Scorer({"bias": 2.0}, 0.5, {})
    drop = Scorer({"bias": -2.0}, 0.5, {})
    claim = {"relation": "kills", "confidence": 0.7, "evidence": EVIDENCE}
    (kept,) = apply(keep, [claim])
    assert kept["confidence"] == round(keep.probability(EVIDENCE), 2) == 0.88
    assert apply(drop, [claim]) == []
    assert apply(None, [claim]) == [claim]


def test_a_scorer_file_of_another_format_or_missing_says_how_to_remake_it(tmp_path):
    bad = tmp_path / "scorer.json"
    bad.write_text(json.dumps({"format": 99, "threshold": 0.5, "weights": {}}))
    with pytest.raises(ValueError, match="re-create it with: arcon train-relations"):
        load_scorer(bad)
    with pytest.raises(FileNotFoundError, match="no relation scorer at .*; create one with: arcon train-relations"):
        RelationFinder(None, "arcon_relations", None, None, str(tmp_path / "missing.json"))


@pytest.mark.slow
def test_train_relations_writes_a_scorer_the_pipeline_uses(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCON_CACHE_DIR", str(tmp_path / "cache"))
    gold = tmp_path / "gold"
    gold.mkdir()
    for name in ("a-17-tocache-police-sentenced", "b-09-mafia-de-la-cocaina-raids", "b-15-ucayali-prosecutor-convicted"):
        shutil.copy(ROOT / "examples" / "gold" / "dev" / f"{name}.jsonl", gold)
    out = tmp_path / "scorer.json"
    result = CliRunner().invoke(cli, ["train-relations", str(gold), "--corpus", str(ROOT / "examples" / "corpus"),
                                      "--folds", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "(3-fold cross-validation over articles)" in result.output and "<- kept" in result.output
    scorer = load_scorer(out)
    assert scorer is not None and scorer.weights
    assert scorer.meta["trained_on"] == sorted(p.stem for p in gold.glob("*.jsonl"))
    assert 0 <= scorer.meta["cross_validated"]["f1"] <= 1

    from kg.extract.pipeline import build_pipeline
    nlp = build_pipeline()
    finder = nlp.get_pipe("arcon_relations")
    finder.scorer, finder.keep_evidence = scorer, True
    text = (ROOT / "examples" / "corpus" / "b-09-mafia-de-la-cocaina-raids.md").read_text(encoding="utf-8")
    found = nlp(text.split("---", 2)[2])._.arcon_claims
    assert found
    for claim in found:
        p = scorer.probability(claim["evidence"])
        assert p >= scorer.threshold and claim["confidence"] == round(min(0.99, max(0.05, p)), 2)
