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
    assert "<mark>通山</mark>" in html
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
