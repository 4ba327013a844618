"""Markdown (the laws corpus, 新闻联播 transcripts): markup stripped lightly, text kept line for line.

Headings lose their #, emphasis its stars, links and images keep their text,
tables keep their cells (tab-separated), raw HTML tags and comments go.
Everything works line by line with bounded patterns, so a 5 MB line costs
linear time. The first heading (or a front-matter `title:`) is the title hint.
"""

from __future__ import annotations

import html
import re

from ingest.decoding import decode
from ingest.readers import RawText, ReaderOptions

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_RULE = re.compile(r"^\s{0,3}(?:[-*_=]\s*){3,}$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(?:\[[ xX]\]\s+)?")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]\n]{1,200}\]:\s*\S+.*$")
_IMAGE = re.compile(r"!\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_LINK = re.compile(r"\[([^\]\n]{0,500})\](?:\([^)\n]{0,2000}\)|\[[^\]\n]{0,200}\])")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]{1,2000})>")
_CODE = re.compile(r"`{1,3}([^`\n]{1,2000})`{1,3}")
_STRONG = re.compile(r"\*\*|__|~~")
_EM = re.compile(r"(?<![A-Za-z0-9*])\*(?=\S)([^*\n]{1,500}?)(?<=\S)\*(?![A-Za-z0-9*])")
_BREAK_TAG = re.compile(r"<(?:br|/?p|/?div|/?li|/?h[1-6]|/?tr)(?:\s[^<>\n]{0,500})?\s*/?>", re.I)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,20}(?:\s[^<>\n]{0,500})?\s*/?>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_ESCAPED = 0xF0000  # an escaped ASCII character travels as a plane-15 private-use character
_SHIELDED = re.compile("[\U000f0000-\U000f007f]")
_BLANK_RUNS = re.compile(r"\n(?:[ \t]*\n){2,}")
_FRONT_TITLE = re.compile(r"^title\s*:\s*[\"']?(.*?)[\"']?\s*$", re.M)


def read(raw: bytes, options: ReaderOptions | None = None) -> list[RawText]:
    """One RawText with the Markdown's plain text and its first heading as title hint."""
    decoded = decode(raw)
    text, title = markdown_to_text(decoded.text)
    return [RawText(text=text, format="md", encoding=decoded.label, title_hint=title)]


def _strip_comments(text: str) -> str:
    """Remove <!-- … --> with str.find (a regex would go quadratic on many unclosed comments)."""
    out, start = [], 0
    while (begin := text.find("<!--", start)) != -1:
        end = text.find("-->", begin + 4)
        out.append(text[start:begin])
        if end == -1:
            start = len(text)
            break
        start = end + 3
    out.append(text[start:])
    return "".join(out)


def _front_matter(text: str) -> tuple[str, str | None]:
    if not text.startswith("---\n"):
        return text, None
    end = text.find("\n---", 4, 4000)
    if end == -1:
        return text, None
    title = _FRONT_TITLE.search(text[4:end])
    return text[end + 4 :].lstrip("-\n"), (title.group(1).strip() or None) if title else None


def _inline(line: str) -> str:
    line = _ESCAPE.sub(lambda m: chr(_ESCAPED + ord(m.group(1))), line)  # shield \* etc. from the patterns below
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _CODE.sub(r"\1", line)
    line = _STRONG.sub("", line)
    line = _EM.sub(r"\1", line)
    line = _TAG.sub("", line)
    line = _SHIELDED.sub(lambda m: chr(ord(m.group()) - _ESCAPED), line)
    return html.unescape(line)


def markdown_to_text(markdown: str) -> tuple[str, str | None]:
    """(plain text, title hint) of a Markdown document."""
    markdown, title = _front_matter(_strip_comments(markdown.replace("\r\n", "\n")))
    markdown = _BREAK_TAG.sub("\n", markdown)
    lines: list[str] = []
    in_code = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            lines.append(line)
            continue
        heading = _HEADING.match(line)
        if heading:
            line = _inline(heading.group(2))
            title = title or line.strip() or None
            lines.append(line)
            continue
        if _RULE.match(line) or _TABLE_RULE.match(line) or _REF_DEF.match(line):
            continue
        line = _BULLET.sub(r"\1", _QUOTE.sub("", line))
        if line.lstrip().startswith("|"):
            line = "\t".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        lines.append(_inline(line))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n"), title
