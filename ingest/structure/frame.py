"""The frame around a report's body: title, addressee, unit and date lines, signature.

Official reports open with a title line (sometimes after a site's copy of it), may name
their addressee (`中共咸宁市委：`) or greet an audience (`尊敬的×，同志们：`), and close
with the unit and date (`中共通山县委 2021年1月22日`). Regulations put their adoption
record under the title (`（2018年8月30日…通过 …批准）`). Facets weigh what they find by
these roles, so a unit in the signature counts more than one mentioned in passing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.normalize.adlines import out_of_place
from ingest.normalize.lines import HAN_CHAR
from ingest.structure.dates import DATE, find_dates
from ingest.structure.headings import match_heading
from ingest.structure.lexicon import lexicon

HEAD_LINES = 8  # a title stands among the first lines
TAIL_LINES = 4  # a signature among the last
HINT_LINES = 60  # how far a page's title is looked for as the document's title line
MAX_TITLE = 60
MAX_STOPPED_TITLE = 40  # some pages end a title with 。; longer than this it is a sentence
_MAX_PREAMBLE = 2  # lines of a site a title may stand below (an ad the cleaner did not know)
HEADLINE_MAX = 100  # a news headline with its deck (…重要指示 要求… 确保…) runs long but ends no sentence
_SENTENCE_ENDS = ("。", "！", "？", "；", ".", "!", "?", ";", "：", ":")
_SHORT_LABEL = 6  # a line this short above a title is a button or label (已关注, 特急), not the body
_PREAMBLE_LOOKAHEAD = 2
_STOP = re.compile(r"[。！？；;!?]")
_COMMA_OR_STOP = re.compile(r"[，,。！？；;!?]")
_SALUTATION = re.compile(r"^(尊敬的|各位|同志们|亲爱的).{0,40}[:：]$|同志们[:：，,]?$")
_ADDRESSEE = re.compile(r"(?:^|\s)((?:中共|中国共产党)?[\u4e00-\u9fffXxＸｘ×]{2,24}?(?:委|委员会|政府|常委会|宣传部|办公室|领导小组|局|厅|部|办))\s*[:：]$")
_GREETING = re.compile(r"^(尊敬的|各位|同志们|亲爱的|女士们)")
_SUBTITLE = re.compile(r"^(?:——|—|--|－－)")
_RECORD = re.compile(r"(通过|批准|修正|修订|公布|发布|施行|印发)")
_SPACE_IN_HAN = re.compile(r"(?<=[\u4e00-\u9fff\d“”《》（）()])\s+(?=[\u4e00-\u9fff\d“”《》（）()])")
_COMMA = re.compile(r"[，,]")
_DATE_ONLY = re.compile(rf"^[（(]?\s*(?:{DATE.pattern})\s*[）)]?$")


@dataclass
class Frame:
    """Line numbers (0-based, in text.split('\\n')) of a report's framing lines."""

    title: str | None = None
    title_line: int | None = None
    title_span: tuple[int, int] | None = None  # the title's slice of its line
    subtitle_line: int | None = None
    addressee: str | None = None
    addressee_line: int | None = None
    addressee_span: tuple[int, int] | None = None
    salutation_line: int | None = None
    org_lines: list[int] = field(default_factory=list)  # a unit named alone on a line (head or signature)
    record_lines: list[int] = field(default_factory=list)  # adoption record of a regulation
    signature_lines: list[int] = field(default_factory=list)
    date: str | None = None  # YYYY-MM-DD of the signature (or head) date line
    date_line: int | None = None
    body_start: int = 0  # first line after the head

    def role(self, line: int) -> str:
        """title | subtitle | addressee | salutation | org | record | signature | date | body."""
        if line == self.title_line:
            return "title"
        if line == self.subtitle_line:
            return "subtitle"
        if line == self.addressee_line:
            return "addressee"
        if line == self.salutation_line:
            return "salutation"
        if line == self.date_line:
            return "date"
        if line in self.signature_lines:
            return "signature"
        if line in self.org_lines:
            return "org"
        if line in self.record_lines:
            return "record"
        return "body"


