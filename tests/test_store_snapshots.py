"""Snapshots of the embedded store: publish, lease, collect."""

from kg.store import snapshots
from kg.store.embedded import EmbeddedStore


def test_publish_lease_and_collect(tmp_path):
    primary = tmp_path / "store"
    store = EmbeddedStore(primary)
    store.replace_graph("http://g", b"<http://a> <http://p> <http://b> .")
    first = snapshots.publish(store, primary)
    held = snapshots.lease_current(primary)
    assert held.snapshot == first
    store.replace_graph("http://g", b"<http://a> <http://p> <http://c> .")
    second = snapshots.publish(store, primary)
    assert snapshots.current(primary) == second
    # The leased snapshot survives collection; once released it goes.
    assert first.path.is_dir()
    reader = EmbeddedStore(first.path, read_only=True)
    assert [r["o"].toPython() for r in reader.query("SELECT ?o { ?s ?p ?o }").rows()] == ["http://b"]
    del reader
    held.release()
    assert snapshots.collect_garbage(primary) == [first.name]
    assert not first.path.exists()
    assert snapshots.lease(first) is None  # a late reader is told to take the current one
    store.close()
