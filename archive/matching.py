"""Literal verification: does a folded text satisfy a parsed query?

Candidates from the index are only a superset; this module decides. It
also finds where the query's positive literals occur, for passages and
highlighting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from archive.fold import find_all, fold
from archive.query import And, FieldTerm, Literal, MatchAll, Near, Node, Not, Or, parse_year_range


def near_pattern(node: Near) -> re.Pattern[str]:
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


def evaluate(node: Node, folded: str, facets: dict[str, Any]) -> bool:
    if isinstance(node, MatchAll):
        return True
    if isinstance(node, Literal):
        return node.text in folded
    if isinstance(node, Near):
        return near_pattern(node).search(folded) is not None
    if isinstance(node, FieldTerm):
        return facet_matches(node, facets)
    if isinstance(node, And):
        return all(evaluate(c, folded, facets) for c in node.children)
    if isinstance(node, Or):
        return any(evaluate(c, folded, facets) for c in node.children)
    if isinstance(node, Not):
        return not evaluate(node.child, folded, facets)
    raise TypeError(node)


def positive_spans(node: Node, folded: str) -> list[tuple[int, int]]:
    """[start, end) spans in `folded` of every positive literal's occurrence."""
    spans: list[tuple[int, int]] = []

    def walk(n: Node) -> None:
        if isinstance(n, Literal):
            spans.extend((s, s + len(n.text)) for s in find_all(folded, n.text))
        elif isinstance(n, Near):
            spans.extend(m.span() for m in near_pattern(n).finditer(folded))
        elif isinstance(n, And | Or):
            for c in n.children:
                walk(c)

    walk(node)
    return sorted(spans)


def has_text_terms(node: Node) -> bool:
    """Whether the query says anything about the text (not only fields)."""
    if isinstance(node, Literal | Near):
        return True
    if isinstance(node, And | Or):
        return any(has_text_terms(c) for c in node.children)
    if isinstance(node, Not):
        return has_text_terms(node.child)
    return False


Verifier = Callable[[str, dict[str, Any]], bool]
