"""Text reuse in a real headless Chromium (Playwright), against a real server over data/sample after `archive reuse`.

What is asserted is what a user sees: 另见 N 篇 under hit passages, the template switch,
the role marks and the side-by-side spans on a document page, the matrix of the reuse view.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.conftest import SHOTS, click, live_server, needs_chromium, totals

pytestmark = needs_chromium

PHRASE = "文明行为"


@pytest.fixture(scope="module")
def base_url(reuse_index) -> Iterator[str]:
    with live_server(reuse_index, "reuse-browser-test-server") as url:
        yield url


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


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
