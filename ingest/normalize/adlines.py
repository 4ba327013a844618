"""Advertising lines recognised by what they are, not by their wording; spam spans.

范文 and document-sharing sites rephrase their advertising faster than a rule
file (data/boilerplate.txt) can follow, but the lines keep their nature: they
sell and offer downloads (积分, 会员, 下载券), name a contact channel (QQ, 公众号,
扫码), a URL, claim to have collected the text (整理, 仅供参考, 版权), are short,
and stand outside the report's body. Real reports mention the same words
(发展会员2176名, 开通微信公众号“通山发布”), but inside report sentences: counts of
people and events, a unit doing work. So each short line gets a score, the sum of
the weights of the features it shows (data/ad_vocabulary.toml), and goes when
the score and its advertising evidence are high enough. Headings, titles and unit
names are never scored: a report may well be titled 关于开通政务微信公众号的汇报 (a numbered
item is, when its advertising evidence is double: 1、本站所有资源…需安装OFFICE). A line that
no feature convicts may still go on the word of the learned witness (line_model.py), which
is asked only about short lines that end no sentence and show no mark of report prose (one
mark beside advertising evidence, 本文为付费内容，已试读24%, when it is very sure), and never
alone about a bare text's first line, its title.

Spam injected into a page (gambling, pornography) is removed as a span, since it
is pasted into lines, even into a unit's name; so are watermarks (【www.…】).
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass

from archive.config import data_file
from ingest.normalize import line_model
from ingest.normalize.lines import HAN_CHAR, has_sentence_end, is_heading, is_prose, looks_like_title, visible_len

VOCABULARY_FILE = "ad_vocabulary.toml"
_COMMA = re.compile("[，,]")
_ARABIC_ITEM = re.compile(r"^\s*\d{1,2}\s*[、.．)）]\s*")
_PROSE_MARKS_ENOUGH = 2
_MODEL_MIN_HAN = 3
_BULLET = re.compile(r"^\s*[·•●▪◆■★☆▶►]")  # a list of links, not a title
_LINK_BAR = re.compile(r"\s[|｜丨]\s")  # 讲话稿 | 述职报告: links side by side, not a title
_LINK_MAX_LEN = 40
_LIST_HEADING_MAX = 12
_ATTACHMENT = re.compile(r"^\s*附\s*(件|表|录|[:：])")
_LEADING_DATE = re.compile(r"^\s*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s*")
_TRAILING_YEAR = re.compile(r"\s*[（(]?(?:19|20)\d{2}(?:年度?)?[)）]?\s*$")


@dataclass(frozen=True)
class Feature:
    """One kind of evidence: any of its patterns adds `weight`, each further one `each_more`."""

    name: str
    evidence: bool  # advertising evidence (True) or a mark of report prose (False)
    weight: float
    each_more: float
    max_more: int
    patterns: tuple[re.Pattern[str], ...]
    any: re.Pattern[str]  # all patterns at once: most lines match none, one search tells

    def score(self, line: str) -> float:
        if not self.any.search(line):
            return 0.0
        hits = sum(1 for pattern in self.patterns if pattern.search(line))
        return self.weight + self.each_more * min(max(hits - 1, 0), self.max_more)


@dataclass(frozen=True)
class Vocabulary:
    features: tuple[Feature, ...]
    threshold: float
    min_evidence: float
    min_evidence_features: int
    single_feature_evidence: float
    max_len: int
    short_len: int
    tiny_len: int
    prose_len: int
    short_bonus: float
    outside_bonus: float
    spam: re.Pattern[str]
    spam_line_share: float
    watermark: re.Pattern[str]
    model_outside: float
    model_inside: float
    model_inside_len: int
    model_out_of_place: float
    model_strict: float


def _feature(raw: dict) -> Feature:
    patterns = tuple(re.compile(p) for p in raw["patterns"])
    return Feature(name=raw["name"], evidence=raw["evidence"], weight=raw["weight"], each_more=raw["each_more"],
                   max_more=raw["max_more"], patterns=patterns,
                   any=re.compile("|".join(f"(?:{p})" for p in raw["patterns"])))


def _alternatives(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def _spam_pattern(spam: dict) -> re.Pattern[str]:
    """A brand, or a risky word with a selling word after it, and the words that continue the span."""
    brands, risky = _alternatives(spam["brands"]), _alternatives(spam["risky"])
    more = _alternatives(spam["brands"] + spam["risky"] + spam["tails"] + spam["selling"])
    domain = r"[\s:：/]*(?:https?://)?(?:www\.)?[a-z0-9-]+\.(?:com|net|cc|vip|top|org|xyz)"
    selling = f"(?:{_alternatives(spam['tails'])}|\\s)*(?:{_alternatives(spam['selling'])})"
    opening = f"(?:{brands}|(?:{risky})(?={selling}))"
    amounts = r"\s*\d+(?:\.\d+)?\s*[%％]?"  # 首存即送 248% 彩金
    return re.compile(f"(?i:{opening}(?:\\s*(?:{more})|{domain}|{amounts})*)")


@functools.cache
def vocabulary() -> Vocabulary:
    """data/ad_vocabulary.toml, compiled."""
    data = tomllib.loads(data_file(VOCABULARY_FILE).read_text(encoding="utf-8"))
    return Vocabulary(
        features=tuple(_feature(raw) for raw in data["feature"]),
        threshold=data["threshold"], min_evidence=data["min_evidence"],
        min_evidence_features=data["min_evidence_features"],
        single_feature_evidence=data["single_feature_evidence"], max_len=data["max_len"],
        short_len=data["short_len"], tiny_len=data["tiny_len"], prose_len=data["prose_len"],
        short_bonus=data["bonus"]["short"], outside_bonus=data["bonus"]["outside_body"],
        spam=_spam_pattern(data["spam"]), spam_line_share=data["spam"]["max_line_share"],
        watermark=re.compile("|".join(f"(?:{p})" for p in data["watermark"]["patterns"])),
        model_outside=data["model"]["outside_body"], model_inside=data["model"]["inside_body"],
        model_inside_len=data["model"]["inside_max_len"], model_out_of_place=data["model"]["out_of_place"],
        model_strict=data["model"]["strict"],
    )


@dataclass(frozen=True)
class Score:
    total: float
    evidence: float  # the advertising features' share of the total
    evidence_features: int  # how many advertising features matched
    prose_marks: int  # how many marks of report prose (counts, actors, work words, clauses) matched
    features: tuple[str, ...]  # names of the features that matched, for reports and tuning


def _protected(line: str) -> bool:
    """Lines that carry the report's frame: headings, titles (no comma, no bullet), unit names."""
    from ingest.structure.frame import is_org_line

    title = (looks_like_title(line) and not _COMMA.search(line) and not _BULLET.match(line)
             and not _LINK_BAR.search(line))
    return is_heading(line) or title or is_org_line(line.strip())


