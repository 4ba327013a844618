"""Normalization on real official texts (shared/corpora): clean text loses nothing, and it is fast."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import opencc
import pytest

from ingest.normalize import normalize
from ingest.normalize.boilerplate import flag_lines
from ingest.normalize.chinese import simplify
from ingest.normalize.gbk_repair import repair_misalignment
from ingest.normalize.pinyin import strip_pinyin
from ingest.normalize.unicode_forms import nfkc_safe
from ingest.normalize.whitespace import split_lines

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
SOURCES = {
    "regs": CORPORA / "civilized-behavior-regs" / "regs.jsonl.gz",
    "laws": CORPORA / "laws-lawrefbook" / "laws.jsonl.gz",
    "xwlb": CORPORA / "xwlb-cctv" / "items.jsonl.gz",
}
SAMPLE = {"regs": 484, "laws": 600, "xwlb": 3000}
# Word field codes left in some exported regulations (PAGE \* MERGEFORMAT 3): export artefacts, no text;
# the cleaner may take them (tests/ingest/test_normalize_adlines.py wants it to).
WORD_FIELDS = re.compile(r"MERGEFORMAT")
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


@cache
def texts(name: str) -> tuple[str, ...]:
    path = SOURCES[name]
    if not path.exists():
        pytest.skip("shared corpora not available")
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            out.append(json.loads(line)["text"] or "")
            if len(out) == SAMPLE[name]:
                break
    return tuple(out)


@cache
def traditional(name: str) -> tuple[str, ...]:
    converter = opencc.OpenCC("s2t")
    return tuple(converter.convert(text) for text in texts(name))


@pytest.mark.parametrize("name", SOURCES)
def test_clean_text_needs_no_repair(name: str) -> None:
    for text in texts(name) + traditional(name):
        assert repair_misalignment(text)[0] == text


@pytest.mark.parametrize("name", SOURCES)
def test_clean_text_has_no_pinyin_notes(name: str) -> None:
    for text in texts(name):
        assert strip_pinyin(text)[0] == text


@pytest.mark.parametrize("name", SOURCES)
def test_no_real_line_is_taken_for_boilerplate(name: str) -> None:
    for text in texts(name):
        lines = split_lines(text)
        flags = flag_lines(lines)
        wrong = [line for line, flag in zip(lines, flags, strict=True) if flag and not WORD_FIELDS.search(line)]
        assert not wrong, wrong


def test_no_chinese_character_is_lost() -> None:
    """Every Han character of a clean document is still there after normalization
    (NFKC may add some: ㈠ becomes (一))."""
    for before in texts("regs"):
        after = normalize(before).text
        assert Counter(HAN.findall(nfkc_safe(simplify(before))[0])) == Counter(HAN.findall(after))
