"""The relation component on sentences written for each construction it must handle."""

from __future__ import annotations

import pytest

from extract_support import FIXTURE_ONTOLOGY
from kg.extract.patterns import PatternError, parse_patterns
from kg.extract.pipeline import build_pipeline

UNSPECIFIED = "https://w3id.org/arcon/ontology#UnspecifiedAgent"


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARCON_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield build_pipeline(FIXTURE_ONTOLOGY)


def claims(nlp, text):
    return {(c["relation"], c["subject"]["text"], c["object"]["text"], c["status"]) for c in nlp(text)._.arcon_claims}


def test_active_voice(nlp):
    assert ("bribes", "Mexican cartels", "police officers", "reported") in claims(nlp, "Mexican cartels bribed police officers.")


def test_passive_with_agent_keeps_the_direction(nlp):
    assert ("kills", "gunmen", "indigenous leader", "reported") in claims(
        nlp, "An indigenous leader was killed by gunmen near Pucallpa.")


def test_agentless_passive_gets_the_unspecified_agent(nlp):
    (claim,) = [c for c in nlp("Judges were bribed to dismiss the charges.")._.arcon_claims if c["relation"] == "bribes"]
    assert claim["subject"] == {"text": None, "type": None, "iri": UNSPECIFIED}
    assert claim["object"]["text"] == "Judges"


def test_coordinated_objects_each_get_a_claim(nlp):
    found = claims(nlp, "The cartels bribed police officers, judges and mayors in Ucayali.")
    assert {("bribes", "cartels", o, "reported") for o in ("police officers", "judges", "mayors")} <= found


def test_bribes_taken_from_someone_turn_round(nlp):
    assert ("bribes", "drug cartels", "Mayors", "alleged") in claims(
        nlp, "Mayors were reported to have received bribes from drug cartels.")


def test_relative_clause_subject(nlp):
    assert ("kills", "gunmen", "farmers", "reported") in claims(nlp, "Police arrested the gunmen who killed three farmers.")


def test_prepositional_object_ties_with(nlp):
    assert ("cooperatesWith", "Mexican cartels", "Peruvian traffickers", "reported") in claims(
        nlp, "Mexican cartels established ties with Peruvian traffickers.")


def test_cooperation_with_a_state_actor_is_collusion(nlp):
    assert ("colludesWith", "Local police officers", "traffickers", "reported") in claims(
        nlp, "Local police officers cooperated with traffickers in Tocache.")


def test_type_constraints_come_from_the_ontology(nlp):
    found = claims(nlp, "The Shining Path operates in the VRAEM and controls the cocaine trade.")
    assert ("operatesIn", "Shining Path", "VRAEM", "reported") in found
    assert ("engagesIn", "Shining Path", "cocaine trade", "reported") in found
    assert not any(r == "operatesIn" and o == "cocaine trade" for r, _, o, _ in found)


@pytest.mark.parametrize("text, status", [
    ("The cartel allegedly bribed judges.", "alleged"),
    ("The mayor is suspected of protecting traffickers.", "alleged"),
    ("The mayor denied protecting the traffickers.", "denied"),
    ("The cartel did not bribe the judges.", "denied"),
    ("The mayor was convicted of protecting the traffickers.", "convicted"),
    ("The mayor was charged with protecting the traffickers.", "charged"),
])
def test_epistemic_status(nlp, text, status):
    statuses = {c["status"] for c in nlp(text)._.arcon_claims if c["relation"] in ("bribes", "protects")}
    assert statuses == {status}


def test_negated_statements_are_never_plain_facts(nlp):
    for c in nlp("Police found no evidence that the clan bribed judges.")._.arcon_claims:
        assert c["status"] == "denied"


def test_pattern_file_errors_say_where():
    with pytest.raises(PatternError, match=r"relations.kills\[0\] needs 'lemmas' and 'object'"):
        parse_patterns({"relations": {"kills": [{"lemmas": ["kill"]}]}}, "x.yaml")
    with pytest.raises(PatternError, match="passive must be swap or keep"):
        parse_patterns({"relations": {"kills": [{"lemmas": ["kill"], "object": "dobj", "passive": "maybe"}]}})
