"""Make a scratch copy of the ontology folder and break it on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.resources import ontology_dir


def copy_ontology(tmp_path: Path) -> Path:
    target = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), target)
    return target


def replace(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of ``old`` (so a test fails loudly if the ontology changed)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"expected exactly one {old!r} in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(path: Path, turtle: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n" + turtle + "\n")


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path.name}")
