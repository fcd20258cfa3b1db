"""What an operator can tune in the HTTP API, with safe defaults (read-only, bounded)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from kg.store.embedded import default_location

_MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    #: Bearer token that unlocks SPARQL Update and Graph Store writes; None = read-only.
    update_token: str | None = None
    #: Wall-clock limit of one query or update, in seconds; the worker running it is killed.
    query_timeout: float = 30.0
    #: How long a request may wait for a free worker before 503, in seconds. Longer than a query:
    #: a burst of analytical queries queues as it would at any SPARQL server, instead of failing.
    queue_timeout: float = 120.0
    #: Largest serialised result, in bytes. Small results over it get 422; a streamed one is aborted.
    max_result_bytes: int = 256 * _MIB
    #: Results up to this size are sent whole (with a Content-Length); larger ones are streamed.
    stream_threshold: int = 1 * _MIB
    #: Largest request body (query, update or RDF upload), in bytes; larger ones get 413.
    max_body_bytes: int = 16 * _MIB
    #: Query worker processes (each holds one read-only snapshot open).
    workers: int = 2
    #: Memory for answers kept per snapshot (each up to a quarter of it, see kg.api.cache); 0 = none.
    result_cache_bytes: int = 64 * _MIB
    #: Default graph = union of all graphs when a request names no dataset.
    union_default_graph: bool = True
    #: CORS: allowed origins ("*" = any) and methods; empty origins switch CORS off.
    cors_origins: tuple[str, ...] = ("*",)
    cors_methods: tuple[str, ...] = ("GET", "HEAD")
    #: Responses larger than this are gzip-compressed for clients that accept it.
    gzip_min_bytes: int = 1024
    #: Base of the IRIs in the data; /id/... on this server dereferences {iri_base}id/...
    iri_base: str = field(default_factory=lambda: os.environ.get("ARCON_BASE", "https://w3id.org/arcon/"))
    #: Public URL of this service when behind a proxy (used in the service description).
    public_url: str | None = None
    #: Licence of the served data, announced in VoID.
    license: str = "https://creativecommons.org/licenses/by/4.0/"
    title: str = "ARCON knowledge graph"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ARCON_* environment variables, then explicit overrides."""
        env = os.environ
        values: dict[str, object] = {}
        if env.get("ARCON_UPDATE_TOKEN"):
            values["update_token"] = env["ARCON_UPDATE_TOKEN"]
        for name, key, conv in (
            ("query_timeout", "ARCON_QUERY_TIMEOUT", float),
            ("queue_timeout", "ARCON_QUEUE_TIMEOUT", float),
            ("max_result_bytes", "ARCON_MAX_RESULT_BYTES", int),
            ("stream_threshold", "ARCON_STREAM_THRESHOLD", int),
            ("max_body_bytes", "ARCON_MAX_BODY_BYTES", int),
            ("workers", "ARCON_WORKERS", int),
            ("result_cache_bytes", "ARCON_RESULT_CACHE_BYTES", int),
        ):
            if env.get(key):
                values[name] = conv(env[key])
        if env.get("ARCON_UNION_DEFAULT_GRAPH"):
            values["union_default_graph"] = env["ARCON_UNION_DEFAULT_GRAPH"].lower() in ("1", "true", "yes")
        if "ARCON_CORS_ORIGINS" in env:
            values["cors_origins"] = tuple(o for o in env["ARCON_CORS_ORIGINS"].split(",") if o)
        if env.get("ARCON_PUBLIC_URL"):
            values["public_url"] = env["ARCON_PUBLIC_URL"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)


def default_store() -> str:
    return default_location()
