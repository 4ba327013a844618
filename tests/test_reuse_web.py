"""Text reuse in the web UI and the JSON API, through Flask's test client on the bundled sample after `archive reuse`.

The sample has many 文明行为促进条例 and provincial regulations that share text, so
every page has real shared and template passages to show.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def plain_index(tmp_path_factory) -> Path:
    """A few sample files ingested but never compared: the pages must say reuse was not computed."""
    import shutil

    from ingest.pipeline import ingest_paths

    corpus = tmp_path_factory.mktemp("plain-files")
    for path in sorted(p for p in SAMPLE.rglob("*") if p.is_file())[:3]:
        shutil.copy(path, corpus / path.name)
    folder = tmp_path_factory.mktemp("plain-index")
    ingest_paths([corpus], folder)
    return folder


@pytest.fixture(scope="module")
def rclient(reuse_index):
    from webui import create_app

    return create_app({"INDEX_DIR": str(reuse_index), "TESTING": True}).test_client()


@pytest.fixture(scope="module")
def shared_doc(rclient) -> dict:
    """The document of the most shared pair, with its reuse record."""
    pairs = rclient.get("/api/reuse", query_string={"limit": 1}).get_json()["pairs"]
    assert pairs, "the sample has documents sharing text"
    record = rclient.get(f"/api/doc/{pairs[0]['doc_a']}/reuse").get_json()
    return {"pair": pairs[0], "reuse": record}


def test_doc_reuse_api_fields(shared_doc):
    record = shared_doc["reuse"]
    assert record["computed"] is True
    assert set(record["summary"]) == {"chars", "shared_chars", "template_chars", "original_share", "partners"}
    assert 0 <= record["summary"]["original_share"] <= 1
    roles = {p["role"] for p in record["passages"]}
    assert roles <= {"original", "shared", "template"} and roles - {"original"}
    shared = next(p for p in record["passages"] if p["matches"])
    match = shared["matches"][0]
    assert {"doc_id", "title", "passage_id", "ordinal", "similarity", "span", "other_span", "length"} <= set(match)
    assert match["span"][0] < match["span"][1]
    partner_ids = {p["doc_id"] for p in record["partners"]}
    assert shared_doc["pair"]["doc_b"] in partner_ids
    assert all(set(p) == {"doc_id", "passages", "chars", "source"} for p in record["partners"])


def test_doc_reuse_api_unknown_and_malformed_ids_are_404_json(rclient):
    for doc_id in ("ffffffffffff-1", "not-an-id"):
        response = rclient.get(f"/api/doc/{doc_id}/reuse")
        assert response.status_code == 404
        assert doc_id in response.get_json()["error"]


def test_reuse_api_pairs_and_groups(rclient):
    from archive.reuse.report import PAIR_FIELDS

    data = rclient.get("/api/reuse", query_string={"q": "文明行为", "by": "city", "limit": 5}).get_json()
    assert data["by"] == "city" and data["documents"] > 1
    assert 0 < len(data["pairs"]) <= 5 and data["total_pairs"] >= len(data["pairs"])
    assert set(PAIR_FIELDS) <= set(data["pairs"][0])
    assert [p["chars"] for p in data["pairs"]] == sorted((p["chars"] for p in data["pairs"]), reverse=True)
    group = data["groups"][0]
    assert set(group) == {"from", "to", "pairs", "chars", "directed"}
    assert sum(g["pairs"] for g in data["groups"]) == data["total_pairs"]


@pytest.mark.parametrize(("query", "param"), [({"by": "town"}, "by"), ({"limit": "0"}, "limit"),
                                              ({"limit": "x"}, "limit"), ({"template": "maybe"}, "template"),
                                              ({"sort": "nope"}, "sort"), ({"year": "soon"}, "year")])
def test_reuse_api_bad_parameters_are_400_naming_them(rclient, query, param):
    response = rclient.get("/api/reuse", query_string=query)
    assert response.status_code == 400
    assert param in response.get_json()["error"]


def test_template_hide_leaves_template_passages_out(rclient):
    shown = rclient.get("/api/search", query_string={"q": "文明", "size": 100}).get_json()
    hidden = rclient.get("/api/search", query_string={"q": "文明", "size": 100, "template": "hide"}).get_json()
    assert hidden["total_passages"] < shown["total_passages"]
    roles = [p["reuse"]["role"] for hit in hidden["hits"] for p in hit["passages"]]
    assert roles and "template" not in roles
    assert any(p["reuse"]["role"] == "template" for hit in shown["hits"] for p in hit["passages"])


def test_search_page_offers_the_switch_and_the_sort_and_keeps_template_in_links(rclient):
    html = rclient.get("/", query_string={"q": "文明"}).get_data(as_text=True)
    assert "隐去模板段落" in html and "原创比例" in html and "sort=original" in html
    assert re.search(r'class="also-in role-(shared|template)"[^>]*><span class="role-mark">(共享|模板)</span> 另见 \d+ 篇',
                     html)
    assert 'href="/reuse?q=' in html
    hidden = rclient.get("/", query_string={"q": "文明", "template": "hide"}).get_data(as_text=True)
    assert 'aria-checked="true"' in hidden
    links = re.findall(r'href="([^"]*\?[^"]*)"', hidden)
    facet_links = [h for h in links if "level=" in h]
    export_links = [h for h in links if h.startswith("/export?")]
    assert facet_links and all("template=hide" in h for h in facet_links)
    assert export_links and all("template=hide" in h for h in export_links)
    assert all("template=hide" in h for h in links if "page=" in h)
    assert 'name="template" value="hide"' in hidden  # a new query keeps it too
    english = rclient.get("/", query_string={"q": "文明", "lang": "en"}).get_data(as_text=True)
    assert "Hide template passages" in english and "Most original" in english and "also in" in english


def test_sort_original_puts_the_most_original_first(rclient, reuse_index):
    from archive.reuse.query import original_shares
    from archive.search import Archive

    hits = rclient.get("/api/search", query_string={"sort": "original", "size": 70}).get_json()["hits"]
    archive = Archive(reuse_index)
    try:
        shares = original_shares(archive.store.conn)
    finally:
        archive.close()
    ordered = [shares[h["doc_id"]] for h in hits if h["doc_id"] in shares]
    assert ordered == sorted(ordered, reverse=True)


def test_document_page_marks_roles_spans_and_partners(rclient, shared_doc):
    doc_id = shared_doc["pair"]["doc_a"]
    html = rclient.get(f"/doc/{doc_id}").get_data(as_text=True)
    assert re.search(r'class="passage role-(shared|template)" data-role', html)
    assert re.search(r'<span class="role-mark role-(shared|template)"[^>]*>(共享|模板)</span>', html)
    assert '<span class="aligned">' in html
    assert "原创文字比例" in html and "共享字数" in html and "模板字数" in html
    assert "可能来源" in html
    assert f'/doc/{doc_id}/reuse/{shared_doc["pair"]["doc_b"]}' in html
    assert '<div class="side-by-side">' in html
    # the aligned text is the passage's own text at the API's span
    passage = next(p for p in shared_doc["reuse"]["passages"] if p["matches"])
    text = rclient.get(f"/api/doc/{doc_id}").get_json()["passages"][passage["ordinal"] - 1]["text"]
    start, end = passage["matches"][0]["span"]
    assert text[start:end][:8] in html


def test_document_page_keeps_query_marks_with_reuse(rclient, shared_doc):
    doc_id = shared_doc["pair"]["doc_a"]
    html = rclient.get(f"/doc/{doc_id}", query_string={"q": "条例"}).get_data(as_text=True)
    assert re.search(r'<mark id="m1" tabindex="-1"( class="aligned")?>条例</mark>', html)


def test_pair_page_shows_aligned_spans_side_by_side(rclient, shared_doc):
    pair = shared_doc["pair"]
    html = rclient.get(f"/doc/{pair['doc_a']}/reuse/{pair['doc_b']}").get_data(as_text=True)
    assert pair["title_a"] in html and pair["title_b"] in html
    rows = re.findall(r'<td class="mine">.*?</td>\s*<td class="theirs">', html, flags=re.S)
    # every aligned passage pair, not only the first matches of each (`passages`: the side with fewer)
    assert len(rows) >= pair["passages"] and len({r for r in rows}) > 1
    assert rclient.get(f"/doc/{pair['doc_a']}/reuse/ffffffffffff-1").status_code == 404


def test_reuse_page_renders_pairs_and_the_svg_matrix(rclient, shared_doc):
    html = rclient.get("/reuse", query_string={"q": "文明行为"}).get_data(as_text=True)
    assert '<svg class="matrix"' in html and "<rect" in html and 'data-chars="' in html
    assert "地区之间的文本复用" in html and "可能来源" in html
    assert re.search(r'<table class="pairs">.*?<a href="/doc/[0-9a-f]{12}-\d+', html, flags=re.S)
    assert 'href="/reuse/export.csv?q=' in html and 'href="/reuse/export.jsonl?q=' in html
    assert not re.search(r'(src|href)="(https?:)?//', html) and "<script" not in html
    fills = re.findall(r'fill="(#[0-9a-f]{6})" data-chars="(\d+)"', html)
    darkest = max(fills, key=lambda f: int(f[1]))
    assert darkest[0] == "#08306b"  # the cell with the most shared characters is the darkest
    by_year = rclient.get("/reuse", query_string={"by": "year"}).get_data(as_text=True)
    assert 'aria-current="true">年份</a>' in by_year and '<svg class="matrix"' in by_year
    assert rclient.get("/reuse", query_string={"by": "street"}).status_code == 400


def test_reuse_csv_export_has_bom_header_and_the_pairs(rclient):
    from archive.reuse.report import PAIR_FIELDS

    response = rclient.get("/reuse/export.csv", query_string={"q": "文明行为"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert tuple(rows[0]) == PAIR_FIELDS
    total = rclient.get("/api/reuse", query_string={"q": "文明行为"}).get_json()["total_pairs"]
    assert len(rows) == total


def test_reuse_jsonl_export_has_spans(rclient):
    response = rclient.get("/reuse/export.jsonl", query_string={"q": "文明行为", "limit": 3})
    assert response.status_code == 200
    records = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert len(records) == 3
    spans = records[0]["spans"]
    assert len({s["passage_a"] for s in spans}) >= records[0]["passages"]
    assert {"passage_a", "passage_b", "span_a", "span_b", "text_a", "text_b", "similarity"} <= set(spans[0])


def test_before_any_reuse_run_pages_say_so(plain_index):
    from webui import create_app

    client = create_app({"INDEX_DIR": str(plain_index), "TESTING": True}).test_client()
    hit = client.get("/api/search").get_json()["hits"][0]
    assert all(p["reuse"] is None for p in hit["passages"])
    assert "尚未计算文本复用" in client.get(f"/doc/{hit['doc_id']}").get_data(as_text=True)
    assert "尚未计算文本复用" in client.get("/reuse").get_data(as_text=True)
    assert client.get(f"/api/doc/{hit['doc_id']}/reuse").get_json()["computed"] is False
    assert client.get("/api/reuse").get_json()["pairs"] == []
