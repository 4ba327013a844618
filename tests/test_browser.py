"""The web UI in a real headless Chromium (Playwright), against a real server over the seeds and data/sample.

What is asserted is what a user sees: counts, chips, the chart, the targeted match, downloaded files.
Screenshots go to test-artifacts/screenshots/; with UPDATE_SCREENSHOTS=1 the README's docs/*.png too.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE, SHARED, SHOTS, click, live_server, needs_chromium, totals

pytestmark = needs_chromium

SEEDS = SHARED / "seeds"
DOCS = ROOT / "docs"
UPDATE_DOCS = os.environ.get("UPDATE_SCREENSHOTS") == "1"
PHRASE = "新时代文明实践"


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory) -> Path:
    """The seeds plus the bundled sample, ingested once."""
    from ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("browser-index")
    summary = ingest_paths([SEEDS, SAMPLE], folder)
    assert summary.count("ingested") > 50
    return folder


@pytest.fixture(scope="module")
def base_url(sample_index) -> Iterator[str]:
    with live_server(sample_index, "browser-test-server") as url:
        yield url


def shot(page, name: str, docs_name: str | None = None, element: str | None = None) -> None:
    """A screenshot as a test artifact (and as the README's picture, a little taller, when asked)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = page.locator(element) if element else page
    target.screenshot(path=str(SHOTS / f"{name}.png"))
    if UPDATE_DOCS and docs_name:
        size = page.viewport_size
        page.set_viewport_size({"width": size["width"], "height": 1100})
        target.screenshot(path=str(DOCS / docs_name))
        page.set_viewport_size(size)


def chips(page) -> list[str]:
    return [re.sub(r"\s*✕.*", "", c, flags=re.S).strip() for c in page.locator("ul.chips a.chip").all_inner_texts()]


def facet_value(page, facet: str, value: str):
    return page.locator(f'[data-facet="{facet}"] li, .places li').filter(
        has=page.locator("a.value", has_text=re.compile(f"^{re.escape(value)}$")))


def test_search_filter_exclude_and_go_back(page, base_url):
    page.goto(base_url + "/")
    assert page.evaluate("document.activeElement.name") == "q"  # the front page starts in the query box
    page.keyboard.type(PHRASE)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=%E6%96%B0"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"  # the first stop skips to the results
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"
    all_docs, all_passages = totals(page)
    assert all_docs >= 10 and all_passages >= all_docs
    assert page.locator("mark", has_text=PHRASE).first.is_visible()

    click(facet_value(page, "level", "市").locator("a.value"))
    city_docs = totals(page)[0]
    assert chips(page) == ["层级: 市"] and city_docs < all_docs
    click(facet_value(page, "level", "区").locator("a.value"))  # a second value of the same facet: OR
    assert chips(page) == ["层级: 市", "层级: 区"]
    both_docs = totals(page)[0]
    assert both_docs > city_docs
    count_in_facet = int(facet_value(page, "province", "广东省").locator(".count").inner_text())
    click(facet_value(page, "province", "广东省").locator("a.exclude"))
    assert chips(page) == ["层级: 市", "层级: 区", "排除 省份: 广东省"]
    assert totals(page)[0] == both_docs - count_in_facet
    assert page.locator(".places li.excluded, .places ul.excluded li").first.is_visible()
    shot(page, "search-filtered")

    page.go_back()  # every state is a URL: the back button undoes the exclusion
    assert chips(page) == ["层级: 市", "层级: 区"] and totals(page)[0] == both_docs
    click(page.locator("ul.chips a.chip", has_text="层级: 市"))
    assert chips(page) == ["层级: 区"]


def test_timeline_compare_and_click_a_year(page, base_url):
    page.goto(f"{base_url}/?q={PHRASE}")
    shot(page, "search", docs_name="search.png")
    chart = page.locator("svg.chart-wide")
    assert chart.is_visible()
    page.fill("#compare-phrase", "精神文明建设")
    page.press("#compare-phrase", "Enter")
    page.wait_for_load_state()
    legend = page.locator(".legend li")
    assert legend.count() == 2 and "精神文明建设" in legend.nth(1).inner_text()
    click(page.locator("nav.measure a", has_text="占当年文档"))
    assert "measure=share" in page.url and "%" in chart.locator("text").first.text_content()
    shot(page, "timeline", docs_name="timeline.png", element="section.timeline")

    before = totals(page)[0]
    click(chart.locator('a.year-link[href*="year=2021"]'))
    assert "年份: 2021" in chips(page)
    assert 0 < totals(page)[0] < before
    assert page.locator("svg.chart-wide rect.selected-year").count() == 1  # the year stays in context, highlighted
    assert all("2021" in t for t in page.locator("ol.hits .meta").all_inner_texts())


def test_document_match_navigation_and_english(page, base_url):
    page.goto(f"{base_url}/?q={PHRASE}&level=镇")
    click(page.locator("ol.hits h2 a").first)
    assert page.locator("h1").inner_text()
    assert page.locator("nav.outline li").count() > 3
    total = page.locator("mark[id]").count()
    assert total >= 3

    page.locator("#matchbar a", has_text="跳到第一处").click()
    assert page.evaluate("document.querySelector('mark:target').id") == "m1"
    nav = page.locator("mark#m1 + .mnav")
    assert nav.is_visible() and f"1/{total}" in nav.inner_text()
    nav.locator("a.next").click()  # plain anchors: no script needed
    assert page.evaluate("document.querySelector('mark:target').id") == "m2"
    assert f"2/{total}" in page.locator("mark#m2 + .mnav").inner_text()
    assert page.locator("mark#m1 + .mnav").is_hidden()

    page.keyboard.press("n")  # the script's keys
    page.wait_for_function("location.hash === '#m3'")
    assert page.evaluate("document.activeElement.id") == "m3"
    assert page.locator("#matchbar .pos").inner_text() == f"3/{total}"
    page.keyboard.press("p")
    page.wait_for_function("location.hash === '#m2'")
    shot(page, "document-match")

    click(page.locator("a.lang"))
    assert page.locator("#facts-h").inner_text() == "Facets and evidence"
    assert page.locator("#outline-h").inner_text() == "Outline"
    assert "lang=en" in page.url and "q=" in page.url
    click(page.locator("p.back a"))
    assert page.locator("#facet-level").inner_text() == "Level"
    assert chips(page) == ["Level: 镇"]


def test_document_page_evidence(page, base_url):
    page.goto(f"{base_url}/?q=通山县")
    click(page.locator("ol.hits h2 a").first)
    facts = page.locator("section.facts")
    assert "通山县" in facts.inner_text() and "作者自述的地名" in facts.inner_text()
    shot(page, "document", docs_name="document.png")


def test_export_links_download_csv_and_docx(page, base_url, tmp_path):
    page.goto(f"{base_url}/?q=舆情&level=县")
    passages = totals(page)[1]
    assert [a.get_attribute("data-format") for a in page.locator("a.export").all()] == \
        ["csv", "xlsx", "docx", "md", "jsonl"]
    with page.expect_download() as download:
        page.locator('a.export[data-format="csv"]').click()
    path = tmp_path / "export.csv"
    download.value.save_as(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == passages
    assert all("舆情" in row["段落文本"] for row in rows)

    docx_link = page.locator('a.export[data-format="docx"]')
    if page.request.head(base_url + docx_link.get_attribute("href")).status == 400:
        pytest.skip("the /export endpoint does not offer DOCX yet")
    import docx

    with page.expect_download() as download:
        docx_link.click()
    path = tmp_path / "export.docx"
    download.value.save_as(path)
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert rows[0]["段落文本"][:20] in text  # the first exported passage is in the document


@pytest.mark.parametrize("url", [f"/?q={PHRASE}&compare=精神文明建设&province=广东省", "doc"])
def test_phone_has_no_horizontal_overflow(browser, base_url, url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        if url == "doc":
            page.goto(f"{base_url}/?q={PHRASE}")
            click(page.locator("ol.hits h2 a").first)
        else:
            page.goto(base_url + url)
            assert page.locator("svg.chart-narrow").is_visible() and page.locator("svg.chart-wide").is_hidden()
            assert page.locator("#filters").bounding_box()["y"] > page.locator("#results").bounding_box()["y"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, f"phone-{'document' if url == 'doc' else 'search'}")
    finally:
        context.close()
