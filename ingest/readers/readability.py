"""The article inside a web page: a content-density heuristic in the spirit of readability.

Government and 范文 pages wrap one article in site chrome. Scripts, forms,
navigation, hidden blocks and blocks whose class or id says nav/footer/
sidebar/相关文章 (xgwz) go first. The page is then cut into text units (a
paragraph, a table cell, a line between <br>s); each unit of real prose
(long, with Chinese sentence punctuation) scores for the block holding it
and half for that block's parent. The best block, discounted by its share
of link text, is the article; siblings scoring nearly as well join it, and
link-dense units inside it (related-article lists, 上一篇/下一篇) are dropped.
Everything is iterative, so deeply nested pages cannot hit the recursion
limit, and linear in the page's size.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

_DROP_TAGS = (
    "script style noscript iframe object embed svg template nav footer aside menu button select input textarea "
    "label option map canvas audio video head"
).split()
_BLOCK = frozenset(
    (
        "p div li ul ol dl dd dt tr td th table tbody thead tfoot h1 h2 h3 h4 h5 h6 section article main "
        "blockquote pre center header form fieldset address figure figcaption body html hr caption"
    ).split()
)
# A unit owned by one of these is a paragraph: it scores for the block around it.
_PARAGRAPH = frozenset("p li dd dt h1 h2 h3 h4 h5 h6 pre blockquote th figcaption caption address".split())
_UNLIKELY = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|foot|sidebar|side|breadcrumbs?|crumbs?|share|bdshare|comments?|"
    r"copyright|banner|toolbar|topbar|related|relate|xgwz|xgxw|xglj|tuijian|recommend|ad|ads|advert|login|"
    r"search|qrcode|ewm|weixin|wechat|bottom|header|top|dh|daohang|pagination|pager|hot|rank)(?:$|[\s_\d-])",
    re.I,
)
_LIKELY = re.compile(
    r"article|content|main|detail|zoom|trs_editor|(?:^|[\s_-])(?:zw|text|con|body)(?:$|[\s_\d-])", re.I
)
PROSE_MARKS = 5  # a block with this many 。 is never dropped as chrome, whatever its class
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")
_PUNCT = re.compile(r"[，。；！？、：,;]")
MIN_UNIT_CHARS = 20
MAX_LINK_DENSITY = 0.5
SIBLING_SHARE = 0.2  # a sibling scoring this share of the best block joins it


@dataclass
class Unit:
    """A run of inline text between block boundaries or <br>s, with the block that holds it."""

    owner: etree._Element
    text: str
    link_chars: int


def clean(text: str) -> str:
    """Whitespace runs (including no-break spaces) to one space, trimmed."""
    return _SPACES.sub(" ", text).strip()


def drop_chrome(root: etree._Element) -> None:
    """Remove what is never article text: scripts, forms, navigation, hidden and 'unlikely' blocks."""
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    doomed = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("html", "body"):
            continue
        if _HIDDEN.search(element.get("style") or ""):
            doomed.append(element)
            continue
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if element.tag in _BLOCK and _UNLIKELY.search(names) and not _LIKELY.search(names):
            if element.text_content().count("。") < PROSE_MARKS:
                doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            _remove_keep_tail(element)


def _remove_keep_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def units(root: etree._Element) -> Iterator[Unit]:
    """Text units in document order."""
    parts: list[str] = []
    link_chars = 0
    owner: etree._Element = root
    stack: list[tuple[etree._Element, bool]] = []  # (block owner, inside a link) of each open element

    def flush() -> Unit | None:
        nonlocal parts, link_chars
        text = clean("".join(parts))
        unit = Unit(owner, text, min(link_chars, len(text))) if text else None
        parts, link_chars = [], 0
        return unit

    def add(text: str | None, in_link: bool) -> None:
        nonlocal link_chars
        if text:
            parts.append(text)
            if in_link:
                link_chars += len(clean(text))

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            parent_owner, parent_link = stack[-1] if stack else (root, False)
            if (tag in _BLOCK or tag == "br") and (unit := flush()):
                yield unit
            owner, in_link = (element if tag in _BLOCK else parent_owner), parent_link or tag == "a"
            stack.append((owner, in_link))
            for line in (element.text or "").split("\n") if tag == "pre" else [element.text]:
                add(line, in_link)
                if tag == "pre" and (unit := flush()):
                    yield unit
        else:
            stack.pop()
            if tag in _BLOCK and (unit := flush()):
                yield unit
            owner, in_link = stack[-1] if stack else (root, False)
            add(element.tail, in_link)
    if unit := flush():
        yield unit


def _unit_score(unit: Unit) -> float:
    if len(unit.text) < MIN_UNIT_CHARS:
        return 0.0
    return 1.0 + len(_PUNCT.findall(unit.text)) + min(len(unit.text) / 100, 3.0)


def is_link_line(unit: Unit) -> bool:
    """Mostly link text: a menu entry, a related article, 上一篇."""
    return unit.link_chars > MAX_LINK_DENSITY * len(unit.text)


def main_blocks(found: list[Unit], fallback: etree._Element) -> set[etree._Element]:
    """The block (and its worthy siblings) holding the article; `fallback` if no unit is prose."""
    scores: dict[etree._Element, float] = {}
    chars: dict[etree._Element, int] = {}
    links: dict[etree._Element, int] = {}
    for unit in found:
        for element in _ancestors(unit.owner):
            chars[element] = chars.get(element, 0) + len(unit.text)
            links[element] = links.get(element, 0) + unit.link_chars
        score = _unit_score(unit)
        if not score:
            continue
        container = unit.owner.getparent() if unit.owner.tag in _PARAGRAPH else None
        container = unit.owner if container is None else container
        scores[container] = scores.get(container, 0.0) + score
        grand = container.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0.0) + score / 2

    def final(element: etree._Element) -> float:
        return scores.get(element, 0.0) * (1 - links.get(element, 0) / max(1, chars.get(element, 1)))

    if not scores:
        return {fallback}
    best = max(scores, key=final)
    parent = best.getparent()
    if parent is None:
        return {best}
    threshold = max(10.0, final(best) * SIBLING_SHARE)
    chosen = {best}
    for sibling in parent:
        if final(sibling) >= threshold:
            chosen.add(sibling)
        elif sibling.tag == "p" and chars.get(sibling, 0) > 80 and links.get(sibling, 0) < 0.25 * chars[sibling]:
            chosen.add(sibling)
    return chosen


def _ancestors(element: etree._Element | None) -> Iterator[etree._Element]:
    while element is not None:
        yield element
        element = element.getparent()


def article_lines(root: etree._Element, found: list[Unit]) -> list[str]:
    """The lines of the article: units inside the main blocks that are not link lines."""
    body = root.find("body")
    blocks = main_blocks(found, body if body is not None else root)
    return [
        unit.text
        for unit in found
        if not is_link_line(unit) and any(ancestor in blocks for ancestor in _ancestors(unit.owner))
    ]