def clean_title(text: str) -> str:
    """A title as people write it: no spaces a scrape left between characters, no final stop."""
    text = _SPACE_IN_HAN.sub("", text.strip())
    return text.rstrip("。.，,：: ")


def headline_like(line: str) -> bool:
    """Short enough for a headline, a Chinese word in it, ending no sentence (a news headline names no
    kind of document)."""
    return len(line) <= HEADLINE_MAX and HAN_CHAR.search(line) is not None and not line.endswith(_SENTENCE_ENDS)


def is_org_line(line: str) -> bool:
    return len(line) <= 30 and bool(lexicon().org_line.match(line.replace(" ", "")))


def is_title_like(line: str) -> bool:
    """Short, names a kind of document, is not a heading and not a sentence.

    The one title test of the project: the frame finds a report's title with it and
    ingest.split finds where a further report starts (adding its own narrower checks).
    """
    s = line.strip()
    if not 2 <= len(s) <= MAX_TITLE or match_heading(s) or not lexicon().title_words.search(s):
        return False
    if s.endswith(("：", ":")) or _GREETING.match(s):
        return False  # an addressee or a lead-in; a speech's greeting with its first sentence
    commas = len(_COMMA.findall(s))
    if s.endswith(("。", ".")):  # a sentence unless short and bare, as some pages print titles
        return len(s) <= MAX_STOPPED_TITLE and commas == 0 and not _STOP.search(s[:-1])
    return commas <= 1 and not _STOP.search(s)


def _date_line(line: str) -> str | None:
    compact = line.replace(" ", "")
    if _DATE_ONLY.match(compact):
        dates = list(find_dates(compact))
        return dates[0].iso if dates else None
    return None


def _org_and_date(line: str) -> str | None:
    """'中共通山县委 2021年1月22日' → '2021-01-22' when the rest of the line is a unit."""
    compact = line.replace(" ", "")
    dates = list(find_dates(compact))
    if len(dates) != 1 or dates[0].end != len(compact.rstrip("）)")):
        return None
    rest = compact[: dates[0].start].strip("（(")
    return dates[0].iso if rest and is_org_line(rest) else None


def read_frame(text: str, title_hint: str | None = None) -> Frame:
    """Find the framing lines of one report's normalized text."""
    lines = text.split("\n")
    frame = Frame()
    # A line that is exactly the page's or record's title anchors the head: what stands before
    # it is a cover letter (备案报告, 批准的决议) or site chrome.
    hint = clean_title(title_hint) if title_hint else None
    anchor = next((n for n, line in enumerate(lines[:HINT_LINES]) if hint and line.strip() and clean_title(line) == hint), 0)
    _read_head(lines, frame, _title_above(lines, anchor))
    _headline_over_dateline(lines, frame)
    _read_tail(lines, frame)
    return frame


def _headline_over_dateline(lines: list[str], frame: Frame) -> None:
    """A story's headline stands right above its dateline: it outranks a title-like line above it
    that the witness takes for a site's (AI写作助手 · 一键生成宣传工作总结), not one that is a headline
    over its deck (江泽民同志追悼大会…隆重举行 / 李克强…参加追悼大会 / 央视网消息：…)."""
    n = frame.body_start
    if frame.title_line is None or n >= len(lines) or not headline_like(line := lines[n].strip()):
        return
    if not out_of_place(frame.title or ""):
        return
    after = next((rest.strip() for rest in lines[n + 1:] if rest.strip()), "")
    if lexicon().opens_with_dateline(after) and not lexicon().opens_with_dateline(line):
        indent = len(lines[n]) - len(lines[n].lstrip())
        frame.title_line, frame.title_span = n, (indent, indent + len(line))
        frame.title = clean_title(line)
        frame.body_start = n + 1


