"""Exports in every format, read back with a real reader and compared row by row with the search results.

The expected rows are built here from `Archive.iter_passages` (or the /api/search hits) without the
export code, so a passage lost, reordered or altered by a writer fails the comparison.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import pty
import re
import subprocess
import sys
import tempfile
import zipfile
from urllib.parse import quote

import docx
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.cli import main
from archive.export import FORMATS, ExportInfo, passage_rows, safe_cell
from archive.export.cells import xml_text
from archive.export.citation import citation, place, when
from archive.export.md_writer import escape
from archive.export.rows import HEADERS, KEYS
from archive.export.xlsx_writer import CELL_LIMIT, hyperlink_formula, truncated
from archive.fold import fold
from archive.model import Document, Passage, make_passage_id
from archive.search import Archive, SearchRequest
from tests.conftest import ROOT
from webui.export import download_name

BASE = "http://127.0.0.1:5000"
QUERY = "疫情防控"
MIMETYPES = {"csv": "text/csv", "jsonl": "application/x-ndjson", "md": "text/markdown",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


# -- expected rows, from the search itself ------------------------------------------------------------

def expected_rows(pairs, base: str = BASE) -> list[dict]:
    """The fields every format must carry, per matching passage, in result order."""
    rows = []
    for doc, passage in pairs:
        row = {key: doc.get(key) for key in ("title", "organization", "level", "province", "city", "county",
                                             "town", "year", "date", "themes", "doctype", "source_path", "doc_id")}
        row.update(passage_id=passage["passage_id"], text=passage["text"], section_path=passage["section_path"],
                   ordinal=passage["ordinal"], permalink=f"{base.rstrip('/')}/doc/{doc['doc_id']}#{passage['passage_id']}",
                   bold=re.findall(r"<mark>(.*?)</mark>", passage["highlighted"]))
        rows.append(row)
    return rows


def search_rows(archive: Archive, request: SearchRequest, base: str = BASE) -> list[dict]:
    return expected_rows(archive.iter_passages(request), base)


def api_rows(client, params: dict, base: str) -> list[dict]:
    api = client.get("/api/search", query_string={**params, "size": 1000}).get_json()
    assert api["total"] <= 1000
    rows = expected_rows([(hit, p) for hit in api["hits"] for p in hit["passages"]], base)
    assert len(rows) == api["total_passages"]
    return rows


def documents_in_order(rows: list[dict]) -> list[str]:
    order: list[str] = []
    for row in rows:
        if not order or order[-1] != row["doc_id"]:
            order.append(row["doc_id"])
    return order


# -- readers: each format back to rows ----------------------------------------------------------------

def read_csv(raw: bytes) -> list[dict]:
    assert raw.startswith(b"\xef\xbb\xbf")
    records = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(records[0]) == HEADERS
    return [dict(zip(KEYS, record, strict=True)) for record in records[1:]]


def check_csv(raw: bytes, expected: list[dict]) -> None:
    rows = read_csv(raw)
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        assert row == {key: safe_cell(want[key]) for key in KEYS}


def check_jsonl(raw: bytes, expected: list[dict]) -> None:
    records = [json.loads(line) for line in raw.decode("utf-8").splitlines()]
    assert [list(r) for r in records] == [list(KEYS)] * len(expected)
    assert records == [{key: want[key] for key in KEYS} for want in expected]


def xlsx_value(want: dict, key: str):
    """What the spreadsheet cell holds for a field."""
    value = want[key]
    if key == "year":
        return value
    if key == "permalink":
        return f'=HYPERLINK("{value}","{value}")'
    text = truncated(safe_cell(xml_text(value) if isinstance(value, str) else value))
    return text or None


def check_xlsx(raw: bytes, expected: list[dict]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["段落", "说明"]
    sheet = book["段落"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert len(rows) - 1 == len(expected)
    for row, want in zip(rows[1:], expected, strict=True):
        assert row == tuple(xlsx_value(want, key) for key in KEYS)
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= 60
    if expected:
        assert sheet["B2"].alignment.wrap_text
    assert dict(book["说明"].iter_rows(values_only=True))["段落数"] == str(len(expected))


def docx_entries(raw: bytes) -> tuple[docx.document.Document, list[dict]]:
    """The document and, per passage, its heading, text, bold runs, citation and link, read with python-docx."""
    document = docx.Document(io.BytesIO(raw))
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title"
    entries, heading, i = [], None, 1
    while i < len(paragraphs) and paragraphs[i].style.name != "Heading 1":
        i += 1  # the search's description
    while i < len(paragraphs):
        p = paragraphs[i]
        if p.style.name == "Heading 1":
            heading, i = p.text, i + 2  # the heading, then a line of facts
            continue
        cite = paragraphs[i + 1]
        entries.append({"heading": heading, "text": p.text, "bold": [r.text for r in p.runs if r.bold],
                        "citation": cite.text, "links": [h.address for h in cite.hyperlinks]})
        i += 2
    return document, entries


def check_docx(raw: bytes, expected: list[dict]) -> None:
    document, entries = docx_entries(raw)
    assert len(entries) == len(expected)
    for entry, want in zip(entries, expected, strict=True):
        assert entry["heading"] == (want["title"] or "（无标题）")
        assert entry["text"] == xml_text(want["text"]).replace("\r\n", "\n").replace("\r", "\n")
        assert [xml_text(b) for b in entry["bold"]] == [xml_text(html.unescape(b)) for b in want["bold"]]
        assert entry["citation"].startswith(f"——《{want['title'] or '（无标题）'}》")
        assert f"第{want['ordinal']}段" in entry["citation"]
        assert entry["citation"].endswith("链接：" + want["permalink"])
        assert entry["links"] == [want["permalink"]]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == len(documents_in_order(expected))  # one heading per document, passages grouped
    check_docx_fonts(document)


def check_docx_fonts(document) -> None:
    """宋体 for body text, 黑体 for headings, and no theme font that would override them."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    defaults = document.styles.element.find(f"{w}docDefaults").find(f"{w}rPrDefault").find(f"{w}rPr")
    for rfonts, east_asian in ((defaults.find(f"{w}rFonts"), "宋体"),
                               (document.styles["Normal"].element.rPr.rFonts, "宋体"),
                               (document.styles["Heading 1"].element.rPr.rFonts, "黑体")):
        assert rfonts.get(f"{w}eastAsia") == east_asian
        assert rfonts.get(f"{w}eastAsiaTheme") is None
    assert defaults.find(f"{w}lang").get(f"{w}eastAsia") == "zh-CN"


