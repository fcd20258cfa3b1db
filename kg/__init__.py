"""ARCON knowledge graph: evidence on organised crime and corruption as RDF claims."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("arcon-kg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
