"""Run the W3C SPARQL 1.1 Protocol, Graph Store Protocol and Service Description tests.

The manifests (``../shared/w3c-sparql11/`` beside the repository, or
``$ARCON_W3C_SPARQL11``; W3C test-suite licence, see its LICENSE.md) describe each
test as HTTP requests with expected responses. This runner replays them against
a live server, mapping the manifests' ``/sparql/`` to our ``/sparql`` and
``/gsp`` to our ``/rdf-graphs``, and checks status codes, result formats,
booleans, headers and (by graph isomorphism) response bodies. Each test starts
from an empty store, loaded with the test's ``ut:graphData``.

``python -m tests.w3c.runner URL TOKEN`` prints pass/fail per test for any server.
"""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

MANIFESTS = (
    "protocol/manifest.ttl",
    "graph-store-protocol/manifest-direct.ttl",
    "graph-store-protocol/manifest-indirect.ttl",
    "service-description/manifest.ttl",
)

#: Tests we do not pass, and why. Every entry is a written reason; the runner
#: still executes these tests and reports their real outcome.
KNOWN_FAILURES: dict[str, str] = {}

_STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
_RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values")
_RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def suite_dir() -> Path:
    """Where the W3C tests are: $ARCON_W3C_SPARQL11, else <repo>/../shared/w3c-sparql11."""
    override = os.environ.get("ARCON_W3C_SPARQL11")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2].parent / "shared" / "w3c-sparql11"


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: list[URIRef]
    expected_boolean: bool | None = None
    expected_format: str | None = None
    expected_headers: dict[str, str] = field(default_factory=dict)
    expected_body: str | None = None
    location_var: str | None = None


@dataclass
class W3CTest:
    manifest: str
    name: str  # local name, e.g. query_post_form
    title: str
    kind: str  # ProtocolTest, GraphStoreProtocolTest, ServiceDescriptionTest
    graph_data: list[tuple[Path, str]]
    steps: list[Step]

    @property
    def id(self) -> str:
        return f"{self.manifest.split('/')[0]}:{self.name}"


