"""Learned boilerplate: lines one source repeats across its documents go, its real text stays."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from ingest.normalize.learned import LearnedBoilerplate, line_key

REGS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "civilized-behavior-regs" / "regs.jsonl.gz"
# An invented site's chrome, put around every document of the synthetic source.
HEADER = ["法规汇编网 — 首页 | 法规库 | 登录", "您正在浏览：地方性法规频道"]
FOOTER = ["本页面由某某数据平台提供技术支持", "网站备案号：京ICP备00000000号-1", "返回顶部"]


def _records(kind: str, limit: int) -> list[dict]:
    if not REGS.exists():
        pytest.skip("shared corpora not available")
    with gzip.open(REGS, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    return [r for r in records if r["set"] == kind][:limit]


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_site_chrome_is_learned_and_removed_real_text_survives() -> None:
    texts = [r["text"] for r in _records("docs", 40)]
    site = ["\n".join(HEADER + [text] + FOOTER) for text in texts]
    model = LearnedBoilerplate.learn(site)
    assert model.documents == 40
    assert {line_key(line) for line in HEADER + FOOTER} <= model.lines
    for original, page in zip(texts, site, strict=True):
        stripped, report = model.strip(page)
        assert report["step"] == "learned_boilerplate" and report["removed_lines"] == len(HEADER + FOOTER)
        assert _lines(stripped) == _lines(original)  # every real line, in order


def test_recurring_headings_are_never_learned() -> None:
    docs = [f"第一章 总则\n第{n}条 本条例自公布之日起施行。\n一、总体情况\n（一）加强领导" for n in "一二三四五"]
    assert LearnedBoilerplate.learn(docs).lines == frozenset()


def test_exported_artefact_header_is_learned() -> None:
    """The re-exported regulations all begin with `All Five Concepts / Content`."""
    texts = [r["text"] for r in _records("exported_docs", 60)]
    model = LearnedBoilerplate.learn(texts)
    assert {"AllFiveConcepts", "Content"} <= model.lines
    stripped, _ = model.strip(texts[0])
    assert "All Five Concepts" not in stripped
    assert "文明行为促进条例" in stripped


@pytest.mark.parametrize(("copies", "learned"), [(2, False), (3, True)])
def test_min_docs(copies: int, learned: bool) -> None:
    docs = [f"正文第{n}篇，内容各不相同。" for n in range(10)]
    docs = [("某某资料站\n" + d) if i < copies else d for i, d in enumerate(docs)]
    model = LearnedBoilerplate.learn(docs, min_docs=3, min_share=0.2)
    assert ("某某资料站" in model.lines) is learned


@pytest.mark.parametrize(("share", "learned"), [(0.5, True), (0.6, False)])
def test_min_share(share: float, learned: bool) -> None:
    docs = [("某某资料站\n" if i < 5 else "") + f"正文第{i}篇。" for i in range(10)]
    assert ("某某资料站" in LearnedBoilerplate.learn(docs, min_share=share).lines) is learned


@pytest.mark.parametrize(("copies", "learned"), [(3, True), (2, False)])
def test_by_default_a_site_line_in_a_tenth_of_a_mixed_folder_is_learned(copies: int, learned: bool) -> None:
    docs = [("某某资料站\n" if i < copies else "") + f"正文第{i}篇。" for i in range(30)]
    assert ("某某资料站" in LearnedBoilerplate.learn(docs).lines) is learned
    many = [("某某资料站\n" if i < 5 else "") + f"正文第{i}篇。" for i in range(60)]
    assert "某某资料站" not in LearnedBoilerplate.learn(many).lines  # 5 of 60 is under a tenth


def test_json_round_trip() -> None:
    model = LearnedBoilerplate.learn(["站点页眉\n正文一。", "站点页眉\n正文二。", "站点页眉\n正文三。"])
    again = LearnedBoilerplate.from_json(model.to_json())
    assert again == model
    assert again.strip("站点 页眉\n正文四。")[0] == "正文四。"  # spacing does not matter


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="format"):
        LearnedBoilerplate.from_json('{"format": 99, "lines": []}')


def test_signatures_titles_and_dates_are_never_learned():
    """A folder of one county's reports repeats its signature: that is a fact, not chrome."""
    texts = [
        f"中共通山县委2020年落实意识形态工作责任制情况汇报\n第{i}段正文内容，工作取得成效。\n"
        f"本站推荐：更多精彩范文\n中共通山县委\n2021年1月{i + 1}日"
        for i in range(5)
    ]
    model = LearnedBoilerplate.learn(texts)
    assert model.is_boilerplate("本站推荐：更多精彩范文")
    assert not model.is_boilerplate("中共通山县委")
    assert not model.is_boilerplate("中共通山县委2020年落实意识形态工作责任制情况汇报")


# A wiki's public-domain notice, as scraped pages print it: in short broken lines.
NOTICE = ("本作品是中华人民共和国的法律、法规、国家机关的决议、决定、命令和其他具有立法、行政、司法性质的文件，"
          "及其官方正式译文。根据《中华人民共和国著作权法》第五条，本作品不适用于该法，属于公有领域。")


def _broken(text: str, seed: int) -> list[str]:
    """The text cut into short lines at places that differ from file to file."""
    rng = random.Random(seed)
    lines, at = [], 0
    while at < len(text):
        step = rng.choice([1, 2, 4, 7, 12, 20])
        lines.append(text[at : at + step])
        at += step
    return lines


def test_a_notice_broken_differently_in_every_file_is_learned_as_a_block() -> None:
    texts = [r["text"] for r in _records("docs", 20)]
    pages = ["\n".join([text, *_broken(NOTICE, seed)]) for seed, text in enumerate(texts)]
    pages[0] = "\n".join([texts[0], NOTICE[:60], NOTICE[60:]])  # joined into two long lines in one file
    model = LearnedBoilerplate.learn(pages)
    assert model.blocks
    for original, page in zip(texts, pages, strict=True):
        stripped, report = model.strip(page)
        assert _lines(stripped) == _lines(original)
        assert report["removed_lines"] >= 2


def test_hard_wrapped_regulations_lose_no_line_to_blocks() -> None:
    """Regulations share phrases and whole clauses; wrapped into short lines they form runs."""
    texts = [r["text"] for r in _records("docs", 60)]
    wrapped = ["\n".join(line[i : i + 24] for line in text.splitlines() for i in range(0, len(line), 24))
               for text in texts]
    model = LearnedBoilerplate.learn(wrapped)
    lost = []
    for text in wrapped:
        lines = text.split("\n")
        lost += [lines[n] for n in sorted(model.block_lines(lines))]
    assert lost == []


def test_a_model_of_format_1_is_still_read() -> None:
    model = LearnedBoilerplate.from_json('{"format": 1, "documents": 3, "min_docs": 3, "min_share": 0.2, '
                                         '"lines": ["站点页眉"]}')
    assert model.lines == {"站点页眉"} and model.blocks == frozenset()
