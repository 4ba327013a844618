"""Boilerplate learned from one source: short lines that recur across its documents.

A site repeats its header, footer and slogans on every page, in wording no
rule file can know in advance. A short line found in at least `min_docs`
documents and in at least `min_share` of the source's documents is taken to
be such a line. Headings (第一章 总则, 一、…) recur across reports of one kind
too, and sentences recur across regulations; neither is ever learned.
Lines are compared without whitespace, so spacing differences do not matter.

A notice repeated at the end of a folder's files (a wiki's licence, a site's
disclaimer) is often printed in short broken lines (本作品是中华人民共和国的 / 法律 /
、 / 法规 …), broken differently in each file or partly joined, so no line recurs
whole. Such blocks are learned as shingles: the letters and digits of each run of
at least `_MIN_RUN_LINES` consecutive short lines, cut into overlapping pieces of
`SHINGLE` characters, are counted like lines. In a document, a stretch of at least
`MIN_BLOCK` characters covered by frequent shingles is such a block, however its
lines are broken, and the lines it covers go. Blocks are looked for only outside
the report, before its title or after its last heading, unit or date line, where
sites put notices: inside, reports of one kind (regulations above all) share whole
clauses, and those are never learned.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ingest.normalize.lines import has_sentence_end, is_heading, looks_like_title, visible_len

MAX_LEARNED_LEN = 60
MIN_DOCS = 3
# 0.1, not 0.2: a folder of 30 pages from mixed sites shows a site's line in 3 of them (the
# eval sets: 132 → 110 chrome lines left on a studied half; what went besides was export metadata)
MIN_SHARE = 0.1
SHINGLE = 8  # characters of letters and digits in one block shingle
MIN_BLOCK = 40  # a covered stretch shorter than this may be a phrase reports share
RUN_LINE_LEN = 40  # lines of a learnable run are at most this long
_MIN_FRAME = 4  # a shorter line is a fragment, even if it looks like a heading or title
_GAP = "\x00"
_ENDS = "。！？!?；;:：…"  # a line ending so has ended its sentence (》 may end a reference mid-sentence)
_MIN_RUN_LINES = 3
_LINE_COVERED = 0.8  # share of a line's letters inside a block for the line to go
_BLOCK_MARK = "\x00"  # prefix of a shingle among a document's learnable keys
_FORMAT = 2
_READABLE_FORMATS = (1, 2)  # format 1: lines only
_MAX_EXAMPLES = 20


def line_key(line: str) -> str:
    """The form in which lines are compared: whitespace removed."""
    return "".join(line.split())


def folded(line: str) -> str:
    """Letters and digits only: how block text is compared, whatever breaks or marks it holds."""
    return "".join(ch for ch in line if ch.isalnum())


def learnable_keys(text: str) -> set[str]:
    """The keys of a document's lines that could be boilerplate, and its block shingles (marked)."""
    lines = text.splitlines()
    keys = {line_key(line) for line in lines if _learnable(line)}
    keys.update(_BLOCK_MARK + shingle for shingle in _run_shingles(lines))
    return keys


def _run_shingles(lines: list[str]) -> set[str]:
    """Shingles of the runs of consecutive short lines outside the report (see the module docstring)."""
    outside = _outside(lines)
    shingles: set[str] = set()
    runs = _runs(bytearray(outside[n] and visible_len(line) <= RUN_LINE_LEN for n, line in enumerate(lines)))
    for first, last in runs:
        joined = "".join(folded(line) for line in lines[first:last])
        if last - first >= _MIN_RUN_LINES and len(joined) >= MIN_BLOCK:
            shingles.update(joined[i : i + SHINGLE] for i in range(len(joined) - SHINGLE + 1))
    return shingles


def _outside(lines: list[str]) -> list[bool]:
    """Which lines stand outside the report, where sites put their notices: before its first
    title or structure line, or after its last structure line. Without either, every line."""
    structure = _structure(lines)
    opening = next((n for n, line in enumerate(lines) if structure[n] or _title_line(line)), None)
    if opening is None:
        return [True] * len(lines)
    closing = max((n for n in range(len(lines)) if structure[n]), default=opening)
    return [n < opening or n > closing for n in range(len(lines))]


def _structure(lines: list[str]) -> list[bool]:
    """Which lines are structure lines where they stand: a heading only after a line that ended
    (第五条 inside a broken notice, after 著作权法》, is none)."""
    flags, previous = [], ""
    for line in lines:
        ended = not previous or previous.rstrip()[-1] in _ENDS or _structure_line(previous) or _title_line(previous)
        flags.append(_structure_line(line) and (ended or not is_heading(line)))
        previous = line if line.strip() else previous
    return flags


def _stream(lines: list[str], outside: list[bool]) -> tuple[str, list[int]]:
    """The letters and digits of the lines outside the report in one string, and the line each
    came from; a line inside the report leaves a gap (NUL) that no shingle bridges."""
    parts, owner = [], []
    for n, line in enumerate(lines):
        part = folded(line) if outside[n] else _GAP
        parts.append(part)
        owner.extend([n] * len(part))
    return "".join(parts), owner


