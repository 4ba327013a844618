"""The HTML pages, through Flask's test client."""

from __future__ import annotations

import csv
import io
import re


def test_search_page_shows_highlighted_passages_and_facets(client):
    html = client.get("/", query_string={"q": "新时代文明实践"}).get_data(as_text=True)
    assert "<mark>新时代文明实践</mark>" in html
    assert "层级" in html and "年份" in html and "主题" in html
    assert re.search(r'href="\?q=[^"]*&amp;level=', html), "facet links filter the results"
    assert "导出 CSV" in html


def test_pages_load_nothing_from_the_internet(client):
    html = client.get("/", query_string={"q": "宣传"}).get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script" not in html  # no inline scripts (CSP)


def test_facet_link_filters(client):
    html = client.get("/", query_string={"q": "宣传", "level": "县"}).get_data(as_text=True)
    assert "层级: 县" in html  # the removable chip


def test_document_page_shows_evidence_and_highlights(client):
    hit = client.get("/api/search", query_string={"q": "通山"}).get_json()["hits"][0]
    html = client.get(f"/doc/{hit['doc_id']}", query_string={"q": "通山"}).get_data(as_text=True)
    assert hit["title"] in html
    assert re.search(r'<mark id="m1"[^>]*>通山</mark>', html)
    assert "分面与依据" in html and "来源与处理" in html


def test_unknown_document_is_a_clear_404(client):
    response = client.get("/doc/ffffffffffff-1")
    assert response.status_code == 404
    assert "ffffffffffff-1" in response.get_data(as_text=True)


def test_malformed_query_is_explained(client):
    response = client.get("/", query_string={"q": "(文明"})
    assert response.status_code == 400
    assert "never closed" in response.get_data(as_text=True)


def test_export_link_streams_all_matching_passages(client):
    api = client.get("/api/search", query_string={"q": "舆情", "size": 1000}).get_json()
    response = client.get("/export", query_string={"q": "舆情", "format": "csv"})
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) - 1 == api["total_passages"]


def test_english_switch(client):
    html = client.get("/", query_string={"q": "宣传", "lang": "en"}).get_data(as_text=True)
    assert "Level" in html and "matching passages" in html


