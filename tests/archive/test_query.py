"""The query language: what parses to what, and clear messages for what doesn't."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.query import And, FieldTerm, Literal, MatchAll, Near, Not, Or, QueryError, parse


@pytest.mark.parametrize(("query", "tree"), [
    ("", MatchAll()),
    ("新时代文明实践", Literal("新时代文明实践")),
    ('"意识形态 工作"', Literal("意识形态工作")),
    ("新時代", Literal("新时代")),
    ("疫情 OR 防疫 -扫黄", And((Or((Literal("疫情"), Literal("防疫"))), Not(Literal("扫黄"))))),
    ("NOT 扫黄", Not(Literal("扫黄"))),
    ("(文明城市 OR 文明村) level:县", And((Or((Literal("文明城市"), Literal("文明村"))), FieldTerm("level", "县")))),
    ('"文明 实践"~5', Near(("文明", "实践"), 5)),
    ("year:2019-2021 theme:意识形态", And((FieldTerm("year", "2019-2021"), FieldTerm("themes", "意识形态")))),
    ("-level:镇 x", And((Not(FieldTerm("level", "镇")), Literal("x")))),
    ("a AND b", And((Literal("a"), Literal("b")))),
    # a minus right before a phrase or a group negates it (it was a literal "-" AND the phrase)
    ('-"意识形态 工作" 宣传', And((Not(Literal("意识形态工作")), Literal("宣传")))),
    ("宣传 -(疫情 OR 防疫)", And((Literal("宣传"), Not(Or((Literal("疫情"), Literal("防疫"))))))),
    ('- "工作"', And((Literal("-"), Literal("工作")))),  # detached: a literal minus, as before
    ("扫黄-打非", Literal("扫黄-打非")),
    # the full-width colon a Chinese IME types is a field's colon; in other text it stays text
    ("level：县 宣传", And((FieldTerm("level", "县"), Literal("宣传")))),
    ("-level：镇 x", And((Not(FieldTerm("level", "镇")), Literal("x")))),
    ("APP：下载", Literal("app:下载")),
])
def test_parses(query, tree):
    assert parse(query) == tree


@pytest.mark.parametrize(("query", "message"), [
    ('"未闭合', "unclosed quote"),
    ("(文明", "never closed"),
    ("文明)", "without its '('"),
    ("a OR", "needs a term after it"),
    ("OR a", "needs a term before it"),
    ("NOT", "needs a term after it"),
    ("foo:bar", "unknown field 'foo'"),
    ("year:去年", "year must look like"),
    ('"文明"~3', "two or more words"),
    ("x" * 3000, "at most"),
])
def test_errors_say_what_is_wrong(query, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        parse(query)


@given(st.text(max_size=80))
def test_arbitrary_input_parses_or_raises_query_error(text):
    try:
        parse(text)
    except QueryError:
        pass
