"""Boilerplate: page chrome and 范文-site advertising.

A line goes when a rule of data/boilerplate.txt matches it (fixed kinds of
line: toolbars, breadcrumbs, pagination), when the advertising classifier of
adlines scores it as an advertisement (wordings no rule names), or when it is
one of a few short lines squeezed between such lines (a site's name and
slogans). Spam and watermarks pasted into lines are cut out first. Long lines
are never removed: an advertisement is short, a report paragraph is not, and
removing a real report line is worse than leaving an advertisement in.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from typing import Any

from archive.config import data_file
from ingest.normalize.adlines import body_bounds, flag_ad_lines, remove_spans
from ingest.normalize.lines import has_sentence_end, is_heading, looks_like_title, visible_len
from ingest.normalize.prefilter import WordFinder, may_match, required_words
from ingest.pagefacts import is_meta_line

RULES_FILE = "boilerplate.txt"
MAX_LINE = 250  # longer lines are report text, whatever they mention
# A law's title (中华人民共和国商标法) between two ad lines of a copied page is no ad.
_LAW_TITLE = re.compile(r"^\S{2,40}(?<![方做用说写看想办手])法$")
_MAX_SQUEEZED_RUN = 3
_MAX_SQUEEZED_LEN = 30
_MAX_EXAMPLES = 30


@functools.cache
def rules() -> tuple[tuple[re.Pattern[str], frozenset[str] | None], ...]:
    """The rules of data/boilerplate.txt (one regular expression a line, # comments),
    compiled, each with the words it cannot match without (see prefilter)."""
    compiled = []
    for number, raw in enumerate(data_file(RULES_FILE).read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            compiled.append((re.compile(_non_capturing(line), re.M), required_words(line)))
        except re.error as exc:
            raise ValueError(f"{RULES_FILE} line {number}: bad regular expression {line!r}: {exc}") from exc
    return tuple(compiled)


def _non_capturing(pattern: str) -> str:
    """`(` → `(?:` outside character classes: capturing groups defeat re's fast scanning."""
    out, class_start, escaped = [], -1, False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif class_start >= 0:  # inside [...]; a ] right after [ or [^ is a literal
            if ch == "]" and i > class_start + 1 and pattern[class_start + 1 : i] != "^":
                class_start = -1
        elif ch == "[":
            class_start = i
        elif ch == "(" and not pattern.startswith("?", i + 1):
            out.append("(?:")
            continue
        out.append(ch)
    return "".join(out)


@functools.cache
def _words() -> WordFinder:
    return WordFinder({word for _, words in rules() if words for word in words})


# Pictographs a site puts before a line (🔥热门推荐：…, 👉完整版…, 💡写材料卡壳？): the rules read
# the line without them, as they read it without its traditional characters.
_LEADING_PICTOGRAPHS = re.compile("^\\s*[\U0001F000-\U0001FAFF\u2700-\u27BF\u2B50-\u2B55\uFE0F\u200D]+\\s*(?=\\S)")


def _bare(line: str) -> str:
    return _LEADING_PICTOGRAPHS.sub("", line)


def is_boilerplate(line: str) -> bool:
    """A rule matches this (short) line."""
    line = _bare(line)
    if visible_len(line) > MAX_LINE:
        return False
    present = _words().present(line)
    return any(may_match(words, present) and rule.search(line) for rule, words in rules())


def _rule_matches(lines: list[str]) -> list[bool]:
    """is_boilerplate for every line, with each rule run once over the whole text (fast)."""
    text = "\n".join(lines)
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    hit = [False] * len(lines)
    recheck: set[int] = set()
    present = _words().present(text)
    for rule, words in rules():
        if not may_match(words, present):
            continue
        for m in rule.finditer(text):
            index = bisect_right(starts, m.start()) - 1
            if "\n" in m.group():  # a match across lines: judge each line it touched alone
                recheck.update(range(index, bisect_right(starts, m.end() - 1)))
            else:
                hit[index] = True
    for index in recheck - {i for i, h in enumerate(hit) if h}:
        hit[index] = is_boilerplate(lines[index])
    return [h and visible_len(line) <= MAX_LINE for h, line in zip(hit, lines, strict=True)]


def _squeezable(line: str) -> bool:
    return (visible_len(line) <= _MAX_SQUEEZED_LEN and not has_sentence_end(line)
            and not is_heading(line) and not looks_like_title(line) and not _LAW_TITLE.match(line.strip()))


def _above_meta_line(lines: list[str], j: int) -> bool:
    """Line j - 1 is a page's headline: it stands right above the meta line (来源：…), being none itself."""
    return is_meta_line(lines[j]) and not is_meta_line(lines[j - 1])


# Rule results of the previous call. A rule result depends on the line alone, so this
# is a plain cache; it pays because boilerplate is asked twice about nearly the same
# lines (when joining broken lines, then when removing).
_last_flags: dict[str, bool] = {}


def _rule_flags(lines: list[str]) -> list[bool]:
    """Rule results per line, reusing the previous call's for lines seen there."""
    global _last_flags
    lines = [_bare(line) for line in lines]
    known = _last_flags
    if sum(line in known for line in lines) * 2 >= len(lines):
        flags = [known[line] if line in known else is_boilerplate(line) for line in lines]
    else:
        flags = _rule_matches(lines)
    _last_flags = dict(zip(lines, flags, strict=True))
    return flags


def flag_lines(lines: list[str]) -> list[bool]:
    """Which lines are boilerplate: rule matches and advertisements, plus short runs squeezed between them."""
    bounds = body_bounds(lines)
    flags = ([rule or ad for rule, ad in zip(_rule_flags(lines), flag_ad_lines(lines, bounds), strict=True)]
             if lines else [])
    squeezed: list[int] = []
    i = 0
    while i < len(lines):
        if flags[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and not flags[j]:
            j += 1
        run = range(i, j)
        if (i > 0 and j < len(lines) and len(run) <= _MAX_SQUEEZED_RUN and not _above_meta_line(lines, j)
                and all(_squeezable(lines[k]) for k in run)):
            for k in run:
                flags[k] = True
                squeezed.append(k)
        i = j
    _keep_headline(lines, flags, squeezed, bounds)
    return flags


def _keep_headline(lines: list[str], flags: list[bool], squeezed: list[int], bounds: tuple[int, int] | None) -> None:
    """A page whose ads wrap its headline (下载券：19 / 俄称… / …（精选29篇）) keeps the headline: the last
    line squeezed out before the first line kept stays when that line opens the body (ends a sentence),
    so nothing else would head the text."""
    if bounds is None:
        return
    first = next((k for k, flag in enumerate(flags) if not flag), None)
    if first is None or first > bounds[0] or not has_sentence_end(lines[first]):
        return
    before = [k for k in squeezed if k < first]
    if before:
        flags[before[-1]] = False


def strip_boilerplate(text: str) -> tuple[str, dict[str, Any]]:
    """Cut spam spans out of lines, remove boilerplate lines; report both."""
    lines, spans = _cut_spans(text.split("\n") if text else [])
    flags = flag_lines(lines)
    kept = [line for line, flag in zip(lines, flags, strict=True) if not flag]
    removed = [line for line, flag in zip(lines, flags, strict=True) if flag]
    report = {"step": "boilerplate", "removed_lines": len(removed), "examples": removed[:_MAX_EXAMPLES],
              "spans_removed": len(spans), "span_examples": spans[:_MAX_EXAMPLES]}
    return "\n".join(kept), report


def _cut_spans(lines: list[str]) -> tuple[list[str], list[str]]:
    """Lines without spam and watermark spans (a line that was only spam goes), and the lines changed."""
    kept, changed = [], []
    for line in lines:
        cleaned = remove_spans(line)
        if cleaned != line:
            changed.append(line)
            if not cleaned.strip():
                continue
        kept.append(cleaned)
    return kept, changed
