"""What a line of a report is: heading, list item, sentence end, prose.

Several steps must agree on these answers (joining broken lines, running
headers, boilerplate context, learned boilerplate), so they live here once.
"""

from __future__ import annotations

import functools
import re
import tomllib

from archive.config import data_file

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_CHAR = re.compile(f"[{HAN}]")  # one Chinese character
NUM = "一二三四五六七八九十百零〇两"

# Section heading markers: 一、 （一） (一) 第一章 1. 1、 （1） ①, and 目录.
_MARKERS = (
    rf"[{NUM}]+\s*[、.．]"
    rf"|[（(]\s*[{NUM}]+\s*[）)]"
    rf"|第\s*[{NUM}\d]+\s*[章节条编部分篇款]"
    r"|\d{1,2}\s*[、.．](?!\d)"
    r"|[（(]\s*\d{1,2}\s*[）)]"
    r"|[\u2460-\u2473\u2776-\u277f\u3251-\u325f]"
    r"|目\s*录\s*$"
)
_HEADING = re.compile(rf"^\s*(?:{_MARKERS})")
# 第一条, 第二章: legal text writes a space after them (第一条 为了……), kept when tidying.
ARTICLE = re.compile(rf"第[{NUM}\d]+[章节条款编部分篇]")
# List items that open a paragraph but are not headings: 一是 首先 其次 此外.
_ENUMERATOR = re.compile(rf"^\s*(?:[{NUM}]是|首先|其次|再次|最后|另外|此外|第[{NUM}]+[，,、是])")
_MARKER_ONLY = re.compile(rf"^\s*(?:{_MARKERS}|[{NUM}]是)\s*$")
SENTENCE_END = "。！？!?；;…"
# A line ending in one of these has ended its sentence (or is truncated: U+FFFD).
CLOSED_END = SENTENCE_END + "：:”’」』）)】》〉\ufffd"
_TRAILING_SYMBOLS = re.compile(r"[\s\ue000-\uf8ff]+$")  # Word symbol fonts put these after sentences
_PROSE_PUNCT = re.compile(r"[，。；,;！？]")  # not 、: titles list things with it
_TERMINAL_INSIDE = re.compile(rf"[{SENTENCE_END}]")
_OPEN_BRACKETS = {"（": "）", "(": ")", "《": "》", "“": "”", "〈": "〉", "【": "】"}


def is_heading(line: str) -> bool:
    """A section heading marker opens the line (一、 / （一） / 第一章 / 1. …)."""
    return _HEADING.match(line) is not None


def is_pure_heading(line: str) -> bool:
    """A heading line that holds no sentence of body text after it."""
    return is_heading(line) and not _TERMINAL_INSIDE.search(line.rstrip()[:-1])


def opens_paragraph(line: str) -> bool:
    """The line starts a new unit: a heading or a list item such as 一是."""
    return is_heading(line) or _ENUMERATOR.match(line) is not None


def is_marker_only(line: str) -> bool:
    """Nothing but a heading or list marker, as left when a PDF breaks after it."""
    return _MARKER_ONLY.match(line) is not None


def is_prose(line: str) -> bool:
    """The line is running text (commas, full stops), not a title, label or salutation."""
    return _PROSE_PUNCT.search(line) is not None


def ends_sentence(line: str) -> bool:
    """The last character (private-use symbols aside) closes a sentence, a quotation or a bracket."""
    stripped = _TRAILING_SYMBOLS.sub("", line)
    return not stripped or stripped[-1] in CLOSED_END


def has_open_bracket(line: str) -> bool:
    """An opening bracket or quote is not closed by the end of the line."""
    return any(line.count(o) > line.count(c) for o, c in _OPEN_BRACKETS.items())


def has_sentence_end(line: str) -> bool:
    """A sentence ends somewhere in the line (。！？；…)."""
    return _TERMINAL_INSIDE.search(line) is not None


@functools.cache
def _title_words() -> re.Pattern[str]:
    words = tomllib.loads(data_file("doctypes.toml").read_text(encoding="utf-8"))["title_words"]
    return re.compile(rf"(?:{words})\s*$")


def looks_like_title(line: str) -> bool:
    """Ends with a document-type word (汇报, 总结 …, data/doctypes.toml) and holds no sentence."""
    return not has_sentence_end(line) and _title_words().search(line) is not None


def visible_len(line: str) -> int:
    """Length without whitespace, so tidying spaces never changes a decision."""
    return len("".join(line.split()))
