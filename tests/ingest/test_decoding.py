"""Decoding: which encoding a Chinese text file is in, tested on real text transcoded."""

from __future__ import annotations

import gzip
import json
import random
import re
import time
from pathlib import Path

import opencc
import pytest

from ingest.decoding import decode, decode_bytes, plausibility
from ingest.errors import IngestError
from tests.conftest import CORPORA

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readers"
LAWS = CORPORA / "laws-lawrefbook" / "laws.jsonl.gz"
S2T = opencc.OpenCC("s2t")


@pytest.fixture(scope="module")
def corpus_lines() -> list[str]:
    """Lines of at least 50 characters from every 10th law (statutes, simplified)."""
    if not LAWS.exists():
        pytest.skip(f"corpus not found: {LAWS}")
    lines = []
    with gzip.open(LAWS, "rt", encoding="utf-8") as records:
        for number, record in enumerate(records):
            if number % 10 == 0:
                lines += [line.strip() for line in json.loads(record)["text"].splitlines() if len(line.strip()) >= 50]
    return lines


def _samples(lines: list[str], count: int, length: int) -> list[str]:
    rng = random.Random(length)
    picked = []
    for line in rng.sample(lines, count):
        start = rng.randrange(0, len(line) - length + 1)
        picked.append(line[start : start + length])
    return picked


@pytest.mark.parametrize("length, minimum", [(20, 0.99), (50, 1.0)])
def test_gb18030_and_big5_are_told_apart_on_real_lines(corpus_lines, length, minimum):
    samples = _samples(corpus_lines, 300, length)
    gb = [decode(s.encode("gb18030")) for s in samples]
    big5 = [decode(S2T.convert(s).encode("big5", errors="ignore")) for s in samples]
    gb_right = sum(d.encoding == "gb18030" for d in gb) / len(samples)
    big5_right = sum(d.encoding == "big5" for d in big5) / len(samples)
    assert gb_right >= minimum and big5_right >= minimum, (gb_right, big5_right)
    assert all(d.text == s for d, s in zip(gb, samples, strict=True) if d.encoding == "gb18030")


def test_traditional_text_in_gb18030_stays_gb18030(corpus_lines):
    samples = _samples(corpus_lines, 100, 30)
    assert all(decode(S2T.convert(s).encode("gb18030")).encoding == "gb18030" for s in samples)


@pytest.mark.parametrize(
    "name, encoding",
    [
        ("utf8.txt", "utf-8"),
        ("utf8-bom.txt", "utf-8-sig"),
        ("utf16-bom.txt", "utf-16"),
        ("utf16le-nobom.txt", "utf-16-le"),
        ("gb18030.txt", "gb18030"),
        ("big5.txt", "big5"),
        ("short-gb18030.txt", "gb18030"),
        ("short-big5.txt", "big5"),
    ],
)
def test_fixture_encodings_are_detected(name, encoding):
    text, found = decode_bytes((FIXTURES / name).read_bytes())
    assert found == encoding
    assert "培育和" in text
    assert "\ufffd" not in text


def test_utf16_big_endian_without_bom():
    text = (FIXTURES / "utf8.txt").read_text(encoding="utf-8")
    assert decode(text.encode("utf-16-be")).encoding == "utf-16-be"


def test_invalid_bytes_in_utf8_are_replaced_and_counted():
    decoded = decode((FIXTURES / "utf8-invalid.txt").read_bytes())
    assert re.fullmatch(r"utf-8 \(\d+ invalid bytes replaced\)", decoded.label)
    assert decoded.encoding == "utf-8" and 3 <= decoded.invalid_bytes <= 9
    clean = (FIXTURES / "utf8.txt").read_text(encoding="utf-8")
    assert len(decoded.text) - decoded.text.count("\ufffd") >= len(clean) - 4


def test_a_lost_gbk_byte_costs_one_replacement_not_the_file():
    raw = (FIXTURES / "gb18030.txt").read_bytes()
    decoded = decode(raw[:201] + raw[202:])  # one byte of a two-byte character lost
    assert decoded.encoding == "gb18030" and decoded.invalid_bytes >= 1
    assert decoded.label.startswith("gb18030 (")


def test_declared_charset_is_honoured():
    raw = "宣传思想工作总结".encode("gbk")
    assert decode(raw, declared="gb2312").encoding == "gb18030"
    assert decode(raw, declared="GBK").encoding == "gb18030"
    # A Western declaration (a common server default) does not override detection.
    assert decode(raw, declared="iso-8859-1").encoding == "gb18030"


def test_binary_junk_is_rejected():
    with pytest.raises(IngestError, match="binary content"):
        decode((FIXTURES / "binary-junk.txt").read_bytes())


def test_damaged_bom_file_is_rejected():
    raw = "宣传".encode("utf-16") + b"\x00\xd8" * 50  # unpaired surrogates after the BOM
    with pytest.raises(IngestError, match="byte-order mark"):
        decode(raw)


def test_mostly_ascii_with_a_stray_latin1_byte_is_kept():
    decoded = decode("Report on propaganda work, caf\xe9 culture and more plain English words.".encode("latin-1"))
    assert decoded.encoding == "utf-8" and decoded.invalid_bytes == 1


def test_plausibility_separates_text_from_mojibake():
    text = "县委宣传部坚持以习近平新时代中国特色社会主义思想为指导"
    assert plausibility(text) > 0.9
    assert plausibility(text.encode("gb18030").decode("big5", errors="ignore")) < 0.5


def test_a_5mb_line_decodes_in_linear_time():
    line = ("宣传思想工作取得新成效，" * 150_000).encode("gb18030")  # 3.6 MB, no newline
    started = time.monotonic()
    decoded = decode(line + line[:1_400_000])
    assert decoded.encoding == "gb18030"
    assert time.monotonic() - started < 5
