"""Page furniture of printed documents: page numbers and running headers.

They sit between the two halves of a paragraph that a page break split, so
they go before broken lines are joined. A running header is a short title-like
line that recurs in one document at page breaks: next to a page number, or
cutting a sentence in two. Real text repeats short lines too (支持以下行为：,
the headings of a report a file holds three times), so a repeated line only
counts when it sits at page breaks at least twice. Its occurrences at page
breaks go; others (the document's own title at its top) stay.

A label a page break put inside a sentence goes even when it occurs once (内部资料
注意保存, a browser's print footer): a short line between a wrapped line that has not
ended its sentence and the line that ends it, which the learned witness takes for a
label. Its place alone does not tell it from a fragment of an unevenly wrapped
sentence (旅游行政管理部门), the witness does.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.normalize.adlines import out_of_place
from ingest.normalize.joins import continues
from ingest.normalize.lines import ends_sentence, is_prose, opens_paragraph, visible_len

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－―~～─━]+\s*\d{1,4}(?:\s*/\s*\d{1,4})?\s*[-—–－―~～─━]+"  # - 3 -, — 3 / 5 —, ─ 5 ─
    r"|[·•・]\s*\d{1,4}\s*[·•・]"  # ·3·
    r"|[-—–]+\s*(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*[-—–]+"  # — PAGE 3 —, --- Page 3 of 5 ---
    r"|[◀◁<‹«]\s*\d{1,4}\s*/\s*\d{1,4}\s*[▶▷>›»]"  # ◀ 1/9 ▶
    r"|(?:当前)?第\s*\d{1,4}\s*页(?:\s*[/，,、]?\s*共\s*\d{1,4}\s*页)?"  # 第 3 页, 第3页 共12页, 当前第1页，共3页
    r"|第\s*\d{1,4}\s*页\s*[(（]\s*共\s*\d{1,4}\s*页\s*[)）]"  # 第3页（共8页）
    r"|页码\s*[:：]?\s*\d{1,4}(?:\s*/\s*\d{1,4})?"  # 页码：3/8
    r"|[(（]\s*\d{1,3}\s*/\s*\d{1,3}\s*[)）]"  # (1/4)
    r"|共\s*\d{1,4}\s*页\s*[/，,、]?\s*第\s*\d{1,4}\s*页"  # 共12页 第3页
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 3/12
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"  # Page 3 of 12
    r"|\d{1,4}\s+of\s+\d{1,4}|[Pp]\.?\s*\d{1,4}"  # 4 of 5, P5
    r"|[(（]\s*第\s*\d{1,4}\s*页\s*[)）]|\d{1,4}\s*/\s*\d{1,4}\s*页"  # （第2页）, 3/4页
    r"|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,4}"  # a print footer: 2016-03-31        8
    r"|[\u4e00-\u9fff]{2,16}\s*第\s*\d{1,4}\s*页)$"  # a running header with its page: 政府文件 第7页
)
# A bare number, or one in brackets, is a page number only where it cuts a sentence or the file
# shows it is paginated (a table's cells are bare numbers; （1） may be a list's marker).
# So is a running header with its page number (山东省人民政府      2, its spaces tidied away to
# 山东省人民政府2), but not 附件 1 or 表 2.
_BARE_NUMBER = re.compile(r"^(?:\d{1,3}|[(（〔\[【]\s*\d{1,3}\s*[)）〕\]】]|(?!附|表|图)[\u4e00-\u9fff]{4,20}\s*\d{1,3})$")
_NUMERIC = re.compile(r"^[\d.,%％\s]+$")
_MIN_REPEATS = 3
_MIN_AT_BREAKS = 2
_MAX_HEADER_LEN = 25
_MAX_LABEL_LEN = 60  # a label cutting a sentence may be long: a browser's print footer with its URL
_MIN_WRAPPED = 15  # a line cut by a page break is a wrapped line of running text, not a short one
_MAX_EXAMPLES = 20


def is_page_number(line: str) -> bool:
    return _PAGE_NUMBER.match(line.strip()) is not None


def _label_candidate(line: str, max_len: int = _MAX_LABEL_LEN) -> bool:
    """Short, no heading, no running text, and no lead-in to what follows."""
    return (2 <= visible_len(line) <= max_len and not opens_paragraph(line)
            and not is_prose(line) and not line.rstrip().endswith(("：", ":")))


def _lone(lines: list[str], i: int) -> bool:
    """No number beside line i (a column of a table is numbers in a row) and some text."""
    near = [lines[j].strip() for j in (i - 1, i + 1) if 0 <= j < len(lines)]
    return any(near) and not any(_NUMERIC.match(line) for line in near if line)


def _inside_sentence(lines: list[str], i: int) -> bool:
    """Line i stands between two halves of a sentence: the line before has not ended, and it or
    the line after (not a new paragraph) is running text."""
    before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
    after = next((lines[j] for j in range(i + 1, len(lines)) if lines[j].strip()), "")
    if not (before and after) or ends_sentence(before):
        return False
    return is_prose(before) or (is_prose(after) and not opens_paragraph(after))


def _at_break(lines: list[str], i: int, pages: set[int]) -> bool:
    """Line i sits at a page break: beside a page number, or inside a sentence."""
    if i - 1 in pages or i + 1 in pages:
        return True
    before = next((lines[j] for j in range(i - 1, -1, -1) if j not in pages), "")
    return bool(before) and is_prose(before) and not ends_sentence(before)


def _interlopers(lines: list[str], drop: set[int]) -> set[int]:
    """Short label lines standing between a wrapped line and the rest of its sentence."""
    kept = [i for i in range(len(lines)) if i not in drop and lines[i].strip()]
    found = set()
    for before, i, after in zip(kept, kept[1:], kept[2:], strict=False):
        line, prev, nxt = lines[i], lines[before], lines[after]
        if not (_label_candidate(line) and visible_len(prev) >= _MIN_WRAPPED and is_prose(prev)):
            continue
        if not continues(prev, line) and continues(prev, nxt) and out_of_place(line):
            found.add(i)
    return found


def strip_page_furniture(text: str) -> tuple[str, dict[str, Any]]:
    """Drop page-number lines and running headers."""
    lines = text.split("\n")
    pages = {i for i, line in enumerate(lines) if is_page_number(line)}
    bare = [i for i, line in enumerate(lines) if _BARE_NUMBER.match(line.strip()) and _lone(lines, i)]
    cutting = {i for i in bare if _inside_sentence(lines, i)}
    # Once the file shows it is paginated, a lone number between paragraphs is a page number too.
    pages |= set(bare) if pages or cutting else cutting
    where: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if i not in pages and _label_candidate(line, _MAX_HEADER_LEN):
            where.setdefault(line, []).append(i)
    drop = set(pages)
    headers = []
    for line, places in where.items():
        at_breaks = [i for i in places if _at_break(lines, i, pages)]
        if len(places) >= _MIN_REPEATS and len(at_breaks) >= _MIN_AT_BREAKS:
            headers.append(line)
            drop.update(at_breaks)
    cutting_labels = _interlopers(lines, drop)
    drop |= cutting_labels
    kept = [line for i, line in enumerate(lines) if i not in drop]
    report = {
        "step": "page_furniture",
        "page_numbers": len(pages),
        "running_header_lines": len(drop) - len(pages) - len(cutting_labels),
        "labels_cutting_sentences": len(cutting_labels),
        "examples": ([lines[i] for i in sorted(pages)][: _MAX_EXAMPLES // 2] + sorted(headers)
                     + [lines[i] for i in sorted(cutting_labels)])[:_MAX_EXAMPLES],
    }
    return "\n".join(kept), report
