"""Search folding: traditional/simplified, widths, punctuation and whitespace fold alike."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from archive.fold import fold, fold_with_offsets


def test_traditional_width_and_punctuation_fold_alike():
    assert fold("新時代文明實踐") == fold("新时代文明实践")
    assert fold("（一）") == fold("(一)")
    assert fold("“学习强国”") == fold('"学习强国"')
    assert fold("ＡＢＣ１２３") == "abc123"


def test_whitespace_and_line_breaks_vanish():
    assert fold("全\n媒体") == "全媒体"
    assert fold("313 起") == "313起"


@given(st.text(max_size=200))
def test_fold_is_idempotent_and_maps_offsets(text):
    folded, origin = fold_with_offsets(text)
    assert folded == fold(text)
    assert fold(folded) == folded
    assert len(origin) == len(folded)
    assert origin == sorted(origin)


@given(st.text(max_size=120), st.integers(0, 120), st.integers(0, 120))
def test_substring_of_text_folds_to_substring_of_folded_text(text, a, b):
    a, b = sorted((min(a, len(text)), min(b, len(text))))
    assert fold(text[a:b]) in fold(text)
