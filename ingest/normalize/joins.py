"""Join lines that a page break or a hard wrap split inside a sentence.

`……在新冠肺炎疫情防控工作中，全` / `媒体开设抗疫专题专栏，……。` is one paragraph.
A line is continued only when everything says so: it is running text (or a
list item: 一是……) that has not ended its sentence (or it is a bare list
marker such as `三是`); it is no heading, title or boilerplate; and the next
line is no heading or list item and reads as the rest of a paragraph (it ends
a sentence or is long). Boilerplate lines in between are stepped over (they go
in the next step), so normalizing twice gives the same text.
"""

from __future__ import annotations

from typing import Any

from ingest.normalize import boilerplate
from ingest.normalize.lines import (
    ARTICLE,
    ends_sentence,
    has_open_bracket,
    has_sentence_end,
    is_marker_only,
    is_prose,
    is_pure_heading,
    looks_like_title,
    opens_paragraph,
    visible_len,
)
from ingest.normalize.punctuation import to_chinese_marks
from ingest.normalize.whitespace import tighten

_LONG_LINE = 80  # a continuation without a sentence end must be a long run of text (a whole page)
_MARKER_MAX = 8  # no bare marker (三是, （十二）, 第一章) is longer
_CLOSERS = "）)》」』”】〉"
_COMMAS = ("，", "、", ",")  # nothing ends with a comma but a broken line
_CONTINUATION_START = "，,、。；;：:" + _CLOSERS
_MAX_EXAMPLES = 20
# A number cut from its unit by a hard wrap: the line ends in a numeral, the next opens with the unit.
_NUMERALS = "0123456789〇零一二三四五六七八九十百千"
_UNITS = "年月日号时条款项届次万亿元%％个名"
_STOPS = ("。", "！", "？", "；", "：", "!", "?", ";", ":")
_TITLE_TAIL_MAX = 12  # 关于批准《…条例》 / 的决议: a title's last words wrapped to a line of their own


def continues(line: str, nxt: str) -> bool:
    """Whether `nxt` is the rest of the paragraph that `line` began."""
    if not line or not nxt:
        return False  # a blank line ends a paragraph (tidy removes them first; this step stands alone too)
    if len(line) <= _MARKER_MAX and is_marker_only(line):
        return not opens_paragraph(nxt) and not is_marker_only(nxt)
    if nxt.startswith("的") and visible_len(nxt) <= _TITLE_TAIL_MAX and not has_sentence_end(nxt) \
            and not line.endswith(_STOPS) and not is_pure_heading(line):
        return True
    if ends_sentence(line) or is_pure_heading(line) or looks_like_title(line):
        return False
    if opens_paragraph(nxt) or is_marker_only(nxt):
        return False
    if nxt[0] in _CONTINUATION_START:
        return True
    if line[-1] in _NUMERALS and nxt[0] in _UNITS:  # （2019 / 年12月31日…, 第三十七 / 次会议通过
        return True
    bracket_open = has_open_bracket(line)
    if not (is_prose(line) or opens_paragraph(line) or bracket_open or line.endswith(_COMMAS)):
        return False
    closes = bracket_open and any(c in nxt for c in _CLOSERS)
    return has_sentence_end(nxt) or visible_len(nxt) >= _LONG_LINE or closes


def _glue(left: str, right: str) -> str:
    latin = left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum()
    space = " " if latin or ARTICLE.fullmatch(left) else ""
    return tighten(to_chinese_marks(left + space + right)[0])


def _join_pass(lines: list[str], chrome: list[bool], joins: list[str]) -> tuple[list[str], list[bool]]:
    """One pass over the lines, each joined to the text line before it when it continues it."""
    out: list[str] = []
    flags: list[bool] = []
    last_text: int | None = None  # index in `out` of the last line that is not boilerplate
    for line, is_chrome in zip(lines, chrome, strict=True):
        if not is_chrome and last_text is not None and continues(out[last_text], line):
            if len(joins) < _MAX_EXAMPLES:
                joins.append(f"{out[last_text][-8:]} ⏎ {line[:8]}")
            out[last_text] = _glue(out[last_text], line)
            continue
        out.append(line)
        flags.append(is_chrome)
        if not is_chrome:
            last_text = len(out) - 1
    return out, flags


def join_broken_lines(text: str) -> tuple[str, dict[str, Any]]:
    """Join lines that continue the line before them, until no more do.

    A joined line can continue the next line where its first half alone could not
    (it now ends a sentence), so passes repeat until nothing changes: the second
    normalization of a text then finds nothing left to join.
    """
    lines = text.split("\n") if text else []
    chrome = boilerplate.flag_lines(lines)
    joins: list[str] = []
    count = len(lines)
    while True:
        lines, chrome = _join_pass(lines, chrome, joins)
        if len(lines) == count:
            break
        count = len(lines)
    report = {"step": "join_lines", "joined": len(text.split("\n")) - len(lines) if text else 0, "examples": joins}
    return "\n".join(lines), report
