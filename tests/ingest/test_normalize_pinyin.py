"""Step 2: tone-marked pinyin notes after characters go; real brackets stay."""

from __future__ import annotations

import pytest

from ingest.normalize.pinyin import is_pinyin, readings, strip_pinyin


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今年以來(lái),xx鎮(zhèn)緊緊圍繞區(qū)委", "今年以來,xx鎮緊緊圍繞區委"),
        ("學(xué)習(xí)強國", "學習強國"),
        ("以來（lái）", "以來"),  # full-width brackets
        ("學習(xué xí)強國", "學習強國"),  # one note for a word
        ("綠(lǜ)色", "綠色"),
        ("日?qǐng)?bào)等資深講師", "日??等資深講師"),  # notes whose "(" was garbled away, after lost characters
        ("新聞\ufffd(yú)論", "新聞\ufffd論"),
    ],
)
def test_notes_are_removed(text: str, expected: str) -> None:
    assert strip_pinyin(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "(二)意识形态教育受益匪浅",
        "（二）意识形态教育",
        "《文明行为促进条例(试行)》",
        "通山县委(2020)12号",
        "来(lai)",  # no tone mark
        "Beijing (Běijīng) is the capital",  # after Latin text
        "咖啡(café)",  # not pinyin
        "中国(China)",
        "党委(党组)理论学习中心组",
        "全年接待(含线上)xx万人次",
    ],
)
def test_real_brackets_stay(text: str) -> None:
    assert strip_pinyin(text) == (text, {"step": "pinyin", "removed": 0, "examples": []})


def test_report_counts_and_bounds_examples() -> None:
    text = "以來(lái)" * 50
    stripped, report = strip_pinyin(text)
    assert stripped == "以來" * 50
    assert report["removed"] == 50
    assert report["examples"][:1] == ["來(lái)"] and len(report["examples"]) <= 20


def test_readings_map_each_reading_to_the_characters_annotated_with_it() -> None:
    found = readings("服務(wù)大局，隊(duì)伍，對(duì)接，來(lái)")
    assert found["wù"] == {"務"}
    assert found["duì"] == {"隊", "對"}


@pytest.mark.parametrize(
    ("reading", "expected"),
    [("lái", True), ("zhèn", True), ("lǜ", True), ("xué xí", True), ("lai", False), ("café", False), ("qǐngs", False)],
)
def test_is_pinyin(reading: str, expected: bool) -> None:
    assert is_pinyin(reading) is expected
