"""Steps 3-4: traditional → simplified, NFKC where safe, Chinese punctuation in Chinese text."""

from __future__ import annotations

import pytest

from ingest.normalize.chinese import to_simplified
from ingest.normalize.punctuation import chinese_punctuation
from ingest.normalize.unicode_forms import nfkc_safe


def test_t2s_converts_and_reports() -> None:
    text, report = to_simplified("意識形態工作會議，提升宣傳")
    assert text == "意识形态工作会议，提升宣传"
    assert report["step"] == "t2s" and report["changed_chars"] == 5
    assert "識→识" in report["examples"]


def test_t2s_leaves_simplified_text_alone() -> None:
    text = "意识形态工作责任制情况汇报"
    assert to_simplified(text) == (text, {"step": "t2s", "changed_chars": 0, "examples": []})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０２０年ＱＱ群", "2020年QQ群"),  # full-width letters and digits
        ("全角\u3000空格", "全角 空格"),  # ideographic space
        ("⼀是⾧期", "一是长期"),  # Kangxi radicals from PDF extraction, then simplified
        ("a\u200bb\ufeffc\u00add", "abcd"),  # invisible characters
        ("e\u0301", "é"),  # canonical composition
        ("㈠加强领导 ⑴", "(一)加强领导 (1)"),
        ("㈼督", "(监)督"),  # an enclosed ideograph is traditional once NFKC opens it: simplified again
        ("𝐀𝟏", "A1"),  # outside the Basic Multilingual Plane
    ],
)
def test_nfkc_normalizes(text: str, expected: str) -> None:
    assert nfkc_safe(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "今年以来，通山县委：（一）加强领导；（二）强化责任！是否到位？",
        "“一岗双责”、《条例》……1～3月",
        "①加强学习②强化宣传",  # list markers
        "建成700余㎡的办公场地，面积5m²",
        "X县、××区、xx镇、====年",  # placeholders
    ],
)
def test_nfkc_keeps_chinese_punctuation_and_markers(text: str) -> None:
    assert nfkc_safe(text) == (text, {"step": "nfkc", "changed_chars": 0, "invisible_removed": 0, "examples": []})


def test_nfkc_reports_what_changed() -> None:
    _, report = nfkc_safe("２０２０年\u3000\u200b")
    assert report["changed_chars"] == 5 and report["invisible_removed"] == 1
    assert "２→2" in report["examples"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020年,通山县委坚决贯彻", "2020年，通山县委坚决贯彻"),
        ("现将工作情况汇报如下:", "现将工作情况汇报如下："),
        ("紧扣举旗帜;聚民心!", "紧扣举旗帜；聚民心！"),
        ("时间:2022-07-12", "时间：2022-07-12"),
        ("取得实效.全年", "取得实效。全年"),
        ("党委(党组)意识形态", "党委（党组）意识形态"),
        ("(二)加强阵地建设", "（二）加强阵地建设"),
        ("录用xx篇(其中x篇合稿),市平台", "录用xx篇（其中x篇合稿），市平台"),
        ("年 , 通山", "年， 通山"),  # the space goes in the whitespace step
    ],
)
def test_ascii_marks_in_chinese_text_become_chinese(text: str, expected: str) -> None:
    assert chinese_punctuation(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "共1,500人次",  # thousands separator
        "12:30:06",
        "增长3.5%",
        "Hello, world: fine.",
        "户外LED, 80%以上",  # Latin on the left
        "通山(2020)12号",  # no Chinese inside the brackets
        "人民日??、市委党校",  # ? marks lost characters
        "新闻?论工作",
    ],
)
def test_other_ascii_marks_stay(text: str) -> None:
    assert chinese_punctuation(text) == (text, {"step": "punctuation", "converted": 0})
