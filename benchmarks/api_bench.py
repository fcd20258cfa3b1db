"""The HTTP API measured: latency against in-process pyoxigraph, throughput under load, memory, rdflib-endpoint.

    python benchmarks/synthetic.py 12000 /tmp/apib/c12k --places
    arcon ingest /tmp/apib/c12k/articles.jsonl --extractions /tmp/apib/c12k/extractions.jsonl --store /tmp/apib/s12k
    python benchmarks/api_bench.py --store /tmp/apib/s12k [--rdflib]

Against a store on disk (``--store``) it starts two `arcon serve` on loopback
(uvicorn, the default two query workers), one with the answer cache switched
off (``ARCON_RESULT_CACHE_BYTES=0``) and one as configured by default, and,
with ``--rdflib``, `rdflib-endpoint serve` over an N-Quads dump of the same
store (``pip install -r benchmarks/requirements-bench.lock``). Then:

1. **latency** (the server without cache): each named query (parameters
   country=PE, year=2013, ``--actor``, a claim of the store) ``--repeat`` times
   one after the other from one keep-alive httpx client: in-process on the
   server's snapshot (pyoxigraph query and SPARQL-JSON serialisation, what a
   worker does), through ``/queries/{name}``, and the same query as plain SPARQL
   with the values written in (`api_servers.inline`) through ARCON's
   ``/sparql`` and rdflib-endpoint's; plus two ad-hoc queries (a small SELECT,
   an ASK). The answers of all paths are compared.
2. **load**: `wrk` (``--connections`` clients, a Lua script rotating over the
   URLs of a mix) against each server: named-query mixes (``--mix``) and the
   ad-hoc queries; requests/s, latency p50/p99, non-2xx and socket errors, and
   status codes per path from the server's access log.
3. **memory**: RSS and PSS summed over the server process and its workers
   (/proc/PID/smaps_rollup), at idle and the peak of each load run (sampled
   every 0.5 s).

Responses are not compressed (``Accept-Encoding: identity``; wrk sends no
Accept-Encoding either). Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_servers import ADHOC, SPARQL_PATH, RdflibEndpoint, inline  # noqa: E402
from proctree import PeakSampler, tree_memory  # noqa: E402

from kg.query.named import NamedQuery, load_all  # noqa: E402
from kg.store import snapshots  # noqa: E402
from kg.store.base import Dataset  # noqa: E402
from kg.store.embedded import EmbeddedStore  # noqa: E402
from tests.live_server import free_port, live_server  # noqa: E402

JSON = "application/sparql-results+json"
HEADERS = {"Accept": JSON, "Accept-Encoding": "identity"}


def load_text() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def pct(samples: list[float], p: float) -> float:
    """The p-quantile in ms (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] * 1000


def answer_size(body: bytes) -> int | bool:
    """Rows of a SPARQL-JSON SELECT answer, or the boolean of an ASK."""
    data = json.loads(body)
    return data["boolean"] if "boolean" in data else len(data["results"]["bindings"])


# -- parameters ---------------------------------------------------------------------------
def example_values(store: EmbeddedStore, actor: str) -> dict[str, str]:
    has_actor = store.query(f"ASK {{ ?claim <https://w3id.org/arcon/ontology#subject> <{actor}> }}",
                            Dataset()).boolean()
    if not has_actor:
        raise SystemExit(f"the actor {actor} is the subject of no claim in this store: pass --actor IRI")
    first = store.query("SELECT (MIN(STR(?c)) AS ?claim) WHERE { ?c a <https://w3id.org/arcon/ontology#Claim> }",
                        Dataset())
    claim = str(next(first.rows())["claim"])
    return {"country": "PE", "year": "2013", "actor": actor, "claim": claim}


def params_for(q: NamedQuery, values: dict[str, str]) -> dict[str, str]:
    return {p.name: values[p.name] for p in q.params if p.name in values}


# -- 1. latency -----------------------------------------------------------------------------
def timed_get(client: httpx.Client, url: str, params: dict[str, str]) -> tuple[float, bytes]:
    start = time.perf_counter()
    r = client.get(url, params=params, headers=HEADERS)
    elapsed = time.perf_counter() - start
    if r.status_code != 200:
        raise SystemExit(f"{url} {params}: HTTP {r.status_code}: {r.text[:500]}")
    return elapsed, r.content


