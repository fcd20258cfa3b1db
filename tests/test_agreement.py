"""Inter-annotator agreement: a hand annotation scored against another by the evaluator's rules."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from kg.extract.agreement import agreement
from kg.extract.evaluate import GoldError, load_gold
from kg.sources import Document, read_documents

ROOT = Path(__file__).resolve().parent.parent
SECOND = ROOT / "examples" / "agreement" / "second-annotator"
CORPUS = ROOT / "examples" / "corpus"
A01 = "a-01-llochegua-ambush.jsonl"

pytestmark = pytest.mark.skipif(not SECOND.is_dir(), reason="no second annotation")


def documents() -> list[Document]:
    return [d for d in read_documents([CORPUS]) if isinstance(d, Document)]


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def write(path: Path, items: list[dict]) -> None:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in items), encoding="utf-8")


def test_an_annotation_agrees_perfectly_with_itself():
    ann = load_gold([SECOND])
    report = agreement(ann, ann, documents())
    data = report.to_json()
    assert data["micro"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert data["status_accuracy"] == 1.0 and data["matched_claims"] == sum(len(a.claims) for a in ann)
    assert data["entity_type_accuracy"] == 1.0 and data["entity_coverage"] == 1.0


def test_each_kind_of_disagreement_is_counted_where_it_belongs(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    items = lines(SECOND / A01)
    write(second / A01, items)
    gold = [dict(x) for x in items]
    claims = [x for x in gold if x["kind"] == "claim"]
    leads = next(c for c in claims if c["relation"] == "leads" and c["subject"] == "Víctor Quispe Palomino")
    leads["subject"] = "Comrade José"  # the alias on the second annotator's entity line
    rebels = next(c for c in claims if c["subject"] == "rebels")
    rebels["status"] = "alleged"
    ayacucho = next(c for c in claims if c["relation"] == "operatesIn" and c["object"] == "Ayacucho")
    gold.remove(ayacucho)  # the second annotator has a claim the first lacks
    gold.append({**ayacucho, "relation": "combats", "object": "peasants"})  # and misses one the first has
    next(x for x in gold if x.get("text") == "army patrol")["type"] = "PublicOfficial"
    write(first / A01, gold)

    data = agreement(load_gold([first]), load_gold([second]), documents()).to_json()

    n = len(claims)
    assert data["relations"]["operatesIn"]["fp"] == 1 and data["relations"]["combats"]["fn"] == 1
    assert data["micro"]["precision"] == round((n - 1) / n, 4) == data["micro"]["recall"]
    assert data["relations"]["leads"] == {**data["relations"]["leads"], "tp": 3, "fp": 0, "fn": 0}
    assert [(e["subject"], e["gold"], e["predicted"]) for e in data["status_errors"]] == [("rebels", "alleged", "reported")]
    assert data["type_errors"] == [{"doc": A01[:-6], "text": "army patrol", "gold": "PublicOfficial",
                                    "predicted": "StateInstitution"}]


def test_documents_only_the_second_annotated_are_refused():
    ann = load_gold([SECOND])
    with pytest.raises(GoldError, match="the first annotation lacks 7 document"):
        agreement(ann[:1], ann, documents())


def test_the_script_prints_the_figures_and_fails_with_one_line(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("agreement_script", ROOT / "examples" / "agreement" / "agreement.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    single = tmp_path / "one"
    single.mkdir()
    shutil.copy(SECOND / A01, single / A01)
    assert script.main(["--first", str(single), "--second", str(single), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "micro" in out and "1.000" in out and "1 articles" in out
    assert script.main(["--first", str(single), "--second", str(SECOND)]) == 1
    assert capsys.readouterr().err.startswith("error: the first annotation lacks 7 document(s)")
