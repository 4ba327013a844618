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
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ingest.normalize.lines import has_sentence_end, is_heading, visible_len

MAX_LEARNED_LEN = 60
_FORMAT = 1
_MAX_EXAMPLES = 20


def line_key(line: str) -> str:
    """The form in which lines are compared: whitespace removed."""
    return "".join(line.split())


def _learnable(line: str) -> bool:
    return 0 < visible_len(line) <= MAX_LEARNED_LEN and not is_heading(line) and not has_sentence_end(line)


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
        seen: Counter[str] = Counter()
        documents = 0
        for text in texts:
            documents += 1
            seen.update({line_key(line) for line in text.splitlines() if _learnable(line)})
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
