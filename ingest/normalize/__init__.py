"""Normalization: raw decoded text to clean simplified text, step by step.

Each step is a small function `text -> (text, report)`; `normalize` runs
them in the documented order and keeps the reports as provenance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.normalize import boilerplate, chinese, whitespace


@dataclass
class Normalized:
    text: str  # clean simplified text, one paragraph per line
    original: str  # the text as decoded, for the document page
    steps: list[dict[str, Any]] = field(default_factory=list)


def normalize(text: str) -> Normalized:
    original = text
    steps: list[dict[str, Any]] = []
    for step in (chinese.to_simplified, whitespace.tidy, boilerplate.strip_boilerplate):
        text, report = step(text)
        steps.append(report)
    return Normalized(text=text, original=original, steps=steps)
