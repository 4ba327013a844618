"""Hostile documents and hostile requests against the web UI, the API and the exports.

A file whose name, title and text hold <script>, event handlers, quotes and
spreadsheet formulas is ingested; every page, highlight, API answer and
export shows it inert. Path traversal, absurd parameters and pathological
queries get a clear 4xx (or a bounded answer) quickly, never a 500; every
response carries the security headers; nothing but GET/HEAD is accepted.
"""

from __future__ import annotations

import csv
import io
import re
import time
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from archive.search import Archive
from ingest.pipeline import ingest_paths

FILE_NAME = "x\" onmouseover=\"alert('name') <img src=x onerror=alert(2)>.txt"
HOSTILE = """关于<script>alert("title")</script>宣传思想工作的情况汇报
县委宣传部：
=cmd|' /C calc'!A0 县委宣传部坚持以习近平新时代中国特色社会主义思想为指导，围绕中心、服务大局，扎实推进各项工作。
一、主要工作
今年以来，我们在<script>alert("body")</script>网站上开展了“文明实践”活动，<img src=x onerror=alert(3)>共举办宣讲活动120场次。
+SUM(1,2) 加号开头的一段文字，宣传部门组织开展了理论宣讲活动，效果良好。
-2+3 减号开头的一段文字，宣传部门组织开展了志愿服务活动，群众满意。
@SUM(A1) 符号开头的一段文字，宣传部门组织开展了新闻发布活动，影响广泛。
二、下一步打算
继续推进"新时代文明实践"中心建设，把<b>文明实践</b>&amp;志愿服务结合起来，做到'规范化'常态化。
XX县委宣传部
2021年12月20日
"""
# Markup that must never reach a page as markup (the text itself may show, escaped).
RAW = ("<script>alert(", "<img src=x onerror", '" onmouseover="', "<b>文明实践</b>")
SECRETS = ("root:x:0:0", "[build-system]", "[project]")
CSP_PARTS = ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'")


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory) -> Path:
    files = tmp_path_factory.mktemp("hostile-files")
    (files / FILE_NAME).write_text(HOSTILE, encoding="utf-8")
    index = tmp_path_factory.mktemp("hostile-index")
    assert ingest_paths([files], index, jobs=1).count("ingested") == 1
    return index


@pytest.fixture(scope="module")
def doc_id(hostile_index) -> str:
    archive = Archive(hostile_index)
    try:
        [doc_id] = archive.store.all_doc_ids()
    finally:
        archive.close()
    return doc_id


@pytest.fixture()
def hostile_client(hostile_index):
    from webui import create_app

    return create_app({"INDEX_DIR": str(hostile_index), "TESTING": True}).test_client()


def assert_inert(body: str, where: str) -> None:
    assert not [raw for raw in RAW if raw in body], where


def only_marks(html: str) -> bool:
    """No tag but <mark> in a highlighted fragment."""
    return "<" not in html.replace("<mark>", "").replace("</mark>", "")


def test_hostile_text_titles_and_names_are_shown_escaped(hostile_client, doc_id):
    for url in ("/?q=alert", "/?q=文明实践", "/?q=", "/?q=宣传&lang=en", f"/doc/{doc_id}", f"/doc/{doc_id}?q=alert",
                f"/doc/{doc_id}?q=script"):
        response = hostile_client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert_inert(page, url)
        assert "&lt;script&gt;" in page, url  # shown, as text
    page = hostile_client.get("/?q=alert").get_data(as_text=True)
    assert "<mark>alert</mark>" in page  # the match is highlighted, inside escaped text

    response = hostile_client.get("/api/search?q=alert")
    assert response.content_type == "application/json"
    hits = response.get_json()["hits"]
    assert hits and all(only_marks(p[key]) for h in hits for p in h["passages"] for key in ("highlighted", "snippet"))
    assert any("&lt;script&gt;" in p["highlighted"] for h in hits for p in h["passages"])
    record = hostile_client.get(f"/api/doc/{doc_id}")
    assert record.content_type == "application/json" and "<script>" in record.get_json()["title"]  # data, as JSON


def export(client, fmt: str, **params: str):
    response = client.get(f"/export?{urllib.parse.urlencode({'format': fmt, **params})}")
    assert response.status_code == 200, (fmt, response.get_data(as_text=True)[:300])
    return response


FORMULA = re.compile(r"^[=+\-@\t\r]")


