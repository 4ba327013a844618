"""Markdown: markup stripped lightly, text and line structure kept."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ingest.readers import read_path
from ingest.readers.markdown import markdown_to_text
from tests.conftest import CORPORA

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readers"


def test_markdown_fixture():
    [raw] = read_path(FIXTURES / "statute.md")
    assert raw.format == "md" and raw.title_hint == "东莞市文明行为促进条例"
    lines = [line for line in raw.text.split("\n") if line]
    assert lines[:2] == ["东莞市文明行为促进条例", "第一章 总 则"]
    assert "第一项：文明行为规范" in lines and "第二项：倡导与鼓励" in lines
    assert "项目\t说明" in lines and "适用范围\t本市行政区域" in lines
    assert "图片说明" in lines and lines[-1].startswith("本条例所称文明行为")
    for markup in ("#", "**", "](", "<!--", "<p>", "|", "---", "`", ">"):
        assert markup not in raw.text


@pytest.mark.parametrize(
    "markdown, text",
    [
        ("---\ntitle: 报告\n---\n正文", "正文"),
        ("标题\n===\n\n正文 \\*不是强调\\*", "标题\n\n正文 *不是强调*"),
        ("<https://www.gov.cn> 与 [链接][1]\n\n[1]: https://x.org", "https://www.gov.cn 与 链接"),
        ("```\n# 代码里的井号\n```", "# 代码里的井号"),
        ("3*4*5 与 a_b_c", "3*4*5 与 a_b_c"),
    ],
)
def test_markup_cases(markdown, text):
    assert markdown_to_text(markdown)[0] == text


def test_front_matter_title():
    assert markdown_to_text("---\ntitle: 报告\n---\n正文")[1] == "报告"


def test_real_law_markdown_loses_its_info_comment():
    files = sorted((CORPORA / "laws-lawrefbook" / "raw_md_local").glob("**/*.md"))
    if not files:
        pytest.skip("laws corpus not found")
    [raw] = read_path(files[0])
    assert raw.title_hint and raw.title_hint in raw.text.split("\n")[0]
    assert "INFO END" not in raw.text and "\n\n\n" not in raw.text


def test_pathological_markdown_line_is_linear():
    line = "**未闭合 [链接 `代码 <!-- " * 200_000  # 5 MB of unclosed markup on one line
    started = time.monotonic()
    markdown_to_text(line)
    assert time.monotonic() - started < 5
