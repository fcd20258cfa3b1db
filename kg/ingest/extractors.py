"""Which extractor ingest runs: the spaCy pipeline, or answers read from an extraction JSONL file."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType

from kg.extract.types import Extraction
from kg.rdf import iris
from kg.sources.document import Document


class ExtractorUnavailable(RuntimeError):
    """The spaCy extractor cannot be loaded; the message says what to do instead."""


@dataclass
class PipelineExtractor:
    """The spaCy pipeline of ``kg.extract.pipeline`` behind the ingest ``Extractor`` protocol.

    It relies on two functions of that module: ``pipeline_identity() -> (name,
    version, config_hash)`` (known before any document is read, so unchanged
    documents are skipped without extracting them) and
    ``extract_documents(documents, processes=N) -> Iterator[Extraction]``.
    """

    module: ModuleType
    processes: int = 1

    @property
    def run(self) -> str:
        name, version, config_hash = self.module.pipeline_identity()
        return iris.run_iri(name, version, config_hash)

    def extract(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        return self.module.extract_documents(list(documents), processes=self.processes)


def pipeline_extractor(processes: int = 1) -> PipelineExtractor:
    hint = "pass --extractions FILE.jsonl (the output of `arcon extract --format jsonl`) to build without spaCy"
    try:
        module = importlib.import_module("kg.extract.pipeline")
    except ImportError as exc:
        raise ExtractorUnavailable(f"the spaCy extractor cannot be loaded ({exc}); {hint}") from exc
    for name in ("pipeline_identity", "extract_documents"):
        if not callable(getattr(module, name, None)):
            raise ExtractorUnavailable(f"kg.extract.pipeline has no {name}(); {hint}")
    return PipelineExtractor(module=module, processes=processes)