def test_security_headers(client):
    response = client.get("/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def search_html(client, **params) -> str:
    response = client.get("/", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_no_inline_styles_or_scripts_anywhere(client):
    hit = client.get("/api/search", query_string={"q": "宣传"}).get_json()["hits"][0]
    pages = [search_html(client, q="宣传", compare="舆情", measure="share", level="县"),
             client.get(f"/doc/{hit['doc_id']}", query_string={"q": "宣传"}).get_data(as_text=True)]
    for html in pages:
        assert " style=" not in html and "<style" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # scripts only as files (CSP script-src 'self')


def test_chips_are_clean_and_translated(client):
    html = search_html(client, q="宣传", theme="意识形态", not_level="镇", anonymized="true", duplicates="1")
    assert "主题: 意识形态" in html and "排除 层级: 镇" in html and "地名已隐去: 是" in html
    assert "facet_" not in html and "duplicates:" not in html
    html = search_html(client, q="宣传", theme="意识形态", not_level="镇", lang="en")
    assert "Theme: 意识形态" in html and "not Level: 镇" in html


def test_every_link_keeps_the_language(client):
    html = search_html(client, q="宣传", lang="en")
    links = re.findall(r'href="([^"#]*\?[^"]*)"', html)
    assert links
    others = [link for link in links if "lang=en" not in link and "/static/" not in link]
    switch = re.search(r'<a class="lang"[^>]*href="([^"]*)"', html).group(1)
    assert others == [switch]  # only the switch back to Chinese drops it


def test_places_drill_down(client):
    html = search_html(client, q="宣传")
    assert 'data-facet="province"' not in html  # places are one section, cities hidden until a province is chosen
    assert "湖北省" in html and "咸宁市" not in html.split('id="filters"')[1]
    html = search_html(client, q="宣传", province="湖北省")
    sidebar = html.split('id="filters"')[1]
    assert "咸宁市" in sidebar and "通山县" not in sidebar
    assert "四川省" in sidebar  # another province can still be ORed in
    assert 'aria-current="location">湖北省' in sidebar
    html = search_html(client, q="宣传", province="湖北省", city="咸宁市")
    sidebar = html.split('id="filters"')[1]
    assert "通山县" in sidebar
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', sidebar, re.S).group(0)
    assert "全部地区" in crumbs and "province=" in crumbs and 'aria-current="location">咸宁市' in crumbs


def test_multi_select_shows_other_values_with_counts(client):
    html = search_html(client, q="宣传", level="县")
    level = re.search(r'data-facet="level".*?</section>', html, re.S).group(0)
    assert re.search(r'aria-current="true"[^>]*>县</a>', level)
    assert ">区</a>" in level  # still offered: level=县&level=区 ORs them
    both = client.get("/api/search", query_string=[("q", "宣传"), ("level", "县"), ("level", "区")]).get_json()
    assert both["total"] == 6


def test_pagination_and_sort_links(client):
    html = search_html(client, q="宣传", size=2, page=2)
    pager = re.search(r'<nav class="pager".*?</nav>', html, re.S).group(0)
    assert 'aria-current="page">2<' in pager
    assert "首页" in pager and "上一页" in pager and "下一页" in pager
    assert re.search(r'href="\?q=[^"]*page=4"', pager)  # 7 documents, 2 a page: 4 pages
    sort = re.search(r'<nav class="sort.*?</nav>', html, re.S).group(0)
    assert "sort=date_asc" in sort and "sort=date&" in sort.replace('"', "&") and "相关度" in sort


def test_export_links_for_every_format(client):
    html = search_html(client, q="宣传", level="县", page="2", size="2")
    links = re.findall(r'href="(/export\?[^"]*)"', html)
    formats = [re.search(r"format=(\w+)", link).group(1) for link in links]
    assert formats == ["csv", "xlsx", "docx", "md", "jsonl"]
    assert all("level=" in link and "page=" not in link for link in links)


def test_timeline_is_an_accessible_svg_with_a_table(client):
    html = search_html(client, q="新时代文明实践", compare="精神文明建设")
    timeline = re.search(r'<section class="timeline".*?</section>', html, re.S).group(0)
    assert "<svg" in timeline and "<title" in timeline and "<desc" in timeline
    assert "精神文明建设" in timeline and "aria-label" in timeline
    assert re.search(r'href="\?q=[^"]*year=2020"', timeline)  # a year filters to it
    assert "<details class=\"data\">" in timeline and "<table>" in timeline
    share = search_html(client, q="新时代文明实践", measure="share")
    assert "%" in re.search(r'<section class="timeline".*?</section>', share, re.S).group(0)


def test_timeline_allows_three_series(client):
    html = search_html(client, q="新时代文明实践", compare=["精神文明建设", "舆情"])
    assert 'name="compare"' not in html.split('class="timeline"')[1].split("</section>")[0].split("<form")[0]
    assert "<form class=\"compare\"" not in html
    html = search_html(client, q="新时代文明实践", compare="(舆情")
    assert "never closed" in html  # a bad comparison is reported in the legend, the page still answers


def test_year_histogram_and_range(client):
    html = search_html(client, q="宣传", year="2019-2021")
    years = re.search(r'data-facet="year".*?</section>', html, re.S).group(0)
    assert 'class="histogram"' in years
    assert re.search(r'<rect class="bar on"', years)
    assert 'name="year"' in years and 'value="2019-2021"' in years
    assert "年份: 2019-2021" in html


def test_document_page_outline_match_navigation_and_rule_labels(client):
    hit = client.get("/api/search", query_string={"q": "新时代文明实践"}).get_json()["hits"][0]
    html = client.get(f"/doc/{hit['doc_id']}", query_string={"q": "新时代文明实践"}).get_data(as_text=True)
    marks = re.findall(r'<mark id="m(\d+)"', html)
    total = len(marks)
    assert marks == [str(i) for i in range(1, total + 1)] and total > 1
    assert re.search(rf'href="#m{total}">↑ 上一处</a> <span class="pos">1/{total}</span> <a class="next" href="#m2">', html)
    outline = re.search(r'<nav class="outline".*?</nav>', html, re.S).group(0)
    assert re.search(r'href="#[0-9a-f]{12}-\d+\.p\d+"', outline)
    assert "单位得票最多" in html or "作者自述的地名" in html  # evidence rules in Chinese
    english = client.get(f"/doc/{hit['doc_id']}", query_string={"q": "新时代文明实践", "lang": "en"}).get_data(as_text=True)
    assert "unit votes" in english and "Outline" in english and "Previous" in english
