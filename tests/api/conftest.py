import pytest

from kg.store.embedded import EmbeddedStore
from tests.live_server import live_server

TOKEN = "s3cret-token-for-tests"
G1, G2 = "http://example.org/g/1", "http://example.org/g/2"
DATA1 = b'<http://example.org/a> <http://example.org/p> "x" .\n<http://example.org/a> <http://example.org/q> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
DATA2 = b"<http://example.org/b> <http://example.org/p> <http://example.org/a> ."


def make_store(path):
    store = EmbeddedStore(path)
    store.replace_graph(G1, DATA1)
    store.replace_graph(G2, DATA2)
    store.close()
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A read-only server (no token) over a two-graph store."""
    root = tmp_path_factory.mktemp("ro")
    with live_server(make_store(root / "store")) as url:
        yield url


@pytest.fixture(scope="module")
def rw_server(tmp_path_factory):
    """A server with an update token over its own store."""
    root = tmp_path_factory.mktemp("rw")
    with live_server(make_store(root / "store"), token=TOKEN) as url:
        yield url
