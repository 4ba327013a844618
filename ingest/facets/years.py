"""The year of the work a document reports on, and its date, weighing every clue.

Clues: years in the title (the page's title counts less than the document's own),
the opening (2020年，通山县委…), the body, the signature date (a 总结 signed in
January is about the year before), a regulation's adoption record, dated events
(十九届五中全会, 新冠肺炎, 先进性教育活动, anniversaries) and the page's publication
date, which bounds a report on past work: a page published 2019-10-30 cannot hold a
report on 2020, whatever its site title says. Each clue supports a span of years;
the best-supported year wins, the earliest on a tie (a report follows soon after the
latest event it names). An event a year would precede counts against that year.
A statute reprinted with its amendments marked ((2011年1月8日删除)) is of its latest
version; a 届 and session of the 全国人大/全国政协 dates itself (data/congresses.csv).
Without a clue worth MIN_SCORE the year is the page's publication year (a news item
that names no year went out the year it happened) unless that date conflicts with the
title, else the one year the text names, else None. A news story (a dateline opens it)
is of the year its page went out. Every clue and every conflict is kept as Evidence.

The document's year is the one its title names, when it names exactly one (a
2026年政府工作报告 reviews 2025 but is the 2026 report); otherwise the best-supported
year. `covers` is always the year of the work reported on, from the clues other than
the title, so a user can tell the two apart.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from archive.model import Document, Evidence
from ingest.facets.events import find_events
from ingest.facets.view import DocView
from ingest.structure.dates import YEAR, DateMention, find_dates, year_of
from ingest.structure.lexicon import Doctype

MIN_SCORE = 1.0
TITLE_WEIGHT = 6.0
PAGE_TITLE_WEIGHT = 3.0
RECORD_WEIGHT = 8.0
SIGNATURE_WEIGHT = 3.0
OPENING_WEIGHT = 3.0
BODY_WEIGHT = 0.4
BODY_CAP = 3.0  # one year's body mentions, together
PUBLISHED_PENALTY = 5.0
PUBLISHED_PRIOR = 0.3
TITLE_RULES = ("year in title", "year in page title")
HEAD_CHARS = 1200  # a regulation's adoption record (with all its amendments) stands within its first lines
_FUTURE = re.compile(r"^[，,、\s]{0,2}(?:我们|我县|我区|我镇|我市|全县|全区|全镇|全市|将|要|计划|力争|继续|拟|预计|争取)")
_ACTION = re.compile(r"(通过|批准|修正|修订|公布|发布|印发|施行)")
_BARE_YEAR = re.compile(r"(?<![0-9A-Za-z.])((?:19|20)\d{2})(?=[\u4e00-\u9fff])(?![年多余万亿个名人元件次家项条只])")
_AMENDED = re.compile(r"[（(]((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:删除|修改|修订|修正|增加)[）)]")
_EFFECTIVE = re.compile(r"(?:(?:本|此)(?:规定|条例|办法|解释|决定|细则|规则|法|意见|通知)|》[，,]?)(?:自|从)\s*((?:19|20)\d{2})\s*年"
                        r"[^。；\n]{0,12}?起?(?:施行|实施|生效)")
EFFECTIVE_WEIGHT = 1.5  # a statute takes effect the year it is adopted or the next: less than its record
_DATELINE = re.compile(r"^[^，。：:]{2,20}[：:]")
_ADOPTING = ("通过", "批准", "修正", "修订", "公布", "发布", "印发")


@dataclass(frozen=True)
class Clue:
    earliest: int
    latest: int
    weight: float
    rule: str
    text: str
    line: int | None = None
    lower_bound: bool = False  # years before `earliest` are held against


def decide_year(doc: Document, view: DocView, doctype: Doctype | None, published: str | None) -> None:
    tense = doctype.tense if doctype else "back"
    clues: list[Clue] = []
    pub_year = int(published[:4]) if published and published[:4].isdigit() else None
    clues += _title_clues(doc, view, tense, pub_year)
    record = _record_date(view) if tense == "record" or view.frame.record_lines else None
    if record is not None:
        mention, action, line = record
        clues.append(Clue(mention.year, mention.year, RECORD_WEIGHT, f"adoption record ({action})", mention.iso, line))
        if doc.date is None:
            doc.date = mention.iso
            doc.evidence.append(Evidence("date", doc.date, f"adoption record ({action})", view.lines[line][:80], line))
    clues += _amendment_clues(view, record[0].year if record else None)
    clues += _effective_clues(view)
    clues += _signature_clues(doc, view, tense)
    clues += _text_year_clues(view)
    clues += [Clue(e.earliest, e.latest, e.weight, e.rule, e.phrase, lower_bound=True) for e in find_events(_content(view))]
    if pub_year:
        clues.append(Clue(pub_year - 1, pub_year, PUBLISHED_PRIOR, "page published", published or ""))
    title_years = {c.earliest for c in clues if c.rule in TITLE_RULES}
    covers, score = _best_year([c for c in clues if c.rule not in TITLE_RULES], pub_year, tense)
    for clue in clues:
        span = str(clue.earliest) if clue.earliest == clue.latest else f"{clue.earliest}–{clue.latest}"
        doc.evidence.append(Evidence("year", span, clue.rule, clue.text[:80], clue.line, clue.weight))
    if covers is not None and score >= MIN_SCORE:
        doc.covers = covers
        doc.evidence.append(Evidence("covers", covers, "year of the work reported on (best supported)",
                                     f"score {score:.1f}", weight=score))
    if len(title_years) == 1:  # a 2026年政府工作报告 is of 2026, though it reviews 2025
        doc.year = title_years.pop()
        doc.evidence.append(Evidence("year", doc.year, "the year the title names", doc.title[:80],
                                     view.frame.title_line, TITLE_WEIGHT))
        return
    if tense == "news" and pub_year is not None and not doc.provenance.get("conflicts"):
        doc.year = pub_year  # a story is of its day, whatever earlier years it recalls
        doc.evidence.append(Evidence("year", pub_year, "a news story: the year its page went out", published or "",
                                     weight=PUBLISHED_PRIOR))
        return
    year, score = _best_year(clues, pub_year, tense)
    if year is not None and score >= MIN_SCORE:
        doc.year = year
        doc.evidence.append(Evidence("year", year, "best supported year", f"score {score:.1f}", weight=score))
    elif pub_year is not None and not doc.provenance.get("conflicts"):
        # a news item that names no year worth trusting is of the year its page went out
        doc.year = pub_year
        doc.evidence.append(Evidence("year", pub_year, "page published (no year in the text worth trusting)",
                                     published or "", weight=PUBLISHED_PRIOR))
    elif len(named := {c.earliest for c in clues if c.rule == "years in the text"}) == 1:
        doc.year = named.pop()  # a story dated by day (今天（8月18日）) that names one year is of that year
        doc.evidence.append(Evidence("year", doc.year, "the only year the text names", str(doc.year), weight=BODY_WEIGHT))


def _content(view: DocView) -> str:
    """The text without a speech's subtitle (——2026年3月5日在…会议上): its occasion is weighed as its date."""
    line = view.frame.subtitle_line
    return view.text if line is None else "\n".join(view.lines[:line] + view.lines[line + 1:])


