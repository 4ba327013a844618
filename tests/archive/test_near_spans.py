"""The linear proximity matcher finds exactly what the proximity regex finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.matching import near_pattern, near_spans
from archive.query import Near

TEXT = st.text(alphabet="文明实践的", max_size=60)
PART = st.text(alphabet="文明实践的", min_size=1, max_size=3)


@settings(max_examples=400)
@given(TEXT, st.lists(PART, min_size=2, max_size=4), st.integers(0, 8))
def test_near_spans_equal_the_regex(text, parts, distance):
    node = Near(tuple(parts), distance)
    assert near_spans(text, node) == [m.span() for m in near_pattern(node).finditer(text)]


def test_many_common_parts_answer_at_once():
    text = "的" * 20000 + "宣传部"
    node = Near(("的",) * 7 + ("宣传部",), 300)
    assert near_spans(text, node)[-1][1] == len(text)
