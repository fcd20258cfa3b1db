"""Accept parsing and the update-dataset rewrite, as pure functions."""

import pytest

from kg.api.negotiation import GRAPH_FORMATS, RESULT_FORMATS, NotAcceptable, choose, parse_accept
from kg.api.protocol import ProtocolError, apply_update_dataset, read_operation


def test_q_values_wildcards_and_specificity():
    assert choose("text/*;q=0.5, text/csv;q=0.1, */*;q=0.05", RESULT_FORMATS) == "text/tab-separated-values"
    assert choose("application/sparql-results+json;q=0, */*", RESULT_FORMATS) == "application/sparql-results+xml"
    assert choose("application/xml", GRAPH_FORMATS) == "application/rdf+xml"
    assert choose("application/xml", RESULT_FORMATS) == "application/sparql-results+xml"
    assert choose(None, GRAPH_FORMATS) == "text/turtle"
    assert choose("text/turtle;q=0.3, application/ld+json;q=0.9", GRAPH_FORMATS) == "application/ld+json"


def test_malformed_accept_parts_are_ignored_not_fatal():
    ranges = parse_accept("garbage, text/csv;q=abc, application/sparql-results+xml;q=0.4")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [("text", "csv", 0.0), ("application", "sparql-results+xml", 0.4)]


def test_not_acceptable_lists_the_offers():
    with pytest.raises(NotAcceptable, match="text/turtle"):
        choose("image/*", GRAPH_FORMATS)
    with pytest.raises(NotAcceptable, match="format 'pdf'"):
        choose("*/*", GRAPH_FORMATS, "pdf")


def test_using_clauses_go_before_each_top_level_where_only():
    update = (
        "PREFIX ex: <http://ex/> INSERT { GRAPH ex:o { ?s a ex:T } } WHERE { ?s ex:where ?o "
        "{ SELECT ?s WHERE { ?s ?p 'WHERE' } } } ; DELETE WHERE { ?a ?b ?c }"
    )
    out = apply_update_dataset(update, ("http://g/1",), ("http://g/2",))
    assert out.count("USING <http://g/1> USING NAMED <http://g/2> WHERE") == 1
    assert "DELETE WHERE { ?a" in out


def test_using_conflicts_with_with():
    with pytest.raises(ProtocolError, match="USING/WITH"):
        apply_update_dataset("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ("http://g/1",), ())


def test_form_post_merges_url_dataset_parameters():
    op = read_operation(
        "POST", "application/x-www-form-urlencoded", b"default-graph-uri=http%3A%2F%2Fg", b"query=ASK%20%7B%7D"
    )
    assert (op.kind, op.text, op.default_graphs) == ("query", "ASK {}", ("http://g",))