def in_process(store: EmbeddedStore, sparql: str, bindings) -> tuple[float, bytes]:
    start = time.perf_counter()
    out = io.BytesIO()
    store.query(sparql, Dataset(), bindings).write(out, JSON)
    return time.perf_counter() - start, out.getvalue()


def on_rdflib(server: RdflibEndpoint, text: str, repeat: int, timeout: float) -> tuple[list[float], object]:
    """Samples of one query on rdflib-endpoint; on a time-out, ([], None) and the server restarted."""
    samples, answer = [], None
    with httpx.Client(timeout=timeout) as client:
        for _ in range(repeat):
            try:
                t, body = timed_get(client, server.url + SPARQL_PATH["rdflib-endpoint"], {"query": text})
            except httpx.TimeoutException:
                server.restart()
                return [], None
            samples.append(t)
            answer = answer_size(body)
    return samples, answer


def latency(arcon: str, rdflib: RdflibEndpoint | None, store: EmbeddedStore, queries: dict[str, NamedQuery],
            values: dict[str, str], args) -> list[dict]:
    """Per query: samples in-process, through the named route, through /sparql, and on rdflib-endpoint."""
    cases = []
    only = set(args.queries.split(",")) - {""}
    for name, q in queries.items():
        raw = params_for(q, values)
        cases.append({"name": name, "kind": "named", "sparql": q.sparql, "bindings": q.bindings(raw),
                      "route": (f"{arcon}queries/{name}", raw), "text": inline(q, raw)})
    for name, text in ADHOC.items():
        cases.append({"name": name, "kind": "ad hoc", "sparql": text, "bindings": None, "route": None, "text": text})
    cases = [c for c in cases if not only or c["name"] in only]
    with httpx.Client(timeout=600) as client:
        for case in cases:
            for _ in range(2):  # warm up every worker (the pool hands them out in turn)
                in_process(store, case["sparql"], case["bindings"])
                client.get(f"{arcon}sparql", params={"query": case["text"]}, headers=HEADERS)
            samples: dict[str, list[float]] = {"inproc": [], "route": [], "sparql": []}
            began = time.perf_counter()
            for n in range(args.repeat):
                if n >= 5 and time.perf_counter() - began > args.budget:
                    break
                t, body = in_process(store, case["sparql"], case["bindings"])
                samples["inproc"].append(t)
                case["answer"] = answer_size(body)
                case["bytes"] = len(body)
                if case["route"]:
                    t, body = timed_get(client, *case["route"])
                    samples["route"].append(t)
                    assert answer_size(body) == case["answer"], f"{case['name']}: route and in-process differ"
                t, body = timed_get(client, f"{arcon}sparql", {"query": case["text"]})
                samples["sparql"].append(t)
                case["sparql_answer"] = answer_size(body)
            case["rdflib_skipped"] = rdflib is not None and args.rdflib_queries and \
                case["name"] not in args.rdflib_queries.split(",")
            if rdflib and not case["rdflib_skipped"]:
                samples["rdflib"], case["rdflib_answer"] = on_rdflib(rdflib, case["text"], args.rdflib_repeat,
                                                                     args.rdflib_timeout)
            case["samples"] = samples
            print(f"  {case['name']}: answer {case['answer']}, in-process p50 {pct(samples['inproc'], .5):.1f} ms"
                  + (f", rdflib p50 {pct(samples['rdflib'], .5):.0f} ms" if samples.get("rdflib") else ""),
                  file=sys.stderr, flush=True)
    return cases