def _structure_line(line: str) -> bool:
    """Heading, unit name or date (a fragment such as 一、 or 决定 in a broken notice is none)."""
    from ingest.structure.frame import is_org_line

    return visible_len(line) >= _MIN_FRAME and (is_heading(line) or is_org_line(line) or _DATE.search(line) is not None)


def _title_line(line: str) -> bool:
    return visible_len(line) >= _MIN_FRAME and looks_like_title(line)


_DATE = re.compile(r"\d{4}\s*年|\d{4}[-./]\d{1,2}[-./]\d{1,2}")


def _learnable(line: str) -> bool:
    """Short lines that are no heading, sentence, title, unit name (a signature) or date.

    Reports of one county repeat their signature (中共通山县委) and titles of one kind;
    those carry the facts of the document and must never be learned away.
    """
    return 0 < visible_len(line) <= MAX_LEARNED_LEN and not has_sentence_end(line) and not _frame_line(line)


def _frame_line(line: str) -> bool:
    """Heading, title, unit name or date: what carries a report's facts."""
    from ingest.structure.frame import is_org_line

    return is_heading(line) or looks_like_title(line) or is_org_line(line) or _DATE.search(line) is not None


@dataclass(frozen=True)
class LearnedBoilerplate:
    """The recurring lines of one source, learned from its documents."""

    lines: frozenset[str]
    documents: int = 0
    min_docs: int = MIN_DOCS
    min_share: float = MIN_SHARE
    blocks: frozenset[str] = frozenset()  # shingles of recurring multi-line blocks

    @classmethod
    def learn(cls, texts: Iterable[str], min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE) -> LearnedBoilerplate:
        """Count in how many documents each short line occurs; keep the frequent ones."""
        return cls.learn_keys((learnable_keys(text) for text in texts), min_docs, min_share)

    @classmethod
    def learn_keys(cls, keysets: Iterable[set[str]], min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE) -> LearnedBoilerplate:
        """Learn from each document's `learnable_keys` (computed where the text is, e.g. a worker)."""
        seen: Counter[str] = Counter()
        documents = 0
        for keys in keysets:
            documents += 1
            seen.update(keys)
        needed = max(min_docs, min_share * documents)
        frequent = [key for key, n in seen.items() if n >= needed]
        return cls(lines=frozenset(k for k in frequent if not k.startswith(_BLOCK_MARK)),
                   blocks=frozenset(k[1:] for k in frequent if k.startswith(_BLOCK_MARK)),
                   documents=documents, min_docs=min_docs, min_share=min_share)

    def is_boilerplate(self, line: str) -> bool:
        return line_key(line) in self.lines

    def strip(self, text: str) -> tuple[str, dict[str, Any]]:
        """Remove the learned lines and the lines of learned blocks from one document of the source."""
        lines = text.split("\n")
        in_block = self.block_lines(lines)
        kept, removed = [], []
        for n, line in enumerate(lines):
            gone = line.strip() and (n in in_block or self.is_boilerplate(line))
            (removed if gone else kept).append(line)
        report = {"step": "learned_boilerplate", "removed_lines": len(removed), "examples": removed[:_MAX_EXAMPLES]}
        return "\n".join(kept), report

    def block_lines(self, lines: list[str]) -> set[int]:
        """Numbers of the lines outside the report that lie in a learned block, however broken."""
        if not self.blocks:
            return set()
        outside = _outside(lines)
        stream, owner = _stream(lines, outside)
        covered = bytearray(len(stream))
        for i in range(len(stream) - SHINGLE + 1):
            if stream[i : i + SHINGLE] in self.blocks:
                covered[i : i + SHINGLE] = b"\x01" * SHINGLE
        inside: Counter[int] = Counter()
        spanned: set[int] = set()
        for start, end in _runs(covered):
            if end - start >= MIN_BLOCK:
                inside.update(owner[start:end])
                spanned.update(_widened(lines, owner[start], owner[end - 1]))
        return {n for n in spanned if outside[n] and inside[n] >= _LINE_COVERED * len(folded(lines[n]))}

    def to_json(self) -> str:
        return json.dumps(
            {"format": _FORMAT, "documents": self.documents, "min_docs": self.min_docs,
             "min_share": self.min_share, "lines": sorted(self.lines), "blocks": sorted(self.blocks)},
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, data: str) -> LearnedBoilerplate:
        raw = json.loads(data)
        if raw.get("format") not in _READABLE_FORMATS:
            raise ValueError(f"learned boilerplate in format {raw.get('format')!r}; this version reads "
                             f"{', '.join(map(str, _READABLE_FORMATS))}")
        return cls(lines=frozenset(raw["lines"]), documents=raw["documents"], min_docs=raw["min_docs"],
                   min_share=raw["min_share"], blocks=frozenset(raw.get("blocks", ())))


def _widened(lines: list[str], first: int, last: int) -> range:
    """Lines first..last with the marks-only lines (。 、) next to them: a block's broken-off stops."""
    while first > 0 and not folded(lines[first - 1]):
        first -= 1
    while last + 1 < len(lines) and not folded(lines[last + 1]):
        last += 1
    return range(first, last + 1)


def _runs(flags: bytearray) -> list[tuple[int, int]]:
    """(start, end) of each stretch of set flags."""
    runs, start = [], None
    for i, flag in enumerate(flags):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(flags)))
    return runs
