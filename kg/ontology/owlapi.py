"""Run the OWL API (what Protégé is built on) and HermiT on the ontology files.

The Java side is ``kg/ontology/java/OwlApiCheck.java``. It is compiled on first
use against the OWL API 3.4.3 and HermiT jars that owlready2 installs (so they
arrive through pip, like every other dependency) into a cache folder, keyed by
a hash of the source and the jars, and reused by later runs. Nothing compiled
is committed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kg.ontology.files import Module, OntologyError

SOURCE = Path(__file__).with_name("java") / "OwlApiCheck.java"
MAIN_CLASS = "OwlApiCheck"
TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Finding:
    """One line of the checker's report: a kind (LOADED, UNPARSED, PROFILE, …), a file, a text."""

    kind: str
    file: str
    text: str


def jars() -> list[Path]:
    """The OWL API and HermiT jars shipped with owlready2."""
    import owlready2  # imported here: only the checks need it

    root = Path(owlready2.__file__).parent
    found = [root / "pellet" / "owlapi-distribution-3.4.3-bin.jar", root / "hermit" / "HermiT.jar"]
    missing = [str(p) for p in found if not p.is_file()]
    if missing:
        raise OntologyError(f"the OWL API jars that owlready2 should provide are missing: {', '.join(missing)}")
    return found


def cache_dir() -> Path:
    """Where compiled helpers live: ``$ARCON_CACHE_DIR`` or ``$XDG_CACHE_HOME/arcon`` or ``~/.cache/arcon``."""
    explicit = os.environ.get("ARCON_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "arcon"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise OntologyError(f"'{name}' was not found on PATH: the OWL API checks need a Java development kit (JDK 11 or newer)")
    return path


def compiled_checker() -> Path:
    """The folder holding the compiled checker, compiling it if this source and these jars are new."""
    classpath = jars()
    digest = hashlib.sha256(SOURCE.read_bytes())
    for jar in classpath:
        digest.update(f"{jar}:{jar.stat().st_size}".encode())
    target = cache_dir() / "java" / digest.hexdigest()[:16]
    if (target / f"{MAIN_CLASS}.class").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = tempfile.mkdtemp(dir=target.parent)
    try:
        result = subprocess.run(
            [_tool("javac"), "-nowarn", "-encoding", "UTF-8", "-d", scratch,
             "-cp", os.pathsep.join(map(str, classpath)), str(SOURCE)],
            capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
        )
        if result.returncode != 0:
            raise OntologyError(f"cannot compile {SOURCE.name}: {result.stderr.strip()}")
        try:
            os.replace(scratch, target)  # atomic: a concurrent run sees all of it or nothing
        except OSError:
            if not (target / f"{MAIN_CLASS}.class").is_file():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def run_checker(modules: list[Module], command: str, files: list[Path] | None = None) -> list[Finding]:
    """Run ``check`` (load, unparsed triples, DL profile, RDF/XML round trip) or ``explain`` (HermiT)."""
    classpath = [*jars(), compiled_checker()]
    args = [_tool("java"), "-Dfile.encoding=UTF-8", "-Xmx1g", "-cp", os.pathsep.join(map(str, classpath)), MAIN_CLASS]
    for module in modules:
        args += ["--map", f"{module.iri}={module.path.resolve().as_uri()}"]
    args.append(command)
    args += [str(f) for f in files or []]
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise OntologyError(f"the OWL API check took longer than {TIMEOUT_SECONDS} s") from None
    if result.returncode != 0:
        tail = result.stderr.strip().splitlines()[-5:]
        raise OntologyError("the OWL API checker failed: " + " | ".join(tail))
    findings = []
    for line in result.stdout.splitlines():
        kind, file, text = (line.split("\t", 2) + ["", ""])[:3]
        findings.append(Finding(kind, file, text))
    return findings