def _best_year(clues: list[Clue], pub_year: int | None, tense: str) -> tuple[int | None, float]:
    candidates = {y for c in clues if c.rule != "page published" for y in range(c.earliest, c.latest + 1)}
    if not candidates:
        return None, 0.0
    bound = None if pub_year is None else pub_year + (1 if tense == "ahead" else 0)
    scores: dict[int, float] = defaultdict(float)
    for year in candidates:
        for clue in clues:
            if clue.earliest <= year <= clue.latest:
                scores[year] += clue.weight
            elif clue.lower_bound and year < clue.earliest:
                scores[year] -= clue.weight
        if bound is not None and year > bound:
            scores[year] -= PUBLISHED_PENALTY
    best = max(sorted(scores), key=lambda y: scores[y])  # sorted: the earliest wins a tie
    return best, scores[best]


def _title_clues(doc: Document, view: DocView, tense: str, pub_year: int | None) -> list[Clue]:
    own = view.frame.title_line is not None
    weight = TITLE_WEIGHT if own else PAGE_TITLE_WEIGHT
    years = [y for m in YEAR.finditer(doc.title) if (y := year_of(m.group("y")))]
    years += [int(m.group(1)) for m in _BARE_YEAR.finditer(doc.title)]  # 2024世界人工智能大会
    out = []
    for year in years:
        if pub_year is not None and tense != "ahead" and year > pub_year:
            note = f"title says {year}, but the page was published in {pub_year}"
            doc.evidence.append(Evidence("year", year, "conflict", note, view.frame.title_line, 0.0))
            doc.provenance.setdefault("conflicts", []).append(note)
            continue
        out.append(Clue(year, year, weight / len(years), "year in title" if own else "year in page title",
                        doc.title, view.frame.title_line))
    return out


