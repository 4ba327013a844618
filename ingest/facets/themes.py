"""Themes from the editable taxonomy in data/themes.toml, passage by passage."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass

from archive.config import data_file
from archive.model import Document, Evidence


@dataclass(frozen=True)
class Taxonomy:
    phrases: dict[str, dict[str, float]]
    passage_threshold: float
    doc_share: float
    doc_min_passages: int


@functools.cache
def load_taxonomy() -> Taxonomy:
    data = tomllib.loads(data_file("themes.toml").read_text(encoding="utf-8"))
    settings = data.get("settings", {})
    return Taxonomy(
        phrases={name: dict(spec["phrases"]) for name, spec in data["themes"].items()},
        passage_threshold=float(settings.get("passage_threshold", 1.0)),
        doc_share=float(settings.get("doc_share", 0.05)),
        doc_min_passages=int(settings.get("doc_min_passages", 2)),
    )


def score_text(text: str, taxonomy: Taxonomy) -> dict[str, float]:
    scores = {}
    for theme, phrases in taxonomy.phrases.items():
        score = sum(weight * text.count(phrase) for phrase, weight in phrases.items())
        if score:
            scores[theme] = score
    return scores


def assign_themes(doc: Document) -> None:
    taxonomy = load_taxonomy()
    counts: dict[str, int] = {}
    for passage in doc.passages:
        scores = score_text(passage.text, taxonomy)
        passage.themes = [t for t, s in scores.items() if s >= taxonomy.passage_threshold]
        for theme in passage.themes:
            counts[theme] = counts.get(theme, 0) + 1
    total = max(1, len(doc.passages))
    chosen = []
    for theme in taxonomy.phrases:  # taxonomy order
        n = counts.get(theme, 0)
        if n and (n / total >= taxonomy.doc_share or n >= taxonomy.doc_min_passages):
            chosen.append(theme)
            doc.evidence.append(Evidence("themes", theme, "passage share", f"{n}/{total} passages", weight=n / total))
    doc.themes = chosen
