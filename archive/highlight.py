"""Highlighting: mark a query's literals in display text, HTML-escaped.

Matching is done on the folded form; `fold_with_offsets` maps each match
back onto the display text, so 新時代 in a query marks 新时代 in a passage.
"""

from __future__ import annotations

from html import escape

from archive.fold import find_all, fold_with_offsets, merge_spans, source_spans

SNIPPET_CONTEXT = 60


def match_spans(text: str, literals: list[str], folded_spans=()) -> list[tuple[int, int]]:
    """Merged [start, end) spans of the display text that match any literal, plus the given
    [start, end) spans of its folded form (the part of a match that crosses into the next passage)."""
    folded, origin = fold_with_offsets(text)
    spans = []
    for lit in literals:
        spans.extend(source_spans(origin, find_all(folded, lit), len(lit)))
    for start, end in folded_spans:
        end = min(end, len(origin))
        if start < end:
            spans.append((origin[start], origin[end - 1] + 1))
    return merge_spans(spans)


def mark(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for s, e in spans:
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:]))
    return "".join(out)


def crossing_spans(folded_doc: str, bounds: list[int], ordinal: int, literals: list[str]) -> list[tuple[int, int]]:
    """Spans of passage `ordinal`'s folded form covered by matches that cross one of its edges.

    Passages are searched as one folded text, so 新时代文明 | 实践 split over two paragraphs is a
    match of both; each shows its part marked.
    """
    start = bounds[ordinal - 1]
    end = bounds[ordinal] if ordinal < len(bounds) else len(folded_doc)
    out = []
    for lit in literals:
        lo = max(0, start - len(lit) + 1)
        for s in find_all(folded_doc[lo:min(len(folded_doc), end + len(lit) - 1)], lit):
            s += lo
            if s < start < s + len(lit) or s < end < s + len(lit):
                out.append((max(s, start) - start, min(s + len(lit), end) - start))
    return out


def highlight_passage(text: str, spans: list[tuple[int, int]]) -> tuple[str, str]:
    """(whole passage marked, keyword-in-context snippet marked) for these match spans."""
    whole = mark(text, spans)
    if not spans:
        cut = text[: SNIPPET_CONTEXT * 2]
        return whole, escape(cut) + ("…" if len(text) > len(cut) else "")
    windows = merge_spans([(max(0, s - SNIPPET_CONTEXT), min(len(text), e + SNIPPET_CONTEXT)) for s, e in spans])
    pieces = []
    for ws, we in windows[:4]:
        inside = [(s - ws, e - ws) for s, e in spans if s >= ws and e <= we]
        pieces.append(("…" if ws > 0 else "") + mark(text[ws:we], inside) + ("…" if we < len(text) else ""))
    return whole, " ".join(pieces)
