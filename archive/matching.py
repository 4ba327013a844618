"""Predicates the search evaluator applies beyond the character index.

Field terms are decided on a document's facet values; proximity groups
(`"文明 实践"~5`) on its folded text.
"""

from __future__ import annotations

import re
from typing import Any

from archive.fold import fold
from archive.query import FieldTerm, Near, parse_year_range


def near_pattern(node: Near) -> re.Pattern[str]:
    """The parts in order, each at most `distance` characters after the one before."""
    gap = f".{{0,{node.distance}}}?"
    return re.compile(gap.join(re.escape(p) for p in node.parts), re.S)


def facet_matches(term: FieldTerm, facets: dict[str, Any]) -> bool:
    """A field term against a document's facet values (folded)."""
    if term.field == "title":
        return term.value in fold(facets.get("title") or "")
    if term.field == "year":
        year = facets.get("year")
        lo, hi = parse_year_range(term.value) or (0, -1)
        return year is not None and lo <= int(year) <= hi
    if term.field == "themes":
        return term.value in {fold(t) for t in facets.get("themes") or []}
    if term.field == "anonymized":
        want = term.value in ("1", "true", "yes", "是")
        return bool(facets.get("anonymized")) == want
    value = facets.get(term.field)
    return value is not None and fold(str(value)) == term.value
