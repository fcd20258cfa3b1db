"""The query page in headless Chromium: type a query, run it, see rows."""

import shutil

import pytest

from kg.api.ui import VENDOR
from tests.api.conftest import make_store
from tests.live_server import live_server

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
]


def test_type_a_query_run_it_see_rows(tmp_path):
    if not (VENDOR / "yasgui.min.js").is_file():
        pytest.fail("YASGUI is not installed in kg/api/static/vendor; run `make venv` (npm ci)")
    from playwright.sync_api import sync_playwright

    with live_server(make_store(tmp_path / "store")) as url, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=FLAGS, headless=True
        )
        try:
            page = context.new_page()
            requests = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url)
            page.wait_for_selector(".CodeMirror")
            assert page.locator("#endpoint").inner_text() == url + "sparql"
            assert page.locator("#examples button").count() >= 9  # the named queries as examples
            page.locator(".CodeMirror").click()
            page.keyboard.press("Control+A")
            page.keyboard.press("Delete")
            page.keyboard.type("SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s")
            page.locator(".yasqe_queryButton").click()
            page.wait_for_selector(".yasr table tbody tr")
            text = page.locator(".yasr table tbody").inner_text()
            assert "http://example.org/a" in text and "http://example.org/b" in text
            assert page.locator(".yasr table tbody tr").count() == 2
            # Nothing came from outside this server.
            assert all(u.startswith(url) or u.startswith("data:") for u in requests), requests
        finally:
            context.close()