def _read_head(lines: list[str], frame: Frame, first: int) -> None:
    seen = 0
    body_start = None
    open_record = False
    candidates: list[tuple[int, tuple[int, int]]] = []
    for n in range(first, len(lines)):
        raw = lines[n]
        line = raw.strip()
        if not line:
            continue
        if not HAN_CHAR.search(line) and not _date_line(line):
            continue  # chrome without a Chinese word (Content, a page number, a URL) is not the body
        seen += 1
        if seen > HEAD_LINES:
            body_start = n
            break
        indent = len(raw) - len(raw.lstrip())
        if _SALUTATION.search(line) and len(line) <= 50:
            frame.salutation_line, body_start = n, n + 1
            break
        addressee = _ADDRESSEE.search(line)
        if addressee and len(line) <= 80:
            frame.addressee, frame.addressee_line = addressee.group(1), n
            frame.addressee_span = (addressee.start(1), addressee.end(1))
            before = raw[: addressee.start(1)].rstrip()
            if before.strip() and is_title_like(clean_title(before)):
                candidates.append((n, (indent, len(before))))
            body_start = n + 1
            break
        date = _date_line(line)
        if date:
            frame.date, frame.date_line = frame.date or date, n
            continue
        if candidates and _SUBTITLE.match(line):
            frame.subtitle_line = n
            continue
        if _RECORD.search(line) and (line.startswith(("（", "(")) or DATE.match(line)) and len(line) <= 200:
            frame.record_lines.append(n)
            continue
        if line.startswith(("（", "(")) and DATE.search(line) and len(line) <= 200:
            frame.record_lines.append(n)  # a record broken over lines: （2016年12月16日淮南市…常务
            open_record = True
            continue
        if frame.record_lines and open_record and len(line) <= 200:
            frame.record_lines.append(n)
            open_record = not re.search(r"[）)]$", line)
            continue
        if is_org_line(line):
            frame.org_lines.append(n)
            continue
        if is_title_like(line) and not frame.record_lines:
            candidates.append((n, (indent, indent + len(line))))
            continue
        if not candidates and seen <= _MAX_PREAMBLE and (_COMMA_OR_STOP.search(line) or out_of_place(line)
                                                          or len(line) <= _SHORT_LABEL) and _title_follows(lines, n):
            continue  # a site's line before the title (an ad or chrome the cleaner did not know)
        body_start = n
        break
    frame.body_start = body_start if body_start is not None else len(lines)
    if candidates:
        # The own title stands last, nearest the body; a site's copy of it comes first.
        n, span = candidates[-1]
        frame.title_line, frame.title_span = n, span
        frame.title = clean_title(lines[n][span[0]:span[1]])


def _is_main_title(line: str) -> bool:
    """Title-like, not one a page ends with 。 and not a subtitle (——在…上的讲话)."""
    return is_title_like(line) and not _STOP.search(line) and not _SUBTITLE.match(line)


def _title_follows(lines: list[str], n: int) -> bool:
    """One of the next two lines with text is a main title: line n stands before the head, not in
    the body."""
    following = [line.strip() for line in lines[n + 1:n + 1 + _PREAMBLE_LOOKAHEAD * 2] if line.strip()]
    return any(_is_main_title(line) for line in following[:_PREAMBLE_LOOKAHEAD])


def _title_above(lines: list[str], anchor: int) -> int:
    """Where the head starts: at the page's title line, or at a main title just above it when that
    line is a label (a page's headline can be the widget under the title: 86744粉丝 · 114获赞)."""
    if not anchor or is_title_like(lines[anchor].strip()) or not out_of_place(lines[anchor].strip()):
        return anchor
    above = [n for n in range(anchor - 1, -1, -1) if lines[n].strip()][:_MAX_PREAMBLE]
    return next((n for n in above if _is_main_title(lines[n].strip())), anchor)


def _read_tail(lines: list[str], frame: Frame) -> None:
    seen = 0
    for n in range(len(lines) - 1, max(frame.body_start, 0) - 1, -1):
        line = lines[n].strip()
        if not line:
            continue
        seen += 1
        if seen > TAIL_LINES or n == frame.title_line or n in frame.record_lines:
            break
        date = _date_line(line) or _org_and_date(line)
        if date:
            if frame.date is None or frame.date_line is not None and frame.date_line < frame.body_start:
                frame.date, frame.date_line = date, n
            frame.signature_lines.append(n)
            continue
        if is_org_line(line):
            frame.signature_lines.append(n)
            continue
        break
    frame.signature_lines.sort()
