"""Quad stores behind one small protocol: embedded pyoxigraph, or a remote SPARQL 1.1 server."""

from kg.store.base import Dataset, QueryResult, Store, StoreError, StoreStats

__all__ = ["Dataset", "QueryResult", "Store", "StoreError", "StoreStats", "open_store"]


def open_store(location: str | None = None, *, read_only: bool = False) -> Store:
    """Open the store at ``location`` (a folder path; default from ARCON_STORE or ./data/store)."""
    from kg.store.embedded import EmbeddedStore, default_location

    return EmbeddedStore(location or default_location(), read_only=read_only)
