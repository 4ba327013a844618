"""Text reuse in a real headless Chromium (Playwright), against a real server over data/sample after `archive reuse`.

What is asserted is what a user sees: 另见 N 篇 under hit passages, the template switch,
the role marks and the side-by-side spans on a document page, the matrix of the reuse view.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM} (Debian package 'chromium')")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
SHOTS = ROOT / "test-artifacts" / "screenshots"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
PHRASE = "文明行为"


@pytest.fixture(scope="module")
def reuse_index(tmp_path_factory) -> Path:
    """The bundled sample, ingested and compared once."""
    from archive.reuse.detect import update_reuse
    from ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("reuse-browser-index")
    summary = ingest_paths([SAMPLE], folder)
    assert summary.count("ingested") > 50
    update_reuse(folder)
    return folder


@pytest.fixture(scope="module")
def base_url(reuse_index) -> Iterator[str]:
    from werkzeug.serving import make_server

    from webui import create_app

    server = make_server("127.0.0.1", 0, create_app({"INDEX_DIR": str(reuse_index)}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="reuse-browser-test-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def click(locator) -> None:
    """Click a link that loads a page, and wait until it has."""
    locator.click()
    locator.page.wait_for_load_state()


def totals(page) -> tuple[int, int]:
    docs, passages = re.findall(r"\d+", page.locator("#totals").inner_text())[:2]
    return int(docs), int(passages)


def test_also_in_and_the_template_switch_on_the_search_page(page, base_url):
    page.goto(f"{base_url}/?q={PHRASE}")
    also = page.locator("ol.hits a.also-in").first
    assert also.is_visible()
    assert re.fullmatch(r"(共享|模板) 另见 \d+ 篇", also.inner_text().strip())
    all_passages = totals(page)[1]
    shot(page, "reuse-search")

    click(page.locator("a.template-switch"))
    assert "template=hide" in page.url
    assert page.locator("a.template-switch").get_attribute("aria-checked") == "true"
    assert totals(page)[1] < all_passages
    assert page.locator("ol.hits a.also-in.role-template").count() == 0
    click(page.locator("a.reuse-link"))  # the reuse view of the same search
    assert "/reuse?" in page.url and "template=hide" in page.url
    assert page.locator("svg.matrix rect[data-chars]").count() > 0
    assert page.locator("table.pairs tbody tr").count() > 0
    shot(page, "reuse-view")


def test_document_page_marks_shared_passages_and_shows_spans_side_by_side(page, base_url):
    page.goto(f"{base_url}/?q={PHRASE}")
    click(page.locator("ol.hits a.also-in").first)
    marked = page.locator("p.passage.role-shared, p.passage.role-template")
    assert marked.count() > 0
    first = marked.first
    assert first.locator(".role-mark").inner_text() in ("共享", "模板")
    assert first.locator(".aligned").count() > 0
    assert page.locator("#reuse .original-share").inner_text().endswith("%")
    assert page.locator("table.partners td.source").first.inner_text() in ("可能来源", "本文可能是来源", "先后不明")

    details = page.locator("details.reuse-matches").first
    details.locator("summary").click()
    side = details.locator(".side-by-side").first
    assert side.is_visible()
    mine, theirs = side.locator(".mine").inner_text(), side.locator(".theirs").inner_text()
    assert mine.strip() and theirs.strip()
    shot(page, "reuse-document")

    click(details.locator("a.pair-link").first)  # the two documents side by side
    assert re.search(r"/doc/[0-9a-f]{12}-\d+/reuse/[0-9a-f]{12}-\d+", page.url)
    assert page.locator("table.side-by-side-table tbody tr").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
