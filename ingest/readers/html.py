"""Saved web pages: the main text, without scripts, navigation and footers."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ingest.decoding import decode_bytes
from ingest.errors import IngestError
from ingest.readers import RawText

_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form",
         "button", "select", "iframe", "svg", "template", "head"}
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
          "article", "table", "blockquote", "pre", "dd", "dt", "ul", "ol", "td"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP:
            self._skip_depth += 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP and self._skip_depth:
            self._skip_depth -= 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip_depth:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Visible text (block elements become line breaks) and the <title>."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in text.split("\n")]
    body = "\n".join(line for line in lines if line)
    title = " ".join("".join(parser.title).split()) or None
    return body, title


def read_html(raw: bytes) -> RawText:
    declared = _CHARSET.search(raw[:4096])
    markup, encoding = decode_bytes(raw, declared.group(1).decode("ascii", "ignore") if declared else None)
    body, title = html_to_text(markup)
    if not body.strip():
        raise IngestError("HTML page without visible text")
    return RawText(text=body, format="html", encoding=encoding, title_hint=title)
