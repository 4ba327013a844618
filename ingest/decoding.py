"""Bytes to text: BOM, strict UTF-8, then the most plausible Chinese decoding.

Chinese files come as UTF-8, GB18030/GBK, Big5 or UTF-16, and nothing in a
file says which. A byte-order mark decides; strict UTF-8 almost always
decides (GB and Big5 text is practically never valid UTF-8). Otherwise each
candidate is decoded and the one whose characters are most plausible for
Chinese text wins: common Han characters and CJK punctuation count, while
kana, private-use and rare characters (what a wrong guess produces) do not.
A charset declared by the file itself (an HTML meta tag) gets a head start.

A mostly good file with a few broken bytes is not rejected: the bad bytes
become U+FFFD and the recorded encoding says how many, e.g.
`utf-8 (3 invalid bytes replaced)`. Binary data is rejected with a reason.
"""

from __future__ import annotations

import codecs
import contextvars
import re
from dataclasses import dataclass

from ingest.errors import IngestError

# UTF-32 before UTF-16: FF FE 00 00 starts both.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# (label recorded, Python codec). cp950 is Windows's Big5, a superset of the strict codec.
_LEGACY = (("gb18030", "gb18030"), ("big5", "cp950"))
_UTF16 = (("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"))
# Declared names that mean one of our codecs; single-byte Western charsets are not trusted (see _declared).
_ALIASES = {
    **dict.fromkeys("gb2312 gbk x-gbk cp936 gb18030 euc-cn gb_2312-80 csgb2312 x-euc-cn".split(), "gb18030"),
    **dict.fromkeys("big5 cp950 x-x-big5".split(), "big5"),
    **dict.fromkeys("big5-hkscs big5hkscs".split(), "big5hkscs"),
    **dict.fromkeys("utf-8 utf8 unicode-1-1-utf-8".split(), "utf-8"),
}
_CODEC = {"gb18030": "gb18030", "big5": "cp950", "big5hkscs": "big5hkscs", "utf-8": "utf-8"}

SAMPLE_CHARS = 200_000  # plausibility is judged on a prefix: enough, and linear time on huge files
SAMPLE_BYTES = 65_536  # invalid-byte share is estimated on a prefix before a full lenient decode
MAX_INVALID_SHARE = 0.02  # of the non-ASCII bytes; above it the candidate is the wrong encoding
MIN_PLAUSIBLE = 0.5
DECLARED_BONUS = 0.2
MOSTLY_ASCII = 0.05  # share of non-ASCII bytes below which undecodable bytes are replaced, not fatal

_CJK_PUNCT = frozenset("，。、；：？！“”‘’（）《》〈〉【】「」『』〔〕—…·～％＋－×÷／＃＊＆＠　")
_invalid_count: contextvars.ContextVar[list[int]] = contextvars.ContextVar("invalid_count")


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _invalid_count.get()[0] += exc.end - exc.start
    return "\ufffd", exc.end


