"""`arcon serve`: the HTTP API over a store folder, with uvicorn."""

from __future__ import annotations

import click

from kg.store.base import StoreError


@click.command()
@click.option("--store", "store", type=click.Path(file_okay=False), default=None, help="Store folder (default: $ARCON_STORE or ./data/store).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", type=int, default=None, help="Query worker processes (default 2, $ARCON_WORKERS).")
@click.option("--timeout", "query_timeout", type=float, default=None, help="Query time limit in seconds (default 30, $ARCON_QUERY_TIMEOUT).")
@click.option("--update-token-file", type=click.File("r"), default=None, help="File holding the bearer token that enables updates ($ARCON_UPDATE_TOKEN).")
@click.option("--public-url", default=None, help="URL clients use to reach this server, when behind a proxy.")
def serve(store, host, port, workers, query_timeout, update_token_file, public_url) -> None:
    """Serve the SPARQL endpoint, named queries, linked-data pages and the query page."""
    import uvicorn

    from kg.api import Settings, create_app
    from kg.store.embedded import default_location

    token = update_token_file.read().strip() if update_token_file else None
    settings = Settings.from_env(workers=workers, query_timeout=query_timeout, update_token=token, public_url=public_url)
    location = store or default_location()
    try:
        app = create_app(location, settings)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    mode = "read-write (token set)" if settings.update_token else "read-only"
    url = f"http://{host}:{port}/"
    click.echo(f"ARCON API on {url}  (store {location}, {mode})", err=True)
    click.echo(f"  query page {url}  ·  SPARQL {url}sparql  ·  named queries {url}queries  ·  API docs {url}docs",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=5)
