"""URL parameters ⇄ page state: every state of a page lives in its URL.

Filters: `level=县&level=区` (several values of one facet: OR), `not_level=镇`
(exclude), `year=2019-2021`; plus q, page, size, sort (relevance|date|date_asc|original), duplicates=1
and template=hide (template passages, found by `archive reuse`, left out of hits, counts and exports).
The timeline: `compare=精神文明建设` (repeatable) and `measure=documents|passages|share`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from archive.export import FORMATS
from archive.search import FILTER_PARAMS, RequestError, SearchRequest

URL_FILTERS = FILTER_PARAMS
MEASURES = ("documents", "passages", "share")
EXPORT_FORMATS = sorted(FORMATS, key=("csv", "xlsx", "docx", "md", "jsonl").index)  # the order of the links


@dataclass(frozen=True)
class FilterParam:
    """One filter value in the URL: `key=value` (`not_…` when it excludes)."""

    key: str
    field: str
    value: str
    negative: bool


def _int_arg(args: MultiDict, name: str, default: int) -> int:
    raw = args.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise RequestError(f"{name} must be a whole number, got {raw[:40]!r}") from exc


def bounded_int_arg(args: MultiDict, name: str, default: int, low: int, high: int) -> int:
    """A whole-number parameter within [low, high]; outside it a RequestError names the parameter."""
    value = _int_arg(args, name, default)
    if not low <= value <= high:
        raise RequestError(f"{name} must be between {low} and {high}, got {value}")
    return value


def request_from_args(args: MultiDict, default_size: int = 20) -> SearchRequest:
    """The search a URL asks for (validated when it runs: a bad value is a 400 naming its parameter)."""
    include = {field: [v for v in args.getlist(name) if v] for name, field in URL_FILTERS.items()}
    exclude = {field: [v for v in args.getlist(f"not_{name}") if v] for name, field in URL_FILTERS.items()}
    return SearchRequest(
        q=args.get("q", "").strip(),
        include={k: v for k, v in include.items() if v},
        exclude={k: v for k, v in exclude.items() if v},
        page=_int_arg(args, "page", 1),
        size=_int_arg(args, "size", default_size),
        sort=args.get("sort", "relevance") or "relevance",
        duplicates=args.get("duplicates") in ("1", "true", "on"),
        template=args.get("template", "show") or "show",
    )


def url_args(args: MultiDict, *, add: tuple[str, str] | None = None, remove: tuple[str, str] | None = None,
             drop: tuple[str, ...] = ("page",), **replace: str | None) -> str:
    """The query string of `args` with one value added/removed or keys replaced."""
    items = [(k, v) for k, v in args.items(multi=True) if k not in drop and k not in replace]
    if remove:
        items = [(k, v) for k, v in items if (k, v) != remove]
    if add and add not in items:
        items.append(add)
    items.extend((k, v) for k, v in replace.items() if v not in (None, ""))
    return urlencode(items)


def filter_params(args: MultiDict) -> list[FilterParam]:
    """The filter values of the URL, in URL order (the chips)."""
    out = []
    for key, value in args.items(multi=True):
        name = key.removeprefix("not_")
        if name in URL_FILTERS and value:
            out.append(FilterParam(key, URL_FILTERS[name], value, key != name))
    return out


def measure_arg(args: MultiDict) -> str:
    measure = args.get("measure", MEASURES[0])
    return measure if measure in MEASURES else MEASURES[0]


def page_numbers(page: int, size: int, total: int, window: int = 2) -> tuple[list[int | None], int]:
    """The page numbers to link (None: a gap) and the last page."""
    last = max(1, math.ceil(total / size))
    shown = sorted({1, last} | set(range(max(1, page - window), min(last, page + window) + 1)))
    numbers: list[int | None] = []
    for n in shown:
        if numbers and n - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers, last
