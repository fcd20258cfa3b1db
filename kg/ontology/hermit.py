"""Load the ontology with owlready2 and classify it with HermiT.

owlready2 reads RDF/XML and N-Triples, not Turtle, so each module is handed
over as N-Triples, the TBox first, in a private ``World`` so nothing leaks into
owlready2's default store. Imports resolve to the modules already loaded,
never to the network.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from dataclasses import dataclass

from kg.ontology.files import Module, OntologyError, parse_file


_EXCEPTION = re.compile(r"^(?:Exception in thread \S+ )?[\w.$]+(?:Exception|Error): (.+)$", re.MULTILINE)


def java_reason(output: str) -> str:
    """The message of the first Java exception in a stack trace, or the output's last line."""
    match = _EXCEPTION.search(output)
    if match:
        return match.group(1).strip()
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no output"


@dataclass(frozen=True)
class HermitResult:
    """What HermiT says: consistent or not, and the classes that can have no instance."""

    consistent: bool
    unsatisfiable: tuple[str, ...]


def classify(modules: list[Module]) -> HermitResult:
    """Load every module into owlready2 and run HermiT on the whole."""
    import owlready2  # imported here: a slow import only the check needs

    world = owlready2.World()
    loaded = {}
    for module in modules:  # the TBox comes first, so later imports find it loaded
        data = parse_file(module.path).serialize(format="nt", encoding="utf-8")
        try:
            loaded[module.iri] = world.get_ontology(module.iri).load(fileobj=io.BytesIO(data), format="ntriples")
        except Exception as error:
            raise OntologyError(f"{module.path.name}: owlready2 cannot load it: {error}") from None
    missing = {str(o.base_iri).rstrip("#/") for onto in loaded.values() for o in onto.imported_ontologies} - set(loaded)
    if missing:
        raise OntologyError(f"imports that no module provides: {', '.join(sorted(missing))}")
    try:
        # HermiT's command line cannot build its default base IRI when the working
        # directory is "/", so it runs from a scratch folder.
        with tempfile.TemporaryDirectory() as scratch, contextlib.chdir(scratch), \
                contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return HermitResult(False, ())
    except Exception as error:  # a Java failure, e.g. an axiom HermiT rejects
        raise OntologyError(f"HermiT failed: {java_reason(str(error))}") from None
    unsatisfiable = tuple(sorted(c.iri for c in world.inconsistent_classes()))
    return HermitResult(True, unsatisfiable)
