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
    assert list(origin) == sorted(origin)
    # the fast path (identity mapping) and the per-character mapping agree
    reference = [i for i, ch in enumerate(text) for _ in fold(ch)]
    assert list(origin) == reference


def test_offsets_fast_path_and_resizing_characters():
    assert fold_with_offsets("新时代文明实践") == ("新时代文明实践", range(7))
    folded, origin = fold_with_offsets("㈠新 時代")
    assert folded == "(一)新时代"
    assert list(origin) == [0, 0, 0, 1, 3, 4]


@given(st.text(max_size=120), st.integers(0, 120), st.integers(0, 120))
def test_substring_of_text_folds_to_substring_of_folded_text(text, a, b):
    a, b = sorted((min(a, len(text)), min(b, len(text))))
    assert fold(text[a:b]) in fold(text)
