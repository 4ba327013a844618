"""The timeline's per-year texts and links, made once per page in Python.

Both drawings of the chart (wide and narrow) and the data table use each year's link and
its summary ("全部文档 12 篇 / 30 段；…"); as template macros these were most of a search
page's rendering time (every year × every series × two charts × two attributes).
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from archive.timeline import Series, Timeline
from webui.i18n import translate
from webui.params import url_args


@dataclass
class YearColumn:
    href: str  # this page filtered to the year
    summary: str  # every shown series' count that year, in the page's language


def series_name(series: Series) -> str:
    return series.label or translate("all_documents")


def series_year(timeline: Timeline, series: Series, year: int, measure: str) -> str:
    """One series' figures for one year, as the chart's tooltips and labels say them."""
    name, docs = series_name(series), series.documents.get(year, 0)
    if timeline.has_text or series.compared:
        text = translate("series_year", name=name, docs=docs, passages=series.passages.get(year, 0))
    else:
        text = translate("series_year_docs", name=name, docs=docs)
    share = timeline.share(series, year) if measure == "share" else None
    return text if share is None else f"{text} ({share:.1f}%)"


def year_columns(timeline: Timeline, measure: str, args: MultiDict) -> dict[int, YearColumn]:
    """Year → its link and summary, for every year the chart or the table shows."""
    return {year: YearColumn("?" + url_args(args, year=str(year)),
                             "；".join(series_year(timeline, s, year, measure) for s in timeline.shown))
            for year in timeline.years}
