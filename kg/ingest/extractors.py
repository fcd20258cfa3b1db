"""Which extractor ingest runs: the spaCy pipeline, or answers read from an extraction JSONL file."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from kg.extract.types import Extraction
from kg.rdf import iris
from kg.sources.document import Document


class ExtractorUnavailable(RuntimeError):
    """The spaCy extractor cannot be loaded; the message says what to do instead."""


@dataclass
class PipelineExtractor:
    """``kg.extract.pipeline`` behind the ingest ``Extractor`` protocol.

    The run (pipeline name, version, configuration hash) is known once the
    pipeline is built, before any document is read, so unchanged documents are
    skipped without being extracted.
    """

    module: ModuleType
    nlp: Any
    processes: int = 1

    @property
    def run(self) -> str:
        identity = getattr(self.module, "pipeline_identity", None)
        if callable(identity):
            name, version, config_hash = identity(self.nlp)
        else:  # as kg.extract.pipeline.extract labels its output
            name = self.module.PIPELINE_NAME
            version = f"{self.module.PIPELINE_VERSION}+{self.nlp.meta.get('arcon_model')}"
            config_hash = self.module.config_hash(self.nlp)
        return iris.run_iri(name, version, config_hash)

    def extract(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        return self.module.extract(documents, self.nlp, processes=self.processes)


def pipeline_extractor(processes: int = 1) -> PipelineExtractor:
    hint = "pass --extractions FILE.jsonl (the output of `arcon extract --format jsonl`) to build without spaCy"
    try:
        module = importlib.import_module("kg.extract.pipeline")
    except ImportError as exc:
        raise ExtractorUnavailable(f"the spaCy extractor cannot be loaded ({exc}); {hint}") from exc
    for name in ("build_pipeline", "extract"):
        if not callable(getattr(module, name, None)):
            raise ExtractorUnavailable(f"kg.extract.pipeline has no {name}(); {hint}")
    return PipelineExtractor(module=module, nlp=module.build_pipeline(), processes=processes)