def _record_date(view: DocView) -> tuple[DateMention, str, int] | None:
    """The latest adopting action (通过/批准/修正…, not 施行) in a regulation's head."""
    head_end = view.starts[min(len(view.starts) - 1, view.frame.body_start)] + HEAD_CHARS
    head = view.text[:head_end]
    best = None
    dates = list(find_dates(head))
    for i, mention in enumerate(dates):
        stop = dates[i + 1].start if i + 1 < len(dates) else min(len(head), mention.end + 200)
        action = _ACTION.search(head, mention.end, stop)
        if action and action.group() in _ADOPTING and (best is None or mention.iso >= best[0].iso):
            best = (mention, action.group(), view.line_of(mention.start))
    return best


def _amendment_clues(view: DocView, record_year: int | None) -> list[Clue]:
    """A statute reprinted with its amendments marked in the body ((2011年1月8日删除)) is of its latest version."""
    notes = [(int(m.group(1)), m) for m in _AMENDED.finditer(view.text)]
    later = [(year, m) for year, m in notes if record_year is None or year > record_year]
    if not later:
        return []
    year, match = max(later, key=lambda pair: pair[0])
    line = view.line_of(match.start())
    return [Clue(year, year, RECORD_WEIGHT + 1, "amendment noted in the body", match.group(), line)]


def _effective_clues(view: DocView) -> list[Clue]:
    """本规定自2016年3月1日起施行: the year a statute without its adoption record took effect."""
    match = _EFFECTIVE.search(view.text)
    if match is None:
        return []
    year = int(match.group(1))
    return [Clue(year, year, EFFECTIVE_WEIGHT, "date it takes effect", match.group(), view.line_of(match.start()))]


def _dated_line(view: DocView) -> tuple[str, int, str] | None:
    """The signature's date line, else a speech's subtitle date (——2026年3月5日在…会议上)."""
    frame = view.frame
    if frame.date is not None:
        return frame.date, frame.date_line, "date line"
    if frame.subtitle_line is not None:
        dates = list(find_dates(view.lines[frame.subtitle_line]))
        if dates:
            return dates[0].iso, frame.subtitle_line, "date in the subtitle"
    return None


def _signature_clues(doc: Document, view: DocView, tense: str) -> list[Clue]:
    dated = _dated_line(view)
    if dated is None:
        return []
    date, line_no, rule = dated
    if doc.date is None:
        doc.date = date
        doc.evidence.append(Evidence("date", date, rule, view.lines[line_no][:80], line_no))
    year, month = int(date[:4]), int(date[5:7])
    line = view.lines[line_no][:80]
    if tense == "back" and month <= 3:
        return [Clue(year - 1, year - 1, SIGNATURE_WEIGHT, "signed early in the next year", line, line_no),
                Clue(year, year, SIGNATURE_WEIGHT / 3, "signature date", line, line_no)]
    if tense == "ahead" and month >= 10:
        return [Clue(year + 1, year + 1, SIGNATURE_WEIGHT, "plan signed late in the year before", line, line_no)]
    return [Clue(year, year, SIGNATURE_WEIGHT, "signature date", line, line_no)]


def _opens(line: str, offset: int) -> bool:
    """A year at the start of a line, or right after a dateline (央视网消息（新闻联播）：2025年…)."""
    if offset < 10:
        return True
    dateline = _DATELINE.match(line)
    return dateline is not None and offset - dateline.end() < 4


def _text_year_clues(view: DocView) -> list[Clue]:
    """Years written in the opening and the body; a year looked forward to means the one before."""
    skip = {view.frame.title_line, view.frame.date_line, *view.frame.record_lines, *view.frame.signature_lines}
    body: dict[int, float] = defaultdict(float)
    out: list[Clue] = []
    for match in YEAR.finditer(view.text):
        line = view.line_of(match.start())
        year = year_of(match.group("y"))
        if year is None or line in skip:
            continue
        future = line in view.plan_lines or bool(_FUTURE.match(view.text[match.end():match.end() + 6]))
        if view.role(line) == "opening" and _opens(view.lines[line], match.start() - view.starts[line]) and not future:
            out.append(Clue(year, year, OPENING_WEIGHT, "year opening the text", view.lines[line][:40], line))
            continue
        target = year - 1 if future else year
        if body[target] + BODY_WEIGHT <= BODY_CAP:
            body[target] += BODY_WEIGHT
    for year, weight in sorted(body.items()):
        out.append(Clue(year, year, weight, "years in the text", str(year)))
    return out
