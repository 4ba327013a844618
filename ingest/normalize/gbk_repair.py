"""Repair GBK byte misalignment: `。ㄒ唬┮庾R` → `（一）意識`, `?，F將` → `。現將`, `優椤半p` → `為“雙`.

How the garbling arises: one byte too many (a stray byte) or one too few in a GBK
byte stream shifts every later pair by one byte, so each decoded character is
the trail byte of one character and the lead byte of the next: valid but odd
characters (bopomofo, box drawing, rare Han). An ASCII byte ends the run: as the
trail of the last pair (`袠I` for `業`), as itself when it was a trail byte
below 0x80 (`F` of 現), or after a lost byte the decoder marks as U+FFFD or `?`.

A repair is a hypothesis about that one byte: dropped at the start of the run
(stray before or inside the first character) or put back (lost before or inside
it); a byte no longer known (U+FFFD, `?`, a partner eaten by the decoder) is
guessed among the characters that fit the known byte, by the document's own
pinyin notes or by which makes words with its neighbours. Every hypothesis is
verified: the repaired text, re-encoded and garbled the way the hypothesis
says, must give back exactly the garbled run. Of the verified ones the best is
taken only when it makes the text clearly more like Chinese (words of jieba's
dictionary, common characters, no odd symbols), so clean text is never changed.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.config import data_file
from ingest.normalize import pinyin
from ingest.normalize.lines import NUM

_LOST = "\ufffd"
_LOST_MARKS = "?\ufffd"  # sites show the decoder's replacement character as ?
# Symbols that misaligned Chinese text is full of and real Chinese text seldom holds
# alone: a run is examined only around one of these (or uncommon Han, see _triggers).
_TRIGGER = re.compile("[\u3105-\u312f\u2500-\u257f\u3041-\u30fa\u2e80-\u2fdf\u2460-\u249b\u2160-\u217f\ue000-\uf8ff]")
# What ordinary Chinese text is made of; anything else (symbols of GBK's other zones,
# private-use characters) makes a run odd, and a repair holding any is refused.
_ORDINARY = (
    "\u3400-\u4dbf\u4e00-\u9fff\x20-\x7e\t\n\r\u3000\uff01-\uff5e"
    "\u3001-\u3003\u3008-\u3011\u2014-\u201d\u2026\u00b7\u00d7"
)
_ODD_CHAR = re.compile(f"[^{_ORDINARY}{_LOST}]")
# Odd characters of one kind side by side are real (zhuyin, a drawn table, Japanese).
_ODD_RUN = re.compile(r"[\u3105-\u312f]{2}|[\u2500-\u257f]{2}|[\u3041-\u30fa]{2}")
# An ASCII byte a misaligned run ends on, between Chinese characters: 颗h級, 袠I、, 駞^和.
_STRAY_ASCII = re.compile(r"(?<=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])[\x40-\x7e](?![A-Za-z0-9])")
_LOST_NEAR_HAN = re.compile(r"(?<=[\u3400-\u9fff])[?\ufffd]|[?\ufffd](?=[\u3400-\u9fff])")
_PUNCT_OK = "，。、；：？！“”（）《》"  # punctuation a guessed character may be
_NO_LINE_START = "。，、；：？！"
_NEAR = 16  # how far from the odd character the stray or lost byte is looked for
_MAX_RUN = 400  # how far a misalignment may run before an ASCII byte ends it
_MIN_GAIN = 4.0  # how much more like Chinese a repair must make the text
_MAX_EXAMPLES = 20
_NUMERALS = "一二三四五六七八九十"
_HEADING_NO = re.compile(rf"^[（(]([{NUM}]+)[）)]", re.M)
_BRACKETED_NUMBER = re.compile(rf"[（(][{NUM}\d]{{1,3}}[）)]")
_LISTED_NUMBER = re.compile(rf"[{NUM}]{{1,3}}、")
_LONE_TRAIL = re.compile(r"(?<![0-9A-Za-z])[\x40-\x7e](?=[(（])")
_MIN_WORD_FREQ = 3  # jieba words rarer than this say nothing about a pair of characters
_MIN_PAIR_FREQ = 20  # nor does a pair this rare in all of them
_GUESS_COST = 3.0  # a guessed character must earn its place
_RANK_COST = 0.5  # the cost of the least frequent common character
_RANKED = 3500  # data/common_chars.txt ranks this many


@functools.cache
def _rank() -> dict[str, int]:
    """Common characters by frequency rank (data/common_chars.txt is ordered by frequency)."""
    lines = data_file("common_chars.txt").read_text(encoding="utf-8").splitlines()
    chars = "".join(line.strip() for line in lines if not line.startswith("#"))
    rank: dict[str, int] = {}
    for i, ch in enumerate(chars):
        rank.setdefault(ch, i % _RANKED)
    return rank


@functools.cache
def _bigrams() -> dict[str, float]:
    """Pairs of characters inside jieba's words, weighted by log frequency (0.65 to 3)."""
    import jieba

    counts: dict[str, int] = {}
    for line in Path(jieba.__file__).with_name("dict.txt").read_text(encoding="utf-8").splitlines():
        word, freq = line.split(" ")[:2]
        if int(freq) < _MIN_WORD_FREQ:
            continue
        for i in range(len(word) - 1):
            counts[word[i : i + 2]] = counts.get(word[i : i + 2], 0) + int(freq)
    return {pair: min(3.0, math.log10(n) / 2) for pair, n in counts.items() if n >= _MIN_PAIR_FREQ}