def latency_table(cases: list[dict], rdflib: bool, rdflib_timeout: float) -> str:
    head = ["query", "rows", "JSON bytes", "runs", "in-process p50 / p95", "/queries p50 / p95", "HTTP overhead p50",
            "/sparql (values written in) p50 / p95"]
    if rdflib:
        head += ["rdflib-endpoint p50 / p95", "rdflib / ARCON (/sparql p50)", "same rows"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for c in cases:
        s = c["samples"]
        inproc, sparql = statistics.median(s["inproc"]), statistics.median(s["sparql"])
        via = statistics.median(s["route"]) if s["route"] else sparql
        cells = [c["name"], str(c["answer"]), f"{c['bytes']:,}", str(len(s["inproc"])),
                 f"{pct(s['inproc'], .5):.1f} / {pct(s['inproc'], .95):.1f}",
                 f"{pct(s['route'], .5):.1f} / {pct(s['route'], .95):.1f}" if s["route"] else "–",
                 f"{(via - inproc) * 1000:+.1f}",
                 f"{pct(s['sparql'], .5):.1f} / {pct(s['sparql'], .95):.1f}"]
        if rdflib and c["rdflib_skipped"]:
            cells += ["not run", "–", "–"]
        elif rdflib and not s["rdflib"]:
            cells += [f"> {rdflib_timeout:.0f} s (stopped)", f"> {rdflib_timeout / sparql:.0f}×", "–"]
        elif rdflib:
            r = statistics.median(s["rdflib"])
            same = c["rdflib_answer"] == c["sparql_answer"] == c["answer"]
            cells += [f"{pct(s['rdflib'], .5):.0f} / {pct(s['rdflib'], .95):.0f}", f"{r / sparql:.0f}×",
                      "yes" if same else f"**no** ({c['answer']} / {c['sparql_answer']} / {c['rdflib_answer']})"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# -- 2. load --------------------------------------------------------------------------------
LUA = """-- generated by benchmarks/api_bench.py: rotate over the URLs of one mix
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Accept"] = "%s"})
end
"""


def wrk_script(paths: list[str], folder: Path, name: str) -> Path:
    script = folder / (re.sub(r"\W+", "-", name) + ".lua")
    script.write_text(LUA % (", ".join(f'"{p}"' for p in paths), JSON))
    return script


def ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-3, "ms": 1, "s": 1e3, "m": 6e4}[unit]


def parse_wrk(out: str) -> dict:
    figures = {"requests": int(re.search(r"(\d+) requests in", out).group(1)),
               "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
               "non2xx": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0,
               "socket": "none"}
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        figures["socket"] = f"connect {m[1]}, read {m[2]}, write {m[3]}, timeout {m[4]}"
    for p in ("50", "99"):
        m = re.search(rf"^\s+{p}%\s+(\S+)", out, re.M)
        figures[f"p{p}"] = ms(m.group(1)) if m else float("nan")
    return figures


def access_statuses(log: Path, offset: int) -> Counter:
    """Status codes in uvicorn's access log after ``offset``, by path (without the query string)."""
    counts: Counter = Counter()
    with open(log, "rb") as handle:
        handle.seek(offset)
        for line in handle.read().decode("utf-8", "replace").splitlines():
            if m := re.search(r'"GET (/[^ ?]*)\S* HTTP/1\.1" (\d{3})', line):
                counts[(m[1], m[2])] += 1
    return counts


def load_run(server: str, pid: int, log: Path, paths: list[str], name: str, args, folder: Path) -> dict:
    script = wrk_script(paths, folder, name)
    offset = log.stat().st_size
    before = load_text()
    cmd = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", f"--timeout={args.wrk_timeout}s",
           "--latency", "-s", str(script), server]
    with PeakSampler(pid) as sampler:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    time.sleep(1)  # let the access log catch up
    figures = parse_wrk(out)
    figures.update(peak=sampler.peak, load=f"{before} → {load_text()}", statuses=access_statuses(log, offset),
                   urls=len(paths), raw=out)
    print(f"  {name}: {figures['rps']:.1f} req/s, p50 {figures['p50']:.0f} ms, p99 {figures['p99']:.0f} ms, "
          f"non-2xx {figures['non2xx']}, socket errors {figures['socket']}", file=sys.stderr)
    return figures


def parse_mixes(specs: list[str], queries: dict[str, NamedQuery]) -> dict[str, list[str]]:
    """``NAME=query,query`` → {NAME: [query, …]}; the default mixes when none is given."""
    specs = specs or ["lookups=evidence,neighbourhood", "all named=" + ",".join(queries)]
    out = {}
    for spec in specs:
        name, _, names = spec.partition("=")
        unknown = [n for n in names.split(",") if n not in queries]
        if unknown or not names:
            raise SystemExit(f"--mix {spec!r}: no named query {unknown}")
        out[name] = names.split(",")
    return out


