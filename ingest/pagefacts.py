"""Page-level facts: when a page was published, by which site, under what title.

They are read from the raw decoded text, before normalization deletes the
chrome lines that carry them (发布时间, 当前位置, a site's domain). They
describe the copy on the page, not the report: a 2021 report scraped in
2022 is published 2022. Patterns live in data/page_facts.toml.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field

from archive.config import data_file
from archive.model import Evidence
from ingest.readers.dates import parse_date


@dataclass
class PageInfo:
    """What the page says about itself; `evidence` lines are 0-based in the raw text."""

    published: str | None = None  # YYYY-MM-DD
    source: str | None = None  # site name or domain
    title: str | None = None  # breadcrumb or SEO title of the page
    headline: str | None = None  # the line above the page's meta line: the text's own title
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class _Patterns:
    published_labels: tuple[re.Pattern[str], ...]
    published_max_line: int
    byline_date: re.Pattern[str]
    not_published: re.Pattern[str]
    breadcrumb_site: re.Pattern[str]
    domain: re.Pattern[str]
    domain_max_line: int
    site_name: re.Pattern[str]
    breadcrumb_title: re.Pattern[str]
    blurb_title: re.Pattern[str]
    separators: re.Pattern[str]
    meta_line: re.Pattern[str]
    not_headline: re.Pattern[str]
    headline_max_len: int
    headline_max_line: int


@functools.cache
def _patterns() -> _Patterns:
    data = tomllib.loads(data_file("page_facts.toml").read_text(encoding="utf-8"))
    pub, src, title = data["published"], data["source"], data["title"]
    return _Patterns(
        published_labels=tuple(re.compile(p) for p in pub["labels"]),
        published_max_line=pub["max_line"],
        byline_date=re.compile(pub["byline"]),
        not_published=re.compile(pub["not_published"]),
        breadcrumb_site=re.compile(src["breadcrumb"]),
        domain=re.compile(src["domain"]),
        domain_max_line=src["max_line"],
        site_name=re.compile(src["site_name"]),
        breadcrumb_title=re.compile(title["breadcrumb"]),
        blurb_title=re.compile(title["blurb"]),
        separators=re.compile(title["separators"]),
        meta_line=re.compile(title["meta_line"]),
        not_headline=re.compile(title["not_headline"]),
        headline_max_len=title["headline_max_len"],
        headline_max_line=title["headline_max_line"],
    )


_SENTENCE_STOP = re.compile(r"[。！？]")


def _is_page_line(line: str, max_line: int) -> bool:
    """Short and not a sentence: a page's furniture, not the report's prose."""
    return len(line.strip()) <= max_line and not _SENTENCE_STOP.search(line)


def _first(lines: list[str], pattern: re.Pattern[str], max_line: int | None = None) -> tuple[re.Match[str], int] | None:
    """The first match; with max_line, on page lines only."""
    for i, line in enumerate(lines):
        if max_line is not None and not _is_page_line(line, max_line):
            continue
        match = pattern.search(line)
        if match:
            return match, i
    return None


def page_date(lines: list[str]) -> tuple[str, int, str] | None:
    """(YYYY-MM-DD, line index, rule) of the page's date: the first page line dated by a label of
    data/page_facts.toml, else the first dated byline (a date with dashes, which prose never writes)."""
    p = _patterns()
    page_lines = [(i, line) for i, line in enumerate(lines) if _is_page_line(line, p.published_max_line)]
    for i, line in page_lines:
        label = next((m for pattern in p.published_labels if (m := pattern.search(line))), None)
        date = parse_date(line[label.end() :]) if label else None
        if date:
            return date, i, "labelled date on page"
    for i, line in page_lines:
        found = p.byline_date.search(line)
        date = parse_date(found.group()) if found and not p.not_published.search(line) else None
        if date:
            return date, i, "dated byline on page"
    return None


def _published(lines: list[str], info: PageInfo) -> None:
    if found := page_date(lines):
        date, line, rule = found
        info.published = date
        info.evidence.append(Evidence("published", date, rule, lines[line].strip()[:80], line))


@dataclass(frozen=True)
class _Suffix:
    separators: re.Pattern[str]
    max_len: int
    site_words: re.Pattern[str]
    domain: re.Pattern[str]
    port: re.Pattern[str]


@functools.cache
def _suffix() -> _Suffix:
    data = tomllib.loads(data_file("ad_vocabulary.toml").read_text(encoding="utf-8"))["title_suffix"]
    return _Suffix(separators=re.compile(data["separators"]), max_len=data["max_len"],
                   site_words=re.compile(data["site_words"]),
                   domain=re.compile(data["domain"]), port=re.compile(data["port"]))


def _site_segment(segment: str) -> str | None:
    """The site a trailing <title> segment names (without its port), or None if it names none."""
    p = _suffix()
    name = p.port.sub("", segment.strip()).strip()
    if not name or len(name) > p.max_len or not (p.site_words.search(name) or p.domain.search(name)):
        return None
    return name


def split_site_suffix(title: str) -> tuple[str, str | None]:
    """('报告', '某某网') from '报告_某某网' or '报告 - 某某网 - www.x.cn:8080'.

    Pages append their site to every <title>; kept, it becomes the document's title
    and hides the report's own title line. Trailing segments go while they name a
    site; the site named in words wins over a domain.
    """
    title = title.strip()
    sites: list[str] = []
    while True:
        cuts = list(_suffix().separators.finditer(title))
        if not cuts or not title[: cuts[-1].start()].strip():
            break
        site = _site_segment(title[cuts[-1].end() :])
        if site is None:
            break
        sites.append(site)
        title = title[: cuts[-1].start()].strip()
    named = [site for site in sites if not _suffix().domain.search(site)]
    return title, named[0] if named else sites[0] if sites else None


def _hint_segments(title_hint: str | None) -> tuple[str | None, str | None]:
    """(document title, site name) from an HTML <title> such as '报告 - 某某网'."""
    if not title_hint or not title_hint.strip():
        return None, None
    return split_site_suffix(title_hint)


def _source(lines: list[str], hint_site: str | None, info: PageInfo) -> None:
    p = _patterns()
    found = _first(lines, p.breadcrumb_site)
    if found:
        info.source = found[0]["site"]
        info.evidence.append(Evidence("source", info.source, "breadcrumb", lines[found[1]].strip()[:80], found[1]))
    elif hint_site:
        info.source = hint_site
        info.evidence.append(Evidence("source", hint_site, "site in page title", hint_site))
    elif found := _first(lines, p.domain, p.domain_max_line):
        info.source = found[0]["site"].lower()
        info.evidence.append(
            Evidence("source", info.source, "domain on page line", lines[found[1]].strip()[:80], found[1])
        )


def is_meta_line(line: str) -> bool:
    """A page's line of facts about its text (来源：…, 发布时间：…): its headline stands above it."""
    return _patterns().meta_line.search(line) is not None