@functools.cache
def _simple(ch: str) -> str:
    from ingest.normalize.chinese import simplify

    out = simplify(ch)
    return out if len(out) == 1 else ch


def _char_cost(ch: str) -> float:
    """How unlike ordinary text one character is: odd symbols and lost bytes 3, uncommon Han 1."""
    if ch == _LOST or _ODD_CHAR.match(ch):
        return 3.0
    if "\u3400" <= ch <= "\u9fff" and ch not in _rank():
        return 1.0
    return 0.0


def _rarity(text: str) -> float:
    """Common characters by frequency rank, 0 to _RANK_COST each: a tie-breaker between repairs that
    read alike. One stray byte before 群屯艘 and one inside 屯 explain the same bytes (和退役 or
    群退役): the more frequent character is the likelier text."""
    rank = _rank()
    return sum(_RANK_COST * rank[ch] / _RANKED for ch in text if ch in rank)


def fluency(text: str) -> float:
    """Words of jieba's dictionary between neighbours, less the odd and uncommon characters."""
    pairs = _bigrams()
    simple = [_simple(ch) for ch in text]
    words = sum(pairs.get(a + b, 0.0) for a, b in zip(simple, simple[1:], strict=False))
    return words - sum(_char_cost(ch) for ch in text)


def _two_byte(ch: str) -> bool:
    if ch < "\x80":
        return False
    try:
        return len(ch.encode("gb18030")) == 2
    except UnicodeEncodeError:
        return False


def _decodes(data: bytes) -> str | None:
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return None


@functools.cache
def _fitting(byte: int, index: int) -> tuple[str, ...]:
    """Common characters (and punctuation) whose GBK byte `index` is `byte`, most frequent first."""
    rank = _rank()
    found = []
    for other in range(0x40, 0xFF):
        pair = bytes([byte, other] if index == 0 else [other, byte])
        ch = _decodes(pair)
        if ch and len(ch) == 1 and (ch in rank or ch in _PUNCT_OK):
            found.append(ch)
    return tuple(sorted(found, key=lambda c: rank.get(c, -1)))


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


# A paragraph ends with 。 (or ；：！？), not 、: the lost last byte of a line is guessed so.
_LINE_END_MARKS = "。；：！？"
_LINE_END_BONUS = 1.0


def _guess(byte: int, index: int, left: str, right: str) -> str:
    """The character with GBK byte `index` = `byte` that best fits between `left` and `right`."""
    return _guess_between(byte, index, left[-1:], right[:1])


@functools.lru_cache(maxsize=65536)
def _guess_between(byte: int, index: int, left: str, right: str) -> str:
    """_guess for one neighbour on each side (cached: the search asks the same question often)."""
    pairs = _bigrams()
    sl, sr = _simple(left) if left else "", _simple(right) if right else ""
    sides = sum(_char_cost(c) for c in left + right)
    best, best_score = _LOST, 0.0
    for ch in _fitting(byte, index):
        sc = _simple(ch)
        score = (pairs.get(sl + sc, 0.0) + pairs.get(sc + sr, 0.0) - _char_cost(ch) - sides
                 + (0.5 if ch in _PUNCT_OK else 0.0)
                 + (_LINE_END_BONUS if right in ("", "\n") and ch in _LINE_END_MARKS else 0.0))
        if score > best_score:
            best, best_score = ch, score
    return best


