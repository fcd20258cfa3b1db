"""`arcon evaluate`: the matching rules, the scores, and a regression guard on the dev part."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract_support import ROOT
from kg.cli import cli
from kg.extract.evaluate import GoldDoc, GoldClaim, GoldError, head_part, load_gold, participant_matches, score
from kg.extract.types import Claim, Entity, EntityRef, Extraction
from kg.sources import Document

DOC = "https://example.org/a"
TEXT = ("Mexican cartels bribed three police officers in Ucayali. "
        "Police arrested Víctor Quispe, known as Comrade José. The weather was fine.")
S1 = (0, TEXT.index(".") + 1)
S2_START = TEXT.index("Police")
S2 = (S2_START, TEXT.index("José.") + 5)


def ref(text, type_, slug):
    return EntityRef(text, type_, f"https://w3id.org/arcon/id/{slug}")


def claim(relation, subject, obj, span, status="reported"):
    return Claim(DOC, relation, subject, obj, None, None, status, 0.8, TEXT[span[0]:span[1]], span[0], span[1])


def extraction(claims, entities=()):
    return Extraction(Document(id=DOC, text=TEXT), tuple(entities), tuple(claims))


def gold(claims, entities=(), topic="domain"):
    return GoldDoc(DOC, "dev", topic, "a", list(entities), list(claims))


def g(relation, subject, obj, sentence, status="reported"):
    return GoldClaim(DOC, relation, subject, obj, status, sentence, "a.jsonl:1")


def test_head_part_rule():
    assert head_part("police officers", "three police officers")
    assert head_part("the Shining Path", "Shining Path")
    assert not head_part("Shining Path", "Shining Path rebels")  # the head "rebels" is not in the shorter one
    assert head_part("mayor", "mayor of Padre Abad")  # head before "of"
    assert not head_part("Padre Abad", "mayor of Padre Abad")


def test_participants_match_by_text_iri_or_head_and_null_only_null():
    names = {"comrade jose": {"https://w3id.org/arcon/id/person/victor-quispe"}}
    assert participant_matches("Comrade José", "Víctor Quispe", "https://w3id.org/arcon/id/person/victor-quispe", names)
    assert participant_matches("POLICE OFFICERS", "police officers", "x", {})
    assert not participant_matches("judges", "police officers", "x", {})
    assert participant_matches(None, None, "u", {})
    assert not participant_matches(None, "police", "u", {})


def test_part_of_a_gold_persons_name_matches_the_name_both_ways_only_for_gold_person_lines():
    """Rule 5: "Víctor" ~ "Víctor Quispe" when the gold lists "Víctor Quispe" as a person, either way round
    (a Spanish paternal surname before the maternal one is never the head word)."""
    arrest = g("arrests", "Police", "Víctor", TEXT[S2[0]:S2[1]])
    predicted = claim("arrests", ref("Police", "StateInstitution", "si/police"),
                      ref("Víctor Quispe", "Person", "person/vq"), S2)
    with_line = score([gold([arrest], entities=[("Víctor Quispe", "Person")])], {DOC: extraction([predicted])})
    assert with_line.micro() == (1.0, 1.0, 1.0)
    without_line = score([gold([arrest])], {DOC: extraction([predicted])})
    assert without_line.micro() == (0.0, 0.0, 0.0)  # the head rule: "Víctor" lacks the head word "Quispe"
    not_a_person = score([gold([arrest], entities=[("Víctor Quispe", "Place")])], {DOC: extraction([predicted])})
    assert not_a_person.micro() == (0.0, 0.0, 0.0)
    # the other way round: the gold has the full name, the extractor a surname
    full = g("arrests", "Police", "Víctor Quispe", TEXT[S2[0]:S2[1]])
    short = claim("arrests", ref("Police", "StateInstitution", "si/police"), ref("Víctor", "Person", "person/v"), S2)
    report = score([gold([full], entities=[("Víctor Quispe", "PublicOfficial")])], {DOC: extraction([short])})
    assert report.micro() == (1.0, 1.0, 1.0)


def test_scores_misses_false_alarms_and_status():
    cartels = ref("Mexican cartels", "CriminalGroup", "criminal-group/mexican-cartel")
    officers = ref("three police officers", "PublicOfficial", "public-official/police-officer")
    police = ref("Police", "StateInstitution", "state-institution/police")
    victor = ref("Víctor Quispe", "Person", "person/victor-quispe")
    predicted = [
        claim("bribes", cartels, officers, S1, "alleged"),       # matches, wrong status
        claim("arrests", police, victor, S2),                    # matches through the alias
        claim("kills", cartels, officers, S1),                   # false alarm
    ]
    entities = [Entity(DOC, "Víctor Quispe", "Person", "c", victor.iri, 0, 1, aliases=("Comrade José",)),
                Entity(DOC, "Mexican cartels", "CriminalGroup", "c", cartels.iri, 0, 1)]
    expected = [
        g("bribes", "Mexican cartels", "police officers", TEXT[S1[0]:S1[1]]),
        g("arrests", "Police", "Comrade José", TEXT[S2[0]:S2[1]]),
        g("operatesIn", "Mexican cartels", "Ucayali", TEXT[S1[0]:S1[1]]),  # miss
    ]
    report = score([gold(expected, [("Mexican cartels", "CriminalGroup"), ("Comrade José", "Person"),
                                    ("Ucayali", "Place")])], {DOC: extraction(predicted, entities)})
    data = report.to_json()
    assert data["relations"]["bribes"]["tp"] == 1 and data["relations"]["arrests"]["tp"] == 1
    assert data["relations"]["kills"]["fp"] == 1 and data["relations"]["operatesIn"]["fn"] == 1
    assert data["micro"] == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert data["status_accuracy"] == 0.5
    assert data["entity_coverage"] == round(1 / 3, 4) and data["entity_type_accuracy"] == 1.0
    assert [m["relation"] for m in data["misses"]] == ["operatesIn"]
    assert [f["relation"] for f in data["false_alarms"]] == ["kills"]


def test_sentence_must_overlap_and_symmetric_relations_match_either_way():
    a = ref("Mexican cartels", "CriminalGroup", "criminal-group/mexican-cartel")
    b = ref("Police", "StateInstitution", "state-institution/police")
    wrong_sentence = score([gold([g("bribes", "Mexican cartels", "Police", TEXT[S2[0]:S2[1]])])],
                           {DOC: extraction([claim("bribes", a, b, S1)])})
    assert wrong_sentence.micro() == (0.0, 0.0, 0.0)
    swapped = score([gold([g("colludesWith", "Police", "Mexican cartels", TEXT[S1[0]:S1[1]])])],
                    {DOC: extraction([claim("colludesWith", a, b, S1)])})
    assert swapped.micro() == (1.0, 1.0, 1.0)


def test_claims_in_off_topic_articles_are_counted_as_false_alarms():
    a = ref("Mexican cartels", "CriminalGroup", "criminal-group/mexican-cartel")
    b = ref("Police", "StateInstitution", "state-institution/police")
    report = score([gold([], topic="offtopic")], {DOC: extraction([claim("bribes", a, b, S1)])})
    assert report.offtopic_false_alarms == 1 and report.micro()[0] == 0.0


def test_malformed_gold_is_reported_with_file_and_line(tmp_path):
    bad = tmp_path / "x.jsonl"
    bad.write_text('{"kind":"document","doc":"d","split":"dev","topic":"domain"}\n{"kind":"claim","doc":"d"}\n')
    with pytest.raises(GoldError, match=rf"{bad}:2: missing field 'relation'"):
        load_gold([bad])
    result = CliRunner().invoke(cli, ["evaluate", str(bad)])
    assert result.exit_code == 1 and f"{bad}:2: missing field" in result.output


DEV = ROOT / "examples" / "gold" / "dev"
# A regression guard a little under the figures measured on the current dev part
# (see README "Extraction"); not a target. The committed relation model was trained
# on this dev part, so these are in-sample figures of rules + model (measured:
# P 0.756 / R 0.507 / F1 0.607, status 0.930, entity types 0.924, threshold 0.60;
# rules alone P 0.721 / R 0.408 / F1 0.521 before the second session's changes).
FLOOR = {"precision": 0.745, "recall": 0.495, "f1": 0.595, "status_accuracy": 0.92, "entity_type_accuracy": 0.92}

@pytest.mark.slow
@pytest.mark.skipif(not DEV.is_dir(), reason="no dev gold yet")
def test_dev_figures_stay_above_the_floor(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCON_CACHE_DIR", str(tmp_path))
    result = CliRunner().invoke(cli, ["evaluate", str(DEV), "--corpus", str(ROOT / "examples" / "corpus"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["micro"]["precision"] >= FLOOR["precision"], data["micro"]
    assert data["micro"]["recall"] >= FLOOR["recall"], data["micro"]
    assert data["micro"]["f1"] >= FLOOR["f1"], data["micro"]
    assert data["status_accuracy"] >= FLOOR["status_accuracy"], data["status_accuracy"]
    assert data["entity_type_accuracy"] >= FLOOR["entity_type_accuracy"]
    assert data["offtopic_false_alarms"] == 0
