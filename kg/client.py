"""Query any SPARQL endpoint (ours or another) into a pandas DataFrame with typed columns.

>>> from kg.client import query, named
>>> df = named("http://127.0.0.1:8000/", "corruption-ties", country="PE", year=2013)
>>> df = query("http://127.0.0.1:8000/sparql", "SELECT ?s ?n WHERE { ... }")

Numbers become numbers, dates become datetimes, IRIs and strings stay strings;
unbound cells are missing values. Errors from the server raise `QueryError`
with the server's message.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx
import pandas as pd

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong")}
_FLOATS = {XSD + t for t in ("decimal", "double", "float")}
_DATES = {XSD + t for t in ("date", "dateTime", "dateTimeStamp")}
_ACCEPT = {"Accept": "application/sparql-results+json"}


class QueryError(RuntimeError):
    """The endpoint refused or failed the query; the message is the server's."""


def query(endpoint: str, sparql: str, *, timeout: float = 60.0, headers: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Run a SELECT query at ``endpoint`` (a SPARQL 1.1 protocol URL) and return a typed DataFrame."""
    response = httpx.post(endpoint, data={"query": sparql}, headers={**_ACCEPT, **(headers or {})}, timeout=timeout)
    return _frame(response)


def named(base_url: str, name: str, *, timeout: float = 60.0, **params: object) -> pd.DataFrame:
    """Run the named query ``name`` of an ARCON server at ``base_url`` with ``params``."""
    url = base_url.rstrip("/") + f"/queries/{name}"
    response = httpx.get(url, params={k: str(v) for k, v in params.items()}, headers=_ACCEPT, timeout=timeout)
    return _frame(response)


def _frame(response: httpx.Response) -> pd.DataFrame:
    if response.status_code != 200:
        raise QueryError(f"{response.status_code}: {response.text.strip()}")
    return to_frame(response.json())


def to_frame(results: dict) -> pd.DataFrame:
    """A DataFrame from SPARQL JSON results, one column per variable, typed by the literals' datatypes."""
    variables = results["head"].get("vars", [])
    bindings = results.get("results", {}).get("bindings", [])
    columns = {}
    for var in variables:
        cells = [b.get(var) for b in bindings]
        datatypes = {c.get("datatype") for c in cells if c is not None and c["type"] in ("literal", "typed-literal")}
        values = [None if c is None else c["value"] for c in cells]
        if datatypes and datatypes <= _INTEGERS:
            series = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        elif datatypes == {XSD + "gYear"}:  # a year is a number to a data scientist
            series = pd.array([None if v is None else int(v[:4]) for v in values], dtype="Int64")
        elif datatypes and datatypes <= _INTEGERS | _FLOATS:
            series = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce")
        elif datatypes and datatypes <= _DATES:
            series = pd.to_datetime(pd.Series(values, dtype="object"), errors="coerce", utc=False, format="ISO8601")
        else:
            series = pd.Series(values, dtype="string")
        columns[var] = series
    return pd.DataFrame(columns, columns=variables)