@dataclass(frozen=True)
class Repair:
    start: int  # garbled text[start:end] becomes `text`
    end: int
    text: str
    guesses: int  # characters that are guessed, not decoded
    confirmed: int = 0  # lost characters the text's own pinyin notes tell


# How the one wrong byte sits at the start of a run: (name, the run's bytes → the true bytes'
# known part; None marks the byte lost and to be guessed).
_STARTS = ("stray before", "stray inside", "lost before", "lost inside")


def _true_head(data: bytes, how: str) -> tuple[bytes, int | None]:
    """The true bytes of a run whose garbled bytes are `data`, with the lost byte's index."""
    if how == "stray before":
        return data[1:], None
    if how == "stray inside":
        return data[:1] + data[2:], None
    if how == "lost before":
        return b"\x00" + data, 0
    return data[:1] + b"\x00" + data[1:], 1


def _regarble(true: bytes, garbled: str, how: str) -> str:
    """The true bytes garbled again as `how` says (the stray byte taken from the garbled run)."""
    stray = garbled[:1].encode("gb18030", errors="replace")
    if how == "stray before":
        data = stray[:1] + true
    elif how == "stray inside":
        data = true[:1] + stray[1:2] + true[1:]
    elif how == "lost before":
        data = true[1:]
    else:
        data = true[:1] + true[2:]
    return data.decode("gb18030", errors="replace")


def _same(a: str, b: str) -> bool:
    """Equal, a lost-byte mark in either matching any character (the byte is not known)."""
    return len(a) == len(b) and all(x == y or x in _LOST_MARKS or y in _LOST_MARKS for x, y in zip(a, b, strict=True))


def _candidate(text: str, s: int, e: int, how: str, known: dict[str, set[str]]) -> Repair | None:
    """Repair text[s:e] (and its realigning tail) as `how` says, verified by garbling it again."""
    lost_before = how == "lost before" and s > 0 and text[s - 1] in _LOST_MARKS
    data, hole = _true_head(text[s:e].encode("gb18030"), how)
    nxt = text[e] if e < len(text) else ""
    if not data or (nxt and _two_byte(nxt)):
        return None  # nothing left, or the misalignment goes on: it cannot end here
    garbled, consumed, tail_hole = text[s:e], e, None
    if _lone_lead_at_end(data, hole):
        if nxt and "\x40" <= nxt <= "\x7e":
            data, consumed, garbled = data + nxt.encode("ascii"), e + 1, garbled + nxt
        else:
            tail_hole, garbled = len(data), garbled + _LOST
            data += b"\x00"
            consumed = e + 1 if nxt and nxt in _LOST_MARKS else e
    start = s - 1 if lost_before else s
    chars = _decode_pairs(data, hole, tail_hole)
    if chars is None or not _verified(data, garbled, how, tail_hole):
        return None
    return _fill_holes(text, start, consumed, chars, known)


def _units(data: bytes, hole: int | None) -> Iterator[tuple[int, int]]:
    """(offset, length) of each character of GBK bytes: ASCII alone, others in pairs."""
    i = 0
    while i < len(data):
        size = 1 if data[i] < 0x80 and i != hole else 2
        yield i, size
        i += size


def _lone_lead_at_end(data: bytes, hole: int | None) -> bool:
    """The bytes end in a lead byte whose trail is missing."""
    return any(i + size > len(data) for i, size in _units(data, hole))


def _decode_pairs(data: bytes, hole: int | None, tail_hole: int | None) -> list[tuple[str | None, int, int]] | None:
    """Each character of the true bytes, as (character or None where a byte is lost, byte, its index)."""
    chars: list[tuple[str | None, int, int]] = []
    for i, size in _units(data, hole):
        unit = data[i : i + size]
        if hole in (i, i + 1) and size == 2:
            chars.append((None, unit[1 - (hole - i)], 1 - (hole - i)))
        elif tail_hole == i + 1:
            chars.append((None, unit[0], 0))
        else:
            decoded = _decodes(unit)
            if decoded is None or len(decoded) != 1:
                return None
            chars.append((decoded, 0, 0))
    return chars