def _headers(g: Graph, node) -> dict[str, str]:
    out: dict[str, str] = {}
    lst = g.value(node, HT.headers)
    if lst is None:
        return out
    for h in Collection(g, lst):
        out[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
    return out


def load_tests(root: Path | None = None) -> list[W3CTest]:
    root = root or suite_dir()
    tests = []
    for rel in MANIFESTS:
        path = root / rel
        g = Graph().parse(path, format="turtle", publicID=path.as_uri())
        manifest = g.value(predicate=RDF.type, object=MF.Manifest)
        for entry in Collection(g, g.value(manifest, MF.entries)):
            kind = str(g.value(entry, RDF.type)).rsplit("#", 1)[1]
            data = []
            for gd in g.objects(entry, UT.graphData):
                data.append((Path(str(g.value(gd, UT.graph)).removeprefix("file://")), str(g.value(gd, RDFS.label))))
            steps = []
            action = g.value(entry, MF.action)
            if action is not None:
                for req in Collection(g, g.value(action, HT.requests)):
                    resp = g.value(req, HT.resp)
                    body_node = g.value(req, HT.body)
                    body = None
                    if body_node is not None:
                        encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                        body = str(g.value(body_node, CNT.chars)).encode(encoding.lower().replace("utf-16", "utf-16-le"))
                    expected_body = g.value(g.value(resp, HT.body), CNT.chars) if g.value(resp, HT.body) else None
                    boolean = g.value(resp, MF.expectedBoolean)
                    steps.append(
                        Step(
                            method=str(g.value(req, HT.methodName)),
                            path=str(g.value(req, HT.absolutePath)),
                            headers=_headers(g, req),
                            body=body,
                            statuses=list(g.objects(resp, MF.expectedStatus)),
                            expected_boolean=None if boolean is None else boolean.toPython(),
                            expected_format=str(g.value(resp, MF.expectedFormat) or "") or None,
                            expected_headers=_headers(g, resp),
                            expected_body=None if expected_body is None else str(expected_body),
                            location_var=str(g.value(resp, MF.expectedLocation) or "") or None,
                        )
                    )
            tests.append(
                W3CTest(rel, str(entry).rsplit("#", 1)[1], str(g.value(entry, MF.name)), kind, data, steps)
            )
    return tests


class Failure(AssertionError):
    pass


def _status_ok(status: int, expected: list[URIRef]) -> bool:
    for e in expected:
        name = str(e).rsplit("#", 1)[1]
        if name.startswith("StatusCode") and name.endswith("xx") and str(status)[0] == name[10]:
            return True
        if _STATUS.get(name) == status:
            return True
    return False


def _boolean(response: httpx.Response) -> bool:
    ctype = response.headers.get("content-type", "").split(";")[0]
    if ctype == "application/sparql-results+json":
        return bool(response.json()["boolean"])
    if ctype == "application/sparql-results+xml":
        el = ET.fromstring(response.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
        return el is not None and el.text == "true"
    raise Failure(f"a boolean answer came as {ctype}")


def _check_step(step: Step, response: httpx.Response) -> None:
    if not _status_ok(response.status_code, step.statuses):
        raise Failure(
            f"{step.method} {step.path}: status {response.status_code}, expected {[str(s).rsplit('#')[1] for s in step.statuses]}: {response.text[:300]}"
        )
    ctype = response.headers.get("content-type", "").split(";")[0].strip()
    if step.expected_format == "boolean":
        if ctype not in _RESULT_TYPES[:2]:
            raise Failure(f"boolean result as {ctype}")
        if step.expected_boolean is not None and _boolean(response) != step.expected_boolean:
            raise Failure(f"expected {step.expected_boolean}, got {response.text[:200]}")
    elif step.expected_format == "tabular":
        if ctype not in _RESULT_TYPES:
            raise Failure(f"tabular result as {ctype}")
        if ctype == "application/sparql-results+json":
            json.loads(response.content)
    elif step.expected_format == "RDF":
        if ctype not in _RDF_TYPES:
            raise Failure(f"RDF result as {ctype}")
        Graph().parse(data=response.content, format=_RDF_TYPES[ctype])
    for name, value in step.expected_headers.items():
        got = response.headers.get(name, "")
        if got.replace(" ", "").lower() != value.replace(" ", "").lower():
            raise Failure(f"header {name}: {got!r}, expected {value!r}")
    if step.expected_body is not None and step.method != "HEAD":
        fmt = _RDF_TYPES.get(ctype)
        if fmt is None:
            raise Failure(f"cannot compare a body of type {ctype}")
        got = Graph().parse(data=response.content, format=fmt)
        want = Graph().parse(data=step.expected_body, format="turtle")
        if not isomorphic(got, want):
            raise Failure(f"body differs:\n{response.text}\nexpected:\n{step.expected_body}")


def _map_path(path: str) -> str:
    if path.startswith("/sparql/"):
        return "/sparql" + path[len("/sparql/") :]
    if path.startswith("/gsp"):
        return "/rdf-graphs" + path[len("/gsp") :]
    return path


def reset(client: httpx.Client, base: str, token: str, test: W3CTest) -> None:
    """Empty the store, then load the test's graphs."""
    auth = {"Authorization": f"Bearer {token}"}
    r = client.post(base + "update", data={"update": "DROP ALL"}, headers=auth)
    r.raise_for_status()
    for file, iri in test.graph_data:
        r = client.put(
            base + "rdf-graphs", params={"graph": iri}, content=file.read_bytes(),
            headers={"Content-Type": "application/n-triples", **auth},
        )
        r.raise_for_status()


def _service_description(client: httpx.Client, base: str, test: W3CTest) -> None:
    endpoint = base + "sparql"
    for accept, fmt in (("text/turtle", "turtle"), ("application/rdf+xml", "xml")):
        r = client.get(endpoint, headers={"Accept": accept})
        if r.status_code != 200 or not r.headers["content-type"].startswith(accept):
            raise Failure(f"GET {endpoint} with Accept {accept}: {r.status_code} {r.headers.get('content-type')}")
        g = Graph().parse(data=r.content, format=fmt)
        if test.name == "has-endpoint-triple" and (None, SD.endpoint, URIRef(endpoint)) not in g:
            raise Failure(f"no sd:endpoint <{endpoint}> in the service description")
        if test.name == "conforms-to-schema":
            from tests.w3c.sd_schema import check_service_description

            problems = check_service_description(g)
            if problems:
                raise Failure("; ".join(problems))


def run_test(test: W3CTest, base: str, token: str) -> None:
    """Run one manifest entry; raise Failure with the reason when it does not pass."""
    with httpx.Client(timeout=30) as client:
        if test.kind == "ServiceDescriptionTest":
            _service_description(client, base, test)
            return
        reset(client, base, token, test)
        variables: dict[str, str] = {}
        for step in test.steps:
            path, body = step.path, step.body
            for var, value in variables.items():
                path = path.replace(var, value)
                body = body.replace(var.encode(), value.encode()) if body else body
            headers = {"Authorization": f"Bearer {token}", **step.headers}
            if body is not None and "content-type" not in {k.lower() for k in headers}:
                headers["Content-Type"] = ""  # httpx would otherwise add none; the test wants none
                del headers["Content-Type"]
            response = client.request(step.method, base.rstrip("/") + _map_path(path), headers=headers, content=body)
            _check_step(step, response)
            if step.location_var:
                location = response.headers.get("location")
                if not location:
                    raise Failure("no Location header on the created graph")
                variables[step.location_var] = location


def main(argv: list[str]) -> int:
    base, token = argv[0].rstrip("/") + "/", argv[1]
    failed = 0
    for test in load_tests():
        try:
            run_test(test, base, token)
            print(f"PASS {test.id}")
        except Exception as exc:  # noqa: BLE001 - report every test
            failed += 1
            print(f"FAIL {test.id}: {exc}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
