"""The ontology-derived lexicon, loaded once per process and cached on disk.

Parsing the Turtle files takes about a second; the extractor starts many times
(tests, CLI runs, worker processes), so the derived :class:`Lexicon` and the
normalised gazetteer patterns are cached under ``ARCON_CACHE_DIR`` (default
``~/.cache/arcon``), keyed by a hash of the ontology files' bytes. Editing any
file of the ontology (a Protégé save) changes the hash, so the next run
rebuilds: no stale synonyms, no code change.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.ontology.gazetteer_data import Lexicon, lexicon_from_graph
from kg.resources import ontology_dir

#: Bump when the derived data's shape or derivation changes, so old caches are ignored.
CACHE_FORMAT = "4"


def resolve_ontology_dir(path: str | Path | None) -> Path:
    return Path(path) if path else ontology_dir()


def ontology_files(folder: Path) -> list[Path]:
    """The files whose content defines the lexicon and the relation patterns."""
    files = sorted(folder.glob("*.ttl")) + sorted(folder.glob("*.yaml"))
    if not any(f.suffix == ".ttl" for f in files):
        raise FileNotFoundError(f"no ontology (*.ttl) in {folder}; set ARCON_ONTOLOGY_DIR to the ontology folder")
    return files


def ontology_hash(folder: Path) -> str:
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    for path in ontology_files(folder):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_dir() -> Path:
    return Path(os.environ.get("ARCON_CACHE_DIR") or Path.home() / ".cache" / "arcon")


def read_cache(name: str) -> Any | None:
    path = cache_dir() / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_cache(name: str, value: Any) -> None:
    """Write atomically; a read-only or full disk only costs speed, never correctness."""
    path = cache_dir() / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


def load_ontology_graph(folder: Path):  # -> rdflib.Graph
    from rdflib import Graph

    graph = Graph()
    for path in ontology_files(folder):
        if path.suffix == ".ttl":
            graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=8)
def _load(folder: str, key: str) -> Lexicon:
    cached = read_cache(f"lexicon-{key}.json")
    if cached is not None:
        return Lexicon.from_json(cached)
    lexicon = lexicon_from_graph(load_ontology_graph(Path(folder)))
    write_cache(f"lexicon-{key}.json", lexicon.to_json())
    return lexicon


def load_lexicon(folder: str | Path | None = None) -> tuple[Lexicon, str]:
    """The lexicon of the ontology in ``folder`` (default: the configured one) and its hash."""
    resolved = resolve_ontology_dir(folder).resolve()
    key = ontology_hash(resolved)
    return _load(str(resolved), key), key
