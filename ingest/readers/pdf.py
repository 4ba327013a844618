"""PDF with a text layer (pypdf): the pages' text, in order.

A PDF locked with only an owner password (printing or copying restricted)
opens with the empty user password and is read; one that needs a password
to open is rejected, as is a PDF without a text layer (a scan: it needs OCR
first). The document's /Title goes into meta, not the title hint: like a
.docx's core title it is often a template's leftover ("广东省人大常委会文件"),
and a converter's placeholder ("Microsoft Word - 1.doc") is dropped.
"""

from __future__ import annotations

import io
import re

from ingest.errors import IngestError
from ingest.readers import RawText, ReaderOptions

MIN_CHARS_PER_PAGE = 10  # fewer visible characters than this on every page: no text layer
_PLACEHOLDER_TITLE = re.compile(
    r"^(?:Microsoft (?:Word|PowerPoint|Excel) - |untitled|无标题)|\.(?:docx?|wps|pdf)$", re.I
)
_VISIBLE = re.compile(r"\S")


def read(raw: bytes, options: ReaderOptions | None = None) -> list[RawText]:
    """One RawText with the text of every page; IngestError for locked, damaged or scanned PDFs."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("password-protected PDF; remove the password and ingest again")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except IngestError:
        raise
    except DependencyError as exc:
        raise IngestError(
            "encrypted PDF (AES) that needs the 'cryptography' package to open; "
            "install it or save the PDF without encryption"
        ) from exc
    except FileNotDecryptedError as exc:
        raise IngestError("password-protected PDF; remove the password and ingest again") from exc
    except NotImplementedError as exc:
        raise IngestError(f"PDF with a feature the reader does not support ({exc}); print it to a new PDF") from exc
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
        ArithmeticError,
    ) as exc:
        raise IngestError(f"damaged or truncated PDF ({type(exc).__name__}: {exc}); download it again") from exc
    if not pages:
        raise IngestError("PDF without pages")
    counts = [len(_VISIBLE.findall(text)) for text in pages]
    if max(counts) < MIN_CHARS_PER_PAGE:
        raise IngestError("no text layer (a scanned or image-only PDF); run OCR first")
    meta: dict[str, object] = {"pages": len(pages)}
    empty = [number for number, count in enumerate(counts, start=1) if count < MIN_CHARS_PER_PAGE]
    if empty:
        meta["pages_without_text"] = empty
    title = (info.title or "").strip() if info else ""
    if title and not _PLACEHOLDER_TITLE.search(title):
        meta["title"] = title
    created = _creation_date(info)
    if created:
        meta["created"] = created
    return [RawText(text="\n".join(text.rstrip("\n") for text in pages), format="pdf", meta=meta)]


def _creation_date(info) -> str | None:
    try:
        created = info.creation_date if info else None
    except ValueError:  # a malformed /CreationDate
        return None
    return created.date().isoformat() if created else None
