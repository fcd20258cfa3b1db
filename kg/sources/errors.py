"""How a reader says that one input was skipped, and why.

Readers never stop a batch for one bad file or line: they yield a
:class:`SourceError` in its place and go on, so that `arcon ingest` and
`arcon extract` can print every problem with its place and still process the rest.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceError:
    """One input that was skipped: where it is and a one-line reason.

    ``path`` is the file or folder as given (for an API result, its URL); ``line`` is the
    1-based line of a JSON Lines file, else None. ``str()`` gives the message to
    print, in the ``file:line: reason`` form editors and terminals link to.
    """

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.reason}"


class BadInput(ValueError):
    """Raised inside a reader for a problem that skips the current input.

    It carries only the reason; the reader that catches it knows the place and
    turns it into a :class:`SourceError`.
    """