def mix_paths(server: str, queries: dict[str, NamedQuery], values: dict[str, str],
              named: dict[str, list[str]]) -> dict[str, list[str]]:
    """URL paths (with query strings) of each mix; rdflib-endpoint gets the named queries as plain SPARQL."""
    sparql = "/" + SPARQL_PATH[server] + "?"
    out = {}
    for mix, names in named.items():
        out[mix] = [f"/queries/{name}?" + urlencode(params_for(queries[name], values), quote_via=quote)
                    if server == "ARCON" else
                    sparql + urlencode({"query": inline(queries[name], params_for(queries[name], values))},
                                       quote_via=quote)
                    for name in names]
    out["ad-hoc /sparql"] = [sparql + urlencode({"query": text}, quote_via=quote) for text in ADHOC.values()]
    return out


def load_table(runs: list[tuple[str, str, dict]], connections: int, duration: int) -> str:
    lines = [f"| server | mix | requests in {duration} s | requests/s | p50 ms | p99 ms | non-2xx | socket errors "
             "| status codes (server log) | peak memory during the run | load average before → after |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for server, mix, f in runs:
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(Counter(
            code for (_, code), n in f["statuses"].items() for _ in range(n)).items()))
        p50, p99 = (f"{f['p50']:.0f}", f"{f['p99']:.0f}") if f["requests"] else ("–", "–")
        lines.append(f"| {server} | {mix} ({f['urls']} URLs, {connections} connections) | {f['requests']:,} "
                     f"| {f['rps']:.1f} | {p50} | {p99} | {f['non2xx']} | {f['socket']} "
                     f"| {statuses} | {f['peak']} | {f['load']} |")
    return "\n".join(lines)


