"""The five seed files against eval/seeds_gold.json: chrome gone, text repaired, nothing lost."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path

import pytest

from ingest.normalize import normalize
from ingest.normalize.chinese import simplify

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEEDS = SHARED / "seeds"
GOLD = json.loads((SHARED / "eval" / "seeds_gold.json").read_text(encoding="utf-8"))["documents"]
SEED_NAMES = sorted({doc["seed"] for doc in GOLD})
# A must_vanish this short is a whole line of chrome (搜索): only the line must go, not the word.
WHOLE_LINE_ONLY = 4


def _squeeze(text: str) -> str:
    """Simplified, no whitespace, one form of punctuation (NFKC: ， → ,)."""
    return "".join(unicodedata.normalize("NFKC", simplify(text)).split())


@functools.cache
def normalized(seed: str) -> str:
    return normalize((SEEDS / seed).read_text(encoding="utf-8")).text


def _checks(kind: str, stretch: bool = False) -> list[tuple[str, str]]:
    cases = []
    for doc in GOLD:
        source = doc.get("stretch", {}) if stretch else doc
        cases += [(doc["seed"], item) for item in source.get(kind, [])]
    return cases


@pytest.mark.parametrize(("seed", "line"), _checks("must_vanish"))
def test_must_vanish(seed: str, line: str) -> None:
    target = _squeeze(line)
    for kept in normalized(seed).split("\n"):
        squeezed = _squeeze(kept)
        assert squeezed != target if len(target) <= WHOLE_LINE_ONLY else target not in squeezed, kept


@pytest.mark.parametrize(("seed", "pattern"), _checks("must_match"))
def test_must_match(seed: str, pattern: str) -> None:
    assert re.search(pattern, normalized(seed)), pattern


@pytest.mark.parametrize(("seed", "pattern"), _checks("must_not_match"))
def test_must_not_match(seed: str, pattern: str) -> None:
    found = re.search(pattern, normalized(seed))
    assert found is None, found and normalized(seed)[max(0, found.start() - 20) : found.end() + 20]


@pytest.mark.parametrize(("seed", "pattern"), _checks("must_match", stretch=True))
def test_stretch_must_match(seed: str, pattern: str) -> None:
    """Restored from the document's own pinyin notes (隊, 務, 現) and heading sequence (（六）)."""
    assert re.search(pattern, normalized(seed)), pattern


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_normalized_form(seed: str) -> None:
    text = normalized(seed)
    assert text and "\n\n" not in text
    assert all(line == line.strip() for line in text.split("\n"))


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_idempotent(seed: str) -> None:
    once = normalized(seed)
    assert normalize(once).text == once


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_original_kept_and_steps_reported(seed: str) -> None:
    raw = (SEEDS / seed).read_text(encoding="utf-8")
    result = normalize(raw)
    assert result.original == raw
    names = [step["step"] for step in result.steps]
    assert names == ["gbk_repair", "pinyin", "t2s", "nfkc", "punctuation", "whitespace", "page_furniture", "join_lines", "boilerplate"]


def test_seed_002_repairs_reported() -> None:
    steps = {s["step"]: s for s in normalize((SEEDS / "002_17ed8b2d14d05a44.txt").read_text(encoding="utf-8")).steps}
    assert {"from": "。ㄒ唬┮庾R", "to": "（一）意識"} in steps["gbk_repair"]["examples"]
    assert steps["pinyin"]["removed"] >= 577


def test_seed_004_page_breaks_joined() -> None:
    text = normalized("004_edecab7bdecca6f6.txt")
    assert "在新冠肺炎疫情防控工作中，全媒体开设抗疫专题专栏" in text
    assert "一是深入推进文明村镇、文明单位、文明家庭" in text
    lines = text.split("\n")
    assert "中共通山县委2021年1月22日" in lines  # the signature stays its own line
    assert "（二）加强意识形态领域阵地建设。" in lines  # headings are not joined to the next line


def test_seed_003_copies_keep_their_headings_and_placeholders() -> None:
    lines = normalized("003_7aff6639aaa49617.txt").split("\n")
    assert lines.count("一、立足理论根本，着力提高干部理论素养") == 3
    assert "区委宣传部====年度宣传思想工作总结" in lines
    assert "区委宣传部20xx年度宣传思想工作总结" in lines
