"""Normalization: raw decoded text to clean simplified text, step by step.

Each step is a small function `text -> (text, report)` in its own module;
`normalize` runs them in this order and keeps the reports as provenance:

1. gbk_repair      misaligned GBK bytes decoded again (`。ㄒ唬┮庾R` → `（一）意識`)
2. pinyin          tone-marked pinyin notes after characters removed (`以來(lái)`)
3. t2s             traditional → simplified (OpenCC)
4. nfkc            NFKC, keeping Chinese punctuation
   punctuation     ASCII marks inside Chinese text made Chinese (`年,通` → `年，通`)
   whitespace      trimmed lines, no blank lines, no spaces around numbers
   page_furniture  page numbers and running headers
   join_lines      lines broken inside a sentence joined again
5. boilerplate     page chrome and 范文-site advertising

Repairs are made on the text as decoded, but converting to simplified can turn a
garbled run that could not be repaired into one that looks repairable. So when
the finished text still holds a repairable run, the steps run again on it (at
most MAX_ROUNDS times): normalizing normalized text changes nothing.

Placeholders for redacted names and numbers (X, ×, xx, ====) are text like
any other: no step removes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ingest.normalize.boilerplate import strip_boilerplate
from ingest.normalize.chinese import to_simplified
from ingest.normalize.gbk_repair import repair_misalignment
from ingest.normalize.joins import join_broken_lines
from ingest.normalize.pages import strip_page_furniture
from ingest.normalize.pinyin import strip_pinyin
from ingest.normalize.punctuation import chinese_punctuation
from ingest.normalize.unicode_forms import nfkc_safe
from ingest.normalize.whitespace import tidy

Step = Callable[[str], tuple[str, dict[str, Any]]]

STEPS: tuple[Step, ...] = (
    repair_misalignment,
    strip_pinyin,
    to_simplified,
    nfkc_safe,
    chinese_punctuation,
    tidy,
    strip_page_furniture,
    join_broken_lines,
    strip_boilerplate,
)


@dataclass
class Normalized:
    text: str  # clean simplified text, one paragraph per line, no blank lines
    original: str  # the text as decoded, for the document page
    steps: list[dict[str, Any]] = field(default_factory=list)  # one report per step, in order


MAX_ROUNDS = 3


def _run_steps(text: str, steps: list[dict[str, Any]], round_no: int) -> str:
    for step in STEPS:
        text, report = step(text)
        if round_no > 1:
            report["round"] = round_no
        steps.append(report)
    return text


def normalize(text: str) -> Normalized:
    """Run every step in order, again while a repair is still possible; see the module docstring."""
    original = text
    steps: list[dict[str, Any]] = []
    text = _run_steps(text, steps, 1)
    for round_no in range(2, MAX_ROUNDS + 1):
        if repair_misalignment(text)[0] == text:
            break
        text = _run_steps(text, steps, round_no)
    return Normalized(text=text, original=original, steps=steps)
