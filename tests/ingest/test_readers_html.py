"""HTML pages: the article's text, without chrome; title, date and site from the page."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.readers import read_path
from ingest.readers.html import page_text, read

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readers"
CHROME = (
    "首页",
    "新闻中心",
    "机构概况",
    "相关文章",
    "上一篇",
    "热点排行",
    "版权所有",
    "统计代码",
    "当前位置",
    "分享到",
    "栏目导航",
    "文明祭祀",
)


def test_gbk_page_gives_its_article_only():
    [raw] = read_path(FIXTURES / "page-gbk.html")
    assert raw.format == "html" and raw.encoding == "gb18030"  # declared gb2312, read as its superset
    assert raw.title_hint == "东莞市文明行为促进条例"  # the site's name cut from the <title>
    assert raw.meta["page_title"] == "东莞市文明行为促进条例_东莞人大网"
    assert raw.published == "2023-02-24"  # the PubDate meta tag wins over the 发布时间 line
    assert raw.source == "东莞人大网"
    assert raw.meta["headline"] == "东莞市文明行为促进条例"
    lines = raw.text.split("\n")
    assert lines[0] == "东莞市文明行为促进条例"  # the <h1> above the article block opens the text, as on the page
    assert lines[1] == "第一章 总 则"
    assert lines[2].startswith("第一条 为了培育和践行社会主义核心价值观")
    assert sum(line.startswith("第") and "条" in line[:4] for line in lines) == 5
    assert not [word for word in CHROME if word in raw.text]


def test_table_layout_page_with_br_lines_and_a_labelled_date():
    [raw] = read_path(FIXTURES / "page-utf8-table.html")
    assert raw.published == "2023-02-23"  # 发布日期：2023年2月23日
    assert any(line.startswith("第三条 文明行为促进工作应当坚持") for line in raw.text.split("\n"))
    assert not [word for word in CHROME if word in raw.text]


def test_mhtml_archive_named_doc():
    [raw] = read_path(FIXTURES / "mhtml-saved-as.doc")
    assert raw.format == "mhtml" and raw.encoding == "gb18030"
    assert raw.text == read_path(FIXTURES / "page-gbk.html")[0].text


PROSE = "县委宣传部坚持以习近平新时代中国特色社会主义思想为指导，围绕中心、服务大局，扎实推进各项工作。"


@pytest.mark.parametrize(
    "head, expected",
    [
        ('<meta property="article:published_time" content="2019-10-30T09:58:00+08:00">', "2019-10-30"),
        ('<meta name="publishdate" content="2019/10/30">', "2019-10-30"),
        ("", "2019-10-30"),  # from the <time> element below
    ],
)
def test_publication_date_from_meta_or_time(head, expected):
    page = f"<html><head>{head}</head><body><time datetime='2019-10-30'>十月</time><p>{PROSE}</p></body></html>"
    assert page_text(page, "utf-8").published == expected


def test_publication_date_from_a_labelled_line_outside_the_article():
    page = (
        f"<html><body><div class='info'>发布时间：2019-10-30 来源：县委宣传部</div>"
        f"<div class='content'><p>{PROSE}</p><p>{PROSE}</p></div></body></html>"
    )
    raw = page_text(page, "utf-8")
    assert raw.published == "2019-10-30"
    assert raw.text == f"{PROSE}\n{PROSE}"


def test_link_lists_inside_the_article_are_dropped():
    links = "".join(
        f"<li><a href='/{n}'>关于做好第{n}批文明单位创建工作的通知和有关事项说明</a></li>" for n in range(8)
    )
    page = f"<html><body><div id='article'><p>{PROSE}</p><p>{PROSE}</p><ul>{links}</ul></div></body></html>"
    assert page_text(page, "utf-8").text == f"{PROSE}\n{PROSE}"


def test_hidden_blocks_and_scripts_go():
    page = (
        f"<html><body><div style='display:none'>隐藏的统计文字</div><script>document.write('脚本')</script>"
        f"<p>{PROSE}</p></body></html>"
    )
    assert page_text(page, "utf-8").text == PROSE


def test_page_without_visible_text_is_rejected():
    with pytest.raises(IngestError, match="HTML page without visible text"):
        read(b"<html><head><title>x</title><script>var a=1;</script></head><body> </body></html>")


def test_xml_declaration_and_deep_nesting_are_fine():
    page = '<?xml version="1.0" encoding="utf-8"?>' + "<div>" * 1500 + f"<p>{PROSE}</p>" + "</div>" * 1500
    assert read(page.encode("utf-8"))[0].text == PROSE  # deeper than Python's recursion limit


def test_nesting_beyond_the_parser_limit_is_rejected_not_truncated():
    page = "<div>" * 3000 + f"<p>{PROSE}</p>" + "</div>" * 3000
    with pytest.raises(IngestError, match="nested too deeply"):
        read(page.encode("utf-8"))


def test_a_5mb_paragraph_is_linear():
    page = f"<html><body><p>{'宣传思想工作取得新成效，' * 140_000}</p></body></html>".encode()
    started = time.monotonic()
    [raw] = read(page)
    assert len(raw.text) == 12 * 140_000
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("title", "hint", "site"),
    [
        ("2026年上海市政府工作报告_上海市人民政府", "2026年上海市政府工作报告", "上海市人民政府"),
        ("2026年上海市政府工作报告_上海市人民政府:8080", "2026年上海市政府工作报告", "上海市人民政府"),
        ("县委宣传部工作总结 - 第一范文网", "县委宣传部工作总结", "第一范文网"),
        ("宣传工作汇报|www.example.gov.cn:8080", "宣传工作汇报", "www.example.gov.cn"),
        ("宣传工作汇报_工作动态_通山县人民政府门户网站 - www.tongshan.gov.cn", "宣传工作汇报_工作动态", "通山县人民政府门户网站"),
        ("学习贯彻党的二十大精神 - 推进宣传工作", "学习贯彻党的二十大精神 - 推进宣传工作", None),
        ("县委宣传部2021年工作总结", "县委宣传部2021年工作总结", None),
    ],
)
def test_the_site_is_cut_from_the_title(title, hint, site):
    raw = page_text(f"<html><head><title>{title}</title></head><body><p>{PROSE}</p></body></html>", "utf-8")
    assert (raw.title_hint, raw.source) == (hint, site)
    assert raw.meta["page_title"] == title


def test_a_site_meta_tag_wins_over_the_title_suffix():
    page = ("<html><head><title>报告_某某网</title><meta property='og:site_name' content='通山发布'></head>"
            f"<body><p>{PROSE}</p></body></html>")
    assert (page_text(page, "utf-8").title_hint, page_text(page, "utf-8").source) == ("报告", "通山发布")