def score(line: str, outside_body: bool = False) -> Score:
    """The advertising score of one line (see the module docstring)."""
    vocab = vocabulary()
    total = evidence = 0.0
    names = []
    kinds = 0
    prose = 0
    for feature in vocab.features:
        value = feature.score(line)
        if value:
            names.append(feature.name)
            total += value
            if feature.evidence:
                evidence += value
                kinds += 1
            else:
                prose += 1
    if visible_len(line) <= vocab.short_len:
        total += vocab.short_bonus
    if outside_body:
        total += vocab.outside_bonus
    return Score(total=total, evidence=evidence, evidence_features=kinds, prose_marks=prose, features=tuple(names))


@functools.lru_cache(maxsize=1 << 16)  # normalization asks twice about nearly the same lines (joins, then removal)
def is_ad(line: str, outside_body: bool = False, ask_witness: bool = True) -> bool:
    """A short, unprotected line whose score and advertising evidence reach the thresholds, or
    one the learned witness is sure of (see the module docstring)."""
    vocab = vocabulary()
    if not line.strip() or visible_len(line) > vocab.max_len:
        return False
    if _protected(line):
        return _numbered_notice(line, outside_body)
    found = score(line, outside_body)
    tiny = visible_len(line) <= vocab.tiny_len and not found.prose_marks  # 在线客服 9:00-22:00
    varied = (found.evidence_features >= vocab.min_evidence_features or found.evidence >= vocab.single_feature_evidence
              or tiny)
    if found.prose_marks >= _PROSE_MARKS_ENOUGH and has_sentence_end(line):  # 原创短视频…播放量达120万次，获…转发。
        return False
    if found.total >= vocab.threshold and found.evidence >= vocab.min_evidence and varied:
        return True
    if not ask_witness or not (outside_body or found.evidence):  # within the body, some advertising word too
        return False
    if found.prose_marks >= _PROSE_MARKS_ENOUGH or (found.prose_marks and not found.evidence):
        return False
    return _model_sure(line, outside_body, strict=bool(found.prose_marks))


