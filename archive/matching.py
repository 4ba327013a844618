"""Predicates the search evaluator applies beyond the character index.

Field terms are decided on a document's facet values; proximity groups
(`"文明 实践"~5`) on its folded text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

from archive.fold import fold
from archive.query import FieldTerm, Near, parse_year_range


def near_pattern(node: Near) -> re.Pattern[str]:
    """The parts in order, each at most `distance` characters after the one before."""
    gap = f".{{0,{node.distance}}}?"
    return re.compile(gap.join(re.escape(p) for p in node.parts), re.S)


def near_spans(folded: str, node: Near) -> list[tuple[int, int]]:
    """The spans `near_pattern(node).finditer` finds, in time linear in the parts' occurrences
    (the regex backtracks exponentially on many common parts: `"的 的 的 的 的 宣传部"~300`)."""
    parts, distance = node.parts, node.distance
    starts = [[m.start() for m in re.finditer(f"(?={re.escape(p)})", folded)] for p in parts]
    reach = [starts[-1]]  # reach[i]: starts of part i from which the remaining parts can follow in order
    for i in range(len(parts) - 2, -1, -1):
        after, n = reach[0], len(parts[i])
        reach.insert(0, [p for p in starts[i]
                         if (j := bisect_left(after, p + n)) < len(after) and after[j] <= p + n + distance])
    spans: list[tuple[int, int]] = []
    free = 0
    for s in reach[0]:
        if s < free:
            continue
        end = s + len(parts[0])
        for i in range(1, len(parts)):
            end = reach[i][bisect_left(reach[i], end)] + len(parts[i])
        spans.append((s, end))
        free = end
    return spans


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
