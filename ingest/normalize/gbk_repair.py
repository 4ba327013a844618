"""Repair GBK byte misalignment: `。ㄒ唬┮庾R` → `（一）意識`, `F(xiàn)將` → `現(xiàn)將`.

A stray byte before double-byte GBK text shifts every later pair by one
byte until an ASCII-range trail byte (or a lost byte) realigns it. The result
is valid but odd characters (bopomofo, box drawing, kana, rare Han). Re-encoding
the run as GB18030 and dropping its first byte gives the text back. A byte
left over at the end had its partner lost; if a pinyin note follows, the
document's own notes tell which character it was, else it becomes U+FFFD.

A candidate repair is taken only when it makes the run clearly more ordinary
(scored by odd and uncommon characters), so clean text is never changed.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ingest.normalize import pinyin
from ingest.normalize.lines import NUM

_LOST = "\ufffd"
# Symbols that misaligned Chinese text is full of and real Chinese text seldom holds
# alone: a run is examined only around one of these (or uncommon Han, see _triggers).
_TRIGGER = re.compile("[\u3105-\u312f\u2500-\u257f\u3041-\u30fa\u2e80-\u2fdf]")
# What ordinary Chinese text is made of; anything else (symbols of GBK's other zones,
# private-use characters) makes a run odd, and a repair holding any is refused.
_ORDINARY = (
    "\u3400-\u4dbf\u4e00-\u9fff\x20-\x7e\t\n\r\u3000\uff01-\uff5e"
    "\u3001-\u3003\u3008-\u3011\u2014-\u201d\u2026\u00b7\u00d7"
)
_ODD_CHAR = re.compile(f"[^{_ORDINARY}{_LOST}]")
# Odd characters of one kind side by side are real (zhuyin, a drawn table, Japanese).
_ODD_RUN = re.compile(r"[\u3105-\u312f]{2}|[\u2500-\u257f]{2}|[\u3041-\u30fa]{2}")
_NO_LINE_START = "。，、；：？！"
_NEAR = 16  # how far from the odd character the stray or lost byte is looked for
_MAX_RUN = 400  # how far a misalignment may run before an ASCII byte ends it
_MIN_UNCONFIRMED = 3  # characters a repair without a confirming pinyin note must have
_MIN_GAIN = 3  # how much more ordinary a repair must make the text
_MAX_EXAMPLES = 20
_NUMERALS = "一二三四五六七八九十"
_HEADING_NO = re.compile(rf"^[（(]([{NUM}]+)[）)]", re.M)
_BRACKETED_NUMBER = re.compile(rf"[（(][{NUM}\d]{{1,3}}[）)]")
_LISTED_NUMBER = re.compile(rf"[{NUM}]{{1,3}}、")
_LONE_TRAIL = re.compile(r"(?<![0-9A-Za-z])[\x40-\x7e](?=[(（])")


@functools.cache
def _common() -> frozenset[str]:
    from ingest.charfreq import COMMON

    return COMMON


@functools.cache
def _rare_pair() -> re.Pattern[str]:
    """Two uncommon Han characters in a row (a garbled run without odd symbols)."""
    common = _common()
    rare, start = [], None
    for code in range(0x4E00, 0xA000 + 1):
        inside = code < 0xA000 and chr(code) not in common
        if inside and start is None:
            start = code
        elif not inside and start is not None:
            rare.append(f"\\u{start:04x}-\\u{code - 1:04x}")
            start = None
    cls = "[" + "".join(rare) + "]"
    return re.compile(cls + cls)


def _two_byte(ch: str) -> bool:
    if ch < "\x80":
        return False
    try:
        return len(ch.encode("gb18030")) == 2
    except UnicodeEncodeError:
        return False


def _oddness(text: str, line_start: bool = False) -> int:
    """How unlike ordinary text: odd symbols and lost bytes 3, uncommon Han 1, a line opening with 。 2."""
    common = _common()
    score = 2 if line_start and text[:1] in _NO_LINE_START else 0
    for ch in text:
        if _ODD_CHAR.match(ch):
            score += 3
        elif ch == _LOST:
            score += 3
        elif "\u3400" <= ch <= "\u9fff" and ch not in common:
            score += 1
    return score


def _shape(text: str, line_start: bool) -> int:
    """Signs of real text: heading markers count 2 (（一） or, opening a line, 二、), commas and stops 1."""
    markers = len(_BRACKETED_NUMBER.findall(text)) + (1 if line_start and _LISTED_NUMBER.match(text) else 0)
    return 2 * markers + sum(text.count(mark) for mark in "，。、；")


def _has_uncommon(text: str) -> bool:
    common = _common()
    return any("\u3400" <= ch <= "\u9fff" and ch not in common for ch in text)


def _note_after(text: str, pos: int) -> str | None:
    m = pinyin.BRACKETED.match(text, pos) if pos < len(text) and text[pos] in "(（" else None
    if m is None or not pinyin.is_pinyin(m.group(1)):
        return None
    return m.group(1)


def _by_reading(known: dict[str, set[str]], reading: str | None, byte: int, index: int) -> str | None:
    """The one character read `reading` in this text whose GBK byte `index` is `byte`."""
    if reading is None:
        return None
    fits = {c for c in known.get(reading, ()) if _two_byte(c) and c.encode("gb18030")[index] == byte}
    return fits.pop() if len(fits) == 1 else None


def _shifted(text: str, s: int, e: int, known: dict[str, set[str]]) -> tuple[str, int, int] | None:
    """Decode text[s:e] without its first byte: (repair, characters consumed, evidence bonus)."""
    data = text[s:e].encode("gb18030")[1:]
    consumed, bonus = e, 0
    nxt = text[e] if e < len(text) else ""
    if nxt and "\x40" <= nxt <= "\x7e":
        data += nxt.encode("ascii")
        consumed, tail = e + 1, ""
    else:
        lead, data = data[-1], data[:-1]
        restored = _by_reading(known, _note_after(text, e), lead, 0)
        tail = restored or _LOST
        bonus = 2 if restored else 0
        if nxt == _LOST:  # the decoder already marked the lost partner byte: one lost character
            consumed = e + 1
    try:
        head = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    repaired = head + tail
    note = _note_after(text, consumed)
    if note and not tail and repaired and repaired[-1] in known.get(note, ()):
        bonus += 2
    return repaired, consumed, bonus


def _best_repair(
    text: str, lo: int, hi: int, trigger: int, known: dict[str, set[str]]
) -> tuple[int, int, str] | None:
    """Best (start, end, repair) for the double-byte run text[lo:hi] holding `trigger`, or None."""
    run_start = lo == 0 or text[lo - 1] == "\n"
    if _oddness(text[lo : hi + 1], run_start) + (4 if known else 0) < _MIN_GAIN:
        return None  # nothing here odd enough for any repair to be taken
    best = None
    # The misalignment ends where the run ends (an ASCII byte realigns it) or, if a byte
    # was lost, somewhere near the odd character.
    ends = sorted(set(range(trigger + 1, min(hi, trigger + _NEAR) + 1)) | {hi})
    for s in range(max(lo, trigger - _NEAR), trigger + 1):
        for e in ends:
            found = _shifted(text, s, e, known)
            if found is None:
                continue
            repaired, consumed, bonus = found
            if _ODD_CHAR.search(repaired):
                continue
            if not bonus and (_has_uncommon(repaired) or len(repaired.replace(_LOST, "")) < _MIN_UNCONFIRMED):
                continue  # without a pinyin note to confirm it, a repair must be long and ordinary
            line_start = s == 0 or text[s - 1] == "\n"
            before = text[s:consumed]
            gain = _oddness(before, line_start) - _oddness(repaired, line_start) + bonus
            # Ties: more heading markers and punctuation (misaligned bytes seldom decode
            # to them), then the shorter repair, which changes fewer characters.
            shape = _shape(repaired, line_start) - _shape(before, line_start)
            key = (gain, shape, -(consumed - s))
            if gain >= _MIN_GAIN and (best is None or key > best[0]):
                best = (key, s, consumed, repaired)
    return None if best is None else best[1:]


def _run_bounds(text: str, i: int) -> tuple[int, int]:
    """The double-byte characters around position i (at most _NEAR before, _MAX_RUN after)."""
    lo = i
    while lo > 0 and i - lo < _NEAR and _two_byte(text[lo - 1]):
        lo -= 1
    hi = i + 1
    while hi < len(text) and hi - i < _MAX_RUN and _two_byte(text[hi]):
        hi += 1
    return lo, hi


def _triggers(text: str, known: dict[str, set[str]]) -> list[int]:
    """Where to look: lone odd symbols, two uncommon Han in a row, an uncommon Han before a note."""
    found = [m.start() for m in _TRIGGER.finditer(text)
             if not _ODD_RUN.match(text, max(0, m.start() - 1)) and not _ODD_RUN.match(text, m.start())]
    found += [m.start() for m in _rare_pair().finditer(text)]
    if known:
        common = _common()
        found += [m.start() - 1 for m in pinyin.NOTE.finditer(text)
                  if m.start() > 0 and text[m.start() - 1] not in common and pinyin.is_pinyin(m.group(1))]
    return sorted(set(found))


def _lone_trail_bytes(text: str, known: dict[str, set[str]], fixes: list[tuple[int, int, str]]) -> None:
    """`F(xiàn)` after non-Latin text: an ASCII trail byte whose lead byte was lost."""
    for m in _LONE_TRAIL.finditer(text):
        restored = _by_reading(known, _note_after(text, m.end()), ord(m.group()), 1)
        if restored:
            fixes.append((m.start(), m.end(), restored))


def _restore_heading_numbers(text: str, starts: set[int]) -> str:
    """A repaired line that begins with `）` lost `（N`; the headings around it tell N."""
    numbers = [(m.start(), _numeral_value(m.group(1))) for m in _HEADING_NO.finditer(text)]
    out, last = [], 0
    for pos in sorted(starts):
        if not text.startswith(("）", ")"), pos):
            continue
        before = [n for p, n in numbers if p < pos and n]
        after = [n for p, n in numbers if p > pos and n]
        if before and after and after[0] == before[-1] + 2 and _numeral(before[-1] + 1):
            out.append(text[last:pos] + "（" + _numeral(before[-1] + 1))
            last = pos
    out.append(text[last:])
    return "".join(out)


def _numeral_value(word: str) -> int | None:
    if len(word) == 1 and word in _NUMERALS:
        return _NUMERALS.index(word) + 1
    if word.startswith("十") and len(word) == 2 and word[1] in _NUMERALS[:9]:
        return 10 + _NUMERALS.index(word[1]) + 1
    return None


def _numeral(n: int) -> str:
    """一 … 十九; empty beyond."""
    if n <= 10:
        return _NUMERALS[n - 1]
    return "十" + _NUMERALS[n - 11] if n < 20 else ""


def repair_misalignment(text: str) -> tuple[str, dict[str, Any]]:
    """Find misaligned GBK runs and decode them again, one byte on."""
    known = pinyin.readings(text) if pinyin.has_tone_marks(text) else {}
    triggers = _triggers(text, known)
    fixes: list[tuple[int, int, str]] = []
    done = -1
    for i in triggers:
        if i < done:
            continue
        lo, hi = _run_bounds(text, i)
        found = _best_repair(text, max(lo, done), hi, i, known)
        if found:
            fixes.append(found)
            done = found[1]
    if known:
        _lone_trail_bytes(text, known, fixes)
    if not fixes:
        return text, {"step": "gbk_repair", "repaired": 0, "examples": []}
    fixes.sort()
    out, last, line_starts = [], 0, set()
    examples, count, position = [], 0, 0
    for s, e, repaired in fixes:
        if s < last:
            continue
        out.append(text[last:s])
        position += s - last
        if s == 0 or text[s - 1] == "\n":
            line_starts.add(position)
        out.append(repaired)
        position += len(repaired)
        count += 1
        if len(examples) < _MAX_EXAMPLES:
            examples.append({"from": text[s:e], "to": repaired})
        last = e
    out.append(text[last:])
    repaired_text = _restore_heading_numbers("".join(out), line_starts)
    return repaired_text, {"step": "gbk_repair", "repaired": count, "examples": examples}
