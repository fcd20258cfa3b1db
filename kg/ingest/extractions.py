"""Extractions from `arcon extract --format jsonl` output, so a graph can be built without spaCy.

The file holds ``entity`` and ``claim`` lines (kg.extract.types) keyed by
``doc``; an optional ``{"kind": "run", "pipeline", "version", "config_hash"}``
line names the extraction run (else the defaults of ``Extraction``). A document
with no line in the file is taken to have no entities and no claims.

The file can be larger than memory is comfortable with (12,000 articles: 146 MB
of JSON, 2 GB as Python objects), so it is never loaded whole: on first use one
pass checks every line against the contract and remembers where each
document's lines are (byte offsets); a document's lines are read back when it
is extracted. A bad line anywhere is reported before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from kg.extract.types import Claim, Entity, Extraction
from kg.rdf import iris
from kg.rdf.ntriples import is_iri
from kg.sources.document import Document

#: A document's lines in the file: (offset, length) of each contiguous run of them.
Spans = list[tuple[int, int]]


class ExtractionFileError(ValueError):
    """A line of an extraction file is not the contract; the message names file and line."""


@dataclass
class JsonlExtractor:
    """An extractor that looks its answers up in an extraction JSONL file."""

    path: Path
    pipeline: str = "arcon-extract"
    version: str = "0"
    config_hash: str = "0" * 12
    _spans: dict[str, Spans] | None = field(default=None, repr=False)

    @property
    def run(self) -> str:
        return iris.run_iri(self.pipeline, self.version, self.config_hash)

    def extract(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        if self._spans is None:
            self._spans = index_file(self)
        with _open(self.path) as handle:
            for doc in documents:
                entities, claims = _read_spans(handle, self._spans.get(doc.id, ()), self.path)
                yield Extraction(document=doc, entities=tuple(entities), claims=tuple(claims),
                                 pipeline=self.pipeline, pipeline_version=self.version, config_hash=self.config_hash)


def read_extractions(path: str | Path) -> JsonlExtractor:
    """Open an extraction file: the run line is read now, the rest on first use.

    A re-ingest where every document is unchanged never extracts, so it never
    pays for reading a large file.
    """
    path = Path(path)
    extractor = JsonlExtractor(path=path)
    with _open(path) as handle:
        for number, _, _, data in _lines(handle, path):
            if data.get("kind") != "run":
                break
            _apply_run(extractor, data, path, number)
    return extractor


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise ExtractionFileError(f"{path}: cannot read the extraction file: {exc.strerror}") from exc


def _lines(handle: BinaryIO, path: Path) -> Iterator[tuple[int, int, int, dict]]:
    """(line number, start and end byte offsets, JSON object) for each non-blank line of the file."""
    offset = 0
    for number, line in enumerate(handle, 1):
        start, offset = offset, offset + len(line)
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise ExtractionFileError(f"{path}:{number}: not an extraction line: {exc}") from None
        if not isinstance(data, dict):
            raise ExtractionFileError(f"{path}:{number}: not an extraction line: not a JSON object")
        yield number, start, offset, data


def _apply_run(extractor: JsonlExtractor, data: dict, path: Path, number: int) -> None:
    try:
        extractor.pipeline = str(data["pipeline"])
        extractor.version = str(data["version"])
        extractor.config_hash = str(data.get("config_hash", extractor.config_hash))
    except KeyError as exc:
        raise ExtractionFileError(f"{path}:{number}: not an extraction line: missing field {exc}") from None


def _parse(data: dict) -> Entity | Claim:
    """One entity or claim line as its value; ValueError/KeyError/TypeError when it breaks the contract."""
    kind = data.get("kind")
    if kind == "entity":
        entity = Entity.from_json(data)
        _check_iris(entity.iri, entity.cls)
        return entity
    if kind == "claim":
        claim = Claim.from_json(data)
        _check_iris(claim.subject.iri, claim.object.iri, *([claim.place.iri] if claim.place else []))
        return claim
    raise ValueError(f"unknown kind {kind!r} (expected entity, claim or run)")


def _check_iris(*values: str) -> None:
    for value in values:
        if not isinstance(value, str) or not is_iri(value):
            raise ValueError(f"{value!r} is not an absolute IRI")


def _reason(exc: Exception) -> str:
    return f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)


def index_file(extractor: JsonlExtractor) -> dict[str, Spans]:
    """Check every line and map each document id to where its lines are; run lines update the run."""
    path = extractor.path
    spans: dict[str, Spans] = {}
    with _open(path) as handle:
        for number, start, end, data in _lines(handle, path):
            if data.get("kind") == "run":
                _apply_run(extractor, data, path, number)
                continue
            try:
                _parse(data)
                doc = data["doc"]
                if not isinstance(doc, str):
                    raise ValueError("'doc' must be a string")
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise ExtractionFileError(f"{path}:{number}: not an extraction line: {_reason(exc)}") from None
            runs = spans.setdefault(doc, [])
            if runs and sum(runs[-1]) == start:
                runs[-1] = (runs[-1][0], end - runs[-1][0])  # the usual case: a document's lines follow each other
            else:
                runs.append((start, end - start))
    return spans


def _read_spans(handle: BinaryIO, spans: Iterable[tuple[int, int]], path: Path) -> tuple[list[Entity], list[Claim]]:
    """The entities and claims of one document, read back from where the index found them."""
    entities: list[Entity] = []
    claims: list[Claim] = []
    for offset, length in spans:
        handle.seek(offset)
        for line in handle.read(length).splitlines():
            if line.strip():
                item = _parse(json.loads(line))  # checked by index_file already
                (entities if isinstance(item, Entity) else claims).append(item)
    return entities, claims