def md_unescape(text: str) -> tuple[str, list[str]]:
    """Markdown inline text back to plain text, and the **bold** pieces."""
    out, bold, current, i = [], [], None, 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~":
            (current if current is not None else out).append(text[i + 1])
            i += 2
        elif text.startswith("**", i):
            if current is None:
                current = []
            else:
                bold.append("".join(current))
                out.extend(current)
                current = None
            i += 2
        else:
            (current if current is not None else out).append(text[i])
            i += 1
    assert current is None, "unbalanced ** in " + text
    return "".join(out), bold


def md_entries(text: str) -> list[dict]:
    """Per passage: the document heading above it, its text, bold pieces, citation and link."""
    assert text.startswith("# 导出\n")
    entries, heading = [], None
    for block in text.split("\n\n"):
        if block.startswith("## "):
            heading = md_unescape(block[3:])[0]
        elif block.startswith("> "):
            lines = block.split("\n")
            cut = lines.index(">")
            body = "\n".join(line[2:].removesuffix("\\") if n < cut - 1 else line[2:]
                             for n, line in enumerate(lines[:cut]))
            plain, bold = md_unescape(body)
            cite, _, link = lines[cut + 1][2:].rpartition(" 链接：")
            entries.append({"heading": heading, "text": plain, "bold": bold, "citation": md_unescape(cite)[0],
                            "link": link})
    return entries


def check_md(raw: bytes, expected: list[dict]) -> None:
    text = raw.decode("utf-8")
    entries = md_entries(text)
    assert len(entries) == len(expected)
    for entry, want in zip(entries, expected, strict=True):
        assert entry["heading"] == (want["title"] or "（无标题）")
        assert entry["text"] == want["text"]
        assert entry["bold"] == [html.unescape(b) for b in want["bold"]]
        assert entry["citation"].startswith(f"——《{want['title'] or '（无标题）'}》")
        assert f"第{want['ordinal']}段" in entry["citation"]
        assert entry["link"] == f"<{want['permalink']}>"
    assert text.count("\n## ") == len(documents_in_order(expected))
    assert f"共 {len(expected)} 个段落" in text


CHECKS = {"csv": check_csv, "jsonl": check_jsonl, "xlsx": check_xlsx, "docx": check_docx, "md": check_md}


