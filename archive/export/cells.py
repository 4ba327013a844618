"""One value as the text of a cell or XML run: lists joined, formulas made inert, illegal characters dropped.

Every format shares these rules, so a passage reads the same in CSV, XLSX,
DOCX and Markdown, and no spreadsheet ever runs an archived text as a formula.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 forbids (C0 controls but tab/newline/return, lone surrogates, U+FFFE/U+FFFF):
# lxml and openpyxl refuse them, so one stray byte of a scanned file would abort a whole export.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def cell_text(value: Any) -> str:
    """A field value as text: None is empty, a list (themes) is joined with 、."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def safe_cell(value: Any) -> str:
    """A cell value as text; formulas (=, +, -, @ …) are made inert with a quote."""
    text = cell_text(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def xml_text(text: str) -> str:
    """The text without the characters an XML document may not hold."""
    return _XML_ILLEGAL.sub("", text)