def test_exports_neutralize_formulas_and_markup(hostile_client):
    rows = list(csv.reader(io.StringIO(export(hostile_client, "csv").get_data(as_text=True).lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if FORMULA.match(cell)]  # no cell a spreadsheet would run
    assert any(cell.startswith("'=cmd|' /C calc'!A0") for cell in cells)  # the text is kept, inert
    assert any(cell.startswith("'+SUM(1,2)") for cell in cells) and any(cell.startswith("'@SUM(A1)") for cell in cells)

    formats = {"jsonl", "xlsx", "docx", "md"} & set(_formats())
    if "xlsx" in formats:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(export(hostile_client, "xlsx").data))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # the export's own permalinks, nothing from the text
                        assert str(cell.value).startswith('=HYPERLINK("http://localhost/doc/'), cell.value
                    else:
                        assert not (isinstance(cell.value, str) and FORMULA.match(cell.value)), cell.value
    if "docx" in formats:
        with zipfile.ZipFile(io.BytesIO(export(hostile_client, "docx").data)) as package:
            xml = package.read("word/document.xml").decode("utf-8")
        assert "<script>" not in xml and "&lt;script&gt;" in xml
    if "md" in formats:
        markdown = export(hostile_client, "md").get_data(as_text=True)
        assert not re.search(r"(?<!\\)<(script|img|b)\b", markdown)  # escaped: shown as written, never rendered
    if "jsonl" in formats:
        assert "=cmd|" in export(hostile_client, "jsonl").get_data(as_text=True)  # data, as it is


def _formats() -> list[str]:
    from archive import export as exports

    return list(exports.FORMATS)


TRAVERSALS = [
    "/doc/../../etc/passwd", "/doc/..%2f..%2fetc%2fpasswd", "/doc/%2e%2e/%2e%2e/etc/passwd", "/doc/%252e%252e%252fetc",
    "/api/doc/../../etc/passwd", "/api/doc/..%2f..%2fetc%2fpasswd", "/api/doc/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/../../pyproject.toml", "/static/..%2f..%2fpyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/%2e%2e%2f%2e%2e%2fpyproject.toml", "/static/....//....//pyproject.toml", "/static/%252e%252e/pyproject.toml",
    "/static//etc/passwd", "/static/..\\..\\pyproject.toml", "/..%2f..%2fpyproject.toml", "/%2e%2e/%2e%2e/etc/passwd",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_no_path_traversal(hostile_client, url):
    response = hostile_client.get(url, follow_redirects=True)  # e.g. a merged // redirects within the site
    assert response.status_code in (400, 404), (url, response.status_code)
    assert all(r.location.startswith("/") or r.location.startswith("http://localhost/") for r in response.history)
    assert not [s for s in SECRETS if s in response.get_data(as_text=True)]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx", "docx", "md"])
def test_export_names_cannot_traverse_or_inject_headers(hostile_client, fmt):
    if fmt not in _formats():
        pytest.skip(f"no {fmt} export")
    response = export(hostile_client, fmt, q="../../etc/passwd\r\nX-Injected: 1 ..\\..\\boot.ini <b>")
    disposition = response.headers["Content-Disposition"]
    assert "X-Injected" not in response.headers
    name = urllib.parse.unquote(disposition.split("filename*=UTF-8''")[-1])
    assert not re.search(r"[/\\\r\n<>\"]", name) and not name.startswith("."), disposition  # a name, no path


HUGE_TERMS = " ".join(f"词{n}" for n in range(1500))  # thousands of terms would exceed the length limit first
HOSTILE_QUERIES = [
    ("q", "x" * 10_240), ("q", HUGE_TERMS[:1990]), ("q", " OR ".join(["文明"] * 400)[:1990]),
    ("q", "(" * 1000 + "x" + ")" * 1000), ("q", "(" * 600 + "x" + ")" * 600), ("q", "(" * 999),
    ("q", "-" * 1999 + "x"), ("q", "NOT " * 400 + "x"), ("q", '"文明 实践"~' + "9" * 30), ('q', '"未闭合'),
    ("q", "year:99999"), ("q", "foo:bar"), ("q", ")"), ("q", "OR"), ("q", "\x00"),
    ("page", str(10**12)), ("page", "-1"), ("page", "1e3"), ("page", "９"), ("size", str(10**6)), ("size", "0"),
    ("sort", "DROP TABLE"), ("year", "abc"), ("level", "x" * 100_000), ("not_level", "<script>"),
    ("duplicates", "maybe"), ("format", "../../etc/passwd"),
]


@pytest.mark.parametrize(("name", "value"), HOSTILE_QUERIES, ids=lambda v: repr(v)[:24])
@pytest.mark.parametrize("route", ["/", "/api/search", "/export"])
def test_hostile_parameters_get_a_clear_answer_quickly(hostile_client, route, name, value):
    if name == "format" and route != "/export":
        return
    started = time.monotonic()
    response = hostile_client.get(route, query_string={name: value})
    elapsed = time.monotonic() - started
    assert response.status_code in (200, 400), (route, name, response.status_code)
    assert elapsed < 3, (route, name, elapsed)
    if response.status_code == 400:
        body = response.get_data(as_text=True)
        message = response.get_json()["error"] if route.startswith("/api/") else body
        assert message and "Traceback" not in body and "internal error" not in body


@pytest.mark.parametrize("route", ["/", "/api/search", "/export"])
def test_bytes_that_are_not_utf8_in_the_url_are_no_error(hostile_client, route):
    for raw in ("%ED%A0%80", "%ff%fe", "%C0%AF", "%00"):  # a UTF-8 surrogate, junk, an overlong '/', NUL
        response = hostile_client.get(f"{route}?q={raw}&level={raw}")
        assert response.status_code in (200, 400), (route, raw, response.status_code)


def test_deep_or_huge_queries_are_refused_with_a_reason(hostile_client):
    for query, reason in (("(" * 600 + "x" + ")" * 600, "levels deep"), ("-" * 1999 + "x", "levels deep"),
                          ("x" * 10_240, "at most 2000"), (" ".join(["文明"] * 500), "too many terms"),
                          ('"文明 实践"~99999999999999999999', "more than 1000 characters apart")):
        response = hostile_client.get("/api/search", query_string={"q": query})
        assert response.status_code == 400 and reason in response.get_json()["error"], (query[:20], response.data)


def assert_headers(response, what: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    assert all(part in csp for part in CSP_PARTS), (what, csp)
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0], (what, csp)
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("X-Frame-Options") == "DENY", what
    response.close()  # a static file's handle


def test_security_headers_on_every_kind_of_response(hostile_client, doc_id):
    kinds = {
        "html page": "/?q=文明实践", "document page": f"/doc/{doc_id}", "json": "/api/search?q=文明",
        "json document": f"/api/doc/{doc_id}", "json 404": "/api/doc/nope", "json 400": "/api/search?page=0",
        "html 404": "/doc/nope", "html 400": "/?q=(", "static": "/static/style.css", "static 404": "/static/nope.css",
        "export csv": "/export?format=csv&q=文明", "export 400": "/export?format=nope",
    }
    if "xlsx" in _formats():
        kinds["export xlsx"] = "/export?format=xlsx&q=文明"
    for what, url in kinds.items():
        assert_headers(hostile_client.get(url), what)
    assert_headers(hostile_client.post("/api/search"), "405")
    assert_headers(hostile_client.head("/"), "head")


def test_an_unexpected_error_is_a_plain_500_without_a_stack_trace(hostile_index):
    from webui import create_app

    app = create_app({"INDEX_DIR": str(hostile_index), "TESTING": True})

    def boom():
        raise RuntimeError("secret detail /etc/shadow")

    app.add_url_rule("/boom", view_func=boom)
    app.add_url_rule("/api/boom", view_func=boom, endpoint="api_boom")
    client = app.test_client()
    for url in ("/boom", "/api/boom"):
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert response.status_code == 500 and "internal error" in body, url
        assert "Traceback" not in body and "secret detail" not in body and "RuntimeError" not in body, url
        assert_headers(response, f"500 {url}")


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_there_is_no_write_endpoint(hostile_client, doc_id, method):
    app = hostile_client.application
    writers = [rule.rule for rule in app.url_map.iter_rules() if rule.methods & {"POST", "PUT", "DELETE", "PATCH"}]
    assert writers == []
    for url in ("/", "/api/search", f"/api/doc/{doc_id}", f"/doc/{doc_id}", "/export", "/static/style.css", "/nope"):
        response = getattr(hostile_client, method)(url, data={"q": "x"})
        assert response.status_code in (404, 405) and (url == "/nope" or response.status_code == 405), (method, url)