def export_bytes(archive: Archive, request: SearchRequest, fmt: str, base: str = BASE) -> bytes:
    out = io.BytesIO()
    FORMATS[fmt].write(passage_rows(archive, request, base), ExportInfo.from_request(request, base), out)
    return out.getvalue()


# -- every format against the search, on the seed archive ---------------------------------------------

@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("request_args", [
    {"q": QUERY},
    {"q": "宣传", "include": {"level": ["县"]}, "exclude": {"themes": ["扫黄打非"]}},
    {"q": "", "sort": "date"},
])
def test_every_format_holds_every_passage_of_the_search_in_order(seed_archive, fmt, request_args):
    request = SearchRequest(**request_args)
    expected = search_rows(seed_archive, request)
    assert expected, "the seed archive has passages for this search"
    CHECKS[fmt](export_bytes(seed_archive, request, fmt), expected)


def test_the_checks_fail_on_a_lost_or_altered_passage(seed_archive):
    """The comparisons above can fail: one passage missing or changed is noticed in each format."""
    request = SearchRequest(q=QUERY)
    expected = search_rows(seed_archive, request)
    altered = [dict(expected[0], text=expected[0]["text"] + "。"), *expected[1:]]
    for fmt, check in CHECKS.items():
        raw = export_bytes(seed_archive, request, fmt)
        with pytest.raises(AssertionError):
            check(raw, expected[1:])
        with pytest.raises(AssertionError):
            check(raw, altered)


def test_exports_describe_their_search(seed_archive):
    request = SearchRequest(q=QUERY, include={"level": ["县"]}, exclude={"themes": ["扫黄打非"]}, sort="date")
    want = {"检索式": QUERY, "筛选": "层级：县；排除 主题：扫黄打非", "排序": "日期（新→旧）", "来源": BASE}
    book = openpyxl.load_workbook(io.BytesIO(export_bytes(seed_archive, request, "xlsx")))
    assert want.items() <= dict(book["说明"].iter_rows(values_only=True)).items()
    document = docx.Document(io.BytesIO(export_bytes(seed_archive, request, "docx")))
    lines = [p.text for p in document.paragraphs[1:len(want) + 2]]
    assert all(f"{label}：{value}" in lines for label, value in want.items())
    assert document.core_properties.title == f"导出：{QUERY}"
    md = export_bytes(seed_archive, request, "md").decode("utf-8")
    assert all(f"- {label}：{escape(value)}\n" in md.split("\n## ")[0] for label, value in want.items())


def test_jsonl_and_csv_rows_are_the_whole_result_set_not_a_page(seed_archive):
    request = SearchRequest(q="宣传", size=1)
    result = seed_archive.search(request)
    assert len(read_csv(export_bytes(seed_archive, request, "csv"))) == result.total_passages > result.size


# -- hostile text: an archive written with formulas, control characters, markup, a huge passage -------

HOSTILE_TEXTS = (
    '=HYPERLINK("http://evil.example","点我")测试',
    "+1+2 测试", "-3 测试", "@SUM(A1) 测试", "\t=1 测试",
    '测试 <script>alert("x")</script> & "双引号" \'单引号\' *星* _下划线_ [链接](http://evil) `代码` | ~ # 井号',
    "# 标题测试\n- 列表测试\n1. 编号测试\n> 引用测试",
    "控制\x00字符\x01\x0b\x0c\x1f测试\x7f结束",
    "测试" + "长" * 40000,
)


@pytest.fixture(scope="module")
def hostile_archive(tmp_path_factory):
    from archive.writer import prepare

    folder = tmp_path_factory.mktemp("hostile-index")
    archive = Archive(folder)
    docs = []
    for n, title in enumerate(('=cmd|" /C calc"!A0 标题', '<b>粗</b> "引号" /路径\\ 标题'), start=1):
        doc_id = f"{n:012x}-1"
        texts = HOSTILE_TEXTS[n - 1::2]
        passages, start = [], 0
        for ordinal, text in enumerate(texts, start=1):
            passages.append(Passage(make_passage_id(doc_id, ordinal), doc_id, ordinal, text,
                                    section=["一、=总体 *情况*"], start=start, end=start + len(text)))
            start += len(text) + 1
        docs.append(Document(doc_id=doc_id, title=title, source_path=f"/files/{n}.txt", text="\n".join(texts),
                             level="县", province="湖北省", city="咸宁市", county="通山县", year=2020,
                             date="2021-01-22", themes=["意识形态", "-主题"], organization="@县委宣传部",
                             passages=passages))
    writer = archive.writer()
    writer.put([prepare(d) for d in docs])
    writer.commit()
    yield archive
    archive.close()


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_hostile_text_survives_every_format(hostile_archive, fmt):
    request = SearchRequest(q="测试")
    expected = search_rows(hostile_archive, request)
    assert len(expected) == len(HOSTILE_TEXTS)
    raw = export_bytes(hostile_archive, request, fmt)
    CHECKS[fmt](raw, expected)
    if fmt == "md":
        assert "<script>" not in raw.decode("utf-8")  # literal, escaped: no HTML reaches a renderer
    if fmt == "csv":
        assert max(len(r["text"]) for r in read_csv(raw)) > CELL_LIMIT  # only XLSX cuts


