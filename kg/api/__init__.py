"""The HTTP API: SPARQL 1.1 Protocol, Graph Store, named queries, linked data, query page."""

from kg.api.app import create_app
from kg.api.settings import Settings

__all__ = ["Settings", "create_app"]
