"""Time each phase of `arcon ontology check` and the derived views the extractor reads.

    .venv/bin/python benchmarks/ontology_check.py [--repeat N]

Prints one line per phase with the median wall time over N runs (default 3).
The Java checker is compiled before timing starts (a one-off per source/jar
change, cached in ~/.cache/arcon).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kg.ontology import check, docs, files, model, owlapi, rules


def timed(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    owlapi.compiled_checker()
    found = files.modules()

    def parse_and_rules() -> None:
        files._parse.cache_clear()
        files._modules.cache_clear()
        parsed = {m: files.parse_file(m.path) for m in files.modules()}
        rules.check_rules(parsed)

    with tempfile.TemporaryDirectory() as out:
        phases = [
            ("parse + editorial rules (rdflib)", parse_and_rules),
            ("HermiT via owlready2", lambda: check.reasoner_problems(found)),
            ("OWL API load, DL profile, round trip", lambda: check.owl_api_problems(found)),
            ("gazetteer_records() (cached graph)", model.gazetteer_records),
            ("HTML docs (pyLODE + module pages)", lambda: docs.write_docs(Path(out))),
            ("full check_ontology()", check.check_ontology),
        ]
        print(f"{'phase':40} median s ({repeat} runs)")
        for name, action in phases:
            print(f"{name:40} {timed(repeat, action):8.2f}")


if __name__ == "__main__":
    main()