def test_xlsx_neutralizes_formulas_and_cuts_long_cells(hostile_archive):
    book = openpyxl.load_workbook(io.BytesIO(export_bytes(hostile_archive, SearchRequest(q="测试"), "xlsx")))
    sheet = book["段落"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]
    formulas = [c.value for c in cells if c.data_type == "f"]
    assert formulas and all(f.startswith('=HYPERLINK("http://127.0.0.1:5000/doc/') for f in formulas)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"http://evil.example\",\"点我\")测试" in texts
    assert {"'+1+2 测试", "'-3 测试", "'@SUM(A1) 测试", "'\t=1 测试", "'@县委宣传部"} <= set(texts)
    assert "控制字符测试\x7f结束" in texts  # XML-illegal characters gone, the rest kept
    long = next(t for t in texts if t.startswith("测试长"))
    assert len(long) == CELL_LIMIT and "已截断" in long and "40002" in long


def test_docx_and_md_keep_hostile_titles_literal(hostile_archive):
    request = SearchRequest(q="测试")
    document, entries = docx_entries(export_bytes(hostile_archive, request, "docx"))
    assert {e["heading"] for e in entries} == {'=cmd|" /C calc"!A0 标题', '<b>粗</b> "引号" /路径\\ 标题'}
    md = md_entries(export_bytes(hostile_archive, request, "md").decode("utf-8"))
    assert {e["heading"] for e in md} == {e["heading"] for e in entries}
    assert any("章节：一、=总体 *情况*" in e["citation"] for e in md)


# -- the small rules --------------------------------------------------------------------------------

def test_safe_cell_and_xml_text():
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("@x") == "'@x" and safe_cell("正文=1") == "正文=1"
    assert safe_cell(["意识形态", "=主题"]) == "意识形态、=主题" and safe_cell(None) == ""
    assert xml_text("a\x00b\x08c\td\ne\rf\ud800g\ufffeh\U0001f600") == "abc\td\ne\rfgh\U0001f600"


def test_truncated_and_hyperlink_formula():
    assert truncated("短") == "短"
    cut = truncated("字" * 50000)
    assert len(cut) == CELL_LIMIT and cut.endswith("全文 50000 字，见链接］")
    assert hyperlink_formula('http://x/doc/a#"b"') == '=HYPERLINK("http://x/doc/a#""b""","http://x/doc/a#""b""")'
    assert hyperlink_formula("http://x/" + "a" * 300) is None


def test_export_marks_come_from_the_core_spans_of_the_text(seed_archive):
    """The search returns match offsets into the plain text; exports bold them as they are (no HTML parsed back)."""
    from archive.export.rows import export_rows
    from archive.search import SearchRequest

    pairs = list(seed_archive.iter_passages(SearchRequest(q="意识形态")))
    assert pairs
    for row in export_rows(pairs, "http://x"):
        assert row["marks"] and all(fold(row["text"][s:e]) == "意识形态" for s, e in row["marks"])


def test_citation_parts():
    row = {"title": "通山县汇报", "organization": "县委宣传部", "date": "2021-01-22", "year": 2020,
           "province": "湖北省", "city": "咸宁市", "county": "通山县", "town": None, "ordinal": 3,
           "section_path": "一、总体 › （一）学习"}
    assert place(row) == "通山县（湖北省咸宁市）"
    assert place({"province": "北京市", "city": "北京市"}) == "北京市"
    assert when(row) == "2021年1月22日" and when({"year": 2020}) == "2020年" and when({}) == ""
    assert citation(row) == "——《通山县汇报》，县委宣传部，2021年1月22日，通山县（湖北省咸宁市），第3段，章节：一、总体 › （一）学习"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_markdown_escape_round_trips_and_leaves_no_markup(text):
    escaped = escape(text)
    assert md_unescape(escaped)[0] == text.replace("\r\n", "\n").replace("\r", "\n")  # CR ends a line too
    assert not re.search(r"(?<!\\)[<>\[\]`*_|~&]", escaped.replace("\\\\", ""))
    for line in escaped.split("\n"):
        assert not re.match(r"\s*([#>+=-]|\d+[.)])", line)