# -- main -----------------------------------------------------------------------------------
def version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True, help="store folder (see the module docstring)")
    ap.add_argument("--actor", default="https://w3id.org/arcon/id/criminal-group/shining-path",
                    help="actor of the neighbourhood query (must be the subject of a claim)")
    ap.add_argument("--repeat", type=int, default=30, help="latency samples per query and path")
    ap.add_argument("--rdflib", action="store_true", help="also run rdflib-endpoint over a dump of the store")
    ap.add_argument("--rdflib-repeat", type=int, default=5, help="latency samples per query on rdflib-endpoint")
    ap.add_argument("--rdflib-timeout", type=float, default=300, help="seconds before giving up a query on rdflib")
    ap.add_argument("--rdflib-queries", default="", help="only these queries on rdflib (comma-separated; no load run)")
    ap.add_argument("--queries", default="", help="latency of these queries only (named or ad-hoc, comma-separated)")
    ap.add_argument("--budget", type=float, default=60, help="stop sampling a query after this many seconds (≥ 5 runs)")
    ap.add_argument("--dump", type=Path, default=None, help="N-Quads dump to serve with rdflib (default: made)")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--duration", type=int, default=30, help="seconds of each wrk run")
    ap.add_argument("--wrk-timeout", type=int, default=60, help="wrk's per-request time-out, seconds")
    ap.add_argument("--mix", action="append", default=[], metavar="NAME=QUERY,…",
                    help="a load mix of named queries (repeatable; default: lookups=evidence,neighbourhood and "
                         "all named=every query)")
    ap.add_argument("--skip", default="", help="comma-separated: latency,load")
    args = ap.parse_args()
    store_path = args.store.resolve()
    if not store_path.is_dir():
        raise SystemExit(f"no store at {store_path}")
    if "load" not in args.skip and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    if args.rdflib and version("rdflib-endpoint") == "not installed":
        raise SystemExit("rdflib-endpoint is not installed: pip install -r benchmarks/requirements-bench.lock")
    queries = load_all()
    named_mixes = parse_mixes(args.mix, queries)
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split(" [")[0] \
        if shutil.which("wrk") else "–"
    print(f"machine: {platform.node()}, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, Python "
          f"{platform.python_version()}, pyoxigraph {ox.__version__}, uvicorn {version('uvicorn')}, rdflib "
          f"{version('rdflib')}, rdflib-endpoint {version('rdflib-endpoint')}, {wrk_version}; "
          f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, load average {load_text()}")
    print(f"command: python benchmarks/api_bench.py {' '.join(sys.argv[1:])}\n")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on `kill` too
    work = Path(tempfile.mkdtemp(prefix="api-bench-"))
    rdflib: RdflibEndpoint | None = None
    # Two ARCON servers over the same store: one without the answer cache (kg/api/cache.py), for the
    # latency of the queries themselves and the load they cause, one as configured by default.
    try:
        with live_server(store_path, env={"ARCON_RESULT_CACHE_BYTES": "0"}) as plain, live_server(store_path) as cached:
            servers = {"ARCON, no cache": plain, "ARCON (cache)": cached}
            logs = {name: store_path.parent / f"server-{url.rstrip('/').rsplit(':', 1)[1]}.log"
                    for name, url in servers.items()}
            for name, url in servers.items():
                print(f"`arcon serve` ({name}) idle, server + workers: {tree_memory(url.pid)}")
            snap = snapshots.current(store_path)
            local = EmbeddedStore(snap.path, read_only=True)
            values = example_values(local, args.actor)
            quads = len(local._store)  # noqa: SLF001 - a count for the report
            print(f"store {store_path}: snapshot {snap.name}, {quads:,} quads; parameters {values}\n")
            if args.rdflib:
                dump = args.dump
                if dump is None:
                    dump = work / "dump.nq"
                    start = time.perf_counter()
                    with open(dump, "wb") as out:
                        local.dump(out)
                    print(f"dump for rdflib: {dump.stat().st_size / 2**20:,.0f} MiB N-Quads in "
                          f"{time.perf_counter() - start:.1f} s")
                load_before = load_text()
                rdflib = RdflibEndpoint(dump, free_port(), work / "rdflib.log")
                rdflib.start()
                print(f"rdflib-endpoint: loaded and answering after {rdflib.started:.1f} s (load average "
                      f"{load_before} → {load_text()}); peak while loading {rdflib.loading_peak}; "
                      f"idle {tree_memory(rdflib.pid)}\n", flush=True)
            if "latency" not in args.skip:
                print(f"## Latency, one client, {args.repeat} runs each ({args.rdflib_repeat} on rdflib), "
                      f"ARCON without the answer cache; load average {load_text()} at the start", flush=True)
                cases = latency(plain, rdflib, local, queries, values, args)
                print(latency_table(cases, rdflib is not None, args.rdflib_timeout))
                print(f"load average at the end: {load_text()}\n", flush=True)
            if "load" not in args.skip:
                runs = []
                for name, url in servers.items():
                    for mix, paths in mix_paths("ARCON", queries, values, named_mixes).items():
                        runs.append((name, mix, load_run(url, url.pid, logs[name], paths, f"{name}-{mix}", args,
                                                         work)))
                if rdflib and not args.rdflib_queries:
                    for mix, paths in mix_paths("rdflib-endpoint", queries, values, named_mixes).items():
                        runs.append(("rdflib-endpoint", mix, load_run(rdflib.url, rdflib.pid, rdflib.log, paths,
                                                                      f"rdflib-{mix}", args, work)))
                        rdflib.restart()  # it may still be working through the requests wrk gave up on
                print(f"## Load: wrk -t2 -c{args.connections} -d{args.duration}s --timeout {args.wrk_timeout}s; "
                      + "; ".join(f"{mix}: {', '.join(names)}" for mix, names in named_mixes.items()))
                print(load_table(runs, args.connections, args.duration))
                for server, mix, f in runs:
                    bad = {k: n for k, n in f["statuses"].items() if k[1] != "200"}
                    if bad or f["non2xx"] or f["socket"] != "none":
                        print(f"\n{server} / {mix}: failures by path {bad}\n{f['raw']}")
                for name, url in servers.items():
                    print(f"\n`arcon serve` ({name}) idle after the runs: {tree_memory(url.pid)}")
    finally:
        if rdflib is not None:
            rdflib.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