def _numbered_notice(line: str, outside_body: bool) -> bool:
    """1、本站所有资源…需要安装OFFICE: a numbered item of a site's notice, not a heading of the report."""
    if not _ARABIC_ITEM.match(line):
        return False
    found = score(_ARABIC_ITEM.sub("", line), outside_body)
    return (not found.prose_marks and found.evidence >= 2 * vocabulary().min_evidence
            and found.evidence_features >= vocabulary().min_evidence_features)


def _model_sure(line: str, outside_body: bool, strict: bool = False) -> bool:
    """The learned witness is sure: more so within the body, and only about short lines there."""
    learned = line_model.model()
    if learned is None:
        return False
    vocab = vocabulary()
    if has_sentence_end(line):  # a sentence is the report's
        return False
    if not outside_body and visible_len(line) > vocab.model_inside_len:  # within the body only short stamps
        return False
    if len(HAN_CHAR.findall(line)) < _MODEL_MIN_HAN:  # 1996 cut from 年5月20日 by a hard wrap: pages.py's matter
        return False
    if strict:
        return learned.probability(line) >= vocab.model_strict
    return learned.probability(line) >= (vocab.model_outside if outside_body else vocab.model_inside)


def out_of_place(line: str) -> bool:
    """The learned witness takes a line for a label where its place already casts doubt on it
    (cutting a sentence, above a title); without a model, nothing is out of place."""
    learned = line_model.model()
    return learned is not None and learned.probability(line) >= vocabulary().model_out_of_place


def _head_label(line: str) -> bool:
    """Above the report's first paragraph, a short line (at most `inside_max_len`, the bound of the
    witness's questions within the body) of no prose that frames nothing (no title, heading or
    unit) goes when the witness takes it for a label."""
    return (not is_prose(line) and not _protected(line) and len(HAN_CHAR.findall(line)) >= _MODEL_MIN_HAN
            and visible_len(line) <= vocabulary().model_inside_len and out_of_place(line))


def _headline_slot(lines: list[str], bounds: tuple[int, int] | None) -> int | None:
    """The index of a text's first line when the report's prose follows it at once: the title of
    a bare text (徐梦桃：五星红旗 你是我的骄傲), which the learned witness alone may not take."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if bounds is None or first is None or first >= bounds[0]:
        return None
    return first if not any(line.strip() for line in lines[first + 1:bounds[0]]) else None


def body_bounds(lines: list[str]) -> tuple[int, int] | None:
    """First and last line of report prose (long, ending sentences), or None when there is none."""
    prose_len = vocabulary().prose_len
    prose = [i for i, line in enumerate(lines) if visible_len(line) >= prose_len and has_sentence_end(line)]
    return (prose[0], prose[-1]) if prose else None


def flag_ad_lines(lines: list[str], bounds: tuple[int, int] | None) -> list[bool]:
    """is_ad for every line, knowing which lines stand before or after the report's body (body_bounds)."""
    outside = [bounds is not None and not bounds[0] <= i <= bounds[1] for i in range(len(lines))]
    headline = _headline_slot(lines, bounds)
    flags = [is_ad(line, out, ask_witness=i != headline) for i, (line, out) in enumerate(zip(lines, outside, strict=True))]
    head_end = 0 if bounds is None else bounds[0]
    for i in range(head_end):
        flags[i] = flags[i] or (i != headline and _head_label(lines[i]))
    body_end = len(lines) if bounds is None else bounds[1]
    flags = _flag_link_lists(lines, outside, flags, body_end)
    _flag_items_under_chrome_headings(lines, flags, body_end)
    return _flag_related_titles(lines, flags, body_end)


