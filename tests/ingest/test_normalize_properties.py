"""Properties of the whole normalization: never raises, idempotent, keeps placeholders."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.normalize import normalize

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
# Text that looks like a report: Han (simplified and traditional), Chinese and ASCII
# punctuation, digits, spaces, line breaks, placeholders, pinyin.
REPORTISH = st.text(
    alphabet=st.sampled_from(
        list("一二三是的工作宣传部县委年月日会员QQ微信学习意識來務隊現將報")
        + list("，。、；：！？（）()“”《》,.;:!?-—=×Xx0123456789 \n\t\u3000")
        + list("Rāáǎàlaizhèn·…①")
    ),
    max_size=300,
)
SENTENCES = [
    line.strip()
    for seed in ("000_4d5dbc1edda40789.txt", "004_edecab7bdecca6f6.txt")
    for line in (SEEDS / seed).read_text(encoding="utf-8").splitlines()
    if len(line.strip()) > 30
]


@st.composite
def misaligned_gbk(draw: st.DrawFn) -> str:
    """A real report sentence (simplified or traditional) read with one stray byte in its GBK bytes."""
    sentence = draw(st.sampled_from(SENTENCES))
    if draw(st.booleans()):
        sentence = opencc.OpenCC("s2t").convert(sentence)
    data = sentence.encode("gb18030")
    where = draw(st.integers(0, len(data)))
    stray = bytes([draw(st.integers(0x81, 0xFE))])
    return (data[:where] + stray + data[where:]).decode("gb18030", errors="replace")


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=400))
def test_never_raises_on_any_unicode(text: str) -> None:
    result = normalize(text)
    assert result.original == text
    assert "\n\n" not in result.text
    assert all(isinstance(step, dict) and "step" in step for step in result.steps)


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=400))
def test_idempotent_on_any_unicode(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once


@settings(max_examples=500, deadline=None, database=None)
@given(REPORTISH)
def test_idempotent_on_reportish_text(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once


@settings(max_examples=300, deadline=None, database=None)
@given(misaligned_gbk())
def test_idempotent_on_misaligned_gbk(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once


@pytest.mark.parametrize(
    "line",
    [
        "X县委宣传部组织开展X场次宣讲活动，覆盖X万人次。",
        "×区委宣传部坚持以习近平新时代中国特色社会主义思想为指导，举办学习会议×场次。",
        "20xx年，xx镇完成了xxxx人的xx小时志愿服务，占户籍人口总数的xx%。",
        "区委宣传部====年度宣传思想工作总结",
        "====年，区委宣传部全年共播出稿件====件，完成年度任务的===.=%。",
        "XX区人大常委会把加强人大宣传工作作为创新人大工作的先导。",
        "邀请XXX同志作专题辅导报告，XX、XX等同志参加。",
        "全县共有**个单位参加，投入资金***万元。",
        "组织开展“○○杯”征文比赛，收到作品□□篇。",
    ],
)
def test_placeholders_survive(line: str) -> None:
    """Redaction marks stand for names and numbers; no step may delete them."""
    assert normalize(line).text == line
