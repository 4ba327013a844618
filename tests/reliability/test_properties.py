"""Properties on arbitrary input: normalization, folding, decoding, readers, the query language, search.

Nothing but the module's own error escapes (IngestError, QueryError,
RequestError), normalizing and folding are idempotent, and any phrase of an
ingested document's normalized text finds that document. Complements
tests/ingest/test_normalize_properties.py (whole normalization on text) and
tests/archive/test_query.py (the parser on short text); example counts keep
this file to a few seconds.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.fold import fold, fold_with_offsets
from archive.query import QueryError, parse
from archive.search import RequestError, SearchRequest
from ingest.decoding import decode
from ingest.errors import IngestError
from ingest.normalize import STEPS, normalize
from ingest.readers import READERS, read_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readers"
FAST = settings(max_examples=150, deadline=None, database=None)
# Text that is half query syntax: quotes (both kinds), parentheses (both widths), operators, fields, slop.
QUERY_TOKENS = st.sampled_from([
    "(", ")", "（", "）", '"', "“", "”", "~", "~5", "~99999", "-", "NOT", "OR", "AND", "|", "&", " ", "\u3000",
    "level:", "year:", "year:2019-2021", "title:", "foo:", ":", "县", "新时代", "文明", "實踐", "x", "\\", "*", "\n",
])
QUERIES = st.one_of(st.text(max_size=200), st.lists(QUERY_TOKENS, max_size=60).map("".join))
MARKUPISH = st.text(alphabet=st.sampled_from(list("<>/=\"'&;#!-[]{}|*_`~\\\n\t ")
                                             + list("一二是的县委宣传部會議，。（）《》、：abcXx0129")), max_size=300)


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.__name__)
@FAST
@given(text=st.text(max_size=300))
def test_every_normalization_step_takes_any_unicode(step, text):
    result, report = step(text)
    assert isinstance(result, str) and isinstance(report, dict) and "step" in report


@FAST
@given(st.one_of(MARKUPISH, st.text(alphabet=st.characters(codec="utf-8"), max_size=300)))
def test_normalization_is_idempotent_on_markup_and_every_plane(text):
    once = normalize(text).text
    assert normalize(once).text == once


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=200), st.data())
def test_folding_is_idempotent_and_keeps_substrings(text, data):
    folded = fold(text)
    assert fold(folded) == folded
    assert not any(c.isspace() for c in folded)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert fold(text[start:end]) in folded  # what makes a phrase of a text findable in its folded form
    form, origin = fold_with_offsets(text)
    assert form == folded and len(origin) == len(form)


@FAST
@given(st.binary(max_size=2000))
def test_decoding_any_bytes_gives_text_or_a_reason(raw):
    try:
        decoded = decode(raw)
    except IngestError as exc:
        assert str(exc)
        return
    decoded.text.encode("utf-8")  # no lone surrogates: SQLite and JSON take it


SUFFIXES = sorted({ext for reader in READERS for ext in reader.extensions if ext} | {".gz", ".xyz"})
SAMPLES = ["sample.docx", "text.pdf", "page-gbk.html", "mhtml-saved-as.doc", "export.jsonl", "export-utf8-bom.tsv",
           "statute.md", "gb18030.txt"]


@st.composite
def damaged_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real fixture, cut short and/or with bytes overwritten, under any supported name."""
    data = bytearray((FIXTURES / draw(st.sampled_from(SAMPLES))).read_bytes())
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    for _ in range(draw(st.integers(0, 8))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return draw(st.sampled_from(SUFFIXES)), bytes(data)


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(damaged_files(), st.tuples(st.sampled_from(SUFFIXES), st.binary(max_size=3000))))
def test_readers_take_any_bytes_or_say_why(named):
    suffix, raw = named
    started = time.monotonic()
    try:
        texts = read_bytes(Path(f"file{suffix}"), raw)
    except IngestError as exc:
        assert str(exc)
    else:
        assert texts and all(isinstance(t.text, str) for t in texts)
    assert time.monotonic() - started < 10


@settings(max_examples=400, deadline=None, database=None)
@given(QUERIES)
def test_the_parser_raises_only_query_errors(text):
    try:
        parse(text)
    except QueryError as exc:
        assert str(exc)


@settings(max_examples=150, deadline=None, database=None)
@given(QUERIES, st.integers(-5, 10**13), st.integers(-5, 5000))
def test_search_answers_or_explains_and_stays_quick(seed_archive, q, page, size):
    started = time.monotonic()
    try:
        result = seed_archive.search(SearchRequest(q=q, page=page, size=size))
    except (QueryError, RequestError) as exc:
        assert str(exc)
    else:
        assert result.total >= len(result.hits)
    assert time.monotonic() - started < 5


@pytest.fixture(scope="module")
def normalized_texts(seed_archive) -> list[tuple[str, str]]:
    return [(doc.doc_id, doc.text) for doc in seed_archive.store.iter_documents(with_passages=False)]


@settings(max_examples=150, deadline=None, database=None)
@given(st.data())
def test_any_phrase_of_a_document_finds_it(seed_archive, normalized_texts, data):
    doc_id, text = data.draw(st.sampled_from(normalized_texts))
    start = data.draw(st.integers(0, len(text) - 1))
    piece = text[start:start + data.draw(st.integers(1, 40))]
    if not fold(piece) or set(piece) & set('"“”'):
        return  # nothing to search for, or a quote mark that would end the phrase
    found = {m.doc_id for m in seed_archive.matches(SearchRequest(q=f'"{piece}"', duplicates=True))}
    assert doc_id in found, piece
