"""Markdown: the search at the top, then per document `## 标题`, a line of facts, and each passage as a
blockquote with its citation and permalink.

Text is escaped so an archived `*`, `<script>` or `[link](…)` shows as written and never becomes
markup; matched phrases are bold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from archive.export.citation import citation, document_facts, title
from archive.export.info import ExportInfo
from archive.export.rows import Row, by_document, chunked

_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# What would start a heading, quote, list or setext underline at the start of a line (after a bold marker).
_LINE_START = re.compile(r"^(\s*(?:\*\*)?)(?:([#>+=-])|(\d+)([.)]))")
_AUTOLINK_BREAKERS = re.compile(r"[\s<>\x00-\x1f]")


def md_chunks(rows: Iterable[Row], info: ExportInfo | None = None) -> Iterator[str]:
    yield from chunked(_pieces(rows, info or ExportInfo()), per_chunk=100)


def _pieces(rows: Iterable[Row], info: ExportInfo) -> Iterator[str]:
    yield "# 导出\n\n" + "".join(f"- {label}：{escape_line(value)}\n" for label, value in info.summary()) + "\n"
    documents = passages = 0
    for first, group in by_document(rows):
        documents += 1
        yield _document_head(first)
        for row in group:
            passages += 1
            yield _passage(row)
    yield f"---\n\n共 {passages} 个段落，{documents} 篇文档。\n"


def _document_head(row: Row) -> str:
    facts = [escape_line(f) for f in document_facts(row)]
    facts.append("全文：" + link(row["permalink"].split("#", 1)[0]))
    return f"## {escape_line(title(row))}\n\n{' · '.join(facts)}\n\n"


def _passage(row: Row) -> str:
    lines = _lines(marked(row.get("text") or "", row.get("marks") or []))
    quote = "\\\n".join("> " + _escape_line_start(line) for line in lines)
    return f"{quote}\n>\n> {escape_line(citation(row))} 链接：{link(row['permalink'])}\n\n"


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text's inline markup escaped, the spans in **bold** (line starts are escaped by the caller)."""
    out, pos = [], 0
    for start, end in spans:
        out += [_inline(text[pos:start]), "**", _inline(text[start:end]), "**"]
        pos = end
    out.append(_inline(text[pos:]))
    return "".join(out)


def escape(text: str) -> str:
    """Markdown's inline punctuation backslash-escaped; a line start that would open a block, too."""
    return "\n".join(_escape_line_start(line) for line in _lines(_inline(text)))


def _lines(text: str) -> list[str]:
    """The lines as Markdown sees them (CR and CRLF end a line too)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def escape_line(text: str) -> str:
    """Escaped, on one line (for headings, list items and citations): line breaks become spaces."""
    return escape(" ".join(_lines(text)))


def _inline(text: str) -> str:
    return _INLINE.sub(r"\\\1", text)


def _escape_line_start(line: str) -> str:
    return _LINE_START.sub(lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}"),
                           line, count=1)


def link(url: str) -> str:
    """An autolink, or the escaped text when the URL could not be one."""
    return escape_line(url) if _AUTOLINK_BREAKERS.search(url) else f"<{url}>"
