"""Splitting multi-report files: seed 003 holds five reports, the other seeds one, regulations one."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from ingest.normalize import normalize
from ingest.readers import read_path
from ingest.split import is_title_like, part_title, split_reports

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
SEED_003 = "003_7aff6639aaa49617.txt"
SINGLE = [
    "000_4d5dbc1edda40789.txt",
    "001_eaa05965459b041d.txt",
    "002_17ed8b2d14d05a44.txt",
    "004_edecab7bdecca6f6.txt",
]


def seed_text(name: str, normalized: bool = True) -> str:
    raw = read_path(SAMPLE / name)[0].text
    return normalize(raw).text if normalized else raw


@pytest.mark.parametrize("normalized", [True, False], ids=["normalized", "raw"])
def test_seed_003_splits_into_its_five_reports(normalized):
    parts = split_reports(seed_text(SEED_003, normalized))
    assert [p.title for p in parts] == [
        "2020年区人大宣传工作总结材料",
        "区委宣传部宣传思想工作总结",
        "区委宣传部宣传思想工作总结",
        "区委宣传部宣传思想工作总结",
        "区宣传思想工作总结",
    ]
    keys = ["三湘农民健康行", "朝天", "朝天", "朝天", "万柏林"]
    for part, key in zip(parts, keys, strict=True):
        assert key in part.text
        assert sum(k in part.text for k in set(keys) - {key}) == 0, part.title


def test_seed_003_parts_cover_the_text_in_order():
    text = seed_text(SEED_003)
    parts = split_reports(text)
    assert "\n".join(p.text for p in parts) == text
    lines = text.split("\n")
    for part in parts:
        assert lines[part.start_line] == part.text.split("\n")[0]
        heading = part.text.split("\n")[: part.heading_lines]
        assert any(part.title in part_title(h) or h.startswith("20") for h in heading)


def test_the_copy_with_numbers_keeps_its_placeholders_out_of_the_title():
    parts = split_reports(seed_text(SEED_003))
    assert "20xx年度" in parts[2].text.split("\n")[1]
    assert "====年度" in parts[3].text.split("\n")[1]
    assert parts[2].title == parts[3].title == "区委宣传部宣传思想工作总结"


@pytest.mark.parametrize("name", SINGLE)
@pytest.mark.parametrize("normalized", [True, False], ids=["normalized", "raw"])
def test_single_report_seeds_yield_one_part(name, normalized):
    text = seed_text(name, normalized)
    parts = split_reports(text, "a hint")
    assert len(parts) == 1
    assert parts[0].text == text and parts[0].title_hint == "a hint" and parts[0].title is None


def test_two_reports_one_after_another_split():
    first, second = seed_text(SINGLE[0]), seed_text(SINGLE[1])
    parts = split_reports(first + "\n" + second)
    assert [p.title for p in parts] == ["县委宣传部近三年工作汇报", "在全市宣传思想工作会议上的汇报发言"]


def test_a_plan_section_under_its_own_heading_is_not_a_new_report():
    report = seed_text(SINGLE[0])
    plan = "2021年工作计划\n一、继续抓好理论武装。" + "坚持不懈用党的创新理论武装头脑，" * 20
    assert len(split_reports(report + "\n" + plan)) == 1


def test_a_title_with_little_under_it_is_not_a_report():
    report = seed_text(SINGLE[0])
    assert len(split_reports(report + "\n相关工作总结\n一年来，略。")) == 1


@pytest.mark.parametrize(
    "line, expected",
    [
        ("县委宣传部近三年工作汇报", True),
        ("2020年区人大宣传工作总结材料。", True),
        ("一、今年工作推进情况", False),  # numbered heading
        ("第一章 总则", False),
        ("2021年工作计划", False),  # a section of the same report
        ("下一步工作打算", False),
        ("限期淘汰计划，经市人民政府批准后公布实施。", False),  # a sentence's end
        ("中共咸宁市委:", False),
    ],
)
def test_title_like_lines(line, expected):
    assert is_title_like(line) is expected


def _records(name: str, n: int) -> list[dict]:
    path = next(CORPORA.glob(f"*/{name}"), None)
    if path is None:
        pytest.skip(f"corpus {name} not available")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        records = [r for r in map(json.loads, f) if r["text"].strip()]
    return random.Random(3).sample(records, min(n, len(records)))


@pytest.mark.parametrize("corpus", ["regs.jsonl.gz", "laws.jsonl.gz"])
def test_regulations_are_never_split(corpus):
    for record in _records(corpus, 200):
        parts = split_reports(normalize(record["text"]).text)
        assert len(parts) == 1, record["title"]
