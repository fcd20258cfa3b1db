"""The built wheel carries the ontology, shapes and queries and runs `arcon ontology check`
after a non-editable install into a fresh virtual environment, from another working directory.

To stay fast the fresh environment gets the wheel without its dependencies, plus only the
distributions the ontology check imports, at the versions of requirements.lock (pip takes
them from its cache). The test checks that the wheel declares those dependencies, so what
it installs is a subset of what `pip install arcon-kg` would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.java]

ROOT = Path(__file__).resolve().parent.parent
# What `arcon ontology check` imports, and what those import.
CHECK_DEPENDENCIES = ("click", "rdflib", "pyparsing", "owlready2")


def pins() -> list[str]:
    locked = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        name, _, version = line.strip().partition("==")
        if version:
            locked[re.sub(r"[-_.]+", "-", name).lower()] = f"{name}=={version}"
    return [locked[name] for name in CHECK_DEPENDENCIES]


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)], cwd=ROOT)
    [built] = dist.glob("arcon_kg-*.whl")
    return built


def test_wheel_carries_the_data_folders(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for module in sorted((ROOT / "ontology").glob("*")):
        assert f"kg/_data/ontology/{module.name}" in names
    assert any(n.startswith("kg/_data/shapes/") for n in names)
    assert any(n.startswith("kg/_data/queries/") for n in names)
    assert "kg/ontology/java/OwlApiCheck.java" in names
    assert not [n for n in names if n.endswith((".class", ".jar"))]
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    declared = {
        re.split(r"[<>=!~ ;\[]", line.split(":", 1)[1].strip())[0].lower()
        for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
        if line.startswith("Requires-Dist:")
    }
    assert {"click", "rdflib", "owlready2"} <= declared


def test_installed_wheel_checks_the_ontology_from_another_folder(wheel, tmp_path):
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check", "install", "--quiet"]
    run([*pip, "--no-deps", str(wheel)], cwd=tmp_path)
    run([*pip, *pins()], cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARCON_", "PYTHON", "VIRTUAL_ENV"))}
    env["ARCON_CACHE_DIR"] = str(tmp_path / "cache")

    where = run([str(python), "-c", "import kg.resources as r; print(r.ontology_dir())"], cwd=elsewhere, env=env)
    assert where.stdout.strip() == str(venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
                                       / "site-packages" / "kg" / "_data" / "ontology")

    result = run([str(venv / "bin" / "arcon"), "ontology", "check"], cwd=elsewhere, env=env)
    assert "ontology check passed" in result.stdout
    assert "reference individuals:" in result.stdout
