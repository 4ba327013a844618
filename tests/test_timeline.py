"""The timeline's series (archive/timeline.py) agree with the search's own counts, and its chart geometry."""

from __future__ import annotations

import pytest

from archive.query import QueryError
from archive.search import SearchRequest
from archive.timeline import MAX_SERIES, text_free_query, timeline
from webui.chart import histogram, line_chart, nice_ticks


@pytest.mark.parametrize("q", ["新时代文明实践", "宣传", "精神文明建设 OR 舆情", '"文明 实践"~5', ""])
def test_series_add_up_to_the_search_totals(seed_archive, q):
    result = seed_archive.search(SearchRequest(q=q))
    line = timeline(seed_archive, SearchRequest(q=q), []).main
    assert line.total == result.total
    assert dict(result.facets["year"]) == line.documents
    if q:
        per_year = {}
        for year in line.documents:
            per_year[year] = seed_archive.search(SearchRequest(q=q, include={"year": [str(year)]})).total_passages
        assert line.passages == per_year


def test_passage_counts_match_the_hits(seed_archive):
    table, matched, passages = seed_archive.passage_counts(SearchRequest(q="宣传"))
    result = seed_archive.search(SearchRequest(q="宣传", size=100))
    assert int(matched.sum()) == result.total
    assert int(passages.sum()) == result.total_passages
    for hit in result.hits:
        assert passages[table.ordinal[hit["doc_id"]]] == hit["passage_count"]


def test_share_is_over_the_years_documents_under_the_same_filters(seed_archive):
    line = timeline(seed_archive, SearchRequest(q="舆情 level:县"), [])
    every = seed_archive.search(SearchRequest(q="level:县"))
    assert line.base == dict(every.facets["year"])
    for year, docs in line.main.documents.items():
        assert line.share(line.main, year) == pytest.approx(100 * docs / line.base[year])
    assert line.share(line.main, 1990) is None  # no documents that year: no share, not 0 %


def test_year_filter_is_left_out_so_the_chosen_year_stays_in_context(seed_archive):
    chosen = timeline(seed_archive, SearchRequest(q="宣传", include={"year": ["2020"]}), [])
    unfiltered = timeline(seed_archive, SearchRequest(q="宣传"), [])
    assert chosen.main.documents == unfiltered.main.documents
    assert set(chosen.main.documents) == {2005, 2020}
    assert chosen.years == list(range(2005, 2021))  # gaps included, in order


def test_compared_phrases_keep_the_filters_and_stop_at_three_series(seed_archive):
    request = SearchRequest(q="新时代文明实践 level:县", exclude={"province": ["山西省"]})
    line = timeline(seed_archive, request, ["精神文明建设", "舆情", "志愿"])
    assert [s.label for s in line.shown] == ["新时代文明实践 level:县", "精神文明建设", "舆情"]
    assert len(line.shown) == MAX_SERIES
    expected = seed_archive.search(SearchRequest(q="精神文明建设 level:县", exclude={"province": ["山西省"]}))
    assert line.shown[1].total == expected.total
    assert line.shown[1].compared and not line.shown[0].compared


def test_without_a_query_the_compared_phrases_are_the_series(seed_archive):
    line = timeline(seed_archive, SearchRequest(), ["精神文明建设", "(舆情"])
    assert [s.label for s in line.shown] == ["精神文明建设", "(舆情"]
    assert line.shown[1].error and not line.shown[1].documents  # a malformed phrase is reported, not raised
    assert line.main.total == seed_archive.search(SearchRequest()).total


def test_text_free_query_keeps_only_the_field_conjuncts():
    assert text_free_query("新时代 level:县 -year:2018") == 'level:"县" NOT year:"2018"'
    assert text_free_query("(a OR province:湖北省) theme:意识形态") == 'themes:"意识形态"'
    assert text_free_query("文明") == ""
    with pytest.raises(QueryError):
        text_free_query("(文明")


def test_chart_geometry():
    assert nice_ticks(3) == [0, 1, 2, 3]
    assert nice_ticks(45.5) == [0, 20, 40, 60]
    chart = line_chart([2019, 2020, 2021], [[1.0, None, 3.0], [0.0, 2.0, 2.0]])
    assert [len(line.points) for line in chart.lines] == [2, 3]
    assert len(chart.lines[0].paths) == 2  # a missing value breaks the line
    assert len({line.color for line in chart.lines}) == 2
    top, bottom = chart.y_ticks[-1].pos, chart.y_ticks[0].pos
    assert chart.lines[0].points[1].y == top and chart.lines[1].points[0].y == bottom
    bars = histogram([0, 5, 10], width=30, height=50)
    assert [b.height for b in bars] == [0, 25, 50]
    assert bars[0].x < bars[1].x < bars[2].x