def _flag_related_titles(lines: list[str], flags: list[bool], body_end: int) -> list[bool]:
    """After the body of a page whose tail already shows a site (an ad or chrome line after the
    body), two or more titles of documents in a row (1、2015年宣传思想工作总结 / 2012年度宣传思想工作要点),
    numbered or dated or not, are the site's related list, and so is the short heading above them
    (最新工作总结); with no other chrome in the tail, a headed list of three or more unnumbered
    titles that ends the text. A law's closing list of decisions, or a report's attachments (附件：1. …, 附：), stay."""
    site_tail = any(flags[body_end + 1:])
    i = body_end + 1
    while i < len(lines):
        end = i
        while end < len(lines) and _listed_title(lines[end]):
            end += 1
        # with no other chrome in the tail, only a headed list of three or more that ends the text
        above = i - 1
        headed = above > body_end and _list_heading(lines[above])
        headed = headed or (end - i >= 4 and visible_len(lines[i]) <= _LIST_HEADING_MAX)  # 最新工作总结 heads it
        numbered = any(_ARABIC_ITEM.match(lines[k]) for k in range(i, end))  # a law's 1．关于…的决定
        enough = end - i >= 2 if site_tail else (end - i >= 3 and end == len(lines) and headed and not numbered)
        if enough and not any(_ATTACHMENT.match(lines[k]) for k in range(max(body_end + 1, i - 1), end)):
            flags[i:end] = [True] * (end - i)
            if above > body_end and _list_heading(lines[above]):
                flags[above] = True
        i = max(end, i + 1)
    return flags


def _list_heading(line: str) -> bool:
    """Short enough to head a list (最新工作总结), and no sentence."""
    return visible_len(line) <= _LIST_HEADING_MAX and not has_sentence_end(line)


def _flag_items_under_chrome_headings(lines: list[str], flags: list[bool], body_end: int) -> None:
    """After the body, the short lines under a heading that is chrome (相关搜索：, 猜你喜欢：) are its
    items (search terms, titles), until a sentence or a long line."""
    for k in range(body_end + 1, len(lines)):
        if not (flags[k] and lines[k].rstrip().endswith(("：", ":")) and visible_len(lines[k]) <= _LIST_HEADING_MAX):
            continue
        j = k + 1
        while j < len(lines) and 0 < visible_len(lines[j]) <= _LINK_MAX_LEN and not has_sentence_end(lines[j]):
            flags[j] = True
            j += 1


def _listed_title(line: str) -> bool:
    """A document title as a related list shows it: short, maybe numbered, naming a kind of document."""
    from ingest.structure.frame import is_org_line

    title = _TRAILING_YEAR.sub("", _LEADING_DATE.sub("", _ARABIC_ITEM.sub("", line))).strip()  # 个人述职报告2019
    return (0 < visible_len(title) <= _LINK_MAX_LEN and not has_sentence_end(title) and looks_like_title(title)
            and not is_org_line(title))


def _flag_link_lists(lines: list[str], outside: list[bool], flags: list[bool], body_end: int) -> list[bool]:
    """A bulleted list outside the body is one thing: when one of its links is an ad, all are; after
    the body, a list of two or more short titles (no sentence among them) is a site's related links."""
    max_len = vocabulary().max_len
    i = 0
    while i < len(lines):
        if not (outside[i] and _BULLET.match(lines[i])):
            i += 1
            continue
        end = i
        while end + 1 < len(lines) and outside[end + 1] and _BULLET.match(lines[end + 1]):
            end += 1
        run = lines[i:end + 1]
        links = i > body_end and len(run) >= 2 and not any(
            has_sentence_end(line) or visible_len(line) > _LINK_MAX_LEN for line in run)
        if links or any(flags[i:end + 1]):
            flags[i:end + 1] = [visible_len(line) <= max_len for line in lines[i:end + 1]]
        i = end + 1
    return flags


def remove_spans(line: str) -> str:
    """The line without spam spans and watermarks; '' when what is left was only spam's frame or
    still advertises (a spam line written inside a report sentence)."""
    vocab = vocabulary()
    cleaned = vocab.watermark.sub("", line)
    without_spam = vocab.spam.sub("", cleaned)
    if without_spam != cleaned and (visible_len(without_spam) < vocab.spam_line_share * visible_len(cleaned)
                                    or score(without_spam).evidence_features):
        return ""  # only spam's frame was left, or its contact (…进群978687479领取): a spam line
    return without_spam
