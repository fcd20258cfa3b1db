"""Named queries: ``queries/*.rq`` with a grlc-style header, and safe parameter binding.

A header is a block of ``#+`` lines at the top of the file, read as YAML::

    #+ summary: Corruption ties by country and year
    #+ description: Who bribed or colluded with which institution or official.
    #+ tags: [corruption]
    #+ params:
    #+   - name: country
    #+     type: country
    #+     description: ISO 3166-1 alpha-2 code
    #+     example: PE

Parameter values are checked against their type and bound to the query's
variable of the same name through the store's ``bindings`` (pyoxigraph
substitutions): a value is always one RDF term, never query text. pyoxigraph
only substitutes projected variables, so every parameter must be in the SELECT
clause; `load` checks this by preparing the query once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from kg.resources import queries_dir

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class NamedQueryError(ValueError):
    """A named query file is broken, or a parameter value is not acceptable."""


@dataclass(frozen=True, slots=True)
class ParamType:
    """How a parameter's text becomes an RDF term, and what text is acceptable."""

    name: str
    pattern: str  # full-match regular expression on the raw value
    hint: str  # what an acceptable value looks like, for error messages

    def bind(self, raw: str) -> Identifier:
        if not re.fullmatch(self.pattern, raw):
            raise NamedQueryError(f"expected {self.hint}, got {raw!r}")
        if self.name == "year":
            return Literal(raw, datatype=XSD.integer)
        if self.name == "integer":
            return Literal(raw, datatype=XSD.integer)
        if self.name == "decimal":
            return Literal(raw, datatype=XSD.decimal)
        if self.name == "date":
            return Literal(raw, datatype=XSD.date)
        if self.name == "iri":
            import pyoxigraph as ox

            try:
                ox.NamedNode(raw)
            except ValueError as exc:
                raise NamedQueryError(f"expected {self.hint}: {exc}") from exc
            return URIRef(raw)
        if self.name == "country":
            return Literal(raw.upper())
        return Literal(raw)


PARAM_TYPES: dict[str, ParamType] = {
    t.name: t
    for t in (
        ParamType("string", r"[^\x00-\x1f]{1,200}", "a text of 1 to 200 characters"),
        ParamType("country", r"[A-Za-z]{2}", "an ISO 3166-1 alpha-2 country code such as PE"),
        ParamType("region", r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}", "an ISO 3166-2 code such as PE-UCA"),
        ParamType("year", r"(1[89]|20)\d\d", "a year such as 2013"),
        ParamType("integer", r"-?\d{1,12}", "an integer"),
        ParamType("decimal", r"-?\d{1,12}(\.\d{1,12})?", "a decimal number"),
        ParamType("date", r"\d{4}-\d{2}-\d{2}", "a date YYYY-MM-DD"),
        ParamType("iri", r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]+", "an absolute IRI"),
    )
}


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: ParamType
    description: str = ""
    required: bool = True
    default: str | None = None
    example: str | None = None
    values: tuple[str, ...] = ()  # when set, the only allowed values


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    sparql: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = field(default_factory=tuple)

    def bindings(self, raw: Mapping[str, str]) -> dict[str, Identifier]:
        """Check ``raw`` parameter values and turn them into bindings (absent optional ones stay free)."""
        known = {p.name for p in self.params}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise NamedQueryError(
                f"{self.name} has no parameter {', '.join(unknown)}; its parameters: {', '.join(sorted(known)) or 'none'}"
            )
        out: dict[str, Identifier] = {}
        for p in self.params:
            value = raw.get(p.name, p.default)
            if value is None or value == "":
                if p.required:
                    raise NamedQueryError(f"{self.name} needs the parameter {p.name} ({p.type.hint})")
                continue
            if p.values and value not in p.values:
                raise NamedQueryError(f"{p.name} must be one of {', '.join(p.values)}, got {value!r}")
            try:
                out[p.name] = p.type.bind(value)
            except NamedQueryError as exc:
                raise NamedQueryError(f"{p.name}: {exc}") from None
        return out


def parse(name: str, text: str) -> NamedQuery:
    """Read a named query from the text of its ``.rq`` file."""
    header_lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            header_lines.append(line[2:].removeprefix(" "))
        elif line.strip() and not line.startswith("#"):
            break
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        raise NamedQueryError(f"{name}.rq: the #+ header is not valid YAML: {exc}") from None
    if not isinstance(header, dict) or not header.get("summary"):
        raise NamedQueryError(f"{name}.rq: the header needs at least '#+ summary: …'")
    params = []
    for raw in header.get("params") or []:
        if not isinstance(raw, dict) or "name" not in raw:
            raise NamedQueryError(f"{name}.rq: each entry of '#+ params' needs a name")
        type_name = raw.get("type", "string")
        if type_name not in PARAM_TYPES:
            raise NamedQueryError(
                f"{name}.rq: parameter {raw['name']} has unknown type {type_name!r}; use one of {', '.join(PARAM_TYPES)}"
            )
        params.append(
            Param(
                name=str(raw["name"]),
                type=PARAM_TYPES[type_name],
                description=str(raw.get("description", "")),
                required=bool(raw.get("required", "default" not in raw)),
                default=None if raw.get("default") is None else str(raw["default"]),
                example=None if raw.get("example") is None else str(raw["example"]),
                values=tuple(str(v) for v in raw.get("values", ())),
            )
        )
    tags = header.get("tags") or ()
    query = NamedQuery(
        name=name,
        sparql=text,
        summary=str(header["summary"]),
        description=str(header.get("description", "")),
        tags=tuple(tags if isinstance(tags, list) else [tags]),
        params=tuple(params),
    )
    _check_projection(query)
    return query


def _check_projection(query: NamedQuery) -> None:
    """Every parameter must be a projected variable, or pyoxigraph cannot bind it."""
    import pyoxigraph as ox

    try:
        result = ox.Store().query(query.sparql)
    except SyntaxError as exc:
        raise NamedQueryError(f"{query.name}.rq does not parse: {exc}") from None
    variables = {v.value for v in getattr(result, "variables", [])}
    missing = [p.name for p in query.params if p.name not in variables]
    if missing:
        raise NamedQueryError(
            f"{query.name}.rq: parameter(s) {', '.join(missing)} must appear in the SELECT clause "
            "(pyoxigraph binds projected variables only)"
        )


def load(name: str, folder: Path | None = None) -> NamedQuery:
    if not _NAME.match(name):
        raise NamedQueryError(f"{name!r} is not a query name (lower-case letters, digits and hyphens)")
    path = (folder or queries_dir()) / f"{name}.rq"
    if not path.is_file():
        raise NamedQueryError(f"no named query {name!r}; see `/queries` or the files in {path.parent}")
    return parse(name, path.read_text(encoding="utf-8"))


def load_all(folder: Path | None = None) -> dict[str, NamedQuery]:
    folder = folder or queries_dir()
    return {p.stem: parse(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))}


def named_or_none(argument: str, folder: Path | None = None) -> NamedQuery | None:
    """The named query ``argument`` names, or None when it is SPARQL text or a file path."""
    if not _NAME.match(argument):
        return None
    folder = folder or queries_dir()
    return load(argument, folder) if (folder / f"{argument}.rq").is_file() else None