def _fill_holes(
    text: str, start: int, end: int, chars: list[tuple[str | None, int, int]], known: dict[str, set[str]]
) -> Repair:
    """Guess each lost character from its known byte: by the text's pinyin notes, else by its neighbours."""
    out = [ch for ch, _, _ in chars]
    guesses = 0
    for k, (ch, byte, index) in enumerate(chars):
        if ch is not None:
            continue
        left = out[k - 1] if k > 0 else text[max(0, start - 1) : start]
        right = out[k + 1] if k + 1 < len(out) else text[end : end + 1]
        reading = _note_after(text, end) if k == len(out) - 1 else None
        restored = _by_reading(known, reading, byte, index)
        out[k] = restored or _guess(byte, index, left or "", right or "")
        guesses += 0 if restored else 1
    confirmed = sum(1 for (ch, _, _), new in zip(chars, out, strict=True) if ch is None) - guesses
    return Repair(start, end, "".join(c or _LOST for c in out), guesses, confirmed)


def _verified(data: bytes, garbled: str, how: str, tail_hole: int | None) -> bool:
    """Garble the true bytes again as the hypothesis says: that must give the garbled run back.

    A lost byte's guess plays no part: it is the byte the garbling dropped, or the
    trail the decoder could not pair (left out, so the decoder marks it lost again)."""
    true = data[:tail_hole] if tail_hole is not None else data
    return _same(_regarble(true, garbled, how).rstrip(_LOST_MARKS), garbled.rstrip(_LOST_MARKS))


def _window_texts(text: str, repair: Repair, window: tuple[int, int]) -> tuple[str, str]:
    """The window (widened to hold the repair) as it reads now and as it reads repaired."""
    w0, w1 = min(window[0], repair.start), max(window[1], repair.end)
    return text[w0:w1], text[w0 : repair.start] + repair.text + text[repair.end : w1]


def _gain(text: str, repair: Repair, window: tuple[int, int]) -> float:
    """How much more like Chinese text[window] reads with the repair, with a step for each guess.

    Every candidate for one odd run is scored on the same window, so a repair that
    leaves part of the run as it was competes fairly with one that covers it all."""
    before_text, after_text = _window_texts(text, repair, window)
    before, after = fluency(before_text), fluency(after_text)
    line_start = repair.start == 0 or text[repair.start - 1] == "\n"
    if line_start and text[repair.start : repair.start + 1] in _NO_LINE_START:
        before -= 2
    if line_start and repair.text[:1] in _NO_LINE_START:
        after -= 2
    lead = "" if line_start else text[repair.start - 1 : repair.start]  # the （ before a repaired 五） counts
    shape = _shape(lead + repair.text, line_start) - _shape(lead + text[repair.start : repair.end], line_start)
    return after - before - _GUESS_COST * repair.guesses + 3 * repair.confirmed + 0.75 * shape


def _shape(text: str, line_start: bool) -> int:
    """Signs of real text: heading markers count 2 (（一） or, opening a line, 二、), commas and stops 1."""
    markers = len(_BRACKETED_NUMBER.findall(text)) + (1 if line_start and _LISTED_NUMBER.match(text) else 0)
    return 2 * markers + sum(text.count(mark) for mark in "，。、；")


def _best_repair(text: str, lo: int, hi: int, trigger: int, known: dict[str, set[str]]) -> Repair | None:
    """The best verified repair of the double-byte run text[lo:hi] holding `trigger`, or None."""
    best, best_key = None, None
    window = (max(0, lo - 2), min(len(text), hi + 2))
    ends = sorted(set(range(trigger + 1, min(hi, trigger + _NEAR) + 1)) | {hi})
    for s in range(max(lo, trigger - _NEAR), min(trigger, hi - 1) + 1):
        for e in ends:
            if e <= s:
                continue
            for how in _STARTS:
                found = _candidate(text, s, e, how, known)
                if found is None or _ODD_CHAR.search(found.text):
                    continue
                gain = _gain(text, found, window)
                if gain < _MIN_GAIN:
                    continue
                now, repaired = _window_texts(text, found, window)
                rarer = _rarity(repaired) - _rarity(now)
                key = (gain - rarer, -found.guesses, -(found.end - found.start))
                if best_key is None or key > best_key:
                    best, best_key = found, key
    return best


def _run_bounds(text: str, i: int) -> tuple[int, int]:
    """The double-byte characters around position i (at most _NEAR before, _MAX_RUN after)."""
    lo = i
    while lo > 0 and i - lo < _NEAR and _two_byte(text[lo - 1]):
        lo -= 1
    hi = i + 1 if _two_byte(text[i]) else i
    while hi < len(text) and hi - i < _MAX_RUN and _two_byte(text[hi]):
        hi += 1
    return lo, hi


