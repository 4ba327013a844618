"""PDFs: text layer read page by page; locked, damaged and scanned PDFs rejected with the reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.readers import read_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readers"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_text_pdf_gives_every_page_in_order():
    [raw] = read_path(FIXTURES / "text.pdf")
    expected = (FIXTURES / "utf8.txt").read_text(encoding="utf-8").split("\n")[1:7]  # the six paragraphs drawn
    assert raw.format == "pdf" and raw.meta["pages"] == 2
    assert _flat(raw.text) == _flat("".join(expected))
    assert raw.meta["title"] == "东莞市文明行为促进条例" and raw.title_hint is None


def test_pdf_with_only_an_owner_password_is_read():
    assert read_path(FIXTURES / "owner-only.pdf")[0].text == read_path(FIXTURES / "text.pdf")[0].text


@pytest.mark.parametrize(
    "name, reason",
    [
        ("encrypted.pdf", r"^password-protected PDF; remove the password and ingest again$"),
        ("scanned.pdf", r"^no text layer \(a scanned or image-only PDF\); run OCR first$"),
        ("truncated.pdf", r"^damaged or truncated PDF \("),
    ],
)
def test_broken_pdfs_are_rejected_with_a_reason(name, reason):
    with pytest.raises(IngestError, match=reason):
        read_path(FIXTURES / name)


def test_pdf_header_after_junk_is_still_a_pdf(tmp_path):
    path = tmp_path / "prefixed.txt"
    path.write_bytes(b"\r\n" + (FIXTURES / "text.pdf").read_bytes())
    assert read_path(path)[0].format == "pdf"