# -- the web endpoint --------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", list(FORMATS))
def test_web_export_for_every_format(client, fmt):
    params = {"q": QUERY, "level": "县", "page": "2", "size": "2"}
    expected = api_rows(client, {k: v for k, v in params.items() if k not in ("page", "size")}, "http://localhost")
    response = client.get("/export", query_string={**params, "format": fmt})
    assert response.status_code == 200
    assert response.mimetype == MIMETYPES[fmt]
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="export-')
    assert re.search(rf"filename\*=UTF-8''{re.escape(quote('导出-' + QUERY + '-'))}\d{{4}}-\d\d-\d\d\.{fmt}$",
                     disposition)
    CHECKS[fmt](response.get_data(), expected)


def test_web_streams_text_formats_and_sizes_zip_formats(client):
    streamed = client.get("/export", query_string={"q": QUERY, "format": "md"}, buffered=False)
    assert streamed.is_streamed and "Content-Length" not in streamed.headers
    streamed.close()
    sent = client.get("/export", query_string={"q": QUERY, "format": "docx"})
    assert int(sent.headers["Content-Length"]) == len(sent.get_data())
    assert zipfile.is_zipfile(io.BytesIO(sent.get_data()))


def test_web_export_bad_format_and_bad_query_are_400(client):
    response = client.get("/export", query_string={"q": QUERY, "format": "pdf"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "pdf" in page and all(name in page for name in FORMATS)
    assert client.get("/export", query_string={"q": "(文明", "format": "xlsx"}).status_code == 400


def test_download_name_is_sanitized():
    import datetime as dt

    name = download_name('a/b\\c"d\'e\x00f\n g:h*?<>|../..', FORMATS["xlsx"], dt.date(2024, 5, 1))
    assert name.startswith("导出-") and name.endswith("-2024-05-01.xlsx")
    assert not re.search(r'[/\\"\'\x00-\x1f:*?<>|]', name) and ".." not in name
    assert download_name("", FORMATS["md"], dt.date(2024, 5, 1)) == "导出-全部-2024-05-01.md"
    assert len(download_name("长" * 500, FORMATS["csv"], dt.date(2024, 5, 1))) < 60


@pytest.fixture()
def spools(monkeypatch, tmp_path):
    """The anonymous files the endpoint writes zip exports to; every temporary file goes to tmp_path."""
    import webui.export

    made, original = [], tempfile.TemporaryFile

    def spool(*args, **kwargs):
        made.append(original(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(webui.export.tempfile, "TemporaryFile", spool)
    return made


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_zip_exports_leave_no_file_when_the_client_goes_away(client, spools, tmp_path, fmt):
    response = client.get("/export", query_string={"q": "宣传", "format": fmt}, buffered=False)
    assert next(iter(response.response))  # the client reads a little, then disconnects
    response.close()
    assert spools and all(f.closed for f in spools)
    assert list(tmp_path.iterdir()) == []  # openpyxl's own temporary sheet file is gone too


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_failing_zip_export_is_a_500_and_leaves_no_file(client, spools, tmp_path, monkeypatch, fmt):
    import webui.export

    def failing(archive, request, base_url):
        yield from list(passage_rows(archive, request, base_url))[:3]
        raise OSError("disk read error (simulated)")

    monkeypatch.setattr(webui.export, "passage_rows", failing)
    response = client.get("/export", query_string={"q": "宣传", "format": fmt})
    assert response.status_code == 500
    assert spools and all(f.closed for f in spools)
    assert list(tmp_path.iterdir()) == []


# -- the command line --------------------------------------------------------------------------------

def run(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_cli_export_every_format(runner, seed_index, seed_archive, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    result = run(runner, "export", fmt, "宣传", "--level", "县", "-o", out, "--index", seed_index,
                 "--base-url", "https://archive.example/")
    assert result.exit_code == 0, result.output
    expected = search_rows(seed_archive, SearchRequest(q="宣传", include={"level": ["县"]}), "https://archive.example")
    CHECKS[fmt](out.read_bytes(), expected)
    assert result.stderr.strip().endswith(f"{len(expected)} passages written to {out}")


def test_cli_format_argument_forms(runner, seed_index, seed_archive, tmp_path):
    everything = search_rows(seed_archive, SearchRequest())
    assert run(runner, "export", "md", "-o", tmp_path / "all.md", "--index", seed_index).exit_code == 0
    check_md((tmp_path / "all.md").read_bytes(), everything)  # a lone format name: all passages
    run(runner, "export", QUERY, "--format", "jsonl", "-o", tmp_path / "q.jsonl", "--index", seed_index)
    check_jsonl((tmp_path / "q.jsonl").read_bytes(), search_rows(seed_archive, SearchRequest(q=QUERY)))
    run(runner, "export", QUERY, "-o", tmp_path / "q.csv", "--index", seed_index)  # csv by default, as before
    check_csv((tmp_path / "q.csv").read_bytes(), search_rows(seed_archive, SearchRequest(q=QUERY)))
    result = runner.invoke(main, ["export", "pdf", QUERY, "-o", str(tmp_path / "x"), "--index", str(seed_index)])
    assert result.exit_code == 2 and "csv, jsonl, xlsx, docx, md" in result.output
    result = runner.invoke(main, ["export", "md", QUERY, "--format", "csv", "-o", str(tmp_path / "x"),
                                  "--index", str(seed_index)])
    assert result.exit_code == 2 and "twice" in result.output
    assert not (tmp_path / "x").exists()


def test_cli_reports_progress_and_writes_binary_to_a_pipe(runner, seed_index, monkeypatch):
    import archive.cli

    monkeypatch.setattr(archive.cli, "EXPORT_PROGRESS_EVERY", 50)
    result = run(runner, "export", "xlsx", "-o", "-", "--index", seed_index)
    lines = result.stderr.splitlines()
    total = int(lines[-1].split()[0])
    assert lines[:-1] == [f"… {n:,} passages" for n in range(50, total + 1, 50)]
    assert openpyxl.load_workbook(io.BytesIO(result.stdout_bytes))["段落"].max_row == total + 1
    quiet = run(runner, "export", "csv", "-q", "-o", "-", "--index", seed_index)
    assert quiet.stderr.splitlines() == [f"{total} passages written to -"]


def test_cli_refuses_binary_to_a_terminal(seed_index):
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "archive.cli", "export", "docx", "-o", "-", "--index",
                               str(seed_index)], stdout=terminal, stderr=subprocess.PIPE, cwd=ROOT, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    finally:
        os.close(terminal)
        os.close(controller)
    assert done.returncode == 2
    assert "docx is a binary format" in done.stderr.decode()


def test_cli_failing_export_leaves_no_file(runner, seed_index, tmp_path, monkeypatch):
    import archive.cli

    def failing(archive, request, base_url):
        yield from list(passage_rows(archive, request, base_url))[:3]
        raise OSError("disk read error (simulated)")

    monkeypatch.setattr(archive.cli, "passage_rows", failing)
    out = tmp_path / "out.docx"
    with pytest.raises(OSError, match="simulated"):
        run(runner, "export", "docx", "-o", out, "--index", seed_index)
    assert not out.exists()
    result = runner.invoke(main, ["export", "csv", "-o", str(tmp_path / "missing" / "x.csv"), "--index",
                                  str(seed_index)])
    assert result.exit_code == 1 and "cannot write" in result.output


def synthetic_rows(n: int):
    for i in range(n):
        doc_id = f"{i // 50:012x}-1"
        yield {"passage_id": f"{doc_id}.p{i % 50 + 1}", "doc_id": doc_id, "text": f"宣传思想工作{i}" * 30,
               "section_path": "一、总体", "title": f"汇报{i // 50}", "ordinal": i % 50 + 1, "year": 2020,
               "permalink": f"{BASE}/doc/{doc_id}#{doc_id}.p{i % 50 + 1}", "marks": [(0, 6)], "themes": ["意识形态"]}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_memory_does_not_grow_with_the_number_of_passages(fmt):
    """Every writer streams: five times the passages, about the same peak of traced allocations."""
    import tracemalloc

    peaks = []
    for n in (1000, 5000):
        with tempfile.TemporaryFile() as out:
            tracemalloc.start()
            FORMATS[fmt].write(synthetic_rows(n), None, out)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
    assert peaks[1] < peaks[0] * 1.5 + 2**20, peaks

