"""Extractions from `arcon extract --format jsonl` output, so a graph can be built without spaCy.

The file holds ``entity`` and ``claim`` lines (kg.extract.types) keyed by
``doc``; an optional ``{"kind": "run", "pipeline", "version", "config_hash"}``
line names the extraction run (else the defaults of ``Extraction``). A document
with no line in the file is taken to have no entities and no claims.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.extract.types import Claim, Entity, Extraction
from kg.rdf import iris
from kg.sources.document import Document


class ExtractionFileError(ValueError):
    """A line of an extraction file is not the contract; the message names file and line."""


@dataclass
class JsonlExtractor:
    """An extractor that looks its answers up in an extraction JSONL file."""

    path: Path
    pipeline: str = "arcon-extract"
    version: str = "0"
    config_hash: str = "0" * 12
    _entities: dict[str, list[Entity]] = field(default_factory=dict, repr=False)
    _claims: dict[str, list[Claim]] = field(default_factory=dict, repr=False)
    _loaded: bool = field(default=False, repr=False)

    @property
    def run(self) -> str:
        return iris.run_iri(self.pipeline, self.version, self.config_hash)

    def extract(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        if not self._loaded:
            _load(self)
        for doc in documents:
            yield Extraction(document=doc, entities=tuple(self._entities.get(doc.id, ())),
                             claims=tuple(self._claims.get(doc.id, ())), pipeline=self.pipeline,
                             pipeline_version=self.version, config_hash=self.config_hash)


def read_extractions(path: str | Path) -> JsonlExtractor:
    """Open an extraction file: the run line is read now, the rest on first use.

    A re-ingest where every document is unchanged never extracts, so it never
    pays for parsing a large file.
    """
    path = Path(path)
    extractor = JsonlExtractor(path=path)
    for number, data in _lines(path):
        if data.get("kind") != "run":
            break
        _apply_run(extractor, data, path, number)
    return extractor


def _lines(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise ExtractionFileError(f"{path}: cannot read the extraction file: {exc.strerror}") from exc
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError as exc:
                raise ExtractionFileError(f"{path}:{number}: not an extraction line: {exc}") from None
            if not isinstance(data, dict):
                raise ExtractionFileError(f"{path}:{number}: not an extraction line: not a JSON object")
            yield number, data


def _apply_run(extractor: JsonlExtractor, data: dict, path: Path, number: int) -> None:
    try:
        extractor.pipeline = str(data["pipeline"])
        extractor.version = str(data["version"])
        extractor.config_hash = str(data.get("config_hash", extractor.config_hash))
    except KeyError as exc:
        raise ExtractionFileError(f"{path}:{number}: not an extraction line: missing field {exc}") from None


def _load(extractor: JsonlExtractor) -> None:
    path = extractor.path
    for number, data in _lines(path):
        try:
            kind = data.get("kind")
            if kind == "entity":
                extractor._entities.setdefault(data["doc"], []).append(Entity.from_json(data))
            elif kind == "claim":
                extractor._claims.setdefault(data["doc"], []).append(Claim.from_json(data))
            elif kind == "run":
                _apply_run(extractor, data, path, number)
            else:
                raise ValueError(f"unknown kind {kind!r} (expected entity, claim or run)")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise ExtractionFileError(f"{path}:{number}: not an extraction line: {reason}") from None
    extractor._loaded = True
