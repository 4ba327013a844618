"""DOCX for writers who paste: per document a heading, then each passage (matched phrases bold) followed by
its citation line and permalink.

The body XML is streamed into the zip and the permalinks' relationships are
spooled to a temporary file, so memory stays flat for any number of passages;
the rest of the package comes from docx_template.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO
from xml.sax.saxutils import escape

from archive.export.cells import xml_text
from archive.export.citation import citation, document_facts, title
from archive.export.docx_template import HEADING_STYLE, TITLE_STYLE, template, with_cjk_fonts
from archive.export.info import ExportInfo
from archive.export.rows import Row, by_document, chunked

DOCUMENT, DOCUMENT_RELS, FONT_TABLE = "word/document.xml", "word/_rels/document.xml.rels", "word/fontTable.xml"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_SMALL_GREY = '<w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/>'
_LINK = '<w:color w:val="0563C1"/><w:sz w:val="18"/><w:szCs w:val="18"/><w:u w:val="single"/>'  # schema order
_FIRST_LINE_INDENT = '<w:ind w:firstLineChars="200" w:firstLine="420"/>'
_AFTER_CITATION = '<w:spacing w:after="240"/>'


def write_docx(rows: Iterable[Row], info: ExportInfo | None, out: BinaryIO) -> None:
    info = info or ExportInfo()
    package = zipfile.ZipFile(io.BytesIO(template(info)))
    head, tail = split_body(package.read(DOCUMENT))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target, tempfile.TemporaryFile() as links:
        for item in package.infolist():
            if item.filename not in (DOCUMENT, DOCUMENT_RELS):
                data = package.read(item)
                target.writestr(item, with_cjk_fonts(data) if item.filename == FONT_TABLE else data)
        with target.open(_entry(DOCUMENT, info), "w", force_zip64=True) as body:
            body.write(head)
            for chunk in chunked(_body(rows, info, links), per_chunk=300):
                body.write(chunk.encode("utf-8"))
            body.write(tail)
        rels = package.read(DOCUMENT_RELS)
        end = rels.rindex(b"</Relationships>")
        with target.open(_entry(DOCUMENT_RELS, info), "w", force_zip64=True) as relationships:
            relationships.write(rels[:end])
            links.seek(0)
            shutil.copyfileobj(links, relationships)
            relationships.write(rels[end:])


def _entry(name: str, info: ExportInfo) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=info.created.timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def split_body(document_xml: bytes) -> tuple[bytes, bytes]:
    """(everything up to and with <w:body>, the section properties and the closing tags)."""
    start = document_xml.index(b"<w:body>") + len(b"<w:body>")
    return document_xml[:start], document_xml[document_xml.index(b"<w:sectPr", start):]


def _body(rows: Iterable[Row], info: ExportInfo, links: BinaryIO) -> Iterator[str]:
    yield paragraph(run("导出"), style=TITLE_STYLE)
    for label, value in info.summary():
        yield paragraph(run(f"{label}：", bold=True) + run(value))
    count = 0
    for first, group in by_document(rows):
        yield paragraph(run(title(first)), style=HEADING_STYLE)
        yield paragraph(run(" · ".join(document_facts(first)), properties=_SMALL_GREY))
        for row in group:
            count += 1
            link_id = f"rIdExport{count}"
            links.write(f'<Relationship Id="{link_id}" Type="{HYPERLINK}" Target="{attribute(row["permalink"])}" '
                        f'TargetMode="External"/>'.encode())
            yield paragraph(marked_runs(row.get("text") or "", row.get("marks") or []), spacing=_FIRST_LINE_INDENT)
            yield paragraph(run(citation(row) + " 链接：", properties=_SMALL_GREY)
                            + hyperlink(link_id, row["permalink"]), spacing=_AFTER_CITATION)


def paragraph(content: str, style: str | None = None, spacing: str = "") -> str:
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    properties = f"<w:pPr>{style_xml}{spacing}</w:pPr>" if style_xml or spacing else ""
    return f"<w:p>{properties}{content}</w:p>"


def run(text: str, bold: bool = False, properties: str = "") -> str:
    """A run of text; newlines become line breaks and tabs tabs, as Word writes them."""
    if not text:
        return ""
    rpr = ("<w:b/><w:bCs/>" if bold else "") + properties
    rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    parts = []
    for i, line in enumerate(xml_text(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return f"<w:r>{rpr}{''.join(parts)}</w:r>"


def marked_runs(text: str, spans: list[tuple[int, int]]) -> str:
    """The text as runs, the spans bold."""
    out, pos = [], 0
    for start, end in spans:
        out += [run(text[pos:start]), run(text[start:end], bold=True)]
        pos = end
    out.append(run(text[pos:]))
    return "".join(out)


def hyperlink(link_id: str, url: str) -> str:
    return f'<w:hyperlink r:id="{link_id}" w:history="1">{run(url, properties=_LINK)}</w:hyperlink>'


def attribute(value: str) -> str:
    return escape(xml_text(value), {'"': "&quot;"})
