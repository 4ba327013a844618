"""Common Han characters (data/common_chars.txt), to rank candidate decodings.

Big5 bytes read as GB18030 (and the reverse) decode into rare characters,
kana and private-use code points, so the candidate whose characters are
common is the right one. The list is built from jieba's word frequencies,
once for simplified text and once for its traditional forms (OpenCC s2t and
s2tw, so both 裏 and 裡 count): rebuild it with `python -m ingest.charfreq`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from archive.config import data_file

FILE_NAME = "common_chars.txt"
TOP_N = 3500


def _load() -> frozenset[str]:
    lines = data_file(FILE_NAME).read_text(encoding="utf-8").splitlines()
    return frozenset("".join(line.strip() for line in lines if not line.startswith("#")))


COMMON: frozenset[str] = _load()


def build(top_n: int = TOP_N) -> str:
    """The data file's content: the top_n simplified and top_n traditional characters by frequency."""
    import jieba
    import opencc

    simplified: Counter[str] = Counter()
    traditional: Counter[str] = Counter()
    converters = [opencc.OpenCC("s2t"), opencc.OpenCC("s2tw")]
    dictionary = Path(jieba.__file__).with_name("dict.txt")
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        word, freq = line.split(" ")[:2]
        for char in word:
            if "\u4e00" <= char <= "\u9fff":
                simplified[char] += int(freq)
        for convert in converters:
            for char in convert.convert(word):
                if "\u4e00" <= char <= "\u9fff":
                    traditional[char] += int(freq)
    header = (
        f"# The {top_n:,} most frequent Han characters of jieba's dictionary, then the {top_n:,} most frequent\n"
        "# of its words converted to traditional (OpenCC s2t, s2tw); by frequency. Tells GB18030 from Big5.\n"
        "# Rebuild: python -m ingest.charfreq\n"
    )
    body = [char for char, _ in simplified.most_common(top_n)], [char for char, _ in traditional.most_common(top_n)]
    return header + "\n".join("".join(chars[i : i + 100]) for chars in body for i in range(0, len(chars), 100)) + "\n"


if __name__ == "__main__":
    data_file(FILE_NAME).write_text(build(), encoding="utf-8")
