"""The ingest progress bar (documents/s, claims, rejected, ETA) and the document count it needs.

Documents are streamed, so the total for the bar and the ETA comes from a
cheap count first: one per article file, one per line of a JSON Lines file.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from kg.ingest.pipeline import IngestStats
from kg.sources import SUPPORTED_SUFFIXES

_JSONL = (".jsonl", ".ndjson")


def count_documents(paths: Iterable[str | os.PathLike[str]]) -> int:
    """About how many documents ``paths`` hold (what ``read_documents`` will read, errors included)."""
    total = 0
    for given in paths:
        path = Path(given)
        files = [path] if path.is_file() else _files(path) if path.is_dir() else []
        for file in files:
            suffix = file.suffix.lower()
            if suffix in _JSONL:
                total += _lines(file)
            elif suffix in SUPPORTED_SUFFIXES:
                total += 1
    return total


def _files(folder: Path) -> Iterable[Path]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        yield from (Path(root) / name for name in names if not name.startswith("."))


def _lines(file: Path) -> int:
    count, last = 0, b"\n"
    try:
        with file.open("rb") as handle:
            while block := handle.read(1 << 20):
                count += block.count(b"\n")
                last = block[-1:]
    except OSError:
        return 1
    return count + (last != b"\n")


class ProgressBar:
    """A rich progress bar on stderr; silent when stderr is not a terminal or with --quiet."""

    def __init__(self, total: int, quiet: bool):
        self.enabled = not quiet and sys.stderr.isatty()
        self.total = total

    def __enter__(self) -> "ProgressBar":
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:.1f} docs/s"), TextColumn("claims {task.fields[claims]}"),
                TextColumn("rejected {task.fields[rejected]}"), TextColumn("ETA"), TimeRemainingColumn(),
                transient=False,
            )
            self.bar.__enter__()
            self.task = self.bar.add_task("ingest", total=self.total, rate=0.0, claims=0, rejected=0)
        return self

    def update(self, stats: IngestStats) -> None:
        if self.enabled:
            done = stats.unchanged + stats.unreadable + stats.accepted + stats.rejected
            rate = done / stats.seconds if stats.seconds else 0.0
            self.bar.update(self.task, completed=done, rate=rate, claims=stats.claims, rejected=stats.rejected)

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self.bar.__exit__(*exc)

