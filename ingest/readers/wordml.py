"""Word .docx (WordprocessingML): paragraphs and table cells in document order.

The zip directory is checked before anything is decompressed: a truncated
or non-zip file, a zip that is not a Word document, and a zip bomb (members
whose declared size or compression ratio is absurd) are rejected with a
reason. python-docx opens the package; the body is then walked directly so
that text inside tracked insertions, content controls (w:sdt) and text
boxes is kept, deleted text and field codes are not, and a text box drawn
twice (mc:Choice and its mc:Fallback) is read once. Headers, footers and
footnotes are page furniture and are left out of the text; a date their lines
state (发布时间：2026-08-18 in a saved page's header) dates the copy.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from ingest.errors import IngestError
from ingest.pagefacts import page_date
from ingest.readers import RawText, ReaderOptions, check_size

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
DOCUMENT_PART = "word/document.xml"
FURNITURE_PART = re.compile(r"word/(?:header|footer)\d*\.xml")
MAX_RATIO = 200  # the corpus's Word parts deflate at most 1:32; bombs reach 1:1000 (deflate) or far more (bzip2)
RATIO_FLOOR = 10 * 2**20  # small members may compress absurdly well without harm
_INLINE = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-", f"{_W}softHyphen": ""}


def _w(names: str) -> frozenset[str]:
    return frozenset(f"{_W}{name}" for name in names.split())


# Not text: deleted or moved-away runs, field codes, properties (their w:tab is a tab stop), note marks.
_SKIP = _w("del moveFrom instrText delText pPr rPr footnoteReference endnoteReference") | {_MC_FALLBACK}
# Block containers whose paragraphs are read in order: tables (cell by cell), content controls, custom XML.
_CONTAINERS = _w("tbl tr tc sdt sdtContent customXml ins smartTag")


def check_zip(raw: bytes, limit: int) -> zipfile.ZipFile:
    """The opened zip, after its directory proved it a Word document of sane size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError) as exc:
        raise IngestError(
            f"damaged or truncated Word file (not a complete zip archive: {exc}); "
            "download it again or re-save it from Word"
        ) from exc
    names = set(archive.namelist())
    if DOCUMENT_PART not in names:
        kinds = {"xl/workbook.xml": "an Excel workbook", "ppt/presentation.xml": "a PowerPoint file"}
        kind = next((kind for part, kind in kinds.items() if part in names), "a zip archive")
        raise IngestError(f"{kind}, not a Word document (no {DOCUMENT_PART}); only Word files are read as .docx")
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise IngestError(
                f"zip bomb suspected: {info.filename} would expand {info.compress_size:,} bytes to "
                f"{info.file_size:,}; not read"
            )
        check_size(info.file_size, limit, f"{info.filename} (uncompressed)")
    check_size(total, limit, "uncompressed Word package")
    return archive


def read(raw: bytes, options: ReaderOptions | None = None) -> list[RawText]:
    """One RawText with the document's paragraphs and table cells as lines."""
    options = options or ReaderOptions()
    archive = check_zip(raw, options.max_bytes)
    try:
        body, meta = _open(raw, archive)
        furniture = _furniture_lines(archive)
    finally:
        archive.close()
    text = "\n".join(block_lines(body))
    if not text.strip():
        raise IngestError("Word document without text (only images or empty); if it is a scan, run OCR first")
    found = page_date(furniture)
    return [RawText(text=text, format="docx", encoding=None, published=found[0] if found else None, meta=meta)]


def _furniture_lines(archive: zipfile.ZipFile) -> list[str]:
    """Lines of the headers and footers (python-docx has already refused a package with a damaged one)."""
    names = sorted(n for n in archive.namelist() if FURNITURE_PART.fullmatch(n))
    return [line for name in names for line in block_lines(_parse(archive, name))]


def _open(raw: bytes, archive: zipfile.ZipFile):
    """(body element, core properties) via python-docx; a macro file or template, which it refuses, via lxml."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(raw))
    except ValueError as exc:
        if "content type" not in str(exc):
            raise IngestError(f"Word file that cannot be opened ({exc}); re-save it from Word") from exc
        return _document_xml(archive), {}
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"damaged Word file (XML not well-formed: {exc}); re-save it from Word") from exc
    except (
        PackageNotFoundError,
        KeyError,
        zipfile.BadZipFile,
        OSError,
        EOFError,
        zlib.error,
        NotImplementedError,
    ) as exc:
        raise IngestError(
            f"Word file that cannot be opened ({type(exc).__name__}: {exc}); re-save it from Word"
        ) from exc
    props = document.core_properties
    created = props.created.date().isoformat() if props.created else None
    meta = {
        key: value for key, value in (("author", props.author), ("title", props.title), ("created", created)) if value
    }
    return document.element.body, meta


def _parse(archive: zipfile.ZipFile, name: str):
    """A part of the package, parsed safely (no entities, no network)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(archive.read(name), parser)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise IngestError(f"damaged Word file ({name} is not well-formed: {exc}); re-save it from Word") from exc


def _document_xml(archive: zipfile.ZipFile):
    """The body of word/document.xml."""
    root = _parse(archive, DOCUMENT_PART)
    body = root.find(f"{_W}body")
    return root if body is None else body


def block_lines(container) -> list[str]:
    """Lines of a body, table cell or content control: paragraphs and, cell by cell, tables."""
    lines: list[str] = []
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            lines.extend(_paragraph_lines(child))
        elif tag in _CONTAINERS:
            lines.extend(block_lines(child))
    return lines


def _paragraph_lines(paragraph) -> list[str]:
    """The paragraph's text (one line, or more at manual breaks), then the lines of its text boxes."""
    parts: list[str] = []
    boxes: list[str] = []
    stack = [paragraph]
    while stack:
        element = stack.pop()
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == f"{_W}t":
            parts.append(element.text or "")
            continue
        if tag in _INLINE:
            parts.append(_INLINE[tag])
            continue
        if tag == f"{_W}txbxContent":
            boxes.extend(block_lines(element))
            continue
        stack.extend(reversed(element))
    text = "".join(parts)
    return [*(text.split("\n") if text else [""]), *boxes]
