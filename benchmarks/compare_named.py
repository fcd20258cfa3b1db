"""Two versions of the named queries on one store: the same answers, and how long each takes.

    python benchmarks/compare_named.py --store /tmp/apib/s12k/store --old main --countries PE,CO

For a rewrite of ``queries/*.rq`` that must not change what they answer. Each
query runs in-process through the named-query path (parameters bound by
substitution, union default graph), once per parameter set: each country of
``--countries`` with year 2013 and without a year; the example actor with and
without a year; the first claim of the store. ``--old`` is a folder of ``.rq``
files or a git revision (its ``queries/``); ``--new`` defaults to the working
tree's. The rows must be equal as multisets (``?mechanisms`` as a set of words:
GROUP_CONCAT has no order) and the new order must follow the old ORDER BY keys
(a rewrite may add tie-breakers). Prints one line per run, the fastest of
``--repeat`` runs of each version; exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.query.named import NamedQuery, load_all, parse  # noqa: E402
from kg.store.base import Dataset  # noqa: E402
from kg.store.embedded import EmbeddedStore  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ACTOR = "https://w3id.org/arcon/id/criminal-group/shining-path"
Row = dict[str, str]


def queries_at(source: str) -> dict[str, NamedQuery]:
    """The named queries of a folder, or of ``queries/`` at a git revision."""
    if Path(source).is_dir():
        return load_all(Path(source))
    listing = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "--name-only", source, "queries/"],
                             capture_output=True, text=True, check=True).stdout.split()
    out = {}
    for path in listing:
        if path.endswith(".rq"):
            text = subprocess.run(["git", "-C", str(ROOT), "show", f"{source}:{path}"],
                                  capture_output=True, text=True, check=True).stdout
            out[Path(path).stem] = parse(Path(path).stem, text)
    return out


def parameter_sets(query: NamedQuery, countries: list[str], claim: str) -> list[dict[str, str]]:
    names = {p.name for p in query.params}
    if "country" in names:
        return [s for c in countries for s in ({"country": c, "year": "2013"}, {"country": c})]
    if "actor" in names:
        return [{"actor": ACTOR, "year": "2013"}, {"actor": ACTOR}]
    return [{"claim": claim}] if "claim" in names else [{}]


def run(store: EmbeddedStore, query: NamedQuery, raw: dict[str, str], repeat: int) -> tuple[list[str], list[Row], float]:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = store.query(query.sparql, Dataset(union_default=True), query.bindings(raw))
        rows = [{k: v.n3() for k, v in r.items()} for r in result.rows()]
        best = min(best, time.perf_counter() - start)
    return result.variables, rows, best


def comparable(row: Row) -> tuple:
    return tuple(sorted((k, " ".join(sorted(v.strip('"').split())) if k == "mechanisms" else v) for k, v in row.items()))


def order_keys(sparql: str) -> list[str]:
    found = re.search(r"^ORDER BY (.*)$", sparql, re.M)
    return re.findall(r"\?(\w+)", found.group(1)) if found else []


def differences(old: NamedQuery, old_answer: tuple, new_answer: tuple) -> list[str]:
    (old_vars, old_rows), (new_vars, new_rows) = old_answer, new_answer
    problems = []
    if old_vars != new_vars:
        problems.append(f"variables {old_vars} → {new_vars}")
    if Counter(map(comparable, old_rows)) != Counter(map(comparable, new_rows)):
        problems.append("rows differ")
    keys = order_keys(old.sparql)
    if [[r.get(k) for k in keys] for r in old_rows] != [[r.get(k) for k in keys] for r in new_rows]:
        problems.append(f"order by {', '.join(keys)} differs")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", required=True, help="store folder (opened read-only)")
    ap.add_argument("--old", required=True, help="folder of .rq files, or a git revision")
    ap.add_argument("--new", default=str(ROOT / "queries"), help="folder of .rq files, or a git revision")
    ap.add_argument("--countries", default="PE", help="comma-separated ISO codes")
    ap.add_argument("--queries", default="", help="only these (comma-separated)")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    store = EmbeddedStore(args.store, read_only=True)
    old, new = queries_at(args.old), queries_at(args.new)
    first = store.query("SELECT (MIN(STR(?c)) AS ?claim) WHERE { ?c a <https://w3id.org/arcon/ontology#Claim> }",
                        Dataset(union_default=True))
    claim = str(next(first.rows()).get("claim", ""))
    only = set(filter(None, args.queries.split(",")))
    failed = 0
    print(f"store {args.store}; old {args.old}, new {args.new}; fastest of {args.repeat}")
    for name in sorted(set(old) & set(new)):
        if only and name not in only:
            continue
        for raw in parameter_sets(old[name], args.countries.split(","), claim):
            *old_answer, old_s = run(store, old[name], raw, args.repeat)
            *new_answer, new_s = run(store, new[name], raw, args.repeat)
            problems = differences(old[name], tuple(old_answer), tuple(new_answer))
            failed += bool(problems)
            shown = ", ".join(f"{k}={v.rsplit('/', 1)[-1]}" for k, v in raw.items())
            print(f"{'same' if not problems else 'DIFF'} {name:21} {shown:28} {len(old_answer[1]):6} rows  "
                  f"old {old_s * 1000:9.1f} ms  new {new_s * 1000:9.1f} ms  {'; '.join(problems)}", flush=True)
    print("all answers the same" if not failed else f"{failed} answers differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
