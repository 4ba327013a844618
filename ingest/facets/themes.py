"""Themes from the editable taxonomy in data/themes.toml, passage by passage.

All phrases are found in one pass over the document (a trie-shaped pattern, longest
phrase first), then credited to the passages that hold them. A document's themes are
those with a real mass of passages (see the settings in data/themes.toml).
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass

from archive.config import data_file
from archive.model import Document, Evidence
from ingest.facets.gazetteer import trie_pattern


@dataclass(frozen=True)
class Taxonomy:
    phrases: dict[str, dict[str, float]]  # theme → phrase → weight
    passage_threshold: float
    passage_cap: float
    doc_min_mass: float
    doc_share: float

    @functools.cached_property
    def by_phrase(self) -> dict[str, list[tuple[str, float]]]:
        out: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for theme, phrases in self.phrases.items():
            for phrase, weight in phrases.items():
                out[phrase].append((theme, weight))
        return dict(out)

    @functools.cached_property
    def order(self) -> dict[str, int]:
        return {theme: i for i, theme in enumerate(self.phrases)}

    @functools.cached_property
    def matcher(self) -> re.Pattern[str]:
        return re.compile(trie_pattern(self.by_phrase))


@functools.cache
def load_taxonomy() -> Taxonomy:
    data = tomllib.loads(data_file("themes.toml").read_text(encoding="utf-8"))
    settings = data.get("settings", {})
    return Taxonomy(
        phrases={name: dict(spec["phrases"]) for name, spec in data["themes"].items()},
        passage_threshold=float(settings.get("passage_threshold", 1.0)),
        passage_cap=float(settings.get("passage_cap", 3.0)),
        doc_min_mass=float(settings.get("doc_min_mass", 2.5)),
        doc_share=float(settings.get("doc_share", 0.03)),
    )


def score_text(text: str, taxonomy: Taxonomy | None = None) -> dict[str, float]:
    """Theme → score of one stretch of text."""
    taxonomy = taxonomy or load_taxonomy()
    scores: dict[str, float] = defaultdict(float)
    for match in taxonomy.matcher.finditer(text):
        for theme, weight in taxonomy.by_phrase[match.group()]:
            scores[theme] += weight
    return dict(scores)


def assign_themes(doc: Document) -> None:
    """Set passage.themes for each passage and doc.themes, with evidence for each document theme."""
    taxonomy = load_taxonomy()
    passages = doc.passages
    starts = [p.start for p in passages]
    scores: list[dict[str, float]] = [{} for _ in passages]
    for match in taxonomy.matcher.finditer(doc.text):
        i = bisect.bisect_right(starts, match.start()) - 1
        if i < 0 or match.end() > passages[i].end:
            continue  # the title, or a phrase across passages
        score = scores[i]
        for theme, weight in taxonomy.by_phrase[match.group()]:
            score[theme] = score.get(theme, 0.0) + weight
    mass: dict[str, float] = defaultdict(float)
    carriers: dict[str, int] = defaultdict(int)
    for passage, score in zip(passages, scores, strict=True):
        passage.themes = sorted((t for t, v in score.items() if v >= taxonomy.passage_threshold),
                                key=taxonomy.order.__getitem__) if score else []
        for theme in passage.themes:
            mass[theme] += min(score[theme], taxonomy.passage_cap)
            carriers[theme] += 1
    needed = max(taxonomy.doc_min_mass, taxonomy.doc_share * len(passages))
    doc.themes = [t for t in taxonomy.phrases if mass.get(t, 0.0) >= needed]
    for theme in doc.themes:
        doc.evidence.append(Evidence("themes", theme, "passage mass",
                                     f"{carriers[theme]}/{len(passages)} passages, mass {mass[theme]:.1f} ≥ {needed:.1f}",
                                     weight=round(mass[theme], 2)))
