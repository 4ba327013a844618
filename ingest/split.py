"""Splitting a file that holds several reports into parts.

范文 sites put several reports on one page: the page's own, "related" ones,
sometimes the same report twice with its numbers blanked. A new report
starts at a run of title-like lines (its title, often under a site heading)
followed by an opening paragraph (一年来, 20xx年, …) or by heading numbering
that restarts at 一、 — a heading alone is not enough, so chapters and
sections never split a document. The signs live in data/split_markers.toml;
what a title is, and the words naming kinds of document, come from ingest.structure.
A file with one report gives one part, its text unchanged.
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from dataclasses import dataclass

from archive.config import data_file
from ingest.structure.frame import is_title_like as is_document_title
from ingest.structure.lexicon import lexicon


@dataclass
class Part:
    """One report of a file: its lines of the normalized text and its title."""

    text: str
    title_hint: str | None = None  # the file's hint (e.g. an HTML <title>), passed through
    title: str | None = None  # the part's own title, cleaned; set only when the file was split
    start_line: int = 0  # index of the part's first line in the text that was split
    heading_lines: int = 0  # leading lines of `text` that are its title and site headings


@dataclass(frozen=True)
class _Markers:
    max_length: int
    max_stopped: int
    section: re.Pattern[str]
    numbered: re.Pattern[str]
    opening: re.Pattern[str]
    lookahead: int
    restart: re.Pattern[str]
    restart_window: int
    chrome: re.Pattern[str]
    min_chars: int
    placeholder: re.Pattern[str]
    stamp: re.Pattern[str]


def _any(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@functools.cache
def _markers() -> _Markers:
    data = tomllib.loads(data_file("split_markers.toml").read_text(encoding="utf-8"))
    title, opening = data["title"], data["opening"]
    return _Markers(
        max_length=title["max_length"],
        max_stopped=title["max_stopped"],
        section=_any(title["section"]),
        numbered=_any(title["numbered"]),
        opening=_any(opening["patterns"]),
        lookahead=opening["lookahead"],
        restart=re.compile(opening["restart"]),
        restart_window=opening["restart_window"],
        chrome=_any(data["chrome"]["patterns"]),
        min_chars=data["parts"]["min_chars"],
        placeholder=re.compile(data["year"]["placeholder"]),
        stamp=re.compile(data["year"]["stamp"]),
    )


_INNER_STOP = re.compile(r"[。！？；!?;]")


def is_title_like(line: str) -> bool:
    """A document title (ingest.structure's test) that can head a further report.

    Narrower than a title in general: shorter, never numbered, never a section
    heading such as 2021年工作计划 that a report puts over its own plan.
    """
    m = _markers()
    s = line.strip()
    if len(s) > (m.max_stopped if s.endswith(("。", ".")) else m.max_length):
        return False
    if m.numbered.search(s) or m.section.search(s):
        return False
    return is_document_title(s) and _names_a_report(s)


def _names_a_report(title: str) -> bool:
    """The title names a kind of report of data/doctypes.toml, not a regulation.

    A regulation's file holds its cover letter, annexes and amendments: not reports of their own.
    """
    return any(p.search(title) for d in lexicon().doctypes if d.tense != "record" for p in d.title)


_CONTINUES = re.compile(r"^\s*[，,、。；;：:）)》”」]")


def _is_title_line(lines: list[str], i: int) -> bool:
    """Title-like, and not the first half of a sentence broken across lines."""
    return is_title_like(lines[i]) and not (i + 1 < len(lines) and _CONTINUES.search(lines[i + 1]))


def _is_chrome(line: str) -> bool:
    return bool(_markers().chrome.search(line.strip()))


@dataclass
class _Block:
    """A run of title, site-heading and blank lines: lines[start:end]."""

    start: int
    end: int
    title: int | None  # the title line nearest the text, None if only chrome


def _heading_blocks(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    i = 0
    while i < len(lines):
        start, title = i, None
        while i < len(lines) and (not lines[i].strip() or _is_chrome(lines[i]) or _is_title_line(lines, i)):
            if lines[i].strip() and not _is_chrome(lines[i]):
                title = i
            i += 1
        if title is not None:
            blocks.append(_Block(start, i, title))
        i = max(i, start + 1)
    return blocks


def _starts_report(lines: list[str], first: int) -> bool:
    """Whether the text after a heading block opens a report."""
    m = _markers()
    # Only the first lines of the body count: read no further (a huge file has many heading blocks).
    wanted = max(m.lookahead, m.restart_window)
    body = list(itertools.islice((line.strip() for line in itertools.islice(lines, first, None)
                                  if line.strip() and not _is_chrome(line)), wanted))
    if any(m.opening.search(line) for line in body[: m.lookahead]):
        return True
    headings = [line for line in body[: m.restart_window] if m.numbered.search(line)]
    return bool(headings) and bool(m.restart.search(headings[0]))


def _chars(lines: list[str]) -> int:
    return sum(len(line.strip()) for line in lines)


def _is_page_line(line: str) -> bool:
    """A short non-sentence line: page furniture that may sit between a title and its page's text."""
    s = line.strip()
    return len(s) <= _markers().max_length and not _INNER_STOP.search(s)


def _boundaries(lines: list[str]) -> list[_Block]:
    """The heading blocks where a report starts, the first report's included."""
    min_chars = _markers().min_chars
    starts: list[_Block] = []
    body_from = 0
    for block in _heading_blocks(lines):
        between = lines[body_from : block.start]
        if len(starts) <= 1 and body_from == (starts[0].end if starts else 0) and all(map(_is_page_line, between)):
            starts = [_Block(0, block.end, block.title)]  # still the page's head: the first title
        elif _chars(between) >= min_chars and _starts_report(lines, block.end):
            starts.append(block)
        else:
            continue
        body_from = block.end
    if len(starts) > 1 and _chars(lines[starts[-1].end :]) < min_chars:
        starts.pop()  # a trailing title with little under it is chrome, not a report
    return starts


def _stamped_years(lines: list[str], starts: list[_Block]) -> set[str]:
    """Years that head the titles of several parts: stamped by the site."""
    seen: dict[str, set[int]] = {}
    for n, block in enumerate(starts):
        for line in lines[block.start : block.end]:
            for match in _markers().stamp.finditer(line):
                seen.setdefault(match.group()[:4], set()).add(n)
    return {year for year, parts in seen.items() if len(parts) > 1}


def part_title(line: str, drop_years: set[str] = frozenset()) -> str:
    """A title line without final stop, placeholder years or stamped years."""
    m = _markers()
    title = m.placeholder.sub("", line.strip().rstrip("。."))
    if drop_years:
        title = m.stamp.sub(lambda y: "" if y.group()[:4] in drop_years else y.group(), title)
    return title.strip()


def split_reports(text: str, title_hint: str | None = None) -> list[Part]:
    """The reports of one file's normalized text; one part if it holds one.

    The first part's title is kept as the page printed it; the titles of
    further parts lose a year the site stamped on all of them.
    """
    lines = text.split("\n")
    starts = _boundaries(lines)
    if starts and _chars(lines[: starts[0].start]) > 0:  # a first report without a title
        starts.insert(0, _Block(0, 0, None))
    if len(starts) < 2:
        return [Part(text=text, title_hint=title_hint)]
    stamped = _stamped_years(lines, starts)
    parts = []
    for n, block in enumerate(starts):
        end = starts[n + 1].start if n + 1 < len(starts) else len(lines)
        title = None
        if block.title is not None:
            title = part_title(lines[block.title], stamped if n > 0 else set()) or None
        parts.append(
            Part(
                text="\n".join(lines[block.start : end]),
                title_hint=title_hint,
                title=title,
                start_line=block.start,
                heading_lines=block.end - block.start,
            )
        )
    return parts
