"""Boilerplate learned from one source: short lines that recur across its documents.

A site repeats its header, footer and slogans on every page, in wording no
rule file can know in advance. A short line found in at least `min_docs`
documents and in at least `min_share` of the source's documents is taken to
be such a line. Headings (第一章 总则, 一、…) recur across reports of one kind
too, and sentences recur across regulations; neither is ever learned.
Lines are compared without whitespace, so spacing differences do not matter.
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
_FORMAT = 1
_MAX_EXAMPLES = 20


def line_key(line: str) -> str:
    """The form in which lines are compared: whitespace removed."""
    return "".join(line.split())


def learnable_keys(text: str) -> set[str]:
    """The keys of a document's lines that could be boilerplate."""
    return {line_key(line) for line in text.splitlines() if _learnable(line)}


_DATE = re.compile(r"\d{4}\s*年|\d{4}[-./]\d{1,2}[-./]\d{1,2}")


def _learnable(line: str) -> bool:
    """Short lines that are no heading, sentence, title, unit name (a signature) or date.

    Reports of one county repeat their signature (中共通山县委) and titles of one kind;
    those carry the facts of the document and must never be learned away.
    """
    from ingest.structure.frame import is_org_line

    return (0 < visible_len(line) <= MAX_LEARNED_LEN and not is_heading(line) and not has_sentence_end(line)
            and not looks_like_title(line) and not is_org_line(line) and not _DATE.search(line))


@dataclass(frozen=True)
class LearnedBoilerplate:
    """The recurring lines of one source, learned from its documents."""

    lines: frozenset[str]
    documents: int = 0
    min_docs: int = 3
    min_share: float = 0.2

    @classmethod
    def learn(cls, texts: Iterable[str], min_docs: int = 3, min_share: float = 0.2) -> LearnedBoilerplate:
        """Count in how many documents each short line occurs; keep the frequent ones."""
        return cls.learn_keys((learnable_keys(text) for text in texts), min_docs, min_share)

    @classmethod
    def learn_keys(cls, keysets: Iterable[set[str]], min_docs: int = 3, min_share: float = 0.2) -> LearnedBoilerplate:
        """Learn from each document's `learnable_keys` (computed where the text is, e.g. a worker)."""
        seen: Counter[str] = Counter()
        documents = 0
        for keys in keysets:
            documents += 1
            seen.update(keys)
        needed = max(min_docs, min_share * documents)
        frequent = frozenset(key for key, n in seen.items() if n >= needed)
        return cls(lines=frequent, documents=documents, min_docs=min_docs, min_share=min_share)

    def is_boilerplate(self, line: str) -> bool:
        return line_key(line) in self.lines

    def strip(self, text: str) -> tuple[str, dict[str, Any]]:
        """Remove the learned lines from one document of the source."""
        kept, removed = [], []
        for line in text.split("\n"):
            (removed if line.strip() and self.is_boilerplate(line) else kept).append(line)
        report = {"step": "learned_boilerplate", "removed_lines": len(removed), "examples": removed[:_MAX_EXAMPLES]}
        return "\n".join(kept), report

    def to_json(self) -> str:
        return json.dumps(
            {"format": _FORMAT, "documents": self.documents, "min_docs": self.min_docs,
             "min_share": self.min_share, "lines": sorted(self.lines)},
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, data: str) -> LearnedBoilerplate:
        raw = json.loads(data)
        if raw.get("format") != _FORMAT:
            raise ValueError(f"learned boilerplate in format {raw.get('format')!r}; this version reads {_FORMAT}")
        return cls(lines=frozenset(raw["lines"]), documents=raw["documents"],
                   min_docs=raw["min_docs"], min_share=raw["min_share"])