@functools.cache
def _rare_pair() -> re.Pattern[str]:
    """Two uncommon Han characters in a row (a garbled run without odd symbols)."""
    common = _rank()
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


def _triggers(text: str, known: dict[str, set[str]]) -> list[int]:
    """Where to look: lone odd symbols, uncommon Han in a row, lost bytes and stray ASCII amid Han."""
    found = [m.start() for m in _TRIGGER.finditer(text)
             if not _ODD_RUN.match(text, max(0, m.start() - 1)) and not _ODD_RUN.match(text, m.start())]
    found = [i for i in found if not _lone_private(text, i)]
    pairs = _bigrams()
    found += [m.start() for m in _rare_pair().finditer(text) if _simple(m[0][0]) + _simple(m[0][1]) not in pairs]
    found += [m.start() - 1 for m in _STRAY_ASCII.finditer(text) if m.start() > 0]
    found += [m.start() + (1 if text[m.start() - 1 : m.start()] else 0) for m in _LOST_NEAR_HAN.finditer(text)]
    found += [m.start() - 1 for m in _LOST_NEAR_HAN.finditer(text) if m.start() > 0]
    if known:
        common = _rank()
        found += [m.start() - 1 for m in pinyin.NOTE.finditer(text)
                  if m.start() > 0 and text[m.start() - 1] not in common and pinyin.is_pinyin(m.group(1))]
    return sorted({i for i in found if 0 <= i < len(text) and _two_byte(text[i])})


def _lone_private(text: str, i: int) -> bool:
    """A private-use character with no Han beside it: a font's bullet or a converter's mark, not a
    misaligned pair (whose neighbours, garbled or not, are double-byte text)."""
    if not "\ue000" <= text[i] <= "\uf8ff":
        return False
    return not any("\u3400" <= ch <= "\u9fff" for ch in text[max(0, i - 1) : i] + text[i + 1 : i + 2])


def _lone_trail_bytes(text: str, known: dict[str, set[str]]) -> Iterator[Repair]:
    """`F(xiàn)` after non-Latin text: an ASCII trail byte whose lead byte was lost."""
    for m in _LONE_TRAIL.finditer(text):
        restored = _by_reading(known, _note_after(text, m.end()), ord(m.group()), 1)
        if restored:
            yield Repair(m.start(), m.end(), restored, 0, 1)


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


def _may_end_run(text: str, i: int) -> bool:
    """text[i] could be the ASCII trail byte or the lost-byte mark that ends a misaligned run."""
    return i < len(text) and ("\x40" <= text[i] <= "\x7e" or text[i] in _LOST_MARKS)


def find_repairs(text: str) -> list[Repair]:
    """Every verified repair of the text, in order, none overlapping."""
    known = pinyin.readings(text) if pinyin.has_tone_marks(text) else {}
    fixes: list[Repair] = []
    done = -1
    for i in _triggers(text, known):
        if i < done:
            continue
        lo, hi = _run_bounds(text, i)
        if hi - lo < 2 and not _may_end_run(text, hi) and not (known and _note_after(text, hi)):
            continue  # one double-byte character alone cannot hide a shifted pair
        found = _best_repair(text, max(lo, done), hi, i, known)
        if found:
            fixes.append(found)
            done = found.end
    if known:
        fixes += _lone_trail_bytes(text, known)
    fixes.sort(key=lambda r: (r.start, r.end))
    kept: list[Repair] = []
    for fix in fixes:
        if not kept or fix.start >= kept[-1].end:
            kept.append(fix)
    return kept


def repair_misalignment(text: str) -> tuple[str, dict[str, Any]]:
    """Find misaligned GBK runs and decode them again, one byte on."""
    fixes = find_repairs(text)
    if not fixes:
        return text, {"step": "gbk_repair", "repaired": 0, "examples": []}
    out, last, line_starts, position = [], 0, set(), 0
    for fix in fixes:
        out.append(text[last : fix.start])
        position += fix.start - last
        if fix.start == 0 or text[fix.start - 1] == "\n":
            line_starts.add(position)
        out.append(fix.text)
        position += len(fix.text)
        last = fix.end
    out.append(text[last:])
    examples = [{"from": text[f.start : f.end], "to": f.text} for f in fixes[:_MAX_EXAMPLES]]
    repaired_text = _restore_heading_numbers("".join(out), line_starts)
    return repaired_text, {"step": "gbk_repair", "repaired": len(fixes), "examples": examples}
