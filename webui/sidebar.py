"""The facet sidebar and the filter chips of the search page, as plain data for the template.

Counts of a facet with chosen values leave that facet's own choice out (the
values it could be widened to stay visible, so several can be ORed); every
other filter applies. Places drill down: cities appear once a province is
chosen, counties once a city is (or a province without cities, like 北京市).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from werkzeug.datastructures import MultiDict

from archive.model import FACET_FIELDS
from archive.query import parse_year_range
from archive.search import PARAM_OF_FIELD, Archive, SearchRequest
from archive.timeline import Timeline, year_span
from webui.i18n import translate, value_label
from webui.params import filter_params, url_args

PLACES = ("province", "city", "county")
SHOWN = 10  # values listed before "more"


@dataclass
class FacetValue:
    label: str
    value: str
    count: int
    on: bool
    href: str
    exclude_href: str | None


@dataclass
class FacetBlock:
    name: str  # the facet field (themes, level, …)
    param: str  # its URL parameter (theme, level, …)
    values: list[FacetValue]
    excluded: list[tuple[str, str]] = field(default_factory=list)  # (label, href undoing the exclusion)


@dataclass
class Crumb:
    label: str
    href: str
    current: bool


@dataclass
class Bar:
    year: int
    count: int
    href: str
    on: bool


@dataclass
class Chip:
    label: str
    href: str
    negative: bool


@dataclass
class Sidebar:
    blocks: list[FacetBlock]  # level, theme, doctype, organization, anonymized
    places: list[FacetBlock]  # province, then city and county as the drill-down opens
    crumbs: list[Crumb]
    years: list[Bar]  # every year in order, gaps as 0
    year_block: FacetBlock
    undated: int
    selected_years: set[int]


def own_choice_counts(archive: Archive, request: SearchRequest) -> dict[str, list[list[Any]]]:
    """For each facet with chosen values (but year, which the timeline counts): its counts without that choice."""
    out = {}
    for name in request.include:
        if name == "year" or name not in FACET_FIELDS:
            continue
        widened = replace(request, include={k: v for k, v in request.include.items() if k != name})
        table, matched, _ = archive.passage_counts(widened)
        out[name] = table.counts(matched)[name]
    return out


def facet_block(args: MultiDict, name: str, counts: list[list[Any]]) -> FacetBlock:
    """One facet's values with links that add, remove or exclude them."""
    param = PARAM_OF_FIELD[name]
    chosen = args.getlist(param)
    values = []
    for value, count in counts:
        v = str(value)
        on = v in chosen
        values.append(FacetValue(
            label=value_label(name, v), value=v, count=count, on=on,
            href="?" + url_args(args, remove=(param, v)) if on else "?" + url_args(args, add=(param, v)),
            exclude_href=None if on else "?" + url_args(args, add=(f"not_{param}", v))))
    excluded = [(value_label(name, v), "?" + url_args(args, remove=(f"not_{param}", v)))
                for v in args.getlist(f"not_{param}")]
    return FacetBlock(name, param, values, excluded)


def place_crumbs(args: MultiDict) -> list[Crumb]:
    """全部地区 › 湖北省 › 咸宁市: each crumb goes back up to its level."""
    crumbs = [Crumb(translate("all_places"), "?" + url_args(args, drop=("page", *PLACES)), False)]
    for depth, level in enumerate(PLACES):
        values = args.getlist(level)
        if values:
            crumbs.append(Crumb(" + ".join(values), "?" + url_args(args, drop=("page", *PLACES[depth + 1:])), False))
    crumbs[-1].current = True
    return crumbs


def place_blocks(args: MultiDict, counts: dict[str, list[list[Any]]]) -> list[FacetBlock]:
    """Provinces; their cities once one is chosen; counties once a city is (or the province has no cities)."""
    chosen = {level: bool(args.getlist(level) or args.getlist(f"not_{level}")) for level in PLACES}
    shown = ["province"]
    if chosen["province"] or chosen["city"]:
        shown.append("city")
    if chosen["city"] or chosen["county"] or (args.getlist("province") and not counts.get("city")):
        shown.append("county")
    return [facet_block(args, level, counts.get(level, [])) for level in shown]


def chosen_years(args: MultiDict, years: list[int]) -> set[int]:
    """The years among `years` that the year filter (2020, 2019-2021, several ORed) selects."""
    ranges = [r for v in args.getlist("year") if (r := parse_year_range(v))]
    return {y for y in years if any(lo <= y <= hi for lo, hi in ranges)}


def year_bars(args: MultiDict, timeline: Timeline) -> list[Bar]:
    """The histogram: documents per year of the search (without its year filter), every year in order."""
    counts = timeline.main.documents
    years = year_span(set(counts))
    chosen = chosen_years(args, years)
    return [Bar(y, counts.get(y, 0), "?" + url_args(args, year=str(y)), y in chosen) for y in years]


def build_sidebar(args: MultiDict, facets: dict[str, list[list[Any]]], widened: dict[str, list[list[Any]]],
                  timeline: Timeline) -> Sidebar:
    """The sidebar from the result's facet counts, the widened counts of chosen facets and the timeline's years."""
    counts = {**facets, **widened}
    year_counts = [[y, c] for y, c in sorted(timeline.main.documents.items(), reverse=True)]
    blocks = [facet_block(args, name, counts.get(name, []))
              for name in FACET_FIELDS if name not in PLACES and name != "year"]
    return Sidebar(blocks=blocks, places=place_blocks(args, counts), crumbs=place_crumbs(args),
                   years=year_bars(args, timeline), year_block=facet_block(args, "year", year_counts),
                   undated=timeline.main.undated, selected_years=chosen_years(args, timeline.years))


def chips(args: MultiDict) -> list[Chip]:
    """The chosen filters, each removable: "层级: 县", "排除 层级: 镇"."""
    out = []
    for f in filter_params(args):
        label = translate("chip", facet=translate(f"facet_{f.field}"), value=value_label(f.field, f.value))
        if f.negative:
            label = translate("chip_excluded", chip=label)
        out.append(Chip(label, "?" + url_args(args, remove=(f.key, f.value)), f.negative))
    return out


def without_filters(args: MultiDict) -> str:
    """The link that removes every filter (the query, sort and chart stay)."""
    return "?" + url_args(args, drop=("page", *{f.key for f in filter_params(args)}))