def _headline(lines: list[str]) -> tuple[str, int] | None:
    """The line just above the page's first meta line, if it reads as a headline."""
    from ingest.normalize.boilerplate import is_boilerplate

    p = _patterns()
    meta = next((i for i, line in enumerate(lines[: p.headline_max_line]) if is_meta_line(line)), None)
    # step over chrome between the headline and the meta line (【阅读次数：55703】, a byline, the site's name)
    above = next((i for i in range(meta - 1, -1, -1) if lines[i].strip() and not is_boilerplate(lines[i])
                  and not p.not_headline.search(lines[i].strip())), None) if meta else None
    if above is None:
        return None
    line = lines[above].strip()
    if not 4 <= len(line) <= p.headline_max_len or _SENTENCE_STOP.search(line) or is_boilerplate(line):
        return None
    return line, above


def _title(lines: list[str], hint_title: str | None, info: PageInfo) -> None:
    """The page's name for its text (breadcrumb, blurb, <title>, else headline) and its headline apart:
    on 范文 sites the line above the meta line is the category, so it only ranks last."""
    p = _patterns()
    for pattern, rule in ((p.breadcrumb_title, "breadcrumb"), (p.blurb_title, "site blurb")):
        found = _first(lines, pattern)
        if found:
            info.title = found[0]["title"].strip()
            info.evidence.append(Evidence("page_title", info.title, rule, lines[found[1]].strip()[:80], found[1]))
            break
    if hint_title and not info.title:
        info.title = hint_title
        info.evidence.append(Evidence("page_title", hint_title, "page title", hint_title))
    if found := _headline(lines):
        info.headline = found[0]
        if not info.title:
            info.title = found[0]
            info.evidence.append(Evidence("page_title", info.title, "headline above the meta line", found[0][:80],
                                          found[1]))


def page_facts(raw_text: str, title_hint: str | None = None) -> PageInfo:
    """Publication date, site and page title found in a page's raw text.

    `title_hint` is what the reader saw as the page's title (an HTML <title>),
    whose last segment often names the site.
    """
    lines = raw_text.split("\n")
    hint_title, hint_site = _hint_segments(title_hint)
    info = PageInfo()
    _published(lines, info)
    _source(lines, hint_site, info)
    _title(lines, hint_title, info)
    return info