codecs.register_error("ingest.count-replace", _count_and_replace)


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding label to record, and how many bytes were replaced."""

    text: str
    encoding: str
    invalid_bytes: int = 0

    @property
    def label(self) -> str:
        if not self.invalid_bytes:
            return self.encoding
        return f"{self.encoding} ({self.invalid_bytes} invalid byte{'s' if self.invalid_bytes > 1 else ''} replaced)"


def lenient_decode(raw: bytes, codec: str) -> tuple[str, int]:
    """Decode, replacing undecodable bytes with U+FFFD; returns (text, number of bytes replaced)."""
    token = _invalid_count.set([0])
    try:
        text = raw.decode(codec, errors="ingest.count-replace")
        return text, _invalid_count.get()[0]
    finally:
        _invalid_count.reset(token)


def _char_weight(char: str) -> float:
    from ingest.charfreq import COMMON

    code = ord(char)
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
        return 1.0 if char in COMMON else 0.25
    if char in _CJK_PUNCT or 0xFF10 <= code <= 0xFF19:
        return 1.0
    if 0x2010 <= code <= 0x2027 or 0x2030 <= code <= 0x205E or 0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF5E:
        return 0.7
    if 0xA0 <= code <= 0x24F or 0x370 <= code <= 0x4FF:  # Latin, Greek, Cyrillic letters and signs
        return 0.3
    if 0x3040 <= code <= 0x30FF or 0xAC00 <= code <= 0xD7AF:  # kana, Hangul: what a wrong guess often yields
        return 0.2
    if code < 0x20 or 0x7F <= code < 0xA0 or 0xE000 <= code <= 0xF8FF or code == 0xFFFD:
        return 0.0  # controls, private use, replacement
    return 0.1


_PLAIN = re.compile(r"[\t\n\r\f\x20-\x7e]+")


def plausibility(text: str) -> float:
    """Mean weight of the characters outside plain ASCII: 1.0 for clean Chinese text, near 0 for garbage."""
    others = _PLAIN.sub("", text[:SAMPLE_CHARS])
    if not others:
        return 1.0
    weights: dict[str, float] = {}
    total = 0.0
    for char in others:
        weight = weights.get(char)
        if weight is None:
            weight = weights[char] = _char_weight(char)
        total += weight
    return total / len(others)


def looks_binary(raw: bytes) -> bool:
    """NUL bytes or many control bytes (outside UTF-16/32) mean binary."""
    sample = raw[:8192]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return b"\x00" in sample or controls / len(sample) > 0.05


def _non_ascii(raw: bytes) -> int:
    return len(raw) - len(raw.translate(None, bytes(range(128, 256))))


def _declared(name: str | None) -> str | None:
    """A declared charset we can use, by our label; None for Western single-byte ones (often mislabels)."""
    if not name:
        return None
    key = name.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        canonical = codecs.lookup(key).name
    except LookupError:
        return None
    return _ALIASES.get(canonical)


def _try(raw: bytes, label: str, codec: str, non_ascii: int) -> Decoded | None:
    """Strict decode, else a lenient one if only a small share of the bytes are invalid."""
    try:
        return Decoded(raw.decode(codec), label)
    except UnicodeDecodeError:
        pass
    _, sample_invalid = lenient_decode(raw[:SAMPLE_BYTES], codec)
    sample_non_ascii = max(1, _non_ascii(raw[:SAMPLE_BYTES]))
    if sample_invalid > 2 + MAX_INVALID_SHARE * sample_non_ascii:
        return None
    text, invalid = lenient_decode(raw, codec)
    if invalid > 2 + MAX_INVALID_SHARE * max(1, non_ascii):
        return None
    return Decoded(text, label, invalid)


def _from_bom(raw: bytes) -> Decoded | None:
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            text, invalid = lenient_decode(raw, codec)
            if invalid > 2 + MAX_INVALID_SHARE * len(raw) / 2:
                raise IngestError(
                    f"starts with a {codec} byte-order mark but {invalid} bytes do not decode as {codec}; "
                    "re-save it as UTF-8"
                )
            return Decoded(text, codec, invalid)
    return None


def decode(raw: bytes, declared: str | None = None) -> Decoded:
    """Decode raw bytes into text, choosing the encoding as the module docstring says."""
    found = _from_bom(raw)
    if found:
        return found
    non_ascii = _non_ascii(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        mixed = decode_mixed_lines(raw)
        if mixed:
            return mixed
    else:
        # A short run of non-ASCII bytes can be valid UTF-8 by chance; then let it compete.
        if non_ascii > 64 or plausibility(text) >= MIN_PLAUSIBLE:
            return Decoded(text, "utf-8")
    own = _declared(declared)
    candidates = [(own, _CODEC[own])] if own else []
    candidates += [c for c in (("utf-8", "utf-8"), *_LEGACY) if c[0] != own]
    if len(raw) % 2 == 0:
        candidates += _UTF16
    scored = []
    for label, codec in candidates:
        decoded = _try(raw, label, codec, non_ascii)
        if decoded is None or (label.startswith("utf-16") and "\x00" in decoded.text[:SAMPLE_CHARS]):
            continue  # undecodable, or NUL characters: not UTF-16 text
        invalid_share = decoded.invalid_bytes / max(1, non_ascii)
        score = plausibility(decoded.text) - 5 * invalid_share + (DECLARED_BONUS if label == own else 0.0)
        scored.append((score, decoded))
    scored.sort(key=lambda pair: pair[0], reverse=True)  # stable: ties keep candidate order
    if scored and scored[0][0] >= MIN_PLAUSIBLE:
        return scored[0][1]
    if looks_binary(raw):
        raise IngestError("binary content, not text (NUL or control bytes); convert it to a text format first")
    if non_ascii <= MOSTLY_ASCII * len(raw):
        # Mostly ASCII with a few bytes of some other encoding: keep the text, replace those bytes.
        text, invalid = lenient_decode(raw, "utf-8")
        return Decoded(text, "utf-8", invalid)
    raise IngestError(
        "does not decode as UTF-8, UTF-16, GB18030 or Big5 text (or decodes only to garbage); re-save it as UTF-8"
    )


MIN_UTF8_LINE_BYTES = 6  # non-ASCII bytes a line needs before its being valid UTF-8 is no accident


def _utf8_line(line: bytes) -> str | None:
    """The line as UTF-8 if it is clearly UTF-8 text (strict, long enough, plausible), else None."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if _non_ascii(line) >= MIN_UTF8_LINE_BYTES and plausibility(text) >= MIN_PLAUSIBLE else None


def decode_mixed_lines(raw: bytes) -> Decoded | None:
    """A file whose lines are in different encodings (UTF-8 lines pasted into a GB18030 file, or
    the reverse), decoded line by line; None when the file is not like that.

    A line is UTF-8 when it is clearly so (`_utf8_line`), or UTF-8 with a few broken bytes; the
    other lines are decoded with the legacy encoding (GB18030 or Big5) that reads them most
    plausibly. Neither GB18030 nor Big5 uses the byte 0x0A inside a character, so splitting the
    bytes at line breaks never cuts one.
    """
    lines = raw.split(b"\n")
    texts = [line.decode("ascii") if line.isascii() else _utf8_line(line) for line in lines]
    if all(text is None or line.isascii() for line, text in zip(lines, texts, strict=True)):
        return None  # no line is clearly UTF-8: not mixed (a cheap answer for every GB or Big5 file)
    invalid = 0
    for i, line in enumerate(lines):
        if texts[i] is None:
            text, bad = lenient_decode(line, "utf-8")
            if bad <= 2 + MAX_INVALID_SHARE * _non_ascii(line):  # a UTF-8 line with a broken byte or two
                texts[i], invalid = text, invalid + bad
    legacy = b"\n".join(line for line, text in zip(lines, texts, strict=True) if text is None)[:SAMPLE_BYTES]
    if not legacy:
        return None
    scores = {c: plausibility(lenient_decode(legacy, c[1])[0]) for c in _LEGACY}
    label, codec = max(scores, key=scores.__getitem__)
    if scores[label, codec] < MIN_PLAUSIBLE:
        return None
    for i, line in enumerate(lines):
        if texts[i] is None:
            texts[i], bad = lenient_decode(line, codec)
            invalid += bad
    return Decoded("\n".join(texts), f"utf-8 + {label} (mixed, by line)", invalid)


def decode_bytes(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode raw bytes; returns (text, encoding label), e.g. ('…', 'gb18030')."""
    decoded = decode(raw, declared)
    return decoded.text, decoded.label
