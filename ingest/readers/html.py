"""Saved web pages (and MHTML archives): the article's text plus what the page says about itself.

The charset a page declares (meta tag, XML declaration, MHTML part header)
is honoured. The article comes from `readability`; its units become lines.
The <title> is kept as a title hint without the site's name pages append
to it (`报告_某某网`: the name becomes the site when no meta tag names one, the
whole <title> stays in `meta["page_title"]`), an <h1> or ArticleTitle meta as
`meta["headline"]`. The publication date comes from meta tags
(article:published_time, PubDate, …) or <time>, else from a labelled date in
the page's text (发布时间：2019-10-30), which usually sits in the chrome
outside the article; the site's name from og:site_name or SiteName.
"""

from __future__ import annotations

import email
import email.policy
import re

from lxml import etree
from lxml import html as lxml_html

from ingest.decoding import decode
from ingest.errors import IngestError
from ingest.pagefacts import page_date, split_site_suffix
from ingest.readers import RawText, ReaderOptions
from ingest.readers.dates import parse_date
from ingest.readers.readability import article_lines, clean, drop_chrome, units

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_CHARSET = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML text: lxml refuses them on edits
_DATE_META = (
    "article:published_time og:article:published_time article:published pubdate publishdate publish_date "
    "publication_date publishtime publish-date firstpublishedtime dc.date dc.date.issued dcterms.issued "
    "dcterms.created dc.date.created date sailthru.date datepublished releasedate release_date og:release_date "
    "weibo:article:create_at created createdate"
).split()
_SITE_META = ("og:site_name", "sitename", "site_name", "application-name")


def declared_charset(raw: bytes) -> str | None:
    """The charset a page declares in a meta tag or XML declaration, if any."""
    head = raw[:8192]
    match = _XML_CHARSET.search(head) or _CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def read(raw: bytes, options: ReaderOptions | None = None) -> list[RawText]:
    """One RawText: the page's main text, title hint, publication date and site."""
    decoded = decode(raw, declared_charset(raw))
    return [page_text(decoded.text, decoded.label)]


def read_mhtml(raw: bytes, options: ReaderOptions | None = None) -> list[RawText]:
    """An MHTML web archive (.mht, often saved as .doc): its first text/html part."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                decoded = decode(payload, part.get_content_charset() or declared_charset(payload))
                result = page_text(decoded.text, decoded.label)
                result.format = "mhtml"
                return [result]
    raise IngestError("MHTML web archive without an HTML part; open it in a browser and save it as .html")


_HEADLINE_NEAR = 5  # lines of the article within which its headline counts as already there


def parse(markup: str) -> etree._Element:
    """An lxml tree of any page, however broken."""
    parser = lxml_html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml_html.document_fromstring(_CONTROLS.sub(" ", _XML_DECL.sub("", markup, count=1)), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(f"HTML page that cannot be parsed ({exc}); save it again from a browser") from exc
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise IngestError(
            "HTML page nested too deeply to parse whole (over 2,048 levels); save it again from a browser"
        )
    return root


def page_text(markup: str, encoding: str) -> RawText:
    """Main text and page facts of a decoded page."""
    root = parse(markup)
    page_title, headline = _title(root), _headline(root)
    title, title_site = split_site_suffix(page_title) if page_title else (None, None)
    published, source = _meta_facts(root)
    drop_chrome(root)
    found = list(units(root))
    lines = article_lines(root, found)
    if not lines:
        raise IngestError("HTML page without visible text")
    if headline and headline not in lines[:_HEADLINE_NEAR]:
        # the <h1> often stands above the article block: the text opens with its title, as on the page
        lines.insert(0, headline)
    return RawText(
        text="\n".join(lines),
        format="html",
        encoding=encoding,
        title_hint=title,
        published=published or _page_date([unit.text for unit in found]),
        source=source or title_site,
        meta={key: value for key, value in (("headline", headline), ("page_title", page_title)) if value},
    )


def _page_date(lines: list[str]) -> str | None:
    """A date the page's lines state (发布时间：…, a dated byline), by the rules of page facts."""
    found = page_date(lines)
    return found[0] if found else None


def _title(root: etree._Element) -> str | None:
    node = root.find(".//title")
    return (clean(node.text_content()) if node is not None else "") or None


def _headline(root: etree._Element) -> str | None:
    for xpath in ("//meta[@name='ArticleTitle']/@content", "//meta[@property='og:title']/@content", "//h1"):
        for found in root.xpath(xpath):
            text = clean(found if isinstance(found, str) else found.text_content())
            if text:
                return text
    return None


def _meta_facts(root: etree._Element) -> tuple[str | None, str | None]:
    """(published, site) from meta tags and <time datetime>."""
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv") or ""
        content = meta.get("content")
        if key and content and key.lower() not in metas:
            metas[key.lower()] = content
    published = next((found for key in _DATE_META if key in metas and (found := parse_date(metas[key]))), None)
    if published is None:
        published = next(
            (found for node in root.iter("time") if (found := parse_date(node.get("datetime") or node.text_content()))),
            None,
        )
    site = next((clean(metas[key]) for key in _SITE_META if metas.get(key, "").strip()), None)
    return published, site
